// S3 multipart uploads (SPEC §5.4) in the engine, against an in-memory endpoint that plays createS3Uploads (its
// actions and their answers) and a fake transport that plays the store's part PUTs. Every fault of issue 18 that
// concerns parts: a part that fails, expires or hangs; list-parts with a wrong ETag or size; sign-parts refused for an
// aborted upload; abort on cancel and remove; the 10,000-part cap; a missing ETag (the bucket's CORS rule).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { createUploadQueue, type QueueOptions } from '../../src/core/queue.js';
import type { MultipartAction, SignFunction, Source, UploadItem } from '../../src/core/types.js';
import { uploadSource, type ResumeState } from '../../src/core/upload.js';
import { createClock, createTransport, fixedRandom, flush, makeSource, sizeOf, type FakeRequest, type TestSource } from './helpers.js';

const ENDPOINT = 'https://app.test/api/upload';

interface Stored {
  key: string;
  parts: Map<number, { etag: string; size: number }>;
}

/** The signing endpoint, in memory: creates uploads, signs parts, lists, completes and aborts them as createS3Uploads does. */
function createEndpoint(partSize: number, expiry?: () => number) {
  const uploads = new Map<string, Stored>();
  const actions: MultipartAction[] = [];
  const objects: Array<{ key: string; size: number; parts: number }> = [];
  const completed = new Map<string, unknown>();
  let created = 0;
  let signatures = 0;
  /** Called before an action is answered: may throw to refuse it. */
  let hook: ((action: MultipartAction) => void) | undefined;
  const sign: SignFunction<Source> = async (source, { action }) => {
    if (!action) {
      const uploadId = `up${(created += 1)}`;
      uploads.set(uploadId, { key: `k/${source.name}`, parts: new Map() });
      return { url: ENDPOINT, multipart: { uploadId, key: `k/${source.name}`, partSize } };
    }
    actions.push(action);
    hook?.(action);
    const upload = uploads.get(action.uploadId);
    // createS3Uploads answers a complete repeated after its upload completed (the first answer lost) with the object.
    if (!upload && action.action === 'complete' && completed.has(action.uploadId)) return completed.get(action.uploadId) as never;
    if (!upload) throw new UploadError('sign_failed', 'The multipart upload does not exist', { status: 404 });
    switch (action.action) {
      case 'sign-parts':
        signatures += 1;
        return {
          ...(expiry ? { expiry: expiry() } : {}),
          urls: Object.fromEntries(
            (action.partNumbers as number[]).map((n) => [
              n,
              `https://s3.test/${upload.key}?uploadId=${action.uploadId}&partNumber=${n}&sig=${signatures}`,
            ]),
          ),
        } as never;
      case 'list-parts':
        return { parts: [...upload.parts].map(([PartNumber, part]) => ({ PartNumber, ETag: part.etag, Size: part.size })) } as never;
      case 'abort':
        uploads.delete(action.uploadId);
        return { aborted: true } as never;
      case 'complete': {
        const parts = action.parts as Array<{ PartNumber: number; ETag: string }>;
        parts.forEach((part, index) => {
          assert.equal(part.PartNumber, index + 1, 'parts complete in order, none missing');
          assert.equal(part.ETag, upload.parts.get(part.PartNumber)?.etag, `part ${part.PartNumber}'s ETag`);
        });
        uploads.delete(action.uploadId);
        const size = parts.reduce((sum, part) => sum + upload.parts.get(part.PartNumber)!.size, 0);
        objects.push({ key: upload.key, size, parts: parts.length });
        const file = { data: { id: 'file_1', url: `https://cdn.test/${upload.key}`, kind: 'other', type: '', filesize: size } };
        completed.set(action.uploadId, file);
        return file as never;
      }
    }
    throw new Error('unknown action');
  };
  return {
    sign,
    uploads,
    actions,
    objects,
    of: (name: string) => actions.filter((action) => action.action === name),
    setHook: (next: typeof hook) => (hook = next),
    /** Stores a part PUT as the store would, and answers it 200 with its ETag. */
    store(request: FakeRequest, etag?: string) {
      const url = new URL(request.request.url);
      const upload = uploads.get(url.searchParams.get('uploadId')!);
      if (!upload)
        return request.respond(404, '<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>');
      const number = Number(url.searchParams.get('partNumber'));
      const size = sizeOf(request.request.body);
      const tag = etag ?? `"e${number}-${size}"`;
      upload.parts.set(number, { etag: tag, size });
      request.respond(200, '', { ETag: tag });
    },
  };
}

const partNumber = (request: FakeRequest) => Number(new URL(request.request.url).searchParams.get('partNumber'));
const status = (items: readonly UploadItem[]) => items.map((item) => item.status).join(' ');

function setup(
  options: { partSize?: number; parallelChunks?: number; retries?: number; auto?: boolean } & Partial<QueueOptions<TestSource>> = {},
) {
  const { partSize = 10, auto = true, ...rest } = options;
  const endpoint = createEndpoint(partSize);
  const clock = createClock();
  const fake = createTransport((request) => {
    if (auto) endpoint.store(request);
  });
  const events: string[] = [];
  const loaded: number[] = [];
  const queue = createUploadQueue<TestSource>({
    sign: endpoint.sign,
    transport: fake.transport,
    clock,
    random: fixedRandom(0),
    parallelChunks: 2,
    retries: 2,
    onProgress: (_, value) => loaded.push(value),
    onSuccess: (item, file) => events.push(`success ${item.id} ${file.url}`),
    onError: (item, error) => events.push(`error ${item.id} ${error.code}`),
    onCancel: (item) => events.push(`cancel ${item.id}`),
    ...rest,
  });
  return { endpoint, clock, fake, queue, events, loaded };
}

/** Waits (by event-loop turns, no timers) until `check` holds. */
async function until(check: () => boolean, turns = 200) {
  for (let i = 0; i < turns && !check(); i++) await flush();
  assert.ok(check(), 'the condition was never met');
}

describe('S3 multipart in the engine', () => {
  before(async () => {
    // The multipart path loads on demand: one upload loads it, so that tests counting turns see no module loading.
    const endpoint = createEndpoint(10);
    const fake = createTransport((request) => endpoint.store(request));
    const source = makeSource('warm-up', 3);
    const options = { transport: fake.transport, clock: createClock(), random: fixedRandom(), signal: new AbortController().signal };
    await uploadSource(await endpoint.sign(source, options), source, { ...options, sign: endpoint.sign as never });
  });

  it('signs parts just in time in batches, sends them in parallel, completes with every ETag in order', async () => {
    const { endpoint, fake, queue, events, loaded } = setup({ partSize: 10, parallelChunks: 2 });
    const [item] = queue.add([makeSource('clip.mp4', 95, 'video/mp4')]);
    await until(() => events.length > 0);
    assert.deepEqual(events, [`success ${item!.id} https://cdn.test/k/clip.mp4`]);
    assert.deepEqual(endpoint.objects, [{ key: 'k/clip.mp4', size: 95, parts: 10 }]);
    // Batches of at most 4 part numbers (2 × parallel-chunks, at least 4), never all at once.
    const batches = endpoint.of('sign-parts').map((action) => action.partNumbers as number[]);
    assert.ok(batches.length >= 3, JSON.stringify(batches));
    assert.ok(batches.every((numbers) => numbers.length <= 4));
    assert.deepEqual(
      batches.flat().sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.ok(fake.maxInFlight <= 2);
    assert.equal(fake.requests.length, 10);
    assert.deepEqual(
      fake.requests.map((r) => r.request.method),
      Array(10).fill('PUT'),
    );
    // The last part is the rest; bodies are typeless views (no Content-Type the URL did not sign).
    assert.equal(sizeOf(fake.requests.find((r) => partNumber(r) === 10)!.request.body), 5);
    assert.equal((fake.requests[0]!.request.body as TestSource).type, '');
    assert.equal(loaded.at(-1), 95);
    assert.ok(loaded.every((value, i) => i === 0 || value >= loaded[i - 1]!));
    assert.equal(queue.items[0]!.status, 'done');
    assert.deepEqual(endpoint.of('abort'), []);
  });

  it('retries a failed part alone; progress drops back by that part only', async () => {
    const { endpoint, fake, queue, events, loaded, clock } = setup({ partSize: 10, parallelChunks: 2, auto: false });
    queue.add([makeSource('a.bin', 40)]);
    await until(() => fake.pending().length === 2);
    const [first, second] = fake.pending();
    first!.progress(6);
    second!.progress(8);
    endpoint.store(first!);
    await flush();
    second!.respond(503, 'Slow Down');
    await flush();
    // 10 acknowledged + part 2's 8 bytes in flight at most.
    assert.equal(Math.max(...loaded), 18);
    // The backoff before part 2's retry (500 ms with this jitter).
    await clock.advance(1000);
    await until(() => fake.pending().length > 0);
    for (let round = 0; round < 200 && fake.pending().length; round++) {
      for (const r of fake.pending()) endpoint.store(r);
      await flush();
    }
    await until(() => events.length > 0);
    assert.match(events[0]!, /^success /);
    const sent = fake.requests.map(partNumber);
    assert.deepEqual(
      sent.filter((n) => n === 2),
      [2, 2],
      'part 2 sent twice',
    );
    assert.deepEqual(sent.filter((n) => n !== 2).sort(), [1, 3, 4], 'every other part once');
    const drop = loaded.findIndex((value, i) => i > 0 && value < loaded[i - 1]!);
    assert.ok(loaded[drop - 1]! - loaded[drop]! <= 8, `dropped ${loaded[drop - 1]} → ${loaded[drop]}`);
  });

  it('signs an expired part URL again once, and fails with `expired` (no loop) when the fresh one is refused too', async () => {
    const expired = '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>';
    // Part 2's first URL has expired: signed again, alone.
    const once = setup({ partSize: 10, parallelChunks: 1, auto: false });
    once.queue.add([makeSource('b.bin', 30)]);
    let refusedOnce = false;
    for (let round = 0; round < 200 && !once.events.length; round++) {
      for (const r of once.fake.pending()) {
        if (partNumber(r) === 2 && !refusedOnce) {
          refusedOnce = true;
          r.respond(403, expired);
        } else once.endpoint.store(r);
      }
      await flush();
    }
    assert.match(once.events[0]!, /^success /);
    const batches = once.endpoint.of('sign-parts').map((action) => action.partNumbers);
    assert.deepEqual(batches, [[1, 2, 3], [2]]);

    // Every URL expired (the store's clock and the signer's disagree): a second "expired" for the same part is final.
    const always = setup({ partSize: 10, parallelChunks: 1, auto: false });
    always.queue.add([makeSource('c.bin', 30)]);
    for (let round = 0; round < 200 && !always.events.length; round++) {
      for (const r of always.fake.pending()) r.respond(403, expired);
      await flush();
    }
    assert.match(always.events[0]!, / expired$/);
    // Once per pass of the queue: the first URL, then one renewal, and the queue's own one sign again.
    assert.ok(always.fake.requests.length <= 4, `${always.fake.requests.length} PUTs`);
  });

  it('signs a part again before sending it when its URL expired by our clock (the endpoint gives the expiry)', async () => {
    const clock = createClock();
    // URLs valid for 60 s of the endpoint's clock, which is ours here (the signer moves it onto ours by the Date header).
    const endpoint = createEndpoint(10, () => Math.floor(clock.now() / 1000) + 60);
    const fake = createTransport();
    const events: string[] = [];
    const queue = createUploadQueue<TestSource>({
      sign: endpoint.sign,
      transport: fake.transport,
      clock,
      random: fixedRandom(0),
      parallelChunks: 1,
      stallTimeout: 0,
      onSuccess: () => events.push('done'),
      onError: (_, error) => events.push(error.code),
    });
    queue.add([makeSource('slow.bin', 30)]);
    await until(() => fake.pending().length === 1);
    // Part 1 takes two minutes: parts 2 and 3, signed with it, have expired by then.
    await clock.advance(120_000);
    endpoint.store(fake.pending()[0]!);
    for (let round = 0; round < 200 && !events.length; round++) {
      for (const r of fake.pending()) endpoint.store(r);
      await flush();
    }
    assert.deepEqual(events, ['done']);
    assert.deepEqual(
      endpoint.of('sign-parts').map((action) => action.partNumbers),
      [[1, 2, 3], [2], [3]],
    );
    // No request went out with an expired URL.
    assert.deepEqual(fake.requests.map(partNumber), [1, 2, 3]);
  });

  it('does not judge part URLs by a clock that calls fresh ones expired (no loop, no refusal)', async () => {
    const clock = createClock();
    // The endpoint's expiries are three hours behind our clock (its Date header was not readable).
    const endpoint = createEndpoint(10, () => Math.floor(clock.now() / 1000) - 3 * 3600 + 60);
    const fake = createTransport((request) => endpoint.store(request));
    const events: string[] = [];
    const queue = createUploadQueue<TestSource>({
      sign: endpoint.sign,
      transport: fake.transport,
      clock,
      random: fixedRandom(0),
      parallelChunks: 1,
      onSuccess: () => events.push('done'),
      onError: (_, error) => events.push(error.code),
    });
    queue.add([makeSource('skewed.bin', 30)]);
    await until(() => events.length > 0);
    assert.deepEqual(events, ['done']);
    assert.equal(endpoint.of('sign-parts').length, 1);
    assert.equal(fake.requests.length, 3);
  });

  it('aborts a hanging part after the stall timeout and sends it again', async () => {
    const { endpoint, fake, queue, events, clock } = setup({ partSize: 10, parallelChunks: 2, auto: false, stallTimeout: 5000 });
    queue.add([makeSource('h.bin', 20)]);
    await until(() => fake.pending().length === 2);
    const [first, hanging] = fake.pending();
    endpoint.store(first!);
    await flush();
    // Part 2 never answers: after 5 s without progress it fails with `timeout` and is retried (same URL, no new sign).
    await clock.advance(5000);
    assert.equal(hanging!.settled, true);
    // The backoff before its retry.
    await clock.advance(1000);
    await until(() => fake.pending().length === 1);
    assert.equal(partNumber(fake.pending()[0]!), 2);
    endpoint.store(fake.pending()[0]!);
    await until(() => events.length > 0);
    assert.match(events[0]!, /^success /);
    assert.equal(endpoint.of('sign-parts').length, 1);
  });

  it('fails with a clear invalid_response naming the CORS rule when the ETag is not readable', async () => {
    const { endpoint, fake, queue, events } = setup({ partSize: 10, auto: false });
    queue.add([makeSource('d.bin', 15)]);
    await until(() => fake.pending().length > 0);
    fake.pending()[0]!.respond(200, '');
    await until(() => events.length > 0);
    assert.match(events[0]!, / invalid_response$/);
    const item = queue.items[0]!;
    assert.ok(item.status === 'error');
    assert.match(item.error.message, /ExposeHeaders: ETag/);
    // The failed upload is still there to retry: not aborted until the file is removed.
    assert.deepEqual(endpoint.of('abort'), []);
    queue.remove(item.id);
    assert.equal(endpoint.of('abort').length, 1);
  });

  it('pause and resume: list-parts, then only the parts the storage does not hold as recorded (wrong ETag or size) go again', async () => {
    const { endpoint, fake, queue, events } = setup({ partSize: 10, parallelChunks: 2, auto: false });
    const [item] = queue.add([makeSource('p.bin', 50)]);
    // Parts 1-4 are stored; part 5 is in flight when the user pauses.
    for (let round = 0; round < 200 && !fake.pending().some((r) => partNumber(r) === 5); round++) {
      for (const r of fake.pending()) if (partNumber(r) <= 4) endpoint.store(r);
      await flush();
    }
    for (const r of fake.pending()) if (partNumber(r) <= 4) endpoint.store(r);
    await flush();
    queue.pause(item!.id);
    await flush();
    assert.equal(queue.items[0]!.status, 'paused');
    const upload = endpoint.uploads.get('up1')!;
    assert.deepEqual([...upload.parts.keys()].sort(), [1, 2, 3, 4]);
    // The store now disagrees: part 2 has another ETag, part 3 another size.
    upload.parts.set(2, { etag: '"other"', size: 10 });
    upload.parts.set(3, { etag: upload.parts.get(3)!.etag, size: 7 });
    const before = fake.requests.length;
    queue.resume(item!.id);
    await until(() => endpoint.of('list-parts').length === 1);
    for (let round = 0; round < 200 && !events.length; round++) {
      for (const r of fake.pending()) endpoint.store(r);
      await flush();
    }
    assert.match(events[0]!, /^success /);
    assert.deepEqual(
      fake.requests
        .slice(before)
        .map(partNumber)
        .sort((a, b) => a - b),
      [2, 3, 5],
    );
    // No second upload was created: the same one went on.
    assert.equal(endpoint.of('complete')[0]!.uploadId, 'up1');
    assert.deepEqual(endpoint.objects, [{ key: 'k/p.bin', size: 50, parts: 5 }]);
  });

  it('retry() of a failed multipart upload goes on from the listed parts', async () => {
    const { endpoint, fake, queue, events } = setup({ partSize: 10, parallelChunks: 1, retries: 0, auto: false });
    const [item] = queue.add([makeSource('r.bin', 30)]);
    await until(() => fake.pending().length === 1);
    endpoint.store(fake.pending()[0]!);
    await until(() => fake.pending().length === 1);
    fake.pending()[0]!.fail('network');
    await until(() => events.length === 1);
    assert.match(events[0]!, / network$/);
    queue.retry(item!.id);
    for (let round = 0; round < 200 && events.length < 2; round++) {
      for (const r of fake.pending()) endpoint.store(r);
      await flush();
    }
    assert.match(events[1]!, /^success /);
    assert.equal(endpoint.of('list-parts').length, 1);
    assert.deepEqual(fake.requests.map(partNumber), [1, 2, 2, 3]);
  });

  it('starts a new upload (session_lost in history) when sign-parts is refused for an aborted upload', async () => {
    const { endpoint, fake, queue, events } = setup({ partSize: 10, parallelChunks: 1, auto: false });
    queue.add([makeSource('s.bin', 30)]);
    await until(() => fake.pending().length === 1);
    endpoint.store(fake.pending()[0]!);
    await flush();
    // A lifecycle rule (or another tab) aborted the upload: part 2's URL is asked for an upload that is gone.
    endpoint.uploads.delete('up1');
    for (let round = 0; round < 200 && !events.length; round++) {
      for (const r of fake.pending()) endpoint.store(r);
      await flush();
    }
    assert.match(events[0]!, /^success /);
    const item = queue.items[0]!;
    assert.deepEqual(
      item.history?.map((error) => error.code),
      ['session_lost'],
    );
    // up1 is asked to complete once (it might have completed, its answer lost): it is gone, so a new upload goes.
    assert.deepEqual(
      endpoint.of('complete').map((action) => action.uploadId),
      ['up1', 'up2'],
    );
    assert.deepEqual(endpoint.objects, [{ key: 'k/s.bin', size: 30, parts: 3 }]);
  });

  it('sends abort once, fire-and-forget, on cancel, on remove and for a paused file; a failing abort is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { endpoint, fake, queue, events } = setup({ partSize: 10, parallelChunks: 2, auto: false });
      const [a, b, c] = queue.add([makeSource('x.bin', 40), makeSource('y.bin', 40), makeSource('z.bin', 40)]);
      await until(() => fake.pending().length === 6);
      endpoint.setHook((action) => {
        if (action.action === 'abort' && action.uploadId === 'up2') throw new UploadError('network', 'offline');
      });
      queue.cancel(a!.id);
      queue.remove(b!.id);
      queue.pause(c!.id);
      await flush();
      queue.cancel(c!.id);
      queue.clear();
      await flush();
      await flush();
      assert.deepEqual(
        endpoint
          .of('abort')
          .map((action) => action.uploadId)
          .sort(),
        ['up1', 'up2', 'up3'],
      );
      assert.deepEqual([...endpoint.uploads.keys()], ['up2']);
      assert.ok(events.every((event) => event.startsWith('cancel')));
      assert.equal(fake.pending().length, 0);
      assert.equal(status(queue.items), '');
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('never uses more than 10,000 parts: the part size grows', async () => {
    const MiB = 2 ** 20;
    // 10,000 MiB + 1 byte in parts of 1 MiB would be 10,001 parts: 2 MiB parts, 5,001 of them.
    const size = 10_000 * MiB + 1;
    const source: Source & { slice(start?: number, end?: number): { size: number } } = {
      name: 'huge.bin',
      type: '',
      size,
      slice: (start = 0, end = size) => ({ size: end - start }),
    };
    const endpoint = createEndpoint(MiB);
    const fake = createTransport((request) => endpoint.store(request));
    const target = await endpoint.sign(source, { signal: new AbortController().signal });
    const file = await uploadSource(target, source, {
      transport: fake.transport,
      clock: createClock(),
      random: fixedRandom(),
      signal: new AbortController().signal,
      parallelChunks: 8,
      sign: endpoint.sign as never,
    });
    assert.equal(file.filesize, size);
    const numbers = fake.requests.map(partNumber);
    assert.equal(Math.max(...numbers), 5001);
    assert.equal(new Set(numbers).size, 5001);
    assert.equal(sizeOf(fake.requests.find((r) => partNumber(r) === 1)!.request.body), 2 * MiB);
    assert.equal(sizeOf(fake.requests.find((r) => partNumber(r) === 5001)!.request.body), 1);
    // Batches of at most 16 (2 × 8 in flight), so about 313 sign-parts calls, never one for everything.
    assert.ok(endpoint.of('sign-parts').every((action) => (action.partNumbers as number[]).length <= 16));
    assert.deepEqual(endpoint.objects, [{ key: 'k/huge.bin', size, parts: 5001 }]);
  });

  it('keeps the upload, its parts and their ETags in the ResumeState (what `persist` stores)', async () => {
    const endpoint = createEndpoint(10);
    const fake = createTransport((request) => endpoint.store(request));
    const source = makeSource('k.bin', 25);
    const state = { acked: new Set<number>() } as import('../../src/core/upload.js').ResumeState;
    const target = await endpoint.sign(source, { signal: new AbortController().signal });
    const controller = new AbortController();
    const progress: number[] = [];
    const upload = uploadSource(target, source, {
      transport: fake.transport,
      clock: createClock(),
      random: fixedRandom(),
      signal: controller.signal,
      parallelChunks: 1,
      sign: endpoint.sign as never,
      state,
      onProgress: (loaded) => {
        progress.push(loaded);
        if (loaded >= 20) controller.abort();
      },
    });
    await assert.rejects(upload, { code: 'aborted' });
    assert.deepEqual(state.multipart, { uploadId: 'up1', key: 'k/k.bin', partSize: 10 });
    assert.equal(state.chunkSize, 10);
    assert.deepEqual([...state.acked], [0, 1]);
    assert.deepEqual(
      [...state.parts!],
      [
        [1, { etag: '"e1-10"', size: 10 }],
        [2, { etag: '"e2-10"', size: 10 }],
      ],
    );
    assert.equal(typeof state.discard, 'function');
    // Aborting the run (a pause) sends no abort; discard does, once.
    assert.deepEqual(endpoint.of('abort'), []);
    state.discard!();
    state.discard!();
    await flush();
    assert.equal(endpoint.of('abort').length, 1);
  });
});

describe('presigned POST targets', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's placeholder.
  const fields = { key: 'user-1/${filename}', 'Content-Type': 'text/plain', policy: 'eyJ…', 'x-amz-signature': 'abc' };

  it('sends multipart/form-data: every field in order, then the file last as `file`; the File object is built locally', async () => {
    const fake = createTransport((request) => request.respond(204, '', { ETag: '"abc"' }));
    const source = new File(['hello post'], 'notes.txt', { type: 'text/plain' });
    const file = await uploadSource({ url: 'https://bucket.s3.test/', method: 'POST', fields }, source, {
      transport: fake.transport,
      clock: createClock(),
      random: fixedRandom(),
      signal: new AbortController().signal,
    });
    const [{ request }] = fake.requests as [FakeRequest];
    assert.equal(request.method, 'POST');
    assert.equal(request.url, 'https://bucket.s3.test/');
    assert.deepEqual(request.headers, {});
    const form = request.body as FormData;
    assert.deepEqual([...form.keys()], ['key', 'Content-Type', 'policy', 'x-amz-signature', 'file']);
    assert.equal(form.get('key'), fields.key);
    assert.equal(await (form.get('file') as File).text(), 'hello post');
    assert.deepEqual(file, {
      url: 'https://bucket.s3.test/user-1/notes.txt',
      type: 'text/plain',
      kind: 'other',
      filesize: 10,
      filename: 'notes.txt',
      etag: '"abc"',
    });
  });

  it('takes 201 with an XML body as success and joins a path-style URL with the key', async () => {
    const xml = '<?xml version="1.0"?><PostResponse><Location>x</Location><Key>a b/c.txt</Key></PostResponse>';
    const fake = createTransport((request) => request.respond(201, xml));
    const file = await uploadSource(
      { url: 'http://127.0.0.1:9000/uploads', method: 'POST', fields: { key: 'a b/c.txt' } },
      new File(['x'], 'c.txt'),
      { transport: fake.transport, clock: createClock(), random: fixedRandom(), signal: new AbortController().signal },
    );
    assert.equal(file.url, 'http://127.0.0.1:9000/uploads/a%20b/c.txt');
  });

  it("fails with the store's message when the policy refuses the file (content-length-range)", async () => {
    const xml =
      "<Error><Code>EntityTooLarge</Code><Message>Your proposed upload does not fit the policy's content-length-range.</Message></Error>";
    const fake = createTransport((request) => request.respond(400, xml));
    await assert.rejects(
      uploadSource({ url: 'https://bucket.s3.test/', method: 'POST', fields }, new File(['x'], 'a.txt'), {
        transport: fake.transport,
        clock: createClock(),
        random: fixedRandom(),
        signal: new AbortController().signal,
      }),
      (error: UploadError) => error.code === 'upload_failed' && error.status === 400 && /content-length-range/.test(error.serverMessage!),
    );
  });

  it('still refuses every other method, and POST without fields', async () => {
    const options = {
      transport: createTransport().transport,
      clock: createClock(),
      random: fixedRandom(),
      signal: new AbortController().signal,
    };
    for (const target of [
      { url: 'https://s.test/', method: 'POST' },
      { url: 'https://s.test/', method: 'DELETE', fields: { key: 'a' } },
      { url: 'https://s.test/', fields: { key: 'a' } },
      { url: 'https://s.test/', method: 'PATCH' },
    ]) {
      await assert.rejects(uploadSource(target, new File(['x'], 'a.txt'), options), { code: 'invalid_target' }, JSON.stringify(target));
    }
  });
});

describe('reading multipart and POST answers (SPEC §5.4, §5.5)', async () => {
  const { parseSignResponse } = await import('../../src/core/response.js');
  const { createSigner } = await import('../../src/core/sign.js');

  it('reads { multipart } (bare or in { data }) as a target whose url is the endpoint', () => {
    for (const body of [
      { multipart: { uploadId: 'u1', key: 'a/b.mp4', partSize: 67108864 } },
      { data: { multipart: { uploadId: 'u1', key: 'a/b.mp4', partSize: 67108864 } } },
    ]) {
      assert.deepEqual(parseSignResponse(200, JSON.stringify(body), { baseUrl: 'https://app.test/page', endpoint: '/api/upload' }), {
        url: 'https://app.test/api/upload',
        multipart: { uploadId: 'u1', key: 'a/b.mp4', partSize: 67108864 },
      });
    }
    // Without an endpoint (a getUploadUrl alone) there is nowhere to sign the parts.
    assert.throws(
      () =>
        parseSignResponse(200, JSON.stringify({ multipart: { uploadId: 'u', key: 'k', partSize: 5 } }), { baseUrl: 'https://app.test/' }),
      /endpoint/,
    );
    for (const multipart of [
      { key: 'k', partSize: 5 },
      { uploadId: 'u', partSize: 5 },
      { uploadId: 'u', key: 'k', partSize: 0 },
    ]) {
      assert.throws(() => parseSignResponse(200, JSON.stringify({ multipart }), { endpoint: 'https://app.test/x' }), {
        code: 'sign_failed',
      });
    }
  });

  it('reads { url, method: POST, fields } with the fields in order, as strings; refuses fields with another method', () => {
    const target = parseSignResponse(
      200,
      JSON.stringify({ url: 'https://b.s3.test/', method: 'POST', fields: { key: 'k', 'Content-Type': 'a/b', n: 5 } }),
    );
    assert.deepEqual(target, {
      url: 'https://b.s3.test/',
      resumable: false,
      method: 'POST',
      fields: { key: 'k', 'Content-Type': 'a/b', n: '5' },
    });
    assert.deepEqual(Object.keys(target.fields!), ['key', 'Content-Type', 'n']);
    assert.throws(() => parseSignResponse(200, JSON.stringify({ url: 'https://b.s3.test/', method: 'POST' })), { code: 'invalid_target' });
    assert.throws(() => parseSignResponse(200, JSON.stringify({ url: 'https://b.s3.test/', method: 'PUT', fields: { key: 'k' } })), {
      code: 'invalid_target',
    });
  });

  it('sends an action as JSON to the endpoint with its headers and credentials, and reads the JSON answer', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const fetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return init.body!.toString().includes('"abort"')
        ? new Response('{"kind":"upload_not_found","message":"gone"}', { status: 404 })
        : new Response('{"urls":{"1":"https://s3.test/p1"},"expiry":100}', { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const sign = createSigner({
      endpoint: () => '/api/upload',
      baseUrl: () => 'https://app.test/',
      headers: () => ({ 'X-CSRF': 't' }),
      withCredentials: () => true,
      fetch,
    });
    const signal = new AbortController().signal;
    const answer = await sign(makeSource('a', 1), { signal, action: { action: 'sign-parts', uploadId: 'u', key: 'k', partNumbers: [1] } });
    assert.deepEqual(answer, { urls: { 1: 'https://s3.test/p1' }, expiry: 100 });
    assert.equal(seen[0]!.url, 'https://app.test/api/upload');
    assert.deepEqual(seen[0]!.init.headers, { 'Content-Type': 'application/json', 'X-CSRF': 't' });
    assert.equal(seen[0]!.init.credentials, 'include');
    assert.deepEqual(JSON.parse(seen[0]!.init.body as string), { action: 'sign-parts', uploadId: 'u', key: 'k', partNumbers: [1] });
    await assert.rejects(sign(makeSource('a', 1), { signal, action: { action: 'abort', uploadId: 'u', key: 'k' } }), {
      code: 'sign_failed',
      status: 404,
      serverMessage: 'gone',
    });
    // getUploadUrl alone has no endpoint to sign parts at.
    const alone = createSigner({ getUploadUrl: () => () => 'https://x.test/' });
    await assert.rejects(alone(makeSource('a', 1), { signal, action: { action: 'abort', uploadId: 'u', key: 'k' } }), /endpoint/);
  });
});

describe('S3 multipart with persist (onAck and a restored record)', () => {
  it('onAck reports the upload before any part goes (awaited), then each part the store took; a restored record lists and sends the rest', async () => {
    const { recordOf, stateOf, fingerprintOf } = await import('../../src/browser/resume-store.js');
    const acks: Array<{ uploadId?: string; parts: number[]; target?: string }> = [];
    let first: (() => void) | undefined;
    let kept: ResumeState | undefined;
    const { endpoint, fake, queue } = setup({
      partSize: 10,
      parallelChunks: 1,
      auto: false,
      onAck: (state) => {
        kept = state;
        acks.push({ uploadId: state.multipart?.uploadId, parts: [...state.parts!.keys()], target: state.target?.multipart?.uploadId });
        if (acks.length === 1) return new Promise<void>((resolve) => (first = resolve));
        return undefined;
      },
    });
    const source = makeSource('big.bin', 35);
    queue.add([source]);
    await until(() => !!first);
    // The first write is awaited: no part goes before it settles.
    assert.deepEqual(acks, [{ uploadId: 'up1', parts: [], target: 'up1' }]);
    assert.equal(fake.pending().length, 0);
    first!();
    // Parts 1 and 2 are taken; part 3 is in flight when the page goes.
    for (const number of [1, 2]) {
      await until(() => fake.pending().length === 1);
      assert.equal(partNumber(fake.pending()[0]!), number);
      endpoint.store(fake.pending()[0]!);
    }
    await until(() => acks.length === 3 && fake.pending().length === 1);
    assert.deepEqual(acks.slice(1), [
      { uploadId: 'up1', parts: [1], target: 'up1' },
      { uploadId: 'up1', parts: [1, 2], target: 'up1' },
    ]);
    // What a store writes (IndexedDB's structured clone: Maps are kept, functions are not allowed) and reads back.
    const file = { name: source.name, size: source.size, lastModified: 0, type: '' };
    const record = structuredClone(recordOf('k', fingerprintOf(file as File), kept!, 0));
    assert.equal(record.loaded, 20);
    assert.ok(record.state.parts instanceof Map);
    const restored = stateOf(record);
    assert.equal(restored.probe, false, 'a multipart upload resumes by list-parts, never the status probe');

    // The next visit: the same file, the restored state. Only parts 3 and 4 go, after one list-parts; no new upload.
    const next = setup({ partSize: 10, parallelChunks: 1 });
    const actions: MultipartAction[] = [];
    const requests: FakeRequest[] = [];
    const sign: SignFunction<Source> = async (s, ctx) => {
      if (ctx.action) actions.push(ctx.action);
      return endpoint.sign(s, ctx);
    };
    const later = createUploadQueue<TestSource>({
      sign,
      transport: createTransport((request) => {
        requests.push(request);
        endpoint.store(request);
      }).transport,
      clock: next.clock,
      random: fixedRandom(0),
      parallelChunks: 1,
      onSuccess: (_, f) => actions.push({ action: 'done', uploadId: f.url, key: '' } as never),
    });
    later.add([{ source, resume: restored }]);
    await until(() => actions.some((a) => (a.action as string) === 'done'));
    assert.deepEqual(
      actions.map((a) => a.action),
      ['list-parts', 'sign-parts', 'complete', 'done'],
    );
    assert.ok(actions.every((a) => (a.action as string) === 'done' || a.uploadId === 'up1'));
    assert.deepEqual(requests.map(partNumber), [3, 4]);
    assert.ok(
      requests.every((r) => !r.request.headers['Content-Range']),
      'no status probe',
    );
    assert.deepEqual(endpoint.objects.at(-1), { key: 'k/big.bin', size: 35, parts: 4 });
  });

  it('a restored upload that had completed (the page went before its answer counted) ends done by complete again: nothing sent again, no session_lost', async () => {
    const { recordOf, stateOf, fingerprintOf } = await import('../../src/browser/resume-store.js');
    let kept: ResumeState | undefined;
    const { endpoint, queue, events } = setup({ partSize: 10, onAck: (state) => void (kept = state) });
    const source = makeSource('finished.bin', 25);
    queue.add([source]);
    await until(() => events.length === 1);
    assert.match(events[0]!, /^success /);
    // The record as the last part left it: every part, the upload complete at the store since.
    const file = { name: source.name, size: source.size, lastModified: 0, type: '' };
    const restored = stateOf(structuredClone(recordOf('k', fingerprintOf(file as File), kept!, 0)));
    assert.equal(restored.parts!.size, 3);

    const requests: FakeRequest[] = [];
    const later = setup({ partSize: 10, sign: endpoint.sign });
    later.fake.transport.send = async (request) => {
      requests.push({ request } as FakeRequest);
      throw new Error('no part is sent again');
    };
    const before = endpoint.actions.length;
    const [item] = later.queue.add([{ source, resume: restored }]);
    await until(() => later.events.length === 1);
    assert.deepEqual(later.events, [`success ${item!.id} https://cdn.test/k/finished.bin`]);
    assert.deepEqual(
      endpoint.actions.slice(before).map((action) => action.action),
      ['list-parts', 'complete'],
    );
    assert.deepEqual(requests, []);
    assert.equal(later.queue.items[0]!.history, undefined, 'no session_lost');
    assert.equal(endpoint.objects.length, 1, 'no second upload');
    assert.equal(endpoint.uploads.size, 0);
  });

  it('a restored upload signed anew (its record has no usable target) aborts the recorded one, as discard would', async () => {
    const { stateOf } = await import('../../src/browser/resume-store.js');
    const { endpoint, queue } = setup({ partSize: 10 });
    const source = makeSource('gone.bin', 25);
    // A record of an upload this endpoint knows, without a target: the queue signs again (a new upload).
    await endpoint.sign(source, { signal: new AbortController().signal });
    const restored = stateOf({
      id: 'x',
      key: 'k',
      file: { name: source.name, size: 25, lastModified: 0, type: '' },
      state: {
        acked: [0],
        multipart: { uploadId: 'up1', key: 'k/gone.bin', partSize: 10 },
        parts: new Map([[1, { etag: '"x"', size: 10 }]]),
        chunkSize: 10,
      },
      loaded: 10,
      updated: 0,
      expires: 1,
    });
    queue.add([{ source, resume: restored }]);
    await until(() => endpoint.objects.length === 1);
    assert.deepEqual(
      endpoint.of('abort').map((a) => a.uploadId),
      ['up1'],
    );
    assert.equal(endpoint.uploads.size, 0, 'no upload left in progress');
    assert.deepEqual(endpoint.objects, [{ key: 'k/gone.bin', size: 25, parts: 3 }]);
  });
});
