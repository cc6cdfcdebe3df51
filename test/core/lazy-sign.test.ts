// The elements' signer (sign-loader.ts `lazySigner`): the signing code is imported when the first file is queued,
// not with the page, and a failed import is a network failure like a failed signing request.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { createUploadQueue } from '../../src/core/queue.js';
import { lazy } from '../../src/core/shared.js';
import { failing as failurePath } from '../../src/core/retry.js';
import { lazySigner, signingTools } from '../../src/core/sign-loader.js';
import type { Signing } from '../../src/core/signing.js';
import type { Transport, UploadTarget } from '../../src/core/types.js';
import { startServer, storedFiles, type TestServer } from '../server/helpers.js';
import { createClock, createTransport, makeSource, type FakeRequest, type TestSource } from './helpers.js';

/**
 * A loader as sign-loader.ts makes it (`lazy` around the import), counting imports. With `failing`, the first import
 * fails when the test calls `fail()` (so that the queue is waiting for it then), as an offline page's would.
 */
function countingLoader(failing = false) {
  const counter = { imports: 0, fail: () => {} };
  const load = lazy<Signing>(() => {
    counter.imports += 1;
    if (failing && counter.imports === 1) {
      return new Promise((_, reject) => (counter.fail = () => reject(new TypeError('Failed to fetch dynamically imported module'))));
    }
    return import('../../src/core/signing.js').then((module) => module.signing(signingTools(failurePath)));
  }, 'signing');
  return { counter, load };
}

const target = (source: TestSource): UploadTarget => ({ url: `https://s.test/${source.name}?sig=1` });

/** A transport whose next request resolves `next()`: the queue got past signing. */
function watchedTransport() {
  let arrived: (request: FakeRequest) => void = () => {};
  const fake = createTransport((request) => arrived(request));
  return { fake, next: () => new Promise<FakeRequest>((resolve) => (arrived = resolve)) };
}

describe('lazySigner', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('signs at the real server with the code it imports, and the file is stored', async () => {
    const transport: Transport = {
      async send(request, io) {
        const res = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: Buffer.from((request.body as TestSource).bytes),
          signal: io.signal,
        });
        return { status: res.status, text: await res.text(), header: (name) => res.headers.get(name) };
      },
    };
    const file = await new Promise((resolve, reject) => {
      const queue = createUploadQueue<TestSource>({
        sign: lazySigner({ endpoint: () => '/upload-url', baseUrl: () => server.url }),
        transport,
        onSuccess: (_, done) => resolve(done),
        onError: (_, error) => reject(error),
      });
      queue.add([makeSource('lazy.txt', 'signed lazily', 'text/plain')]);
    });
    assert.equal((file as { filename: string }).filename, 'lazy.txt');
    assert.deepEqual(await storedFiles(server.dir), ['lazy.txt']);
    assert.equal(await readFile(join(server.dir, 'lazy.txt'), 'utf8'), 'signed lazily');
  });

  it('starts importing when a file is queued (before upload() with autoStart off), once for every file', async () => {
    const { counter, load } = countingLoader();
    const signed: string[] = [];
    const { fake, next } = watchedTransport();
    const queue = createUploadQueue<TestSource>({
      sign: lazySigner({ getUploadUrl: () => (source) => (signed.push(source.name), target(source)) }, load),
      transport: fake.transport,
      clock: createClock(),
      autoStart: false,
    });
    assert.equal(counter.imports, 0, 'nothing is imported before a file is queued');
    queue.add([makeSource('a.bin', 10)]);
    assert.equal(counter.imports, 1);
    assert.equal(queue.items[0]!.status, 'queued');
    const sent = next();
    queue.upload();
    (await sent).respond(200);
    const second = next();
    queue.add([makeSource('b.bin', 10)]);
    queue.upload();
    assert.equal((await second).request.url, 'https://s.test/b.bin?sig=1');
    assert.deepEqual(signed, ['a.bin', 'b.bin']);
    assert.equal(counter.imports, 1, 'imported once');
  });

  it('a failed import waits for the network, as a failed signing request does, then imports again', async () => {
    const { counter, load } = countingLoader(true);
    const { fake, next } = watchedTransport();
    const errors: string[] = [];
    let backOnline!: () => void;
    let online = false;
    let waited!: () => void;
    const waiting = new Promise<void>((resolve) => (waited = resolve));
    const queue = createUploadQueue<TestSource>({
      sign: lazySigner({ getUploadUrl: () => target }, load),
      transport: fake.transport,
      clock: createClock(),
      // No retry to spend: only waiting for the network gets the file through.
      retries: 0,
      whenOnline: () => {
        if (online) return undefined;
        waited();
        return new Promise<void>((resolve) => (backOnline = resolve));
      },
      onError: (_, error) => errors.push(error.code),
    });
    queue.add([makeSource('offline.bin', 10)]);
    counter.fail();
    await waiting;
    assert.equal(queue.items[0]!.status, 'signing');
    assert.equal(fake.requests.length, 0);
    const sent = next();
    online = true;
    backOnline();
    assert.equal((await sent).request.url, 'https://s.test/offline.bin?sig=1');
    assert.equal(counter.imports, 2);
    assert.deepEqual(errors, []);
  });

  it('a failed import fails the signing with a retryable `unavailable` error naming the chunk, and a retry imports again', async () => {
    const { counter, load } = countingLoader(true);
    const { fake, next } = watchedTransport();
    let onError!: (error: UploadError) => void;
    const failed = new Promise<UploadError>((resolve) => (onError = resolve));
    const queue = createUploadQueue<TestSource>({
      sign: lazySigner({ getUploadUrl: () => target }, load),
      transport: fake.transport,
      clock: createClock(),
      retries: 0,
      onError: (_, error) => onError(error),
    });
    const [item] = queue.add([makeSource('retry.bin', 10)]);
    counter.fail();
    const error = await failed;
    assert.ok(error instanceof UploadError);
    assert.equal(error.code, 'unavailable');
    assert.match(error.message, /chunks\/signing-\*\.js: Failed to fetch dynamically imported module/);
    assert.equal(error.retryable, true);
    assert.equal(queue.items[0]!.status, 'error');
    const sent = next();
    queue.retry(item!.id);
    assert.equal((await sent).request.url, 'https://s.test/retry.bin?sig=1');
    assert.equal(counter.imports, 2);
  });
});
