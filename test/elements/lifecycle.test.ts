// Edit forms and the ittybit lifecycle (issue 20), against the real upload servers of the test runner
// (test/helpers/lifecycle-server.mjs): stored files set through `value`, `itty-remove`, `meta`, the completion call
// (`complete-endpoint`) and processing (`status-endpoint`, `updateFile()`, `itty-upload-processed`).
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import { pollTiming } from '../../src/core/lifecycle.js';
import type { IttyFile } from '../../src/core/types.js';
import { expectNoSeriousAxeViolations } from '../helpers/axe.js';
import { stored, uniqueName } from '../helpers/browser.js';

const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR4nGP4z8DAwMDAAAAHBAEAJ3yg0wAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);

const storedPhoto: IttyFile = {
  id: 'file_aaaaaaaaaaaa',
  url: '/test/fixtures/image-3x2.png',
  kind: 'image',
  type: 'image/png',
  filesize: 1234,
  filename: 'photo.png',
  width: 3,
  height: 2,
  status: 'ready',
};
const storedPdf: IttyFile = {
  id: 'file_bbbbbbbbbbbb',
  url: 'https://cdn.test/docs/terms.pdf',
  kind: 'other',
  type: 'application/pdf',
  filesize: 2048,
};

const rows = (el: IttyUploaderElement) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="item"]')];
const text = (row: Element, part: string) => row.querySelector(`[part~="${part}"]`)?.textContent?.trim();

async function completeCalls(): Promise<
  { body: { file: IttyFile; meta?: Record<string, string>; relativePath?: string }; headers: Record<string, string> }[]
> {
  return ((await (await fetch('/__test/complete/calls')).json()) as { calls: never[] }).calls;
}

/** Records each `part` the rows take, to see transient states (finalizing) without timing. */
function watchParts(el: IttyUploaderElement): string[] {
  const parts: string[] = [];
  new MutationObserver(() => {
    for (const row of rows(el)) parts.push(row.getAttribute('part')!);
  }).observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true, attributeFilter: ['part'] });
  return parts;
}

/** Counts the XHR PUTs the element sends (the bytes), restoring XMLHttpRequest.open afterwards. */
function countPuts(): { count(): number; restore(): void } {
  const open = XMLHttpRequest.prototype.open;
  let puts = 0;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, ...rest: unknown[]) {
    if (/^put$/i.test(method)) puts += 1;
    return (open as (...args: unknown[]) => void).call(this, method, ...rest);
  } as typeof open;
  return { count: () => puts, restore: () => (XMLHttpRequest.prototype.open = open) };
}

beforeEach(async () => {
  await fetch('/__test/complete/reset', { method: 'POST' });
});

describe('<itty-uploader> edit forms: value set by code', () => {
  it('shows stored files as done rows without a source, in the value, the form and validity, and fires no change', async () => {
    const form = await fixture<HTMLFormElement>(html`<form>
      <itty-uploader name="files" endpoint="/upload-url" multiple required></itty-uploader>
    </form>`);
    const el = form.querySelector('itty-uploader')!;
    let changes = 0;
    el.addEventListener('change', () => (changes += 1));
    expect(form.checkValidity()).to.equal(false);
    el.value = [storedPhoto, storedPdf];
    await el.updateComplete;
    expect(el.items.map((item) => [item.status, item.source])).to.deep.equal([
      ['done', undefined],
      ['done', undefined],
    ]);
    expect(el.value).to.deep.equal([storedPhoto, storedPdf]);
    expect(new FormData(form).getAll('files')).to.deep.equal([storedPhoto.url, storedPdf.url]);
    expect(form.checkValidity()).to.equal(true);
    expect(changes).to.equal(0);
    const [photo, pdf] = rows(el);
    expect(photo!.getAttribute('part')).to.equal('item item-done');
    expect(text(photo!, 'name')).to.equal('photo.png');
    expect(text(photo!, 'size')).to.equal('1.23 kB');
    expect(text(photo!, 'status')).to.equal('Uploaded');
    expect(photo!.querySelector('img[part="thumbnail"]')!.getAttribute('src')).to.equal(storedPhoto.url);
    // No filename: the last part of the URL's path; not an image: the type badge.
    expect(text(pdf!, 'name')).to.equal('terms.pdf');
    expect(pdf!.querySelector('img')).to.equal(null);
    expect(text(pdf!, 'thumbnail')).to.equal('PDF');
    await expectNoSeriousAxeViolations(el);
  });

  it('takes a value set before the element was defined (a late script tag)', async () => {
    const tag = `itty-late-${uniqueName('value').replace(/\W/g, '').toLowerCase()}`;
    const el = document.createElement(tag) as IttyUploaderElement;
    el.value = [storedPhoto];
    document.body.append(el);
    const { IttyUploaderElement: Uploader } = await import('../../src/elements/uploader.js');
    Uploader.define(tag);
    try {
      await el.updateComplete;
      expect(el.items.map((item) => [item.status, item.source])).to.deep.equal([['done', undefined]]);
      expect(el.value).to.deep.equal([storedPhoto]);
      expect(rows(el).length).to.equal(1);
    } finally {
      el.remove();
    }
  });

  it('never puts an unsafe URL of a set value into a thumbnail', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" multiple></itty-uploader>`);
    el.value = [
      { ...storedPhoto, url: 'javascript:alert(1)' },
      { ...storedPhoto, url: 'data:image/png;base64,AAAA' },
      { ...storedPhoto, url: 'blob:https://x.test/1' },
    ];
    await el.updateComplete;
    expect(rows(el).map((row) => row.querySelector('img')?.getAttribute('src') ?? null)).to.deep.equal([
      null,
      null,
      'blob:https://x.test/1',
    ]);
  });

  it('refuses a value that is not an array of File objects with a console error naming the entry, the list unchanged', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" multiple></itty-uploader>`);
    el.value = [storedPhoto];
    const errors: unknown[][] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      el.value = [storedPdf, { name: 'nope' } as unknown as IttyFile];
      el.value = 'a.png' as unknown as IttyFile[];
      el.value = [null as unknown as IttyFile];
    } finally {
      console.error = error;
    }
    expect(errors.map((args) => String(args[0]))).to.deep.equal([
      '<itty-uploader> value: not a File object (entry 1):',
      '<itty-uploader> value: not a File object (not an array):',
      '<itty-uploader> value: not a File object (entry 0):',
    ]);
    expect(errors[0]![1]).to.deep.equal({ name: 'nope' });
    expect(el.value).to.deep.equal([storedPhoto]);
  });

  it('form.reset() restores the value set by code; formStateRestoreCallback restores a saved state', async () => {
    const form = await fixture<HTMLFormElement>(html`<form>
      <itty-uploader name="files" endpoint="/upload-url" folder="edit-reset" multiple></itty-uploader>
    </form>`);
    const el = form.querySelector('itty-uploader')!;
    el.value = [storedPhoto];
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([new File(['new'], uniqueName('new.txt'), { type: 'text/plain' })]);
    await success;
    el.remove(el.items[0]!.id);
    expect(el.value.map((file) => file.url)).to.have.length(1);
    expect(el.value[0]!.url).to.not.equal(storedPhoto.url);
    form.reset();
    await el.updateComplete;
    expect(el.value).to.deep.equal([storedPhoto]);
    expect(rows(el)).to.have.length(1);

    // What the browser hands back after back/forward navigation: the state the element saved (every File object).
    el.formStateRestoreCallback(JSON.stringify([storedPdf, storedPhoto]));
    expect(el.value).to.deep.equal([storedPdf, storedPhoto]);
    el.formStateRestoreCallback(null);
    expect(el.value).to.deep.equal([storedPdf, storedPhoto]);
    // The restored state is not the default: reset goes back to the value code set.
    form.reset();
    expect(el.value).to.deep.equal([storedPhoto]);
  });

  it('fires the cancelable itty-remove before a done file leaves by its remove button, not for remove() by code', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" multiple></itty-uploader>`);
    el.value = [storedPhoto, storedPdf];
    await el.updateComplete;
    const asked: string[] = [];
    let changes = 0;
    el.addEventListener('change', () => (changes += 1));
    const keep = (event: Event) => {
      asked.push((event as CustomEvent<{ item: { file: IttyFile } }>).detail.item.file.url);
      event.preventDefault();
    };
    el.addEventListener('itty-remove', keep);
    rows(el)[0]!.querySelector<HTMLButtonElement>('[part="remove-button"]')!.click();
    await el.updateComplete;
    expect(asked).to.deep.equal([storedPhoto.url]);
    expect(el.value).to.deep.equal([storedPhoto, storedPdf]);
    expect(changes).to.equal(0);

    el.removeEventListener('itty-remove', keep);
    const removing = oneEvent(el, 'itty-remove');
    rows(el)[0]!.querySelector<HTMLButtonElement>('[part="remove-button"]')!.click();
    const event = await removing;
    expect(event.cancelable).to.equal(true);
    expect(event.detail.item.status).to.equal('done');
    expect(el.value).to.deep.equal([storedPdf]);
    expect(changes).to.equal(1);

    let fired = 0;
    el.addEventListener('itty-remove', () => (fired += 1));
    el.remove(el.items[0]!.id);
    expect(fired).to.equal(0);
    expect(el.value).to.deep.equal([]);
  });
});

describe('<itty-uploader> meta', () => {
  it('sends meta with the signing request and the completion call, keeps it in item.meta, per file with a function', async () => {
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/upload-url" folder="meta" complete-endpoint="/__test/complete" multiple></itty-uploader>`,
    );
    el.meta = (source) => ({ owner: 'u1', original_name: source.name });
    const signBodies: unknown[] = [];
    const fetchBefore = window.fetch;
    window.fetch = (input, init) => {
      if (String(input).endsWith('/upload-url')) signBodies.push(JSON.parse(String(init?.body)));
      return fetchBefore(input, init);
    };
    try {
      const name = uniqueName('m.txt');
      const success = oneEvent(el, 'itty-upload-success');
      el.addFiles([new File(['meta'], name, { type: 'text/plain' })]);
      const { item, file } = (await success).detail;
      expect(signBodies).to.deep.equal([
        { filename: name, folder: 'meta', type: 'text/plain', size: 4, meta: { owner: 'u1', original_name: name } },
      ]);
      expect(item.meta).to.deep.equal({ owner: 'u1', original_name: name });
      const [call] = await completeCalls();
      expect(call!.body.meta).to.deep.equal({ owner: 'u1', original_name: name });
      expect(file.metadata).to.deep.equal({ owner: 'u1', original_name: name });
    } finally {
      window.fetch = fetchBefore;
    }
  });

  it('rejects a file whose meta breaks ittybit limits (reason custom) before any request', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" folder="meta-bad" multiple></itty-uploader>`);
    el.meta = (source): Record<string, string> => (source.name.startsWith('bad') ? { 'not-a-key': 'x' } : { ok: 'y'.repeat(2048) });
    const rejects: { reason: string; message: string }[] = [];
    el.addEventListener('itty-reject', (event) => rejects.push(event.detail));
    let started = 0;
    el.addEventListener('itty-upload-start', () => (started += 1));
    const good = uniqueName('good.txt');
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([new File(['b'], 'bad.txt'), new File(['g'], good)]);
    await el.updateComplete;
    expect(rejects).to.have.length(1);
    expect(rejects[0]!.reason).to.equal('custom');
    expect(rejects[0]!.message).to.match(/^bad\.txt: meta must be at most 32 keys/);
    await success;
    expect(started).to.equal(1);
    expect(await stored('meta-bad/bad.txt')).to.deep.equal({ exists: false });
    const rejected = rows(el).find((row) => row.getAttribute('part') === 'item item-rejected')!;
    expect(text(rejected, 'error')).to.match(/meta must be/);

    el.meta = { a: 1 } as unknown as Record<string, string>;
    const refused = oneEvent(el, 'itty-reject');
    el.addFiles([new File(['x'], 'x.txt')]);
    expect((await refused).detail.reason).to.equal('custom');
  });
});

describe('<itty-uploader> complete-endpoint', () => {
  it('is finalizing until the app answers, then done with the app File object; success fires once, after the call', async () => {
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/upload-url" folder="complete" complete-endpoint="/__test/complete?mode=flaky" multiple></itty-uploader>`,
    );
    el.endpointHeaders = { 'X-CSRF-Token': 'csrf-1' };
    const parts = watchParts(el);
    const puts = countPuts();
    try {
      const successes: IttyFile[] = [];
      el.addEventListener('itty-upload-success', (event) => successes.push(event.detail.file));
      const name = uniqueName('c.png');
      const success = oneEvent(el, 'itty-upload-success');
      el.addFiles([new File([PNG], name, { type: 'image/png' })]);
      const { file } = (await success).detail;
      expect(parts).to.include('item item-finalizing');
      expect(file.saved).to.equal(true);
      expect(el.value).to.deep.equal([file]);
      const calls = await completeCalls();
      // The first call answered 503 and was retried: the call alone, the bytes went once.
      expect(calls).to.have.length(2);
      expect(puts.count()).to.equal(1);
      expect(calls[1]!.body.file.url).to.match(new RegExp(`/uploads/complete/${name}$`));
      expect(calls[1]!.body.file.kind).to.equal('image');
      expect(calls[1]!.headers['x-csrf-token']).to.equal('csrf-1');
      expect(successes).to.have.length(1);
      expect(el.shadowRoot!.querySelector('[part~="item"] [part="status"]')!.textContent).to.equal('Uploaded');
    } finally {
      puts.restore();
    }
  });

  it('takes the File object from {data} and bare answers, and keeps the stored one for empty, non-JSON and fileless answers', async () => {
    for (const [mode, replaced] of [
      ['data', true],
      ['bare', true],
      ['empty', false],
      ['text', false],
      ['nofile', false],
    ] as const) {
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint="/upload-url" folder="complete-${mode}" complete-endpoint="/__test/complete?mode=${mode}"></itty-uploader>`,
      );
      const success = oneEvent(el, 'itty-upload-success');
      el.addFiles([new File(['x'], uniqueName('k.txt'), { type: 'text/plain' })]);
      const { file } = (await success).detail;
      expect(file.saved, mode).to.equal(replaced ? true : undefined);
      expect(file.url, mode).to.match(new RegExp(`/uploads/complete-${mode}/`));
      expect(el.items[0]!.status).to.equal('done');
    }
  });

  it('fails with complete_failed after its retries; retry() repeats only the call, never the bytes', async () => {
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/upload-url" folder="complete-fail" complete-endpoint="/__test/complete?mode=bad"></itty-uploader>`,
    );
    const puts = countPuts();
    try {
      const failed = oneEvent(el, 'itty-upload-error');
      el.addFiles([new File(['x'], uniqueName('f.txt'), { type: 'text/plain' })]);
      const { error } = (await failed).detail;
      expect(error.code).to.equal('complete_failed');
      expect(error.status).to.equal(422);
      await el.updateComplete;
      const row = rows(el)[0]!;
      expect(row.getAttribute('part')).to.equal('item item-error');
      expect(text(row, 'error')).to.equal('The file was uploaded but could not be saved. Unknown upload');
      expect(el.value).to.deep.equal([]);

      el.completeEndpoint = '/__test/complete';
      const success = oneEvent(el, 'itty-upload-success');
      el.retry();
      expect((await success).detail.file.saved).to.equal(true);
      expect(puts.count()).to.equal(1);
      expect(await completeCalls()).to.have.length(2);
    } finally {
      puts.restore();
    }
  });
});

describe('<itty-uploader> processing', () => {
  afterEach(() => Object.assign(pollTiming, { base: 1000, max: 30000, cap: 600000 }));

  it('shows Processing while the File object says so, polls status-endpoint, and fires itty-upload-processed at ready', async () => {
    Object.assign(pollTiming, { base: 200, max: 400 });
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/processing/upload-url" folder="processing" status-endpoint="/__test/status/{id}" name="f"></itty-uploader>`,
    );
    const success = oneEvent(el, 'itty-upload-success');
    const processed = oneEvent(el, 'itty-upload-processed');
    el.addFiles([new File([PNG], uniqueName('p.png'), { type: 'image/png' })]);
    expect((await success).detail.file.status).to.equal('processing');
    await el.updateComplete;
    const row = rows(el)[0]!;
    expect(row.getAttribute('part')).to.equal('item item-done item-processing');
    expect(text(row, 'status')).to.equal('Processing');
    await expectNoSeriousAxeViolations(el);
    const changed = oneEvent(el, 'change');
    const { file, item } = (await processed).detail;
    await changed;
    expect(file.status).to.equal('ready');
    expect(item.status === 'done' && item.file).to.equal(file);
    expect(el.value[0]!.status).to.equal('ready');
    await el.updateComplete;
    expect(rows(el)[0]!.getAttribute('part')).to.equal('item item-done');
    expect(text(rows(el)[0]!, 'status')).to.equal('Uploaded');
  });

  it('stops after the cap with the row still Processing and a console note, when the status endpoint never says ready', async () => {
    Object.assign(pollTiming, { base: 100, max: 200, cap: 700 });
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/processing/upload-url" folder="never" status-endpoint="/__test/status-never/{id}"></itty-uploader>`,
    );
    const info = console.info;
    const note = new Promise<string>((resolve) => {
      console.info = (message: string) => resolve(message);
    });
    try {
      let processed = 0;
      el.addEventListener('itty-upload-processed', () => (processed += 1));
      el.addFiles([new File([PNG], uniqueName('n.png'), { type: 'image/png' })]);
      const message = await note;
      expect(message).to.match(
        /\/__test\/status-never\/\{id\} did not report file_\w+ ready or failed within .* minutes; polling stopped\./,
      );
      await el.updateComplete;
      expect(text(rows(el)[0]!, 'status')).to.equal('Processing');
      expect(processed).to.equal(0);
    } finally {
      console.info = info;
    }
  });

  it('polls stored files set through value, and stops polling a file that leaves the list', async () => {
    Object.assign(pollTiming, { base: 100, max: 100 });
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/processing/upload-url" folder="leave" status-endpoint="/__test/status-never/{id}"></itty-uploader>`,
    );
    // A real stored file of the processing server, set as an edit form's value.
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([new File([PNG], uniqueName('l.png'), { type: 'image/png' })]);
    const { file } = (await success).detail;
    el.value = [file];
    const count = async () => ((await (await fetch('/__test/status/count')).json()) as { count: number }).count;
    const before = await count();
    // Wait for a poll of the set file (status requests keep coming while it is listed).
    while ((await count()) < before + 2) await new Promise((resolve) => setTimeout(resolve, 50));
    el.remove(el.items[0]!.id);
    const after = await count();
    // Five poll intervals: none may come now (one already sent when the file left may still be counted).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await count()) - after).to.be.at.most(1);
  });

  it('updateFile replaces a done file: change, and itty-upload-processed when ready or failed', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" multiple></itty-uploader>`);
    el.value = [{ ...storedPhoto, status: 'waiting' }, storedPdf];
    await el.updateComplete;
    expect(text(rows(el)[0]!, 'status')).to.equal('Processing');
    const events: string[] = [];
    el.addEventListener('change', () => events.push('change'));
    el.addEventListener('itty-upload-processed', (event) => events.push(`processed ${event.detail.file.status}`));
    const [photo, pdf] = el.items;
    el.updateFile(photo!.id, { ...storedPhoto, status: 'processing' });
    expect(events).to.deep.equal(['change']);
    el.updateFile(photo!.id, { ...storedPhoto, status: 'failed' });
    expect(events).to.deep.equal(['change', 'change', 'processed failed']);
    el.updateFile(pdf!.id, { ...storedPdf, filename: 'renamed.pdf' });
    el.updateFile('no-such-id', storedPdf);
    expect(events).to.deep.equal(['change', 'change', 'processed failed', 'change']);
    await el.updateComplete;
    expect(text(rows(el)[0]!, 'status')).to.equal('Uploaded');
    expect(text(rows(el)[1]!, 'name')).to.equal('renamed.pdf');
  });
});
