// The summary (SPEC §3, v2): `part="summary"` with the whole list's progress, its words and its buttons; `progress`
// and `itty-queue-progress`; per-row pause and resume buttons; the host's `paused` state. Against the real upload
// server of the test runner, whose connections the tests can cut (`/__test/network`).
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import type { QueueProgress } from '../../src/events.js';
import { expectNoSeriousAxeViolations } from '../helpers/axe.js';
import { patternedBlob, sha256, stored, uniqueName } from '../helpers/browser.js';

const CHUNK = 256 * 1024;

const shadow = (el: Element) => el.shadowRoot!;
const part = <T extends Element = HTMLElement>(el: Element, name: string) => shadow(el).querySelector<T>(`[part~="${name}"]`);
const text = (node: Element | null) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const statuses = (el: IttyUploaderElement) => el.items.map((item) => item.status);
const summaryText = (el: Element) => text(part(el, 'summary-text'));
// Compared as text: a failed comparison of two elements makes chai walk the whole DOM.
const focused = (el: Element) => shadow(el).activeElement?.getAttribute('part') ?? 'nothing';

async function mount(template: ReturnType<typeof html>) {
  const el = await fixture<IttyUploaderElement>(template);
  // The summary comes with the words chunk, which the element loads when it connects.
  await el.updateComplete;
  return el;
}

/** Resolves when every file of the list has an outcome. */
async function settled(el: IttyUploaderElement) {
  await waitUntil(() => el.items.every((item) => !['queued', 'signing', 'uploading'].includes(item.status)), 'every file settled', {
    timeout: 60000,
  });
  await el.updateComplete;
}

/** Holds each request to the storage back by `ms` (a slow network), for as long as the returned function is not called. */
function slowStorage(ms: number) {
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    setTimeout(() => send.call(this, body), ms);
  };
  return () => {
    XMLHttpRequest.prototype.send = send;
  };
}

/** Cuts (or restores) the upload server's connections; the page is not told (it stays "online"). */
const network = (up: boolean) => fetch(`/__test/network?down=${up ? 0 : 1}`, { method: 'POST' });

describe('<itty-uploader> summary', () => {
  it('appears when the list holds more than one file, or with `manual`, and not for one file', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="summary" multiple></itty-uploader>`);
    el.addFiles([new File(['one'], uniqueName('one.txt'))]);
    await settled(el);
    expect(part(el, 'summary')).to.equal(null);
    el.addFiles([new File(['two'], uniqueName('two.txt'))]);
    await el.updateComplete;
    expect(part(el, 'summary')).to.not.equal(null);

    const manual = await mount(html`<itty-uploader endpoint="/upload-url" folder="summary" manual></itty-uploader>`);
    expect(part(manual, 'summary'), 'nothing to sum up yet').to.equal(null);
    manual.addFiles([new File(['12345'], uniqueName('only.txt'))]);
    await manual.updateComplete;
    expect(summaryText(manual)).to.equal('0 of 1 file · 0 bytes of 5 bytes');
    expect(text(part(manual, 'upload-button'))).to.equal('Upload 1 file');
  });

  it('counts files and bytes, and Upload N files starts the files of a manual list', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="summary" manual multiple></itty-uploader>`);
    const files = [1000, 2000, 3000].map((size, i) => new File([patternedBlob(size)], uniqueName(`m${i}.bin`)));
    el.addFiles(files);
    await el.updateComplete;
    expect(summaryText(el)).to.equal('0 of 3 files · 0 bytes of 6 kB');
    const bar = part(el, 'summary-progress')!;
    expect([bar.getAttribute('role'), bar.getAttribute('aria-label'), bar.getAttribute('aria-valuenow')]).to.deep.equal([
      'progressbar',
      'Overall progress',
      '0',
    ]);
    expect(statuses(el)).to.deep.equal(['queued', 'queued', 'queued']);
    const upload = part<HTMLButtonElement>(el, 'upload-button')!;
    expect(text(upload)).to.equal('Upload 3 files');
    upload.focus();
    const complete = oneEvent(el, 'itty-queue-complete');
    await sendKeys({ press: 'Enter' });
    await complete;
    await el.updateComplete;
    expect(statuses(el)).to.deep.equal(['done', 'done', 'done']);
    expect(summaryText(el)).to.equal('3 of 3 files · 6 kB of 6 kB');
    expect(part(el, 'summary-progress')!.getAttribute('aria-valuenow')).to.equal('100');
    expect(part(el, 'upload-button'), 'nothing left to upload').to.equal(null);
    // The button went away with its files: focus moved to the summary's remaining button.
    expect(focused(el)).to.equal('clear-button');
    for (const file of files)
      expect(await stored(`summary/${file.name}`)).to.deep.equal({ exists: true, size: file.size, sha256: await sha256(file) });
  });

  it('reports the whole list through itty-queue-progress and `progress`: loaded only grows, speed and time left once known', async () => {
    // Each request held 150 ms: 32 requests, two files at once, are about 2.4 s of sending, so a speed is known (after
    // 1 s of bytes) well before the end, however fast the machine.
    const restore = slowStorage(150);
    try {
      const el = await mount(
        html`<itty-uploader endpoint="/upload-url" folder="summary" multiple .chunkSize=${CHUNK} parallel-chunks="1"></itty-uploader>`,
      );
      const events: QueueProgress[] = [];
      el.addEventListener('itty-queue-progress', (event) => events.push(event.detail));
      const files = [
        new File([patternedBlob(16 * CHUNK)], uniqueName('p1.bin')),
        new File([patternedBlob(16 * CHUNK)], uniqueName('p2.bin')),
      ];
      const total = 32 * CHUNK;
      const complete = oneEvent(el, 'itty-queue-complete');
      el.addFiles(files);
      await complete;
      await el.updateComplete;
      expect(events.length).to.be.at.least(5);
      for (const event of events) {
        expect(event.total).to.equal(total);
        expect(
          event.secondsLeft === null || (Number.isFinite(event.secondsLeft) && event.secondsLeft >= 0),
          `${event.secondsLeft}`,
        ).to.equal(true);
        expect(event.bytesPerSecond).to.be.at.least(0);
      }
      for (let i = 1; i < events.length; i++) expect(events[i]!.loaded).to.be.at.least(events[i - 1]!.loaded);
      expect(events[0]!.secondsLeft, 'nothing sent yet').to.equal(null);
      const measured = events.filter((event) => event.secondsLeft !== null && event.loaded < total);
      expect(measured.length, 'events with a speed and a time left').to.be.at.least(1);
      for (const event of measured) {
        expect(event.bytesPerSecond).to.be.above(0);
        expect(event.secondsLeft).to.be.closeTo((total - event.loaded) / event.bytesPerSecond, 0.001);
      }
      expect(events.at(-1)).to.deep.equal({ loaded: total, total, bytesPerSecond: 0, secondsLeft: 0 });
      expect(el.progress).to.deep.equal(events.at(-1));
    } finally {
      restore();
    }
  });

  it('Pause all pauses every chunked upload (host `paused`) and Resume all sends only the rest; focus stays on the button', async () => {
    const el = await mount(
      html`<itty-uploader endpoint="/upload-url" folder="summary" multiple .chunkSize=${CHUNK} parallel-chunks="1"></itty-uploader>`,
    );
    const ranges: string[] = [];
    const setRequestHeader = XMLHttpRequest.prototype.setRequestHeader;
    let clicked = false;
    XMLHttpRequest.prototype.setRequestHeader = function (header: string, value: string) {
      if (/^content-range$/i.test(header)) {
        ranges.push(value);
        if (!clicked && value.startsWith(`bytes ${CHUNK}-`)) {
          clicked = true;
          setTimeout(() => {
            const button = part<HTMLButtonElement>(el, 'pause-all-button')!;
            button.focus();
            button.click();
          });
        }
      }
      return setRequestHeader.call(this, header, value);
    };
    try {
      const files = [
        new File([patternedBlob(8 * CHUNK)], uniqueName('pa.bin')),
        new File([patternedBlob(8 * CHUNK)], uniqueName('pb.bin')),
      ];
      const pauses: number[] = [];
      el.addEventListener('itty-upload-pause', (event) => pauses.push(event.detail.item.loaded));
      el.addFiles(files);
      await waitUntil(() => pauses.length === 2, 'both paused');
      await el.updateComplete;
      expect(statuses(el)).to.deep.equal(['paused', 'paused']);
      expect(el.hasAttribute('paused')).to.equal(true);
      try {
        expect(el.matches(':state(paused)')).to.equal(true);
      } catch {
        // An engine without custom states: the attribute says it.
      }
      const button = part<HTMLButtonElement>(el, 'resume-all-button')!;
      expect(text(button)).to.equal('Resume all');
      expect(part(el, 'pause-all-button')).to.equal(null);
      expect(focused(el), 'the same button, now Resume all').to.equal('resume-all-button');
      expect(part(el, 'resume-all-button')).to.equal(button);
      expect(summaryText(el)).to.match(/^0 of 2 files · .+ of 4\.19 MB · Paused at \d+%$/);
      expect(el.progress.secondsLeft).to.equal(null);
      expect([...shadow(el).querySelectorAll('[part~=item] [part=resume-button]')]).to.have.length(2);
      const sentBefore = ranges.length;

      const complete = oneEvent(el, 'itty-queue-complete');
      button.click();
      await complete;
      await el.updateComplete;
      expect(statuses(el)).to.deep.equal(['done', 'done']);
      expect(el.hasAttribute('paused')).to.equal(false);
      const kept = pauses.reduce((sum, loaded) => sum + loaded / CHUNK, 0);
      expect(ranges.length - sentBefore, 'only the chunks not acknowledged').to.equal(16 - kept);
      for (const file of files)
        expect(await stored(`summary/${file.name}`)).to.deep.equal({ exists: true, size: file.size, sha256: await sha256(file) });
    } finally {
      XMLHttpRequest.prototype.setRequestHeader = setRequestHeader;
    }
  });

  it('Cancel all cancels every unfinished file, and Clear finished removes the canceled rows and the summary', async () => {
    const restore = slowStorage(100);
    try {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="summary" multiple concurrency="1"></itty-uploader>`);
      const canceled: string[] = [];
      el.addEventListener('itty-upload-cancel', (event) => canceled.push(event.detail.item.id));
      el.addFiles([1, 2, 3].map((i) => new File([patternedBlob(CHUNK)], uniqueName(`c${i}.bin`))));
      await waitUntil(() => el.items[0]!.status === 'uploading', 'the first one uploading');
      await el.updateComplete;
      const cancel = part<HTMLButtonElement>(el, 'cancel-all-button')!;
      expect(text(cancel)).to.equal('Cancel all');
      cancel.focus();
      cancel.click();
      expect(statuses(el)).to.deep.equal(['canceled', 'canceled', 'canceled']);
      expect(canceled).to.have.length(3);
      await el.updateComplete;
      expect(part(el, 'cancel-all-button')).to.equal(null);
      expect(part(el, 'pause-all-button')).to.equal(null);
      expect(focused(el), 'focus moved to the summary’s remaining button').to.equal('clear-button');
      part<HTMLButtonElement>(el, 'clear-button')!.click();
      await el.updateComplete;
      expect(el.items).to.deep.equal([]);
      expect(part(el, 'summary')).to.equal(null);
      expect(focused(el)).to.equal('browse-button');
    } finally {
      restore();
    }
  });

  it('Retry failed retries the failed files only (not the canceled one), and says how many failed', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="summary" multiple retries="0" manual></itty-uploader>`);
    const ok = new File(['fine'], uniqueName('ok.txt'));
    el.addFiles([ok]);
    el.upload();
    await settled(el);
    // The server's connections are cut: the next two files fail for good (no retries), the page still online.
    await network(false);
    try {
      el.addFiles([new File(['lost 1'], uniqueName('lost1.txt')), new File(['lost 2'], uniqueName('lost2.txt'))]);
      el.upload();
      await settled(el);
    } finally {
      await network(true);
    }
    expect(statuses(el)).to.deep.equal(['done', 'error', 'error']);
    const kept = new File(['kept'], uniqueName('kept.txt'));
    const [keptItem] = el.addFiles([kept]);
    el.cancel(keptItem!.id);
    await el.updateComplete;
    // The canceled file never joined a batch: the summary still tells of the last one.
    expect(summaryText(el)).to.equal('0 of 2 files · 2 failed');
    const retry = part<HTMLButtonElement>(el, 'retry-all-button')!;
    expect(text(retry)).to.equal('Retry failed');
    retry.click();
    // Manual: retried files wait for Upload.
    await el.updateComplete;
    expect(statuses(el)).to.deep.equal(['done', 'queued', 'queued', 'canceled']);
    expect(text(part(el, 'upload-button'))).to.equal('Upload 2 files');
    part<HTMLButtonElement>(el, 'upload-button')!.click();
    await settled(el);
    expect(statuses(el)).to.deep.equal(['done', 'done', 'done', 'canceled']);
    expect(part(el, 'retry-all-button')).to.equal(null);
    expect(summaryText(el)).to.equal('2 of 2 files · 12 bytes of 12 bytes');
  });

  it('Clear finished removes uploaded, canceled and rejected rows, and keeps the others', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="summary" multiple manual accept=".txt"></itty-uploader>`);
    el.addFiles([new File(['a'], uniqueName('a.txt')), new File(['b'], uniqueName('b.txt'))]);
    el.upload();
    await settled(el);
    const [dropped] = el.addFiles([new File(['d'], uniqueName('d.txt'))]);
    el.cancel(dropped!.id);
    const waiting = new File(['e'], uniqueName('e.txt'));
    el.addFiles([waiting, new File(['x'], 'picture.png')]);
    await el.updateComplete;
    expect(statuses(el)).to.deep.equal(['done', 'done', 'canceled', 'queued', 'rejected']);
    let changes = 0;
    el.addEventListener('change', () => (changes += 1));
    part<HTMLButtonElement>(el, 'clear-button')!.click();
    await el.updateComplete;
    expect(el.items.map((item) => item.source)).to.deep.equal([waiting]);
    expect(statuses(el)).to.deep.equal(['queued']);
    expect(el.value).to.deep.equal([]);
    expect(changes, 'the value lost its files').to.be.at.least(1);
    // Manual: the summary stays for the file that waits.
    expect(text(part(el, 'upload-button'))).to.equal('Upload 1 file');
  });

  it('Clear finished asks itty-remove before an uploaded file leaves, and keeps the ones a listener keeps', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="summary" multiple></itty-uploader>`);
    const kept = new File(['k'], uniqueName('kept.txt'));
    const gone = new File(['g'], uniqueName('gone.txt'));
    el.addFiles([kept, gone]);
    await settled(el);
    const asked: string[] = [];
    el.addEventListener('itty-remove', (event) => {
      const { item } = event.detail;
      asked.push(item.source!.name);
      if (item.source === kept) event.preventDefault();
    });
    part<HTMLButtonElement>(el, 'clear-button')!.click();
    await el.updateComplete;
    expect(asked).to.deep.equal([kept.name, gone.name]);
    expect(el.items.map((item) => item.source)).to.deep.equal([kept]);
    expect(el.value.length).to.equal(1);
  });

  it('a row has a pause button while its upload is in flight and a resume button while paused', async () => {
    const restore = slowStorage(40);
    try {
      const el = await mount(
        html`<itty-uploader endpoint="/upload-url" folder="summary" .chunkSize=${CHUNK} parallel-chunks="1"></itty-uploader>`,
      );
      const name = uniqueName('row.bin');
      const file = new File([patternedBlob(8 * CHUNK)], name);
      el.addFiles([file]);
      await waitUntil(() => el.items[0]!.status === 'uploading', 'uploading');
      await el.updateComplete;
      const pause = part<HTMLButtonElement>(el, 'pause-button')!;
      expect(pause.getAttribute('aria-label')).to.equal(`Pause ${name}`);
      pause.focus();
      const paused = oneEvent(el, 'itty-upload-pause');
      await sendKeys({ press: 'Enter' });
      await paused;
      await el.updateComplete;
      const resume = part<HTMLButtonElement>(el, 'resume-button')!;
      expect(resume.getAttribute('aria-label')).to.equal(`Resume ${name}`);
      expect(part(el, 'pause-button')).to.equal(null);
      expect(focused(el), 'focus stays in the row, on its resume button').to.equal('resume-button');
      expect(el.hasAttribute('paused')).to.equal(true);
      const success = oneEvent(el, 'itty-upload-success');
      await sendKeys({ press: 'Enter' });
      await success;
      await el.updateComplete;
      expect(el.hasAttribute('paused')).to.equal(false);
      expect(part(el, 'resume-button')).to.equal(null);
      expect(await stored(`summary/${name}`)).to.deep.equal({ exists: true, size: file.size, sha256: await sha256(file) });
    } finally {
      restore();
    }
  });

  it('renders progress at most once per 50 ms tick with the summary visible', async () => {
    let renders = 0;
    let statusRenders = 0;
    let previous = '';
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="summary" multiple .chunkSize=${CHUNK}></itty-uploader>`);
    const update = (el as unknown as { update(changed: Map<PropertyKey, unknown>): void }).update;
    (el as unknown as { update: typeof update }).update = function (this: IttyUploaderElement, changed) {
      const shape = this.items.map((item) => item.status).join();
      if (shape === previous) renders += 1;
      else statusRenders += 1;
      previous = shape;
      return update.call(this, changed);
    };
    // Ticks: the tasks in which item progress was reported (the controller's 50 ms timer), counted once each.
    let ticks = 0;
    let inTick = false;
    el.addEventListener('itty-upload-progress', () => {
      if (inTick) return;
      inTick = true;
      ticks += 1;
      setTimeout(() => (inTick = false));
    });
    const restore = slowStorage(20);
    try {
      const complete = oneEvent(el, 'itty-queue-complete');
      el.addFiles([
        new File([patternedBlob(24 * CHUNK)], uniqueName('r1.bin')),
        new File([patternedBlob(24 * CHUNK)], uniqueName('r2.bin')),
      ]);
      await complete;
      await el.updateComplete;
    } finally {
      restore();
    }
    expect(part(el, 'summary')).to.not.equal(null);
    expect(ticks, 'progress ticks').to.be.at.least(3);
    expect(renders, `${renders} progress renders in ${ticks} ticks (${statusRenders} status renders)`).to.be.at.most(ticks);
  });

  describe('accessibility (axe) with the summary', () => {
    const withSummary = async (lang: string) => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div lang=${lang}><itty-uploader endpoint="/upload-url" folder="summary" multiple manual accept=".txt"></itty-uploader></div>`,
      );
      const el = wrapper.querySelector('itty-uploader')!;
      if (lang !== 'en') await waitUntil(() => text(part(el, 'browse-button')) !== 'Browse files', 'the pack');
      el.addFiles([new File(['a'], uniqueName('a.txt'))]);
      el.upload();
      await settled(el);
      const [canceled] = el.addFiles([new File(['b'], uniqueName('b.txt')), new File(['c'], uniqueName('c.txt'))]);
      el.cancel(canceled!.id);
      await el.updateComplete;
      for (const name of ['summary', 'summary-progress', 'summary-text', 'upload-button', 'cancel-all-button', 'clear-button'])
        expect(part(el, name), name).to.not.equal(null);
      return el;
    };

    it('has no serious violations in light and dark', async () => {
      const el = await withSummary('en');
      await expectNoSeriousAxeViolations(el);
      // emulateMedia needs CDP: Chromium checks the dark scheme, Firefox and WebKit only the light one.
      if (!/ Chrome\//.test(navigator.userAgent)) return;
      await emulateMedia({ colorScheme: 'dark' });
      try {
        await waitUntil(() => shadow(el).getAnimations().length === 0, 'the fade');
        await expectNoSeriousAxeViolations(el);
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
    });

    it('has no serious violations right to left, in the pack’s words', async () => {
      const el = await withSummary('ar');
      expect(el.getAttribute('dir')).to.equal('rtl');
      expect(text(part(el, 'clear-button'))).to.not.equal('Clear finished');
      await expectNoSeriousAxeViolations(el);
    });
  });
});
