import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUploadQueue } from '../../src/core/queue.js';
import type { UploadTarget } from '../../src/core/types.js';
import { createClock, createTransport, fixedRandom, flush, makeSource, type TestSource } from './helpers.js';

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
      onSuccess: (item) => done.push(item.source.name),
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
      online = i < 2 ? false : true;
    }
    assert.deepEqual(clock.delays.filter((ms) => ms !== 12_345), [], 'no backoff was spent (only stall timers ran)');
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
      whenOnline: (signal) =>
        new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
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
