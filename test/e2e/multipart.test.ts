// S3 multipart (SPEC §5.4) and presigned POST (SPEC §5.5) end to end: <itty-uploader> in a real browser, the app's
// endpoint `createS3Uploads` on the page's origin, and a real S3-protocol store on another origin (s3rver behind a
// front that verifies every SigV4 signature and POST policy: test/helpers/s3-endpoint.ts, s3-node.ts). The bucket's
// CORS rule exposes ETag, as the README asks.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import type { IttyUploadSuccessEvent } from '../../src/events.js';
import { patternedBlob, sha256, uniqueName } from '../helpers/browser.js';

const MiB = 1024 * 1024;
const PART = 5 * MiB;

interface Action {
  action: string;
  partNumbers?: number[];
}
interface Put {
  partNumber: number;
  refused?: string;
}

const json = async <T>(path: string, body?: unknown): Promise<T> =>
  (await fetch(path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })).json();
const actions = async () => (await json<{ actions: Action[] }>('/__test/s3mp/actions')).actions;
const puts = async () => (await json<{ puts: Put[] }>('/__test/s3mp/parts')).puts;
const inProgress = async () => (await json<{ uploads: Array<{ key: string }> }>('/__test/s3mp/in-progress')).uploads;
const object = (key: string) =>
  json<{ exists: boolean; size?: number; sha256?: string; type?: string }>(`/__test/s3mp/object?key=${encodeURIComponent(key)}`);
const keyOf = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').slice(2).join('/'));

/** Polls the store until `check` holds (each round waits for a server answer, at most `rounds` of them). */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, rounds = 400): Promise<T> {
  for (let round = 0; round < rounds; round++) {
    const value = await read();
    if (check(value)) return value;
  }
  throw new Error('the store never reached the expected state');
}

/** The file's success, or its error as a failure of the test (never a wait until the timeout). */
const outcome = (el: IttyUploaderElement) =>
  new Promise<IttyUploadSuccessEvent['detail']>((resolve, reject) => {
    el.addEventListener('itty-upload-success', (event) => resolve(event.detail), { once: true });
    el.addEventListener('itty-upload-error', (event) => reject(event.detail.error), { once: true });
  });

const mount = (endpoint = '/__test/s3mp/upload') =>
  fixture<IttyUploaderElement>(html`<itty-uploader endpoint=${endpoint} parallel-chunks="2" retries="3"></itty-uploader>`);

describe('S3 multipart through createS3Uploads', () => {
  beforeEach(() => json('/__test/s3mp/reset', {}));

  it('sends the parts in parallel, retries a failed part alone, and the object is the file byte for byte', async () => {
    // 4 parts: 5, 5, 5 and 1 MiB. Part 2 fails once with a 500.
    await json('/__test/s3mp/fail-part', { partNumber: 2, times: 1 });
    const el = await mount();
    const source = new File([patternedBlob(3 * PART + MiB, 'video/mp4')], uniqueName('clip.mp4'), { type: 'video/mp4' });
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([source]);
    const { detail } = await success;

    const sent = await puts();
    expect(sent.filter((put) => put.partNumber === 2)).to.deep.equal([{ partNumber: 2, refused: 'InternalError' }, { partNumber: 2 }]);
    expect(
      sent
        .filter((put) => put.partNumber !== 2)
        .map((put) => put.partNumber)
        .sort(),
    ).to.deep.equal([1, 3, 4]);
    const asked = await actions();
    // Signed just in time, in batches (never all at once), then completed; nothing listed or aborted.
    expect(asked.map((a) => a.action).filter((a) => a !== 'sign-parts')).to.deep.equal(['complete']);
    expect(
      asked
        .filter((a) => a.action === 'sign-parts')
        .flatMap((a) => a.partNumbers)
        .includes(2),
    ).to.equal(true);

    const key = keyOf(detail.file.url);
    expect(await object(key)).to.include({ exists: true, size: source.size, sha256: await sha256(source), type: 'video/mp4' });
    expect(detail.file).to.include({ kind: 'video', type: 'video/mp4', filesize: source.size, status: 'ready' });
    expect(el.items[0]).to.include({ status: 'done', loaded: source.size });
    expect((await inProgress()).filter((upload) => upload.key === key)).to.deep.equal([]);
  });

  it('pause keeps the parts the store took; resume lists them and sends only the others', async () => {
    // Part 3 fails once: while its retry waits, the upload is paused.
    await json('/__test/s3mp/fail-part', { partNumber: 3, times: 1 });
    const el = await mount();
    const source = new File([patternedBlob(3 * PART + MiB)], uniqueName('paused.bin'));
    el.addFiles([source]);
    await until(puts, (sent) => sent.some((put) => put.partNumber === 3 && put.refused));
    const [item] = el.items;
    el.pause(item!.id);
    const paused = el.items[0]!;
    expect(paused.status).to.equal('paused');
    // Part 3 started once part 1 or 2 was acknowledged: the parts the store took are kept (5 MiB each).
    const kept = paused.loaded / PART;
    expect(kept).to.be.at.least(1);
    const before = (await puts()).length;

    const success = outcome(el);
    el.resume(item!.id);
    const detail = await success;
    const asked = await actions();
    expect(asked.filter((a) => a.action === 'list-parts')).to.have.length(1);
    const after = (await puts()).slice(before).map((put) => put.partNumber);
    // Part 3 again, and only the parts not kept, each once.
    expect(after).to.include(3);
    expect(new Set(after).size).to.equal(after.length);
    expect(after.length).to.be.at.most(4 - kept);
    const key = keyOf(detail.file.url);
    expect(await object(key)).to.include({ exists: true, size: source.size, sha256: await sha256(source) });
    expect((await inProgress()).filter((upload) => upload.key === key)).to.deep.equal([]);
  });

  it('cancel aborts the multipart upload: no upload is left in progress on the store', async () => {
    // Part 1 keeps failing, so that the upload is surely in flight when it is canceled.
    await json('/__test/s3mp/fail-part', { partNumber: 1, times: 100 });
    const el = await mount();
    const name = uniqueName('canceled.bin');
    const mine = async () => (await inProgress()).filter((upload) => upload.key.endsWith(name));
    el.addFiles([new File([patternedBlob(2 * PART)], name)]);
    await until(puts, (sent) => sent.some((put) => put.partNumber === 1 && put.refused));
    expect(await mine()).to.have.length(1);
    const canceled = oneEvent(el, 'itty-upload-cancel');
    el.cancel(el.items[0]!.id);
    await canceled;
    await until(mine, (uploads) => uploads.length === 0);
    expect((await actions()).filter((a) => a.action === 'abort')).to.have.length(1);
  });

  // Issue 18: the endpoint creates the upload at the store, and only its answer names it. A cancel (or remove) while that
  // answer is on its way lets the request finish and aborts the upload it names.
  for (const how of ['cancel', 'remove'] as const) {
    it(`${how} while the endpoint creates the upload: the upload it names is aborted once it answers`, async () => {
      await json('/__test/s3mp/hold-create', { times: 1 });
      const el = await mount();
      const name = uniqueName(`${how}-creating.bin`);
      const mine = async () => (await inProgress()).filter((upload) => upload.key.endsWith(name));
      el.addFiles([new File([patternedBlob(2 * PART)], name)]);
      // Created at the store; the answer is held back.
      await until(
        () => json<{ held: number }>('/__test/s3mp/held'),
        ({ held }) => held === 1,
      );
      expect(await mine()).to.have.length(1);
      const canceled = oneEvent(el, 'itty-upload-cancel');
      el[how](el.items[0]!.id);
      await canceled;
      await json('/__test/s3mp/release', {});
      await until(mine, (uploads) => uploads.length === 0);
      expect((await actions()).filter((a) => a.action === 'abort')).to.have.length(1);
      expect((await puts()).length, 'no part was sent').to.equal(0);
    });
  }

  it('remove of a failed multipart upload aborts it too', async () => {
    await json('/__test/s3mp/fail-part', { partNumber: 1, times: 100 });
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/__test/s3mp/upload" retries="0"></itty-uploader>`);
    const failed = oneEvent(el, 'itty-upload-error');
    const name = uniqueName('failed.bin');
    const mine = async () => (await inProgress()).filter((upload) => upload.key.endsWith(name));
    el.addFiles([new File([patternedBlob(2 * PART)], name)]);
    expect((await failed).detail.error).to.include({ code: 'upload_failed', status: 500 });
    expect(await mine()).to.have.length(1);
    el.remove(el.items[0]!.id);
    await until(mine, (uploads) => uploads.length === 0);
    expect((await actions()).filter((a) => a.action === 'abort')).to.have.length(1);
  });
});

describe('presigned POST through createS3Uploads (post: true)', () => {
  beforeEach(() => json('/__test/s3mp/reset', {}));

  it('sends the fields then the file as multipart/form-data; the store checks the policy; the File object is built locally', async () => {
    const el = await mount('/__test/s3mp/post');
    const source = new File(['a scanned page, as PDF bytes'], uniqueName('scan.pdf'), { type: 'application/pdf' });
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([source]);
    const { detail } = await success;
    const key = keyOf(detail.file.url);
    expect(key).to.match(/^[a-z0-9]{16}\//);
    expect(await object(key)).to.include({ exists: true, size: source.size, sha256: await sha256(source), type: 'application/pdf' });
    expect(detail.file).to.include({ kind: 'other', type: 'application/pdf', filesize: source.size, filename: source.name });
    expect(detail.file.etag).to.match(/^"[0-9a-f]{32}"$/);
  });

  it("the policy's content-length-range refuses a file of another size than the one signed", async () => {
    // A signer that declared one byte fewer than the file has: the store refuses the upload, with its message.
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader retries="0"></itty-uploader>`);
    el.getUploadUrl = async (file, { signal }) => {
      const response = await fetch('/__test/s3mp/post', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ filename: file.name, type: file.type, size: file.size - 1 }),
        signal,
      });
      return response.json();
    };
    const failed = oneEvent(el, 'itty-upload-error');
    el.addFiles([new File(['0123456789'], uniqueName('big.txt'), { type: 'text/plain' })]);
    const { error } = (await failed).detail;
    expect(error).to.include({ code: 'upload_failed', status: 400 });
    expect(error.serverMessage).to.match(/content-length-range/);
  });
});
