// pause(id?) / resume(id?) and the resumable retry (SPEC §3, v2): what a paused, resumed or retried upload sends again.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isUnfinished } from '../../src/core/items.js';
import { createUploadQueue, type QueueOptions } from '../../src/core/queue.js';
import type { UploadItem, UploadTarget } from '../../src/core/types.js';
import {
  createClock,
  createTransport,
  fixedRandom,
  flush,
  loadChunkedPath,
  makeSource,
  sizeOf,
  type FakeRequest,
  type TestSource,
} from './helpers.js';

const FILE = (name: string, size: number) =>
  JSON.stringify({ id: `file_${name}`, url: `https://you.ittybit.net/${name}`, kind: 'other', type: '', filesize: size });

type Setup = Partial<QueueOptions<TestSource>> & { resumable?: boolean; expiry?: number };

// Chunks of 10 bytes, 2 at once; targets are ittybit-style (resumable) unless `resumable: false`.
function setup(extra: Setup = {}) {
  const { resumable = true, expiry, ...options } = extra;
  const clock = createClock();
  const fake = createTransport();
  const events: string[] = [];
  const loaded: number[] = [];
  let signs = 0;
  let id = 0;
  const queue = createUploadQueue<TestSource>({
    sign: async (source): Promise<UploadTarget> => ({
      url: `https://you.ittybit.net/${source.name}?signature=s${(signs += 1)}`,
      resumable,
      // `expiry`: of the first URL only.
      ...(expiry === undefined || signs > 1 ? {} : { expiry }),
    }),
    transport: fake.transport,
    clock,
    random: fixedRandom(0),
    createId: () => `f${(id += 1)}`,
    chunkSize: 10,
    parallelChunks: 2,
    retries: 0,
    onStart: (item) => events.push(`start ${item.id}`),
    onPause: (item) => events.push(`pause ${item.id} ${item.status} ${item.loaded}`),
    onResume: (item) => events.push(`resume ${item.id} ${item.status} ${item.loaded}`),
    onProgress: (_, value) => loaded.push(value),
    onSuccess: (item) => events.push(`success ${item.id}`),
    onError: (item, error) => events.push(`error ${item.id} ${error.code}`),
    onCancel: (item) => events.push(`cancel ${item.id}`),
    onComplete: ({ succeeded, failed }) => events.push(`complete ${succeeded.length} ${failed.length}`),
    ...options,
  });
  return { queue, clock, fake, events, loaded, signs: () => signs };
}

const range = (r: FakeRequest) => r.request.headers['Content-Range']?.replace(/^bytes /, '') ?? 'whole';
const signature = (r: FakeRequest) => new URL(r.request.url).searchParams.get('signature');
const bytesSent = (requests: FakeRequest[]) => requests.reduce((sum, r) => sum + sizeOf(r.request.body), 0);
const status = (items: readonly UploadItem[]) => items.map((item) => item.status).join(' ');
/** Answers every pending chunk: 201 + File object to the final-position one, else 202; until none is left. */
async function answerAll(fake: ReturnType<typeof createTransport>, name: string, size: number) {
  for (let round = 0; round < 20 && fake.pending().length; round += 1) {
    for (const r of fake.pending()) r.respond(range(r).endsWith(`-${size - 1}/${size}`) ? 201 : 202, FILE(name, size));
    await flush();
  }
}
const nonDecreasing = (values: number[]) => values.every((value, i) => i === 0 || value >= values[i - 1]!);

describe('pause and resume', () => {
  before(loadChunkedPath);

  it('a paused chunked upload keeps its acknowledged chunks; resume sends only the others, through the same URL', async () => {
    const { queue, fake, events, loaded, signs } = setup();
    queue.add([makeSource('big.bin', 45)]); // 0-9 10-19 20-29 30-39, then 40-44
    await flush();
    assert.deepEqual(fake.pending().map(range), ['0-9/45', '10-19/45']);
    fake.requests[0]!.respond(202);
    await flush();
    fake.requests[1]!.progress(6);
    fake.requests[2]!.progress(4);
    assert.equal(queue.items[0]!.loaded, 20);
    const inFlight = fake.pending();
    assert.deepEqual(inFlight.map(range), ['10-19/45', '20-29/45']);

    queue.pause('f1');
    assert.equal(queue.items[0]!.status, 'paused');
    assert.equal(queue.items[0]!.loaded, 10, 'the acknowledged chunk is kept, the bytes in flight are not');
    assert.ok(inFlight.every((r) => r.io.signal.aborted));
    assert.ok(isUnfinished('paused'));
    await flush();
    assert.equal(fake.pending().length, 0);
    assert.ok(queue.idle);
    const before = fake.requests.length;
    const sentBefore = bytesSent(fake.requests);

    queue.resume('f1');
    assert.equal(queue.items[0]!.loaded, 10);
    await flush();
    const progressAfterResume = loaded.length;
    await answerAll(fake, 'big.bin', 45);
    assert.equal(queue.items[0]!.status, 'done');
    const again = fake.requests.slice(before);
    assert.deepEqual(again.map(range), ['10-19/45', '20-29/45', '30-39/45', '40-44/45']);
    assert.equal(bytesSent(again), 35, 'only the 35 bytes not acknowledged go again');
    assert.equal(sentBefore, 30);
    assert.deepEqual(new Set(fake.requests.map(signature)), new Set(['s1']), 'the same URL, not signed again');
    assert.equal(signs(), 1);
    assert.ok(
      loaded.slice(progressAfterResume).every((value) => value >= 10),
      'progress goes on from the kept bytes',
    );
    assert.ok(nonDecreasing(loaded.slice(progressAfterResume)));
    assert.deepEqual(events, ['start f1', 'pause f1 paused 10', 'resume f1 queued 10', 'success f1', 'complete 1 0']);
  });

  it('pausing a single PUT aborts it; resume sends the whole file again, its progress starting at 0', async () => {
    const { queue, fake, events, loaded } = setup({ resumable: false });
    queue.add([makeSource('one.bin', 45)]);
    await flush();
    fake.requests[0]!.progress(30);
    assert.equal(queue.items[0]!.loaded, 30);
    queue.pause();
    assert.equal(fake.requests[0]!.io.signal.aborted, true);
    assert.equal(queue.items[0]!.loaded, 0, 'nothing is kept: the paused item says the file starts again');
    queue.resume();
    await flush();
    assert.equal(fake.requests.length, 2);
    assert.equal(range(fake.requests[1]!), 'whole');
    assert.equal(sizeOf(fake.requests[1]!.request.body), 45);
    fake.requests[1]!.progress(5);
    fake.requests[1]!.respond(200);
    await flush();
    assert.deepEqual(loaded, [30, 5]);
    assert.deepEqual(events, ['start f1', 'pause f1 paused 0', 'resume f1 queued 0', 'success f1', 'complete 1 0']);
  });

  it('a paused queued item stays out of the queue until resumed; its slot goes to the next one', async () => {
    const { queue, fake, events } = setup({ concurrency: 1, resumable: false });
    queue.add([makeSource('a', 5), makeSource('b', 5), makeSource('c', 5)]);
    await flush();
    queue.pause('f2');
    assert.equal(status(queue.items), 'uploading paused queued');
    fake.requests[0]!.respond(200);
    await flush();
    assert.equal(status(queue.items), 'done paused uploading', 'the next queued item, not the paused one');
    fake.requests[1]!.respond(200);
    await flush();
    assert.equal(status(queue.items), 'done paused done');
    assert.equal(fake.requests.length, 2);
    queue.resume('f2');
    await flush();
    fake.requests[2]!.respond(200);
    await flush();
    assert.equal(status(queue.items), 'done done done');
    assert.deepEqual(events, [
      'start f1',
      'pause f2 paused 0',
      'success f1',
      'start f3',
      'success f3',
      'complete 2 0',
      'resume f2 queued 0',
      'start f2',
      'success f2',
      'complete 1 0',
    ]);
  });

  it('pausing an upload in flight frees its concurrency slot at once', async () => {
    const { queue, fake } = setup({ concurrency: 1, resumable: false });
    queue.add([makeSource('a', 5), makeSource('b', 5)]);
    await flush();
    assert.equal(fake.requests.length, 1);
    queue.pause('f1');
    await flush();
    assert.equal(status(queue.items), 'paused uploading');
    assert.equal(fake.pending().length, 1);
    assert.equal(fake.pending()[0]!.request.url.includes('/b?'), true);
    queue.resume('f1');
    await flush();
    assert.equal(status(queue.items), 'queued uploading', 'resumed, it waits for a slot');
    fake.pending()[0]!.respond(200);
    await flush();
    assert.equal(status(queue.items), 'uploading done');
  });

  it('pause() and resume() with no id act on every item; onComplete waits for the paused ones', async () => {
    const { queue, fake, events } = setup({ concurrency: 2, resumable: false });
    queue.add([makeSource('a', 5), makeSource('b', 5), makeSource('c', 5)]);
    await flush();
    queue.pause();
    await flush();
    assert.equal(status(queue.items), 'paused paused paused');
    assert.equal(fake.pending().length, 0);
    queue.pause();
    queue.resume('nope');
    assert.equal(events.filter((e) => e.startsWith('pause')).length, 3, 'pausing a paused item does nothing');
    assert.ok(!events.some((e) => e.startsWith('complete')), 'a paused batch is not complete');
    queue.resume();
    await flush();
    assert.equal(status(queue.items), 'uploading uploading queued');
    await answerAll(fake, 'x', 5);
    assert.equal(status(queue.items), 'done done done');
    const counts = (prefix: string) => events.filter((e) => e.startsWith(prefix)).length;
    assert.deepEqual(['start', 'success', 'complete'].map(counts), [3, 3, 1], 'no second onStart for a resumed upload');
    assert.equal(events.at(-1), 'complete 3 0');
    assert.equal(events.filter((e) => e.startsWith('resume')).length, 3);
  });

  it('pauses during signing and during a backoff wait: nothing more is sent until resume, which signs again', async () => {
    let release!: () => void;
    let signal: AbortSignal | undefined;
    const { queue, fake, clock } = setup({
      resumable: false,
      retries: 2,
      sign: (source, ctx) => {
        signal = ctx.signal;
        return new Promise((resolve) => (release = () => resolve({ url: `https://s.test/${source.name}` })));
      },
    });
    queue.add([makeSource('a', 5)]);
    await flush();
    queue.pause();
    assert.equal(signal!.aborted, true);
    release();
    await flush();
    assert.equal(fake.requests.length, 0, 'a paused item does not upload when its signing answers late');
    queue.resume();
    await flush();
    release();
    await flush();
    fake.requests[0]!.respond(503); // a backoff wait follows
    await flush();
    assert.equal(queue.items[0]!.status, 'uploading');
    queue.pause();
    await clock.runAll();
    assert.equal(fake.requests.length, 1, 'the backoff ended with the pause');
    assert.equal(queue.items[0]!.status, 'paused');
  });

  it('in manual mode, pause() leaves the files not yet started by upload() as they are', async () => {
    const { queue, fake } = setup({ autoStart: false, resumable: false, concurrency: 1 });
    queue.add([makeSource('a', 5), makeSource('b', 5)]);
    queue.upload();
    queue.add([makeSource('c', 5)]);
    await flush();
    queue.pause();
    assert.equal(status(queue.items), 'paused paused queued');
    queue.resume();
    await flush();
    assert.equal(status(queue.items), 'uploading queued queued');
    await answerAll(fake, 'x', 5);
    assert.equal(status(queue.items), 'done done queued', 'c waits for upload()');
  });

  it('cancel and remove of a paused item: one cancel each, and its kept chunks go', async () => {
    const { queue, fake, events } = setup();
    queue.add([makeSource('big.bin', 45), makeSource('other.bin', 45)]);
    await flush();
    for (const r of fake.pending()) r.respond(202);
    await flush();
    queue.pause();
    assert.deepEqual(
      queue.items.map((item) => item.loaded),
      [20, 20],
    );
    queue.cancel('f1');
    queue.remove('f2');
    assert.deepEqual(
      events.filter((e) => e.startsWith('cancel')),
      ['cancel f1', 'cancel f2'],
    );
    assert.equal(status(queue.items), 'canceled');
    const before = fake.requests.length;
    queue.retry('f1');
    assert.equal(queue.items[0]!.loaded, 0);
    await flush();
    assert.deepEqual(fake.requests.slice(before).map(range), ['0-9/45', '10-19/45'], 'a canceled upload starts again');
  });
});

describe('retry() of a failed resumable upload', () => {
  before(loadChunkedPath);

  it('goes on from the acknowledged chunks through the same URL after a transient failure', async () => {
    const { queue, fake, events, signs } = setup();
    queue.add([makeSource('big.bin', 45)]);
    await flush();
    fake.requests[0]!.respond(202);
    fake.requests[1]!.respond(503);
    await flush();
    assert.equal(queue.items[0]!.status, 'error');
    assert.equal(queue.items[0]!.loaded, 10);
    const before = fake.requests.length;
    queue.retry();
    assert.equal(queue.items[0]!.loaded, 10, 'progress does not drop to 0');
    await flush();
    await answerAll(fake, 'big.bin', 45);
    assert.equal(queue.items[0]!.status, 'done');
    assert.deepEqual(fake.requests.slice(before).map(range), ['10-19/45', '20-29/45', '30-39/45', '40-44/45']);
    assert.equal(signs(), 1);
    assert.deepEqual(events, ['start f1', 'error f1 upload_failed', 'complete 0 1', 'start f1', 'success f1', 'complete 1 0']);
  });

  it('signs again when its URL expired by the clock, or was refused, and keeps the chunks for the same path', async () => {
    const { queue, fake, clock, signs } = setup({ expiry: 1_700_000_100 });
    queue.add([makeSource('big.bin', 45)]);
    await flush();
    fake.requests[0]!.respond(202);
    fake.requests[1]!.respond(503);
    await flush();
    await clock.advance(200_000);
    const before = fake.requests.length;
    queue.retry();
    await flush();
    assert.equal(signs(), 2);
    assert.deepEqual(
      fake.pending().map((r) => `${range(r)} ${signature(r)}`),
      ['10-19/45 s2', '20-29/45 s2'],
    );
    fake.pending()[0]!.respond(202);
    await flush(); // 30-39 starts
    fake.pending()[0]!.respond(400, '{"kind":"request_invalid","message":"no"}'); // 20-29, and 30-39 is aborted
    await flush();
    assert.equal(queue.items[0]!.status, 'error');
    queue.retry();
    await flush();
    assert.equal(signs(), 3, 'a refused URL is not used again');
    await answerAll(fake, 'big.bin', 45);
    assert.equal(queue.items[0]!.status, 'done');
    assert.deepEqual(fake.requests.slice(before).map(range), ['10-19/45', '20-29/45', '30-39/45', '20-29/45', '30-39/45', '40-44/45']);
  });

  it('automatic retries of the queue go on from the acknowledged chunks too', async () => {
    const { queue, fake, clock, signs } = setup({ retries: 1, parallelChunks: 1, stallTimeout: 0 });
    queue.add([makeSource('big.bin', 45)]);
    await flush();
    fake.requests[0]!.respond(202);
    await flush();
    fake.requests[1]!.respond(503);
    await clock.runAll(); // the chunk's one retry, after its backoff
    fake.requests[2]!.respond(503);
    await clock.runAll(); // the chunk failed for good: the queue's one retry, after its backoff
    assert.equal(queue.items[0]!.status, 'uploading');
    const before = fake.requests.length;
    assert.equal(before, 4);
    await answerAll(fake, 'big.bin', 45);
    assert.equal(queue.items[0]!.status, 'done');
    assert.deepEqual(
      fake.requests.slice(before - 1).map(range),
      ['10-19/45', '20-29/45', '30-39/45', '40-44/45'],
      'chunk 0 is never sent again',
    );
    assert.equal(signs(), 1);
  });
});

describe('a storage that lost the session', () => {
  before(loadChunkedPath);

  it('answering the last chunk with 202: the file starts again from 0, with session_lost in its history', async () => {
    const { queue, fake, loaded, events } = setup();
    queue.add([makeSource('big.bin', 45)]);
    await flush();
    for (const r of fake.pending()) r.respond(202);
    await flush();
    queue.pause();
    queue.resume();
    await flush();
    for (const r of fake.pending()) r.respond(202); // 20-29, 30-39
    await flush();
    assert.equal(queue.items[0]!.loaded, 40);
    const mark = loaded.length;
    fake.pending()[0]!.respond(202); // 40-44: the storage forgot 0-19 (e.g. it restarted)
    await flush();
    const item = queue.items[0]!;
    assert.deepEqual(
      item.history?.map((error) => [error.code, error.status]),
      [['session_lost', 202]],
    );
    assert.equal(loaded[mark], 0, 'the restart shows as progress 0, once');
    assert.deepEqual(fake.pending().map(range), ['0-9/45', '10-19/45']);
    await answerAll(fake, 'big.bin', 45);
    assert.equal(queue.items[0]!.status, 'done');
    assert.equal(queue.items[0]!.history?.length, 1, 'the history stays with the done item');
    assert.ok(nonDecreasing(loaded.slice(mark)));
    assert.ok(!events.some((e) => e.startsWith('error')), 'no itty-upload-error for it');
  });

  it('answering a chunk 404 or 410 after others were acknowledged: the same restart', async () => {
    for (const gone of [404, 410]) {
      const { queue, fake } = setup({ parallelChunks: 1 });
      queue.add([makeSource('big.bin', 45)]);
      await flush();
      fake.pending()[0]!.respond(202);
      await flush();
      queue.pause();
      queue.resume();
      await flush();
      const before = fake.requests.length;
      fake.pending()[0]!.respond(gone, '{"message":"Upload not found"}');
      await flush();
      assert.deepEqual(
        queue.items[0]!.history?.map((error) => [error.code, error.status]),
        [['session_lost', gone]],
      );
      await answerAll(fake, 'big.bin', 45);
      assert.equal(queue.items[0]!.status, 'done');
      assert.deepEqual(fake.requests.slice(before).map(range), ['0-9/45', '10-19/45', '20-29/45', '30-39/45', '40-44/45']);
    }
  });

  it('a 404 before any chunk was acknowledged is a plain failure', async () => {
    const { queue, fake } = setup();
    queue.add([makeSource('big.bin', 45)]);
    await flush();
    fake.requests[0]!.respond(404, '{"message":"Not found"}');
    await flush();
    const item = queue.items[0]!;
    assert.equal(item.status, 'error');
    assert.equal(item.status === 'error' && item.error.status, 404);
    assert.equal(item.history, undefined);
  });
});
