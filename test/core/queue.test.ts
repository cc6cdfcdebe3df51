import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { createUploadQueue, type QueueOptions } from '../../src/core/queue.js';
import type { IttyFile, UploadItem, UploadTarget } from '../../src/core/types.js';
import { createClock, createTransport, fixedRandom, flush, makeSource, type FakeRequest, type TestSource } from './helpers.js';

type Deferred<T> = { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void };
const deferred = <T>(): Deferred<T> => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
};

const targetFor = (source: TestSource): UploadTarget => ({ url: `https://s.test/${source.name}?sig=1`, resumable: false });

type Setup = Partial<QueueOptions<TestSource>> & { onRequest?: (request: FakeRequest) => void };

function setup(extra: Setup = {}) {
  const clock = createClock();
  const fake = createTransport(extra.onRequest);
  const events: string[] = [];
  const signed: { source: TestSource; relativePath?: string; signal: AbortSignal }[] = [];
  let id = 0;
  const queue = createUploadQueue<TestSource>({
    sign: async (source, ctx) => {
      signed.push({ source, ...ctx });
      return targetFor(source);
    },
    transport: fake.transport,
    clock,
    random: fixedRandom(0),
    createId: () => `f${(id += 1)}`,
    onStart: (item) => events.push(`start ${item.id}`),
    onSuccess: (item, file) => events.push(`success ${item.id} ${file.url}`),
    onError: (item, error) => events.push(`error ${item.id} ${error.code}`),
    onCancel: (item) => events.push(`cancel ${item.id}`),
    onComplete: ({ succeeded, failed }) =>
      events.push(`complete ${succeeded.map((f) => f.filename).join(',')} | ${failed.map((i) => i.id).join(',')}`),
    ...extra,
  });
  return { queue, clock, fake, events, signed };
}

const files = (count: number) => Array.from({ length: count }, (_, i) => makeSource(`${i + 1}.txt`, 10 + i, 'text/plain'));
const status = (items: readonly UploadItem[]) => items.map((item) => item.status).join(' ');
const terminal = (events: string[], id: string) => events.filter((e) => /^(success|error|cancel) /.test(e) && e.split(' ')[1] === id);

describe('createUploadQueue', () => {
  it('runs each item queued → signing → uploading → done and reports the File object', async () => {
    const seen: string[] = [];
    const { queue, fake, events } = setup({ onChange: (items) => seen.push(status(items)) });
    const [item] = queue.add(files(1));
    assert.deepEqual([item!.status, item!.loaded, item!.total], ['queued', 0, 10]);
    await flush();
    fake.requests[0]!.progress(4);
    fake.requests[0]!.respond(200, '', { ETag: '"x"' });
    await flush();
    assert.deepEqual([...new Set(seen)], ['queued', 'signing', 'uploading', 'done']);
    const done = queue.items[0]!;
    assert.equal(done.status, 'done');
    assert.equal(done.loaded, 10);
    assert.equal(done.status === 'done' && done.file.etag, '"x"');
    assert.deepEqual(events, ['start f1', 'success f1 https://s.test/1.txt', 'complete 1.txt | ']);
  });

  it('publishes a new array of new objects on every change and never mutates an item', async () => {
    const { queue, fake } = setup();
    queue.add(files(2));
    const before = queue.items;
    const first = before[0]!;
    const frozen = JSON.stringify(first);
    await flush();
    assert.notEqual(queue.items, before);
    assert.equal(JSON.stringify(first), frozen);
    assert.equal(queue.items[1], queue.items[1]);
    fake.requests[0]!.respond(200);
    await flush();
    assert.equal(JSON.stringify(first), frozen);
  });

  it('signs right before the upload, never when the file is added', async () => {
    const { queue, signed, fake } = setup({ autoStart: false });
    queue.add([{ source: makeSource('a.png', 3), relativePath: 'dir/a.png' }]);
    await flush();
    assert.equal(signed.length, 0);
    assert.equal(status(queue.items), 'queued');
    queue.upload();
    await flush();
    assert.equal(signed.length, 1);
    assert.equal(signed[0]!.relativePath, 'dir/a.png');
    assert.equal(queue.items[0]!.relativePath, 'dir/a.png');
    assert.equal(fake.requests.length, 1);
  });

  it('never has more than `concurrency` items signing or uploading', async () => {
    const signs: Deferred<UploadTarget>[] = [];
    const active: number[] = [];
    const { queue, fake } = setup({
      concurrency: 2,
      sign: () => {
        const d = deferred<UploadTarget>();
        signs.push(d);
        return d.promise;
      },
      onChange: (items) => active.push(items.filter((i) => i.status === 'signing' || i.status === 'uploading').length),
    });
    queue.add(files(5));
    await flush();
    assert.equal(signs.length, 2, 'signing counts towards the limit');
    signs[0]!.resolve({ url: 'https://s.test/1' });
    await flush();
    assert.equal(signs.length, 2);
    fake.requests[0]!.respond(200);
    await flush();
    assert.equal(signs.length, 3);
    for (let round = 0; round < 10; round += 1) {
      for (const d of signs) d.resolve({ url: 'https://s.test/x' });
      await flush();
      for (const request of fake.pending()) request.respond(200);
      await flush();
    }
    assert.equal(status(queue.items), 'done done done done done');
    assert.ok(Math.max(...active) <= 2);
    assert.equal(Math.max(...active), 2);
    assert.equal(fake.maxInFlight, 2);
  });

  it('retries transient failures with exponential backoff, re-signing and restarting loaded at 0', async () => {
    const loaded: number[] = [];
    const { queue, fake, clock, events, signed } = setup({ retries: 3, onProgress: (_, value) => loaded.push(value) });
    queue.add(files(1));
    await flush();
    fake.requests[0]!.progress(8);
    fake.requests[0]!.respond(503);
    await flush();
    assert.equal(queue.items[0]!.status, 'uploading', 'still in flight while waiting');
    await clock.advance(499);
    assert.equal(fake.requests.length, 1);
    await clock.advance(1);
    assert.equal(signed.length, 2);
    assert.equal(queue.items[0]!.loaded, 0);
    fake.requests[1]!.fail('network');
    await clock.advance(999);
    assert.equal(fake.requests.length, 2);
    await clock.advance(1);
    fake.requests[2]!.progress(5);
    fake.requests[2]!.respond(201);
    await flush();
    assert.deepEqual(loaded, [8, 5]);
    assert.deepEqual(events, ['start f1', 'success f1 https://s.test/1.txt', 'complete 1.txt | ']);
    assert.deepEqual(
      clock.delays.filter((d) => d !== 30000),
      [500, 1000],
    );
  });

  it('waits for Retry-After instead of the backoff', async () => {
    const { queue, fake, clock } = setup();
    queue.add(files(1));
    await flush();
    fake.requests[0]!.respond(429, '{"kind":"rate_limited"}', { 'Retry-After': '7' });
    await clock.advance(6999);
    assert.equal(fake.requests.length, 1);
    await clock.advance(1);
    assert.equal(fake.requests.length, 2);
  });

  it('keeps the backoff when Retry-After is negative', async () => {
    const { queue, fake, clock } = setup();
    queue.add(files(1));
    await flush();
    fake.requests[0]!.respond(503, '', { 'Retry-After': '-1' });
    await clock.advance(499);
    assert.equal(fake.requests.length, 1, 'no retry before the backoff');
    await clock.advance(1);
    assert.equal(fake.requests.length, 2);
  });

  it('gives up after `retries` and reports one error with the last failure', async () => {
    const { queue, fake, clock, events } = setup({ retries: 2, onRequest: (r) => r.respond(500, '{"message":"down"}') });
    queue.add(files(1));
    await clock.runAll();
    assert.equal(fake.requests.length, 3);
    const item = queue.items[0]!;
    assert.equal(item.status, 'error');
    assert.deepEqual(item.status === 'error' && [item.error.code, item.error.status, item.error.serverMessage], [
      'upload_failed',
      500,
      'down',
    ]);
    assert.deepEqual(events, ['start f1', 'error f1 upload_failed', 'complete  | f1']);
  });

  it('does not retry a permanent failure', async () => {
    const { queue, fake, clock, events } = setup({ onRequest: (r) => r.respond(400) });
    queue.add(files(1));
    await clock.runAll();
    assert.equal(fake.requests.length, 1);
    assert.deepEqual(events.slice(1, 2), ['error f1 upload_failed']);
  });

  it('retries a transient signing failure, not a permanent one', async () => {
    let calls = 0;
    const { queue, clock, fake } = setup({
      sign: async (source) => {
        calls += 1;
        if (calls === 1) throw new UploadError('sign_failed', 'busy', { status: 503 });
        if (source.name === '2.txt') throw new Error('forbidden');
        return targetFor(source);
      },
      onRequest: (r) => r.respond(200),
      concurrency: 1,
    });
    queue.add(files(2));
    await clock.runAll();
    assert.equal(calls, 3);
    assert.equal(fake.requests.length, 1);
    const second = queue.items[1]!;
    assert.deepEqual(second.status === 'error' && [second.error.code, second.error.message], ['sign_failed', 'forbidden']);
  });

  // 3 files × 3 chunks are 9 requests, and a browser runs 6 per host over HTTP/1.1: the others wait, with no
  // progress, as long as a slow link needs for a chunk. Each stalled on its own and failed, again and again.
  it("does not time out a request held back while the queue's other requests progress; times it out once all are quiet", async () => {
    const { queue, clock, fake } = setup({ stallTimeout: 10000, retries: 0, concurrency: 2 });
    queue.add(files(2));
    await flush();
    const [moving, held] = fake.pending();
    // One request sends a byte every 4 s for a minute; the other waits for a connection the whole time.
    for (let second = 4; second <= 60; second += 4) {
      await clock.advance(4000);
      moving!.progress(second / 4);
    }
    assert.deepEqual(
      queue.items.map((item) => item.status),
      ['uploading', 'uploading'],
    );
    moving!.respond(200);
    await clock.advance(9999);
    assert.equal(queue.items[1]!.status, 'uploading');
    // The connection frees up: the held request progresses, then goes quiet for good.
    held!.progress(1);
    await clock.advance(9999);
    assert.equal(queue.items[1]!.status, 'uploading');
    await clock.advance(1);
    assert.deepEqual(
      queue.items.map((item) => (item.status === 'error' ? item.error.code : item.status)),
      ['done', 'timeout'],
    );
  });

  it('times out a signing request that hangs, even one that ignores its signal, and retries it', async () => {
    let calls = 0;
    const { queue, clock, fake } = setup({
      stallTimeout: 10000,
      retries: 1,
      sign: (source) => {
        calls += 1;
        return calls === 1 ? new Promise<UploadTarget>(() => {}) : Promise.resolve(targetFor(source));
      },
      onRequest: (r) => r.respond(200),
    });
    queue.add(files(1));
    await clock.advance(9999);
    assert.equal(calls, 1);
    await clock.advance(1);
    await clock.runAll();
    assert.equal(calls, 2);
    assert.equal(fake.requests.length, 1);
    assert.equal(queue.items[0]!.status, 'done');
  });

  it('fails with invalid_target when the signer returns something that is not an http(s) URL', async () => {
    const { queue, clock, fake } = setup({ sign: async () => ({ url: 'javascript:alert(1)' }) });
    queue.add(files(1));
    await clock.runAll();
    assert.equal(fake.requests.length, 0);
    const item = queue.items[0]!;
    assert.equal(item.status === 'error' && item.error.code, 'invalid_target');
  });

  it('fails with invalid_target, sending nothing, when the signer names a method other than PUT', async () => {
    for (const method of ['DELETE', 'PATCH']) {
      const { queue, clock, fake } = setup({ sign: async () => ({ url: 'https://s.test/a?sig=1', method }) });
      queue.add(files(1));
      await clock.runAll();
      assert.equal(fake.requests.length, 0, method);
      const item = queue.items[0]!;
      assert.equal(item.status === 'error' && item.error.code, 'invalid_target', method);
    }
  });

  it('signs again once, at once and without using a retry, when the URL expired', async () => {
    const { queue, fake, clock, signed, events } = setup({ retries: 0 });
    queue.add(files(1));
    await flush();
    fake.requests[0]!.respond(403, '{"kind":"signature_expired","message":"Signature has expired"}');
    await flush();
    assert.equal(signed.length, 2);
    assert.equal(fake.requests.length, 2);
    fake.requests[1]!.respond(201);
    await flush();
    assert.equal(queue.items[0]!.status, 'done');
    assert.equal(clock.delays.filter((d) => d !== 30000).length, 0, 'no backoff');
    assert.deepEqual(events.filter((e) => e.startsWith('success')).length, 1);
  });

  it('fails with expired when the fresh URL is refused as expired too', async () => {
    const { queue, clock, signed } = setup({
      retries: 3,
      onRequest: (r) => r.respond(403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'),
    });
    queue.add(files(1));
    await clock.runAll();
    assert.equal(signed.length, 2);
    const item = queue.items[0]!;
    assert.equal(item.status === 'error' && item.error.code, 'expired');
  });

  it('signs again before sending when the target expiry is already past by the clock, and then sends anyway', async () => {
    const expiries: number[] = [];
    const { queue, fake, clock } = setup({
      sign: async (source) => {
        const past = Math.floor(clock.now() / 1000) - 10;
        expiries.push(past);
        return { ...targetFor(source), expiry: past };
      },
      onRequest: (r) => r.respond(201),
    });
    queue.add(files(1));
    await clock.runAll();
    assert.equal(expiries.length, 2, 'signed twice');
    assert.equal(fake.requests.length, 1, 'the second stale target is tried: our clock may be wrong');
    assert.equal(queue.items[0]!.status, 'done');
  });

  it('uses a fresh target without a second sign when expiry is in the future', async () => {
    const { queue, clock, signed } = setup({
      sign: async (source) => {
        signed.push({ source, signal: new AbortController().signal });
        return { ...targetFor(source), expiry: Math.floor(clock.now() / 1000) + 3600 };
      },
      onRequest: (r) => r.respond(201),
    });
    queue.add(files(1));
    await clock.runAll();
    assert.equal(signed.length, 1);
  });

  it('cancels one item mid-upload: one cancel callback, no later outcome, the next item starts', async () => {
    const { queue, fake, events } = setup({ concurrency: 1 });
    queue.add(files(2));
    await flush();
    const request = fake.requests[0]!;
    queue.cancel('f1');
    assert.equal(request.io.signal.aborted, true);
    request.respond(201);
    await flush();
    assert.equal(status(queue.items), 'canceled uploading');
    fake.requests[1]!.respond(200);
    await flush();
    assert.deepEqual(events, ['start f1', 'cancel f1', 'start f2', 'success f2 https://s.test/2.txt', 'complete 2.txt | ']);
    queue.cancel('f2');
    queue.cancel('f1');
    assert.equal(events.length, 5, 'canceling a done or canceled item does nothing');
  });

  it('cancels during signing and never uploads', async () => {
    const sign = deferred<UploadTarget>();
    let signal: AbortSignal | undefined;
    const { queue, fake, events } = setup({
      sign: (_, ctx) => {
        signal = ctx.signal;
        return sign.promise;
      },
    });
    queue.add(files(1));
    await flush();
    queue.cancel();
    assert.equal(signal!.aborted, true);
    sign.resolve({ url: 'https://s.test/late' });
    await flush();
    assert.equal(fake.requests.length, 0);
    assert.deepEqual(events, ['start f1', 'cancel f1', 'complete  | ']);
  });

  it('cancels during a backoff wait and sends nothing more', async () => {
    const { queue, fake, clock, events } = setup({ onRequest: (r) => r.respond(500) });
    queue.add(files(1));
    await flush();
    queue.cancel('f1');
    await clock.runAll();
    assert.equal(fake.requests.length, 1);
    assert.deepEqual(events, ['start f1', 'cancel f1', 'complete  | ']);
  });

  it('cancels everything with no id, queued and in flight, and completes once', async () => {
    const { queue, fake, events } = setup({ concurrency: 2 });
    queue.add(files(3));
    await flush();
    queue.cancel();
    await flush();
    assert.equal(status(queue.items), 'canceled canceled canceled');
    assert.equal(fake.pending().length, 0);
    assert.deepEqual(events, ['start f1', 'start f2', 'cancel f1', 'cancel f2', 'cancel f3', 'complete  | ']);
  });

  it('retries one or all failed and canceled items', async () => {
    const { queue, fake, events, clock } = setup({ retries: 0, concurrency: 3 });
    queue.add(files(3));
    await flush();
    fake.requests[0]!.respond(400);
    queue.cancel('f2');
    fake.requests[2]!.respond(200);
    await flush();
    assert.equal(status(queue.items), 'error canceled done');
    queue.retry('f1');
    assert.equal(queue.items[0]!.status === 'error', false);
    await flush();
    assert.equal(status(queue.items), 'uploading canceled done');
    fake.requests[3]!.respond(200);
    await flush();
    queue.retry();
    await flush();
    assert.equal(status(queue.items), 'done uploading done');
    fake.requests[4]!.respond(200);
    await clock.runAll();
    assert.equal(status(queue.items), 'done done done');
    assert.deepEqual(
      events.filter((e) => e.startsWith('complete')),
      ['complete 3.txt | f1', 'complete 1.txt | ', 'complete 2.txt | '],
    );
    for (const id of ['f1', 'f2']) assert.equal(events.filter((e) => e === `start ${id}`).length, 2);
  });

  it('in manual mode waits for upload(), also after retry()', async () => {
    const { queue, fake, signed } = setup({ autoStart: false, retries: 0 });
    queue.add(files(1));
    queue.upload();
    queue.add([makeSource('late.txt', 1)]);
    await flush();
    assert.equal(status(queue.items), 'uploading queued');
    fake.requests[0]!.respond(500);
    await flush();
    queue.retry();
    await flush();
    assert.equal(status(queue.items), 'queued queued');
    assert.equal(signed.length, 1);
    queue.upload();
    await flush();
    assert.equal(status(queue.items), 'uploading uploading');
  });

  it('starts waiting items when autoStart is turned on and when concurrency grows', async () => {
    const { queue, fake } = setup({ autoStart: false, concurrency: 1 });
    queue.add(files(3));
    queue.configure({ autoStart: true });
    await flush();
    assert.equal(fake.pending().length, 1);
    queue.configure({ concurrency: 3 });
    await flush();
    assert.equal(fake.pending().length, 3);
  });

  it('removes items, canceling one in flight', async () => {
    const { queue, fake, events } = setup({ concurrency: 1 });
    queue.add(files(3));
    await flush();
    queue.remove('f3');
    queue.remove('f1');
    assert.equal(fake.requests[0]!.io.signal.aborted, true);
    await flush();
    assert.deepEqual(
      queue.items.map((i) => i.id),
      ['f2'],
    );
    fake.requests[1]!.respond(200);
    await flush();
    queue.remove('f2');
    queue.remove('nope');
    assert.deepEqual(queue.items, []);
    assert.deepEqual(events, ['start f1', 'cancel f1', 'start f2', 'success f2 https://s.test/2.txt', 'complete 2.txt | ']);
  });

  it('clears the list, canceling uploads in flight', async () => {
    const { queue, fake, events } = setup({ concurrency: 1 });
    queue.add(files(2));
    await flush();
    queue.clear();
    await flush();
    assert.deepEqual(queue.items, []);
    assert.equal(fake.pending().length, 0);
    assert.equal(queue.idle, true);
    assert.deepEqual(events, ['start f1', 'cancel f1', 'complete  | ']);
  });

  it('fires onComplete once per drain with that batch only, and reports idle', async () => {
    const { queue, fake, events } = setup({ concurrency: 2, onRequest: (r) => r.respond(200) });
    assert.equal(queue.idle, true);
    queue.add(files(2));
    assert.equal(queue.idle, false);
    await flush();
    await flush();
    assert.equal(queue.idle, true);
    queue.add([makeSource('3.txt', 1)]);
    await flush();
    await flush();
    assert.deepEqual(
      events.filter((e) => e.startsWith('complete')),
      ['complete 1.txt,2.txt | ', 'complete 3.txt | '],
    );
    assert.equal(fake.requests.length, 3);
  });

  it('gives every started item exactly one outcome', async () => {
    const { queue, fake, events, clock } = setup({ concurrency: 2, retries: 1 });
    queue.add(files(4));
    await flush();
    fake.requests[0]!.respond(200);
    fake.requests[1]!.respond(500);
    await flush();
    queue.cancel('f3');
    await clock.runAll();
    for (const request of fake.pending()) request.respond(404);
    await clock.runAll();
    for (const id of ['f1', 'f2', 'f3', 'f4']) assert.equal(terminal(events, id).length, 1, id);
  });

  it('reports a throwing callback without breaking the queue', async () => {
    const thrown: unknown[] = [];
    const original = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', (error) => thrown.push(error));
    try {
      const { queue, fake } = setup({
        onStart: () => {
          throw new Error('app bug');
        },
        onRequest: (r) => r.respond(200),
      });
      queue.add(files(1));
      await flush();
      await flush();
      assert.equal(queue.items[0]!.status, 'done');
      assert.equal(fake.requests.length, 1);
      assert.equal((thrown[0] as Error).message, 'app bug');
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const listener of original) process.on('uncaughtException', listener);
    }
  });

  it('types the outcome callbacks with the source type', () => {
    const files: IttyFile[] = [];
    const queue = createUploadQueue<TestSource>({
      sign: async (source) => targetFor(source),
      transport: createTransport().transport,
      autoStart: false,
      onSuccess: (item, file) => files.push({ ...file, filename: item.source!.name }),
    });
    assert.deepEqual(queue.add([]), []);
  });
});
