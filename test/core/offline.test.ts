import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createUploadQueue } from '../../src/core/queue.js';
import type { UploadTarget } from '../../src/core/types.js';
import {
  createClock,
  createTransport,
  fixedRandom,
  flush,
  ittybitTarget,
  loadChunkedPath,
  makeSource,
  type TestSource,
} from './helpers.js';

const targetFor = (source: TestSource): UploadTarget => ({ url: `https://s.test/${source.name}?sig=1` });

describe('queue while offline', () => {
  it('waits for the network instead of using up retries, then finishes', async () => {
    const clock = createClock();
    const fake = createTransport();
    let online = true;
    let backOnline!: () => void;
    const errors: string[] = [];
    const done: string[] = [];
    const queue = createUploadQueue<TestSource>({
      sign: async (source) => targetFor(source),
      transport: fake.transport,
      clock,
      random: fixedRandom(0),
      retries: 1,
      stallTimeout: 12_345,
      whenOnline: () => (online ? undefined : new Promise<void>((resolve) => (backOnline = resolve))),
      onError: (_, error) => errors.push(error.code),
      onSuccess: (item) => done.push(item.source!.name),
    });
    queue.add([makeSource('a.bin', 100)]);
    await flush();
    // The connection drops three times while offline: more failures than `retries` allows.
    online = false;
    for (let i = 0; i < 3; i++) {
      fake.pending()[0]!.fail('network');
      await flush();
      assert.equal(fake.pending().length, 0, 'no request is sent while offline');
      assert.equal(queue.items[0]!.status, 'uploading');
      online = true;
      backOnline();
      await flush();
      online = i >= 2;
    }
    assert.deepEqual(
      clock.delays.filter((ms) => ms !== 12_345),
      [],
      'no backoff was spent (only stall timers ran)',
    );
    fake.pending()[0]!.respond(201, JSON.stringify({ url: 'https://s.test/a.bin', kind: 'other', type: '', filesize: 100 }));
    await flush();
    assert.deepEqual(errors, []);
    assert.deepEqual(done, ['a.bin']);
  });

  it('stops waiting when the upload is canceled', async () => {
    const fake = createTransport();
    const canceled: string[] = [];
    const queue = createUploadQueue<TestSource>({
      sign: async (source) => targetFor(source),
      transport: fake.transport,
      clock: createClock(),
      whenOnline: (signal) => new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
      onCancel: (item) => canceled.push(item.id),
      onError: () => assert.fail('a canceled upload reports no error'),
    });
    const [item] = queue.add([makeSource('b.bin', 10)]);
    await flush();
    fake.pending()[0]!.fail('network');
    await flush();
    queue.cancel(item!.id);
    await flush();
    assert.deepEqual(canceled, [item!.id]);
    assert.equal(queue.items[0]!.status, 'canceled');
    assert.ok(queue.idle);
  });
});

describe('chunked upload while offline', () => {
  before(loadChunkedPath);

  it('waits for the network instead of spending chunk retries, then sends only the chunks not yet acknowledged', async () => {
    const clock = createClock();
    const fake = createTransport();
    let online = true;
    let backOnline!: () => void;
    let signs = 0;
    let waits = 0;
    const errors: string[] = [];
    const queue = createUploadQueue<TestSource>({
      sign: async () => ((signs += 1), ittybitTarget('a.bin')),
      transport: fake.transport,
      clock,
      random: fixedRandom(0),
      retries: 1,
      chunkSize: 3,
      parallelChunks: 1,
      stallTimeout: 12_345,
      whenOnline: () => (online ? undefined : ((waits += 1), new Promise<void>((resolve) => (backOnline = resolve)))),
      onError: (_, error) => errors.push(error.code),
    });
    queue.add([makeSource('a.bin', 10)]);
    await flush();
    fake.pending()[0]!.respond(202);
    await flush();
    // The connection drops three times while offline: more failures than `retries` allows.
    for (let i = 0; i < 3; i++) {
      online = false;
      fake.pending()[0]!.fail('network');
      await flush();
      assert.equal(waits, i + 1, 'the chunk waits for the network');
      assert.equal(fake.pending().length, 0, 'no chunk is sent while offline');
      online = true;
      backOnline();
      await flush();
    }
    for (const status of [202, 202, 201]) {
      fake
        .pending()[0]!
        .respond(
          status,
          status === 201 ? JSON.stringify({ url: 'https://you.ittybit.net/a.bin', kind: 'other', type: '', filesize: 10 }) : '',
        );
      await flush();
    }
    assert.deepEqual(errors, []);
    assert.equal(queue.items[0]!.status, 'done');
    assert.equal(signs, 1, 'the file was not started over');
    const ranges = fake.requests.map((r) => r.request.headers['Content-Range']);
    assert.deepEqual(ranges, [
      'bytes 0-2/10',
      'bytes 3-5/10',
      'bytes 3-5/10',
      'bytes 3-5/10',
      'bytes 3-5/10',
      'bytes 6-8/10',
      'bytes 9-9/10',
    ]);
    assert.deepEqual(
      clock.delays.filter((ms) => ms !== 12_345),
      [],
      'no backoff was spent',
    );
  });
});
