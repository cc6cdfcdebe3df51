// Settings are normalised in one place, the queue (normalizeSettings), whether they come from an app or from an
// element's attributes (numbers, text, a removed attribute's null).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createUploadQueue, normalizeSettings, type QueueOptions } from '../../src/core/queue.js';
import type { UploadTarget } from '../../src/core/types.js';
import { createClock, createTransport, fixedRandom, flush, ittybitTarget, loadChunkedPath, makeSource } from './helpers.js';

const defaults = { concurrency: 3, retries: 3, chunkSize: undefined, parallelChunks: 3, stallTimeout: 30000 };

describe('normalizeSettings', () => {
  it('gives the defaults for unset, null (a removed attribute) and values that are not numbers', () => {
    assert.deepEqual(normalizeSettings({}), defaults);
    const none = { concurrency: null, retries: null, chunkSize: null, parallelChunks: null, stallTimeout: null };
    assert.deepEqual(normalizeSettings(none), defaults);
    const nan = { concurrency: NaN, retries: Number('lots'), chunkSize: 'lots', parallelChunks: NaN, stallTimeout: NaN };
    assert.deepEqual(normalizeSettings(nan), defaults);
  });

  it('raises values below the minimum to it and rounds fractions down', () => {
    assert.deepEqual(normalizeSettings({ concurrency: 0, retries: -2, chunkSize: 0, parallelChunks: -1, stallTimeout: 10 }), {
      concurrency: 1,
      retries: 0,
      chunkSize: undefined,
      parallelChunks: 1,
      stallTimeout: 1000,
    });
    assert.deepEqual(normalizeSettings({ concurrency: 2.9, retries: 1.5, chunkSize: 1024.7, parallelChunks: 4.2, stallTimeout: 1500.5 }), {
      concurrency: 2,
      retries: 1,
      chunkSize: 1024,
      parallelChunks: 4,
      stallTimeout: 1500,
    });
  });

  it('reads chunk sizes with units, and a stall timeout of 0 as never', () => {
    assert.equal(normalizeSettings({ chunkSize: '64MiB' }).chunkSize, 64 * 1024 * 1024);
    assert.equal(normalizeSettings({ chunkSize: '5 MB' }).chunkSize, 5_000_000);
    assert.equal(normalizeSettings({ stallTimeout: 0 }).stallTimeout, 0);
    assert.equal(normalizeSettings({ stallTimeout: -1 }).stallTimeout, 30000);
  });

  it('gives the same answer for its own output', () => {
    for (const given of [{}, { concurrency: 0, stallTimeout: 0, chunkSize: '1k' }, { retries: 7, parallelChunks: 9, stallTimeout: 1 }]) {
      const once = normalizeSettings(given);
      assert.deepEqual(normalizeSettings(once), once);
    }
  });
});

describe('the queue runs with normalised settings', () => {
  before(loadChunkedPath);

  const setup = (options: Partial<QueueOptions>) => {
    const clock = createClock();
    const fake = createTransport();
    const queue = createUploadQueue({
      sign: async (source): Promise<UploadTarget> => ({ url: `https://s.test/${source.name}?sig=1` }),
      transport: fake.transport,
      clock,
      random: fixedRandom(0),
      ...options,
    });
    return { clock, fake, queue };
  };
  const files = (count: number, size = 10) => Array.from({ length: count }, (_, i) => makeSource(`${i}.bin`, size));

  it('starts one file at a time for concurrency 0, and the default 3 again when configured with null', async () => {
    const { fake, queue } = setup({ concurrency: 0 });
    queue.add(files(5));
    await flush();
    assert.equal(fake.pending().length, 1);
    queue.configure({ concurrency: null });
    await flush();
    assert.equal(fake.pending().length, 3);
  });

  it('takes a chunk size as text with a unit', async () => {
    const { fake, queue } = setup({ chunkSize: '4b', parallelChunks: 1, sign: async () => ittybitTarget() });
    queue.add([makeSource('a.bin', 10)]);
    for (let i = 0; i < 20 && !fake.pending().length; i++) await flush();
    assert.equal(fake.pending()[0]!.request.headers['Content-Range'], 'bytes 0-3/10');
  });

  it('sends with settings configured after add() while the file was signing (an element applies attributes on its next update)', async () => {
    let signed!: (target: UploadTarget) => void;
    const { fake, queue } = setup({ parallelChunks: 1, sign: () => new Promise<UploadTarget>((resolve) => (signed = resolve)) });
    queue.add([makeSource('a.bin', 10)]);
    await flush();
    queue.configure({ chunkSize: 4 });
    signed(ittybitTarget());
    for (let i = 0; i < 20 && !fake.pending().length; i++) await flush();
    assert.equal(fake.pending()[0]!.request.headers['Content-Range'], 'bytes 0-3/10');
  });

  it('arms no stall timer for a stall timeout of 0, and at least 1000 ms for a smaller one', async () => {
    const never = setup({ stallTimeout: 0 });
    never.queue.add(files(1));
    await flush();
    assert.equal(never.fake.pending().length, 1);
    assert.deepEqual(never.clock.delays, []);
    const short = setup({ stallTimeout: 5, retries: 0 });
    short.queue.add(files(1));
    await flush();
    assert.ok(short.clock.delays.length > 0 && short.clock.delays.every((ms) => ms === 1000), String(short.clock.delays));
  });
});
