// The queue's `prepare` hook (issue 21): runs inside the concurrency right before signing, its file is what is signed
// and sent, the item keeps its source and takes the prepared size as its total; a rejection fails the item.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { createUploadQueue } from '../../src/core/queue.js';
import type { UploadItem } from '../../src/core/types.js';
import { createClock, createTransport, fixedRandom, flush, makeSource, type TestSource } from './helpers.js';

function setup(prepare: (item: UploadItem<TestSource>, signal: AbortSignal) => Promise<TestSource | undefined> | undefined) {
  const fake = createTransport();
  const signed: TestSource[] = [];
  const errors: UploadError[] = [];
  let id = 0;
  const queue = createUploadQueue<TestSource>({
    sign: async (source) => {
      signed.push(source);
      return { url: `https://s.test/${source.name}?sig=1`, resumable: false };
    },
    transport: fake.transport,
    clock: createClock(),
    random: fixedRandom(0),
    createId: () => `f${(id += 1)}`,
    concurrency: 1,
    retries: 0,
    prepare,
    onError: (_item, error) => errors.push(error),
  });
  return { queue, fake, signed, errors };
}

describe('queue: prepare', () => {
  it('signs and sends the prepared file; the item keeps its source and takes the prepared size as total', async () => {
    const original = makeSource('photo.jpg', 1000, 'image/jpeg');
    const smaller = makeSource('photo.jpg', 300, 'image/jpeg');
    const { queue, fake, signed } = setup(async () => smaller);
    queue.add([original]);
    await flush();
    assert.deepEqual(signed, [smaller]);
    assert.equal((fake.requests[0]!.request.body as { size: number }).size, 300);
    assert.equal(queue.items[0]!.source, original);
    assert.equal(queue.items[0]!.total, 300);
    fake.requests[0]!.respond(200);
    await flush();
    assert.deepEqual([queue.items[0]!.status, queue.items[0]!.loaded, queue.items[0]!.total], ['done', 300, 300]);
  });

  it('runs inside the concurrency, one file at a time with concurrency 1, while the item is signing', async () => {
    const running: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { queue, fake } = setup(async (item) => {
      running.push(item.source!.name);
      assert.equal(item.status, 'signing');
      await gate;
      return undefined;
    });
    queue.add([makeSource('a.bin', 10), makeSource('b.bin', 10)]);
    await flush();
    assert.deepEqual(running, ['a.bin']);
    assert.deepEqual(
      queue.items.map((item) => item.status),
      ['signing', 'queued'],
    );
    release();
    await flush();
    fake.requests[0]!.respond(200);
    await flush();
    assert.deepEqual(running, ['a.bin', 'b.bin']);
  });

  it('a rejection fails the item with its UploadError (transform_failed), nothing is signed; retry prepares again', async () => {
    let calls = 0;
    const { queue, fake, signed, errors } = setup(async () => {
      calls += 1;
      if (calls === 1) throw new UploadError('transform_failed', 'the editor crashed');
      return undefined;
    });
    queue.add([makeSource('a.bin', 10)]);
    await flush();
    assert.deepEqual(
      errors.map((error) => error.code),
      ['transform_failed'],
    );
    assert.equal(signed.length, 0);
    assert.equal(queue.items[0]!.status, 'error');
    queue.retry();
    await flush();
    assert.equal(calls, 2);
    fake.requests[0]!.respond(200);
    await flush();
    assert.equal(queue.items[0]!.status, 'done');
  });

  it('cancel aborts the signal given to prepare, and the item ends canceled, never signed', async () => {
    let signal: AbortSignal | undefined;
    const { queue, signed } = setup(
      (_item, given) =>
        new Promise((_resolve, reject) => {
          signal = given;
          given.addEventListener('abort', () => reject(given.reason));
        }),
    );
    queue.add([makeSource('a.bin', 10)]);
    await flush();
    queue.cancel();
    await flush();
    assert.equal(signal?.aborted, true);
    assert.equal(queue.items[0]!.status, 'canceled');
    assert.equal(signed.length, 0);
  });
});
