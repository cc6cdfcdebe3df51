// `persist` (SPEC §3.6) for S3 multipart uploads (SPEC §5.4), end to end: <itty-uploader persist> in an iframe that
// the test reloads for real, createS3Uploads on the page's origin, s3rver behind a SigV4-verifying front
// (test/helpers/s3-endpoint.ts: multipart from 6 MiB in parts of 5 MiB). The record keeps the upload's id, key and
// the ETags of the parts the store took; after the reload, the same file sends only the parts `list-parts` does not
// hold, and an interrupted row removed aborts its upload.
import { expect, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import { openResumeStore } from '../../src/browser/resume-store.js';
import type { IttyUploadSuccessEvent } from '../../src/events.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import { patternedBlob, sha256, uniqueName } from '../helpers/browser.js';
import { page, type FrameWindow } from '../helpers/frames.js';

const MiB = 1024 * 1024;
const PART = 5 * MiB;
const store = openResumeStore();

const json = async <T>(path: string, body?: unknown): Promise<T> =>
  (await fetch(path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })).json();
const actions = async () => (await json<{ actions: Array<{ action: string }> }>('/__test/s3mp/actions')).actions;
const puts = async () => (await json<{ puts: Array<{ partNumber: number; refused?: string }> }>('/__test/s3mp/parts')).puts;
const inProgress = async () => (await json<{ uploads: Array<{ key: string; uploadId: string }> }>('/__test/s3mp/in-progress')).uploads;
const object = (key: string) =>
  json<{ exists: boolean; size?: number; sha256?: string }>(`/__test/s3mp/object?key=${encodeURIComponent(key)}`);
const keyOf = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').slice(2).join('/'));

/** Part PUTs of `win` for parts at or past `holdFrom` are never sent: they stay in flight until the page goes. */
function hold(win: FrameWindow, holdFrom: number) {
  const proto = win.XMLHttpRequest.prototype;
  const { open, send } = proto;
  const held = new WeakSet<XMLHttpRequest>();
  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    const part = Number(new URL(String(url), win.location.href).searchParams.get('partNumber') || 0);
    if (method === 'PUT' && part >= holdFrom) held.add(this);
    return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof open;
  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    if (!held.has(this)) send.call(this, body);
  };
}

const outcome = (el: IttyUploaderElement) =>
  new Promise<IttyUploadSuccessEvent['detail']>((resolve, reject) => {
    el.addEventListener('itty-upload-success', (event) => resolve(event.detail), { once: true });
    el.addEventListener('itty-upload-error', (event) => reject(event.detail.error), { once: true });
  });

/** Starts a 4-part upload (5, 5, 5, 1 MiB) with `persist`, lets parts 1 and 2 through, and reloads the page. */
async function interrupted(name: string) {
  const key = uniqueName('mp-persist');
  const source = new File([patternedBlob(3 * PART + MiB)], uniqueName(name), { lastModified: 1_700_000_000_000 });
  const tab = await page({ endpoint: '/__test/s3mp/upload', persist: key, 'parallel-chunks': '2' });
  let { win, el } = await tab.ready();
  hold(win, 3);
  el.addFiles([source]);
  await waitUntil(async () => (await store.list(key))[0]?.state.acked.length === 2, 'parts 1 and 2 recorded', { timeout: 30_000 });
  const [record] = await store.list(key);
  const session = record!.state.multipart!;
  expect(session.uploadId).to.be.a('string');
  expect(record!.state.target!.multipart).to.deep.equal(session);
  expect([...record!.state.parts!.keys()].sort()).to.deep.equal([1, 2]);
  expect([...record!.state.parts!.values()].map((part) => part.size)).to.deep.equal([PART, PART]);
  expect(record!.loaded).to.equal(2 * PART);
  expect('discard' in record!.state).to.equal(false);
  expect((await inProgress()).filter((upload) => upload.key === session.key)).to.have.length(1);
  ({ win, el } = await tab.reload());
  await waitUntil(() => el.items.length === 1, 'the interrupted row');
  expect(el.items[0]).to.deep.include({ status: 'interrupted', name: source.name, loaded: 2 * PART, total: source.size });
  return { key, source, session, el };
}

describe('<itty-uploader persist> with S3 multipart', () => {
  beforeEach(() => json('/__test/s3mp/reset', {}));
  afterEach(() => {
    for (const frame of document.querySelectorAll('iframe')) frame.remove();
  });

  it('after a real reload, the same file chosen again sends only the parts list-parts does not hold', async () => {
    const { key, source, session, el } = await interrupted('resumed.bin');
    const before = (await puts()).length;
    const events: string[] = [];
    for (const type of ['itty-upload-start', 'itty-upload-resume']) el.addEventListener(type, () => events.push(type));
    const done = outcome(el);
    el.addFiles([source]);
    const { file } = await done;
    expect(events).to.deep.equal(['itty-upload-start', 'itty-upload-resume']);
    const after = (await puts()).slice(before).map((put) => put.partNumber);
    expect(after.sort()).to.deep.equal([3, 4]);
    const asked = (await actions()).map((a) => a.action);
    // The same upload: listed once, completed, never aborted.
    expect(asked.filter((a) => a === 'list-parts')).to.have.length(1);
    expect(asked.filter((a) => a === 'abort')).to.deep.equal([]);
    expect(keyOf(file.url)).to.equal(session.key);
    expect(await object(session.key)).to.include({ exists: true, size: source.size, sha256: await sha256(source) });
    expect((await inProgress()).filter((upload) => upload.key === session.key)).to.deep.equal([]);
    await waitUntil(async () => (await store.list(key)).length === 0, 'the record is deleted on success');
  });

  it('an interrupted multipart row removed aborts its upload: nothing left in ListMultipartUploads', async () => {
    const { key, session, el } = await interrupted('removed.bin');
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="item-interrupted"] [part="remove-button"]')!.click();
    expect(el.items).to.deep.equal([]);
    await waitUntil(async () => (await inProgress()).every((upload) => upload.key !== session.key), 'the upload aborted', {
      timeout: 10_000,
    });
    expect((await actions()).filter((a) => a.action === 'abort')).to.have.length(1);
    await waitUntil(async () => (await store.list(key)).length === 0, 'the record deleted');
  });

  it('a resumed multipart upload canceled at once (before its run took it over) is aborted too', async () => {
    const { key, source, session, el } = await interrupted('canceled.bin');
    const canceled = new Promise((resolve) => el.addEventListener('itty-upload-cancel', resolve, { once: true }));
    const [item] = el.addFiles([source]);
    el.cancel(item!.id);
    await canceled;
    await waitUntil(async () => (await inProgress()).every((upload) => upload.key !== session.key), 'the upload aborted', {
      timeout: 10_000,
    });
    await waitUntil(async () => (await store.list(key)).length === 0, 'the record deleted');
  });

  it('clear() aborts the interrupted multipart uploads too', async () => {
    const { key, session, el } = await interrupted('cleared.bin');
    el.clear();
    await waitUntil(async () => (await inProgress()).every((upload) => upload.key !== session.key), 'the upload aborted', {
      timeout: 10_000,
    });
    await waitUntil(async () => (await store.list(key)).length === 0, 'the record deleted');
  });
});
