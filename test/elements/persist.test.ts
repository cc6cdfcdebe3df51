// `persist` (SPEC §3.6) against the real upload server: records in IndexedDB as chunks are acknowledged, interrupted
// rows after a real reload (the element lives in an iframe that the test reloads), resuming with only the bytes the
// storage does not hold, and the ways IndexedDB fails (blocked, full) and two tabs share a key.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import { openResumeStore, recordId, fingerprintOf, type ResumeRecord } from '../../src/browser/resume-store.js';
import { useResumeStore } from '../../src/controllers/resume.js';
import { patternedBlob, sha256, signedUrl, stored, storedFiles, uniqueName } from '../helpers/browser.js';
import { attached, page, type FrameWindow } from '../helpers/frames.js';

const CHUNK = 256 * 1024;
const store = openResumeStore();

interface Sent {
  range: string;
  status?: number;
}

/**
 * Records the Content-Range of every request `win` sends (and its answer's status); requests for bytes at or past
 * `holdFrom` are never sent: they stay in flight until the page goes.
 */
function spy(win: FrameWindow, holdFrom = Number.POSITIVE_INFINITY): Sent[] {
  const sent: Sent[] = [];
  const proto = win.XMLHttpRequest.prototype;
  const { setRequestHeader, send } = proto;
  const held = new WeakSet<XMLHttpRequest>();
  proto.setRequestHeader = function (this: XMLHttpRequest, name: string, value: string) {
    if (/^content-range$/i.test(name)) {
      const entry: Sent = { range: value };
      sent.push(entry);
      this.addEventListener('load', () => (entry.status = this.status));
      if (Number(/^bytes (\d+)-/.exec(value)?.[1] ?? -1) >= holdFrom) held.add(this);
    }
    return setRequestHeader.call(this, name, value);
  };
  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    if (!held.has(this)) send.call(this, body);
  };
  return sent;
}

const bytesOf = (range: string) => {
  const match = /^bytes (\d+)-(\d+)\//.exec(range);
  return match ? Number(match[2]) - Number(match[1]) + 1 : 0;
};

const records = (key: string) => store.list(key);

describe('<itty-uploader persist>', () => {
  afterEach(() => {
    for (const frame of document.querySelectorAll('iframe')) frame.remove();
  });

  it('after a real reload shows the unfinished upload as interrupted, and the same file resumes with only the missing chunks', async () => {
    const key = uniqueName('persist');
    const folder = 'persist';
    const total = 8 * CHUNK;
    const half = 4 * CHUNK;
    const source = new File([patternedBlob(total)], uniqueName('big.bin'), {
      type: 'application/octet-stream',
      lastModified: 1_700_000_000_000,
    });
    const tab = await page({ endpoint: '/upload-url', folder, persist: key, 'chunk-size': String(CHUNK), 'parallel-chunks': '2' });
    let { win, el } = await tab.ready();
    // The chunks of the second half never leave: they are in flight when the page reloads.
    const before = spy(win, half);
    el.addFiles([source]);
    await waitUntil(async () => (await records(key))[0]?.state.acked.length === 4, 'the first half recorded', { timeout: 10_000 });
    await waitUntil(() => before.filter((s) => s.status === undefined).length > 0, 'a chunk of the second half in flight');
    const [record] = await records(key);
    expect(record!.file).to.deep.equal(fingerprintOf(source));
    expect(record!.id).to.equal(recordId(key, fingerprintOf(source)));
    expect(record!.state.acked.sort()).to.deep.equal([0, 1, 2, 3]);
    expect(record!.state.chunkSize).to.equal(CHUNK);
    expect(record!.state.target!.url).to.match(/expiry=/);
    expect(record!.loaded).to.equal(half);
    expect(record!.expires - record!.updated).to.equal(24 * 60 * 60 * 1000);
    // Never the file's bytes.
    expect(JSON.stringify(record).length).to.be.below(2000);

    ({ win, el } = await tab.reload());
    await waitUntil(() => el.items.length === 1, 'the interrupted row');
    const [row] = el.items;
    expect(row).to.deep.include({ status: 'interrupted', name: source.name, size: total, loaded: half, total });
    expect(row!.source).to.equal(undefined);
    await el.updateComplete;
    const li = el.shadowRoot!.querySelector('[part~="item"]')!;
    expect(li.getAttribute('part')).to.equal('item item-interrupted');
    expect(li.querySelector('[part="status"]')!.textContent).to.equal('Choose this file again to resume');
    expect(li.querySelector('[part="name"]')!.textContent).to.equal(source.name);
    expect(li.querySelector('[part="remove-button"]')).to.not.equal(null);
    expect(li.querySelector('[part="retry-button"], [part="cancel-button"]')).to.equal(null);

    const after = spy(win);
    const events: string[] = [];
    for (const type of ['itty-upload-start', 'itty-upload-resume', 'itty-upload-success', 'itty-upload-error']) {
      el.addEventListener(type, () => events.push(type));
    }
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([source]);
    expect(el.items.map((item) => item.status)).to.not.include('interrupted');
    const { item } = (await success).detail;
    expect(events).to.deep.equal(['itty-upload-start', 'itty-upload-resume', 'itty-upload-success']);
    expect(item.history).to.equal(undefined);
    // The status probe, then the chunks of the second half only.
    expect(after[0]!.range).to.equal(`bytes */${total}`);
    expect(after[0]!.status).to.equal(308);
    const chunks = after.slice(1).map((s) => s.range);
    expect(chunks.sort()).to.deep.equal([4, 5, 6, 7].map((i) => `bytes ${i * CHUNK}-${(i + 1) * CHUNK - 1}/${total}`).sort());
    expect(after.reduce((sum, s) => sum + bytesOf(s.range), 0)).to.equal(total - half);
    expect(await stored(`${folder}/${source.name}`)).to.deep.equal({ exists: true, size: total, sha256: await sha256(source) });
    await waitUntil(async () => (await records(key)).length === 0, 'the record is deleted on success');
  });

  it('a record for a file of another size does not match: the file uploads anew and the row stays interrupted', async () => {
    const key = uniqueName('persist');
    const total = 4 * CHUNK;
    const source = new File([patternedBlob(total)], uniqueName('size.bin'), { lastModified: 1_700_000_000_000 });
    const tab = await page({
      endpoint: '/upload-url',
      folder: 'persist',
      persist: key,
      'chunk-size': String(CHUNK),
      'parallel-chunks': '1',
    });
    let { win, el } = await tab.ready();
    spy(win, 2 * CHUNK);
    el.addFiles([source]);
    await waitUntil(async () => (await records(key))[0]?.state.acked.length === 2, 'two chunks recorded', { timeout: 10_000 });
    ({ win, el } = await tab.reload());
    await waitUntil(() => el.items.length === 1, 'the interrupted row');
    const other = new File([patternedBlob(total + 1)], source.name, { lastModified: source.lastModified });
    let resumed = 0;
    el.addEventListener('itty-upload-resume', () => (resumed += 1));
    const sent = spy(win);
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([other]);
    await success;
    expect(resumed).to.equal(0);
    expect(sent.some((s) => s.range.startsWith('bytes */'))).to.equal(false);
    expect(el.items.map((item) => item.status)).to.deep.equal(['done', 'interrupted']);
    // Remove deletes the record.
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="item-interrupted"] [part="remove-button"]')!.click();
    expect(el.items.map((item) => item.status)).to.deep.equal(['done']);
    await waitUntil(async () => (await records(key)).length === 0, 'the record is deleted on remove');
  });

  it('a record whose session the storage lost starts again from 0, with session_lost in history', async () => {
    const key = uniqueName('persist');
    const total = 4 * CHUNK;
    const source = new File([patternedBlob(total)], uniqueName('lost.bin'), { lastModified: 1_700_000_000_000 });
    const url = await signedUrl(source.name, total, 'persist');
    const file = fingerprintOf(source);
    // As an earlier visit left it: three chunks acknowledged through a URL whose session is gone (a server sweep).
    const record: ResumeRecord = {
      id: recordId(key, file),
      key,
      file,
      state: {
        target: { url, resumable: true, expiry: Number(new URL(url).searchParams.get('expiry')) },
        url: url.split('?')[0],
        chunkSize: CHUNK,
        acked: [0, 1, 2],
      },
      loaded: 3 * CHUNK,
      updated: Date.now(),
      expires: Date.now() + 60_000,
    };
    await store.put(record);
    const tab = await page({ endpoint: '/upload-url', folder: 'persist', persist: key, 'chunk-size': String(CHUNK) });
    const { win, el } = await tab.ready();
    await waitUntil(() => el.items.length === 1, 'the interrupted row');
    expect(el.items[0]).to.deep.include({ status: 'interrupted', loaded: 3 * CHUNK });
    const sent = spy(win);
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([source]);
    const { item } = (await success).detail;
    expect(item.history!.map((error: { code: string }) => error.code)).to.deep.equal(['session_lost']);
    expect(sent.slice(1).reduce((sum, s) => sum + bytesOf(s.range), 0)).to.equal(total);
    expect(await stored(`persist/${source.name}`)).to.deep.equal({ exists: true, size: total, sha256: await sha256(source) });
  });

  it('an expired record is not listed and is deleted', async () => {
    const key = uniqueName('persist');
    const file = fingerprintOf(new File(['x'], 'old.bin'));
    await store.put({ id: recordId(key, file), key, file, state: { acked: [] }, loaded: 0, updated: 0, expires: Date.now() - 1 });
    const tab = await page({ endpoint: '/upload-url', persist: key, 'chunk-size': String(CHUNK) });
    const { el } = await tab.ready();
    await waitUntil(async () => (await store.list(key)).length === 0);
    expect(el.items).to.deep.equal([]);
  });

  describe('where IndexedDB fails', () => {
    let warnings: unknown[][];
    const warn = console.warn;
    beforeEach(() => {
      warnings = [];
      console.warn = (...args: unknown[]) => warnings.push(args);
      // A fresh store for this page's elements, opened through the patched IndexedDB.
      useResumeStore(undefined);
    });
    afterEach(() => {
      console.warn = warn;
      useResumeStore(undefined);
    });

    const upload = async (el: IttyUploaderElement) => {
      const source = new File([patternedBlob(4 * CHUNK)], uniqueName('idb.bin'));
      const success = oneEvent(el, 'itty-upload-success');
      el.addFiles([source]);
      await success;
      expect(await stored(`persist/${source.name}`)).to.deep.equal({ exists: true, size: source.size, sha256: await sha256(source) });
    };

    it('throwing on open (private windows, blocked): uploads work as without persist, with one console warning', async () => {
      const open = IDBFactory.prototype.open;
      IDBFactory.prototype.open = () => {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      };
      try {
        const el = await fixture<IttyUploaderElement>(
          html`<itty-uploader endpoint="/upload-url" folder="persist" persist=${uniqueName('k')} .chunkSize=${CHUNK}></itty-uploader>`,
        );
        await attached(el);
        await waitUntil(() => warnings.length > 0, 'the warning');
        await upload(el);
        expect(warnings).to.have.length(1);
        expect(String(warnings[0]![0])).to.match(/persist.*IndexedDB/);
        expect(el.items.map((item) => item.status)).to.deep.equal(['done']);
      } finally {
        IDBFactory.prototype.open = open;
      }
    });

    it('refusing a write (quota): the upload goes on and ends done, with one console warning', async () => {
      const put = IDBObjectStore.prototype.put;
      let writes = 0;
      IDBObjectStore.prototype.put = () => {
        writes += 1;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      try {
        const key = uniqueName('k');
        const el = await fixture<IttyUploaderElement>(
          html`<itty-uploader endpoint="/upload-url" folder="persist" persist=${key} .chunkSize=${CHUNK} parallel-chunks="1"></itty-uploader>`,
        );
        await attached(el);
        await upload(el);
        expect(writes, 'the store was asked to write').to.equal(1);
        expect(warnings).to.have.length(1);
        expect(String(warnings[0]![0])).to.match(/persist.*IndexedDB/);
      } finally {
        IDBObjectStore.prototype.put = put;
      }
    });
  });

  it('two tabs with the same key: the upload one tab is running (or has paused) is not offered as interrupted in the other', async () => {
    const key = uniqueName('persist');
    const a = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/upload-url" folder="persist" persist=${key} .chunkSize=${CHUNK} parallel-chunks="1"></itty-uploader>`,
    );
    await attached(a);
    const source = new File([patternedBlob(8 * CHUNK)], uniqueName('tabs.bin'));
    const paused = oneEvent(a, 'itty-upload-pause');
    a.addEventListener('itty-upload-progress', () => a.pause(), { once: true });
    // Each request waits 100 ms before it goes: on a fast machine the 8 chunks could otherwise land before the first
    // progress report (they are paced at 50 ms), and nothing would pause.
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
      setTimeout(() => send.call(this, body), 100);
    };
    try {
      a.addFiles([source]);
      await paused;
    } finally {
      XMLHttpRequest.prototype.send = send;
    }
    await waitUntil(async () => (await records(key)).length === 1, 'the record of the first tab');
    // A record nobody holds, beside it: the second element lists that one only.
    const lone = fingerprintOf(new File(['lone'], uniqueName('lone.bin')));
    await store.put({
      id: recordId(key, lone),
      key,
      file: lone,
      state: { acked: [] },
      loaded: 0,
      updated: Date.now(),
      expires: Date.now() + 60_000,
    });
    const tab = await page({ endpoint: '/upload-url', folder: 'persist', persist: key, 'chunk-size': String(CHUNK) });
    const { el: b } = await tab.ready();
    await waitUntil(() => b.items.length > 0, 'the lone record listed');
    expect(b.items.map((item) => (item as { name?: string }).name)).to.deep.equal([lone.name]);
    // The first tab finishes: its record goes.
    a.cancel();
    await waitUntil(async () => (await records(key)).every((record) => record.file.name === lone.name), 'the canceled record deleted');
  });

  it('clear() deletes the records of the list and of the interrupted rows', async () => {
    const key = uniqueName('persist');
    const lone = fingerprintOf(new File(['lone'], uniqueName('lone.bin')));
    await store.put({
      id: recordId(key, lone),
      key,
      file: lone,
      state: { acked: [] },
      loaded: 0,
      updated: Date.now(),
      expires: Date.now() + 60_000,
    });
    const tab = await page({ endpoint: '/upload-url', folder: 'persist', persist: key, 'chunk-size': String(CHUNK) });
    const { el } = await tab.ready();
    await waitUntil(() => el.items.length === 1);
    el.clear();
    expect(el.items).to.deep.equal([]);
    await waitUntil(async () => (await records(key)).length === 0, 'the records deleted');
    expect((await storedFiles()).some((name) => name.includes(lone.name))).to.equal(false);
  });
});
