import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { UploadError } from '../../src/core/errors.js';
import type { UploadTarget } from '../../src/core/types.js';
import { uploadSource, type UploadOptions } from '../../src/core/upload.js';
import {
  createClock,
  createTransport,
  fixedRandom,
  flush,
  ittybitTarget,
  loadChunkedPath,
  makeSource,
  sizeOf,
  type FakeRequest,
  type TestSource,
} from './helpers.js';

const setup = (extra: Partial<UploadOptions> = {}, onRequest?: (request: FakeRequest) => void) => {
  const clock = createClock();
  const fake = createTransport(onRequest);
  const controller = new AbortController();
  const progress: number[] = [];
  const options: UploadOptions = {
    transport: fake.transport,
    clock,
    random: fixedRandom(0),
    signal: controller.signal,
    onProgress: (loaded) => progress.push(loaded),
    ...extra,
  };
  return { clock, fake, controller, progress, options };
};

const s3 = (headers?: Record<string, string>): UploadTarget => ({
  url: 'https://bucket.s3.amazonaws.com/a.png?X-Amz-Signature=1',
  resumable: false,
  ...(headers && { headers }),
});

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail('expected a rejection'),
    (error: UploadError) => error,
  );

describe('uploadSource: single PUT', () => {
  it('sends PUT with exactly the target headers and a typeless body for a generic target', async () => {
    const { fake, options } = setup();
    const source = makeSource('a.png', 10, 'image/png');
    const result = uploadSource(s3({ 'x-amz-acl': 'private' }), source, options);
    await flush();
    const [request] = fake.requests;
    assert.equal(request!.request.method, 'PUT');
    assert.equal(request!.request.url, 'https://bucket.s3.amazonaws.com/a.png?X-Amz-Signature=1');
    assert.deepEqual(request!.request.headers, { 'x-amz-acl': 'private' });
    const body = request!.request.body as TestSource;
    assert.notEqual(body, source);
    assert.equal(body.type, '');
    assert.deepEqual(body.bytes, source.bytes);
    request!.respond(200, '', { ETag: '"e1"' });
    const file = await result;
    assert.deepEqual(file, {
      url: 'https://bucket.s3.amazonaws.com/a.png',
      type: 'image/png',
      kind: 'image',
      filesize: 10,
      filename: 'a.png',
      etag: '"e1"',
    });
  });

  it('gives a real File body no Content-Type: slice(0, size, "") of a typed Blob is typeless', async () => {
    const { fake, options } = setup();
    const file = new File(['hello'], 'h.txt', { type: 'text/plain' });
    const result = uploadSource(s3(), file, options);
    await flush();
    const body = fake.requests[0]!.request.body as Blob;
    assert.equal(body.type, '');
    assert.equal(await body.text(), 'hello');
    fake.requests[0]!.respond(204);
    assert.equal((await result).type, 'text/plain');
  });

  it('sends the source itself when the target signed a Content-Type, and for resumable targets', async () => {
    const targets: UploadTarget[] = [s3({ 'Content-Type': 'image/png' }), s3({ 'content-type': 'image/png' }), ittybitTarget()];
    for (const target of targets) {
      const { fake, options } = setup();
      const source = makeSource('a.png', 4, 'image/png');
      const result = uploadSource(target, source, options);
      await flush();
      assert.equal(fake.requests[0]!.request.body, source);
      assert.deepEqual(fake.requests[0]!.request.headers, target.headers ?? {});
      fake.requests[0]!.respond(
        201,
        '{"id":"file_1","url":"https://you.ittybit.net/a.png","kind":"image","type":"image/png","filesize":4}',
      );
      assert.equal((await result).id, 'file_1');
    }
  });

  it('sends the file with PUT only, whatever the target names, and refuses any other method with invalid_target', async () => {
    const { fake, options } = setup();
    const result = uploadSource({ url: 'https://x.test/u', method: 'put' }, makeSource('a', 1), options);
    await flush();
    assert.equal(fake.requests[0]!.request.method, 'PUT');
    fake.requests[0]!.respond(201);
    await result;
    for (const method of ['DELETE', 'PATCH', 'POST', 'GET']) {
      await assert.rejects(
        uploadSource({ url: 'https://x.test/u', method }, makeSource('a', 1), options),
        { code: 'invalid_target' },
        method,
      );
    }
    await assert.rejects(uploadSource({ url: 'ftp://x.test/u' }, makeSource('a', 1), options), { code: 'invalid_target' });
    assert.equal(fake.requests.length, 1, 'nothing is sent to a refused target');
  });

  it('reports progress in bytes of the source', async () => {
    const { fake, options, progress } = setup();
    const result = uploadSource(s3(), makeSource('a', 100), options);
    await flush();
    fake.requests[0]!.progress(40);
    fake.requests[0]!.progress(100);
    fake.requests[0]!.respond(200);
    await result;
    assert.deepEqual(progress, [40, 100]);
  });

  it('rejects a non-2xx answer with the matching UploadError', async () => {
    const cases: [number, string, string, boolean][] = [
      [403, '{"kind":"signature_expired","message":"expired"}', 'expired', false],
      [413, '', 'rejected', false],
      [500, 'boom', 'upload_failed', true],
      [404, '<Error><Message>NoSuchBucket</Message></Error>', 'upload_failed', false],
    ];
    for (const [status, text, code, retryable] of cases) {
      const { fake, options } = setup();
      const result = caught(uploadSource(s3(), makeSource('a', 3), options));
      await flush();
      fake.requests[0]!.respond(status, text);
      const error = await result;
      assert.deepEqual([error.code, error.status, error.retryable], [code, status, retryable]);
    }
  });

  it('passes a transport network error on', async () => {
    const { fake, options } = setup();
    const result = caught(uploadSource(s3(), makeSource('a', 3), options));
    await flush();
    fake.requests[0]!.fail();
    assert.deepEqual([(await result).code, (await result).retryable], ['network', true]);
  });

  it('fails with timeout when no progress comes for stallTimeout, aborting the request', async () => {
    const { fake, options, clock } = setup({ stallTimeout: 30000 });
    const result = caught(uploadSource(s3(), makeSource('a', 100), options));
    await flush();
    const request = fake.requests[0]!;
    await clock.advance(20000);
    request.progress(10);
    await clock.advance(20000);
    request.progress(20);
    await clock.advance(29999);
    assert.equal(request.settled, false);
    await clock.advance(1);
    const error = await result;
    assert.deepEqual([error.code, error.retryable], ['timeout', true]);
    assert.equal(request.io.signal.aborted, true);
    assert.equal(clock.pending, 0);
  });

  it('rejects with aborted when the signal aborts mid-request, and sends nothing when already aborted', async () => {
    const { fake, options, controller } = setup();
    const result = caught(uploadSource(s3(), makeSource('a', 3), options));
    await flush();
    controller.abort();
    assert.equal((await result).code, 'aborted');
    assert.equal(fake.requests[0]!.io.signal.aborted, true);
    assert.equal((await caught(uploadSource(s3(), makeSource('a', 3), options))).code, 'aborted');
    assert.equal(fake.requests.length, 1);
  });

  it('never sends Content-Range to a target that is not resumable', async () => {
    const { fake, options } = setup({ chunkSize: 2 });
    const result = uploadSource(s3(), makeSource('a', 10), options);
    await flush();
    assert.equal(fake.requests.length, 1);
    assert.equal(
      Object.keys(fake.requests[0]!.request.headers).some((h) => h.toLowerCase() === 'content-range'),
      false,
    );
    fake.requests[0]!.respond(200);
    await result;
  });

  it('sends one PUT when the file is not larger than one chunk', async () => {
    const { fake, options } = setup({ chunkSize: 10 });
    const result = uploadSource(ittybitTarget(), makeSource('a', 10), options);
    await flush();
    assert.deepEqual(fake.requests[0]!.request.headers, {});
    fake.requests[0]!.respond(201);
    await result;
  });
});

const ranges = (requests: FakeRequest[]) => requests.map((r) => r.request.headers['Content-Range']);

describe('uploadSource: chunked', () => {
  before(loadChunkedPath);

  it('sends Content-Range slices, at most parallelChunks at once, and the final chunk last and alone', async () => {
    const { fake, options } = setup({ chunkSize: 4, parallelChunks: 2 });
    const source = makeSource('a.bin', 14, 'application/octet-stream');
    const result = uploadSource({ ...ittybitTarget(), headers: { 'X-Extra': '1' } }, source, options);
    await flush();
    assert.deepEqual(ranges(fake.pending()), ['bytes 0-3/14', 'bytes 4-7/14']);
    assert.deepEqual(fake.requests[0]!.request.headers, { 'X-Extra': '1', 'Content-Range': 'bytes 0-3/14' });
    fake.requests[1]!.respond(202);
    await flush();
    assert.deepEqual(ranges(fake.pending()), ['bytes 0-3/14', 'bytes 8-11/14']);
    fake.requests[2]!.respond(202);
    await flush();
    assert.deepEqual(ranges(fake.pending()), ['bytes 0-3/14'], 'the final chunk waits for every other one');
    fake.requests[0]!.respond(202);
    await flush();
    assert.deepEqual(ranges(fake.pending()), ['bytes 12-13/14']);
    const bodies = fake.requests.map((r) => [...(r.request.body as TestSource).bytes]);
    assert.deepEqual(bodies.flat().sort(), [...source.bytes].sort());
    assert.deepEqual((fake.requests[3]!.request.body as TestSource).bytes, source.bytes.subarray(12, 14));
    fake.requests[3]!.respond(
      201,
      '{"id":"file_9","url":"https://you.ittybit.net/a.bin","kind":"other","type":"application/octet-stream","filesize":14}',
    );
    assert.equal((await result).id, 'file_9');
    assert.equal(fake.maxInFlight, 2);
  });

  it('retries a failed chunk alone, after a backoff, while the others go on', async () => {
    const { fake, options, clock, progress } = setup({ chunkSize: 10, parallelChunks: 3, retries: 2 });
    const result = uploadSource(ittybitTarget(), makeSource('a', 40), options);
    await flush();
    const [first, second, third] = fake.requests;
    first!.progress(10);
    second!.progress(6);
    third!.progress(10);
    assert.equal(progress.at(-1), 26);
    second!.respond(503, '', { 'Retry-After': '2' });
    await flush();
    assert.equal(progress.at(-1), 20, 'progress drops by the failed chunk only');
    assert.equal(fake.pending().length, 2, 'no new request before the backoff');
    first!.respond(202);
    third!.respond(202);
    await flush();
    assert.equal(fake.pending().length, 0);
    await clock.advance(2000);
    assert.deepEqual(ranges(fake.pending()), ['bytes 10-19/40']);
    fake.pending()[0]!.respond(202);
    await flush();
    assert.deepEqual(ranges(fake.pending()), ['bytes 30-39/40']);
    fake.pending()[0]!.respond(201);
    await result;
    assert.equal(progress.at(-1), 40);
  });

  it('keeps progress monotonic except by one failed chunk in flight', async () => {
    const { fake, options, progress, clock } = setup({ chunkSize: 5, parallelChunks: 2, retries: 5 });
    const result = uploadSource(ittybitTarget(), makeSource('a', 20), options);
    let step = 0;
    for (let round = 0; round < 50 && (round === 0 || fake.pending().length); round += 1) {
      await flush();
      for (const request of fake.pending()) {
        step += 1;
        request.progress(3);
        if (step % 3 === 0) request.fail();
        else request.respond(request.request.headers['Content-Range']!.startsWith('bytes 15-') ? 201 : 202);
      }
      await clock.advance(5000);
    }
    await result;
    assert.ok(fake.requests.some((request) => request.settled) && step > 4);
    for (let i = 1; i < progress.length; i += 1) {
      assert.ok(progress[i]! >= progress[i - 1]! - 3, `progress ${progress[i - 1]} → ${progress[i]}`);
    }
    assert.equal(progress.at(-1), 20);
  });

  it('fails the whole file when a chunk fails for good, canceling its siblings', async () => {
    const { fake, options } = setup({ chunkSize: 2, parallelChunks: 3 });
    const result = caught(uploadSource(ittybitTarget(), makeSource('a', 10), options));
    await flush();
    fake.requests[1]!.respond(400, '{"message":"bad range"}');
    const error = await result;
    assert.deepEqual([error.code, error.serverMessage], ['upload_failed', 'bad range']);
    assert.equal(fake.requests[0]!.io.signal.aborted, true);
    assert.equal(fake.requests[2]!.io.signal.aborted, true);
    assert.equal(fake.requests.length, 3);
  });

  it('gives up on a chunk after `retries` transient failures', async () => {
    const { fake, options, clock } = setup({ chunkSize: 2, parallelChunks: 1, retries: 2 }, (request) => request.fail());
    const result = caught(uploadSource(ittybitTarget(), makeSource('a', 4), options));
    await clock.runAll();
    assert.equal((await result).code, 'network');
    assert.deepEqual(ranges(fake.requests), ['bytes 0-1/4', 'bytes 0-1/4', 'bytes 0-1/4']);
  });

  it('sends nothing when canceled while the chunked path loads', async () => {
    const { fake, options, controller } = setup({ chunkSize: 2, parallelChunks: 3 });
    const result = caught(uploadSource(ittybitTarget(), makeSource('a', 10), options));
    controller.abort();
    assert.equal((await result).code, 'aborted');
    await flush();
    assert.equal(fake.requests.length, 0);
  });

  it('cancels every chunk in flight on abort', async () => {
    const { fake, options, controller, clock } = setup({ chunkSize: 2, parallelChunks: 3 });
    const result = caught(uploadSource(ittybitTarget(), makeSource('a', 10), options));
    await flush();
    controller.abort();
    assert.equal((await result).code, 'aborted');
    assert.equal(
      fake.requests.every((r) => r.io.signal.aborted && r.settled),
      true,
    );
    await clock.runAll();
    assert.equal(fake.requests.length, 3);
  });

  it('sends an ittybit-style 14-byte file as byte-exact slices', async () => {
    const { fake, options } = setup({ chunkSize: 3, parallelChunks: 4 }, (request) => {
      const final = request.request.headers['Content-Range']!.endsWith('-13/14');
      request.respond(final ? 201 : 202);
    });
    const source = makeSource('z', 14);
    await uploadSource(ittybitTarget(), source, options);
    const stored = new Uint8Array(14);
    for (const { request } of fake.requests) {
      const [, start] = /bytes (\d+)-(\d+)\/14/.exec(request.headers['Content-Range']!)!;
      stored.set((request.body as TestSource).bytes, Number(start));
      assert.equal(sizeOf(request.body) <= 3, true);
    }
    assert.deepEqual(stored, source.bytes);
    assert.equal(ranges(fake.requests).at(-1), 'bytes 12-13/14');
  });
});
