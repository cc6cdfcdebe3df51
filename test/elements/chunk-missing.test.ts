// A part of the uploader that cannot be loaded — a chunk missing beside a copied dist/itty-uploader.js, or a page
// offline from its CDN — fails the affected file with the code `unavailable`, naming the chunk (SPEC §1): the row says
// so, and retry loads it again. Its own test file: the chunk must not have been loaded in this page before.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import { patternedBlob, sha256, stored, uniqueName } from '../helpers/browser.js';

const worker = setupWorker(http.get(/\/src\/core\/chunked\.(js|ts)(\?|$)/, () => HttpResponse.error()));
const part = (el: IttyUploaderElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

describe('<itty-uploader> without a chunk it needs', () => {
  before(() =>
    worker.start({
      serviceWorker: { url: '/test/mocks/mockServiceWorker.js', options: { scope: '/' } },
      onUnhandledRequest: 'bypass',
      quiet: true,
    }),
  );
  after(() => worker.stop());

  it('fails the file with unavailable naming the chunk, shows it in the row, and retry sends it once the chunk loads', async () => {
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/upload-url" folder="chunks" chunk-size="64KiB" retries="0"></itty-uploader>`,
    );
    const blob = patternedBlob(200 * 1024);
    const name = uniqueName('missing-chunk.bin');
    const failed = oneEvent(el, 'itty-upload-error');
    el.addFiles([new File([blob], name)]);
    const { detail } = await failed;
    expect(detail.error.code).to.equal('unavailable');
    expect(detail.error.message).to.contain('chunks/chunked-*.js');
    await el.updateComplete;
    expect(part(el, 'item')!.getAttribute('part')).to.equal('item item-error');
    expect(part(el, 'error')!.textContent).to.contain('Part of the uploader could not be loaded.');
    expect(part(el, 'retry-button')).to.exist;
    // Back: Chromium fetches a module whose fetch failed again (today's HTML standard); an engine that keeps the failed
    // import answers `unavailable` again, the row still retryable: never a file gone without a word.
    worker.stop();
    const outcome = Promise.race([
      oneEvent(el, 'itty-upload-success').then(() => 'done'),
      oneEvent(el, 'itty-upload-error').then((event) => event.detail.error.code),
    ]);
    el.retry();
    if ((await outcome) === 'done') {
      expect(await stored(`chunks/${name}`)).to.deep.equal({ exists: true, size: blob.size, sha256: await sha256(blob) });
    } else {
      expect(await outcome).to.equal('unavailable');
      expect(navigator.userAgent).not.to.contain('Chrome');
    }
  });
});
