import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import { patternedBlob, sha256, stored, uniqueName } from '../helpers/browser.js';

const CHUNK = 256 * 1024;

describe('<itty-uploader> pause() and resume()', () => {
  it('pauses a chunked upload and resumes it with only the chunks not acknowledged, one event each', async () => {
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/upload-url" folder="pause" .chunkSize=${CHUNK} parallel-chunks="1"></itty-uploader>`,
    );
    const events: string[] = [];
    for (const type of ['itty-upload-start', 'itty-upload-pause', 'itty-upload-resume', 'itty-upload-success', 'itty-upload-error']) {
      el.addEventListener(type, () => events.push(type));
    }
    // The Content-Range of every chunk the element sends; the first time chunk 1 goes, pause (chunk 0 was acknowledged).
    const ranges: string[] = [];
    const setRequestHeader = XMLHttpRequest.prototype.setRequestHeader;
    XMLHttpRequest.prototype.setRequestHeader = function (header: string, value: string) {
      if (/^content-range$/i.test(header)) {
        ranges.push(value);
        if (value.startsWith(`bytes ${CHUNK}-`) && ranges.length === 2) setTimeout(() => el.pause());
      }
      return setRequestHeader.call(this, header, value);
    };
    try {
      const blob = patternedBlob(8 * CHUNK);
      const name = uniqueName('paused.bin');
      const paused = oneEvent(el, 'itty-upload-pause');
      el.addFiles([new File([blob], name)]);
      const { item } = (await paused).detail;
      // What the storage acknowledged, in whole chunks: at least chunk 0.
      expect(item.status).to.equal('paused');
      expect(item.loaded % CHUNK).to.equal(0);
      expect(item.loaded).to.be.at.least(CHUNK);
      await el.updateComplete;
      const row = el.shadowRoot!.querySelector('[part~="item"]')!;
      expect(row.getAttribute('part')).to.equal('item item-paused');
      expect(row.querySelector('[part="status"]')!.textContent).to.match(/^Paused at \d+%$/);
      expect(el.checkValidity(), 'a form is not complete while an upload is paused').to.equal(false);
      const sentBefore = ranges.length;

      const resumed = oneEvent(el, 'itty-upload-resume');
      const success = oneEvent(el, 'itty-upload-success');
      el.resume();
      expect((await resumed).detail.item.loaded).to.equal(item.loaded);
      await success;
      const kept = item.loaded / CHUNK;
      const expected = Array.from({ length: 8 - kept }, (_, i) => {
        const start = (kept + i) * CHUNK;
        return `bytes ${start}-${start + CHUNK - 1}/${8 * CHUNK}`;
      });
      expect(ranges.slice(sentBefore), 'only the chunks not acknowledged go after resume').to.deep.equal(expected);
      expect(events).to.deep.equal(['itty-upload-start', 'itty-upload-pause', 'itty-upload-resume', 'itty-upload-success']);
      expect(await stored(`pause/${name}`)).to.deep.equal({ exists: true, size: blob.size, sha256: await sha256(blob) });
      expect(el.items[0]!.history).to.equal(undefined);
    } finally {
      XMLHttpRequest.prototype.setRequestHeader = setRequestHeader;
    }
  });

  it('pause() and resume() with no id act on every upload; a paused single PUT keeps nothing and starts again', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" folder="pause" multiple></itty-uploader>`);
    const pauses: number[] = [];
    let resumes = 0;
    el.addEventListener('itty-upload-pause', (event) => pauses.push(event.detail.item.loaded));
    el.addEventListener('itty-upload-resume', () => (resumes += 1));
    const files = [new File([patternedBlob(CHUNK)], uniqueName('a.bin')), new File([patternedBlob(CHUNK)], uniqueName('b.bin'))];
    el.addFiles(files);
    // Both are signing now; pausing aborts that.
    el.pause();
    expect(el.items.map((item) => item.status)).to.deep.equal(['paused', 'paused']);
    expect(pauses, 'nothing of a single PUT is kept').to.deep.equal([0, 0]);
    el.resume();
    expect(resumes).to.equal(2);
    expect(
      el.items.map((item) => item.status),
      'both start again at once',
    ).to.deep.equal(['signing', 'signing']);
    while (el.items.some((item) => item.status !== 'done' && item.status !== 'error')) await oneEvent(el, 'itty-queue-complete');
    expect(el.items.map((item) => item.status)).to.deep.equal(['done', 'done']);
    for (const file of files)
      expect(await stored(`pause/${file.name}`)).to.deep.equal({ exists: true, size: file.size, sha256: await sha256(file) });
  });
});
