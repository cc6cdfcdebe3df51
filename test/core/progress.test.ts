// The whole list's progress (core/progress.ts): which files count, bytes, smoothed speed and time left, on a fake clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgressMeter, SPEED_HALF_LIFE, SPEED_WARM_UP, type MeteredItem } from '../../src/core/progress.js';

const MB = 1_000_000;

function setup() {
  let now = 1000;
  const meter = createProgressMeter({ now: () => now });
  return {
    meter,
    advance: (ms: number) => (now += ms),
  };
}

const item = (id: string, status: string, loaded: number, total: number): MeteredItem => ({ id, status, loaded, total });

/** Sends `rate` bytes per second into `items[index]` for `ms`, sampled every 50 ms (as the element's progress ticks). */
function flow(s: ReturnType<typeof setup>, items: MeteredItem[], index: number, rate: number, ms: number) {
  let snapshot = s.meter.sample(items);
  for (let t = 0; t < ms; t += 50) {
    s.advance(50);
    const current = items[index]!;
    items[index] = { ...current, loaded: Math.min(current.total, current.loaded + (rate * 50) / 1000) };
    snapshot = s.meter.sample(items);
  }
  return snapshot;
}

describe('progress meter', () => {
  it('counts the bytes of unfinished files and of those uploaded in the batch; nothing is known before bytes flow', () => {
    const s = setup();
    const { progress, counts } = s.meter.sample([item('a', 'queued', 0, 10 * MB), item('b', 'signing', 0, 30 * MB)]);
    assert.deepEqual(progress, { loaded: 0, total: 40 * MB, bytesPerSecond: 0, secondsLeft: null });
    assert.deepEqual(counts, { files: 2, done: 0, failed: 0, queued: 1, paused: 0, active: 1, errors: 0, finished: 0 });
    s.advance(500);
    const later = s.meter.sample([item('a', 'done', 10 * MB, 10 * MB), item('b', 'uploading', 5 * MB, 30 * MB)]);
    assert.equal(later.progress.loaded, 15 * MB);
    assert.equal(later.progress.total, 40 * MB);
    assert.equal(later.counts.done, 1);
    assert.equal(later.progress.secondsLeft, null, 'bytes flowed only just now');
  });

  it('measures a steady speed and the time left from it once bytes flowed for a second', () => {
    const s = setup();
    const items = [item('a', 'uploading', 0, 100 * MB), item('b', 'queued', 0, 100 * MB)];
    s.meter.sample(items);
    // 2 MB/s for less than the warm-up: still unknown.
    let snapshot = flow(s, items, 0, 2 * MB, SPEED_WARM_UP - 100);
    assert.equal(snapshot.progress.secondsLeft, null);
    assert.equal(snapshot.progress.bytesPerSecond, 0);
    snapshot = flow(s, items, 0, 2 * MB, 10_000);
    assert.ok(Math.abs(snapshot.progress.bytesPerSecond - 2 * MB) < 1, `${snapshot.progress.bytesPerSecond}`);
    const left = 200 * MB - snapshot.progress.loaded;
    assert.ok(Math.abs(snapshot.progress.secondsLeft! - left / (2 * MB)) < 0.01);
  });

  it('smooths a change of speed over the last seconds: half way there after one half-life', () => {
    const s = setup();
    const items = [item('a', 'uploading', 0, 1000 * MB)];
    s.meter.sample(items);
    flow(s, items, 0, 4 * MB, 10_000);
    const after = flow(s, items, 0, 2 * MB, SPEED_HALF_LIFE);
    // From 4 MB/s towards 2 MB/s: 3 MB/s after one half-life (within the sampling's rounding).
    assert.ok(Math.abs(after.progress.bytesPerSecond - 3 * MB) < 0.05 * MB, `${after.progress.bytesPerSecond}`);
    const settled = flow(s, items, 0, 2 * MB, 5 * SPEED_HALF_LIFE);
    assert.ok(Math.abs(settled.progress.bytesPerSecond - 2 * MB) < 0.1 * MB);
  });

  it('adds the bytes of samples of the same moment to the next interval, so no byte is lost or counted twice', () => {
    const s = setup();
    const items = [item('a', 'uploading', 0, 1000 * MB)];
    s.meter.sample(items);
    flow(s, items, 0, 1 * MB, 3000);
    // A render in the same millisecond as the tick, then the next tick: the speed stays 1 MB/s.
    s.meter.sample(items);
    const snapshot = flow(s, items, 0, 1 * MB, 3000);
    assert.ok(Math.abs(snapshot.progress.bytesPerSecond - MB) < 1);
  });

  it('knows no speed while everything is paused or the browser is offline, and measures anew after', () => {
    const s = setup();
    const items = [item('a', 'uploading', 0, 100 * MB), item('b', 'uploading', 0, 100 * MB)];
    s.meter.sample(items);
    const running = flow(s, items, 0, 2 * MB, 3000);
    assert.ok(running.progress.secondsLeft! > 0);
    const paused = s.meter.sample(items.map((i) => ({ ...i, status: 'paused' })));
    assert.deepEqual([paused.progress.bytesPerSecond, paused.progress.secondsLeft, paused.counts.paused], [0, null, 2]);
    assert.equal(paused.progress.loaded, running.progress.loaded, 'what was sent still counts');
    const offline = s.meter.sample(items, true);
    assert.deepEqual([offline.progress.bytesPerSecond, offline.progress.secondsLeft], [0, null]);
    const resumed = s.meter.sample(items);
    assert.equal(resumed.progress.secondsLeft, null, 'a new run warms up again');
    const again = flow(s, items, 1, 1 * MB, 3000);
    assert.ok(Math.abs(again.progress.bytesPerSecond - MB) < 0.01 * MB);
  });

  it('a restarted single PUT lowers loaded but adds no negative speed; a failed file leaves the sums and counts as failed', () => {
    const s = setup();
    const items = [item('a', 'uploading', 0, 10 * MB), item('b', 'uploading', 0, 10 * MB)];
    s.meter.sample(items);
    flow(s, items, 0, 1 * MB, 3000);
    const before = s.meter.sample(items).progress;
    items[0] = item('a', 'uploading', 0, 10 * MB);
    s.advance(50);
    const restarted = s.meter.sample(items).progress;
    assert.equal(restarted.loaded, before.loaded - 3 * MB);
    assert.ok(restarted.bytesPerSecond > 0);
    items[1] = { ...items[1]!, status: 'error' };
    const failed = s.meter.sample(items);
    assert.deepEqual([failed.progress.total, failed.counts.files, failed.counts.failed, failed.counts.errors], [10 * MB, 2, 1, 1]);
  });

  it('keeps the finished batch for display, and a new file opens a new batch without the uploaded ones', () => {
    const s = setup();
    s.meter.sample([item('a', 'uploading', 0, 5), item('b', 'uploading', 0, 5)]);
    const finished = s.meter.sample([item('a', 'done', 5, 5), item('b', 'canceled', 2, 5)]);
    assert.deepEqual(finished.progress, { loaded: 5, total: 5, bytesPerSecond: 0, secondsLeft: 0 });
    assert.deepEqual([finished.counts.files, finished.counts.done, finished.counts.finished], [1, 1, 2]);
    const next = s.meter.sample([item('a', 'done', 5, 5), item('b', 'canceled', 2, 5), item('c', 'queued', 0, 7)]);
    assert.deepEqual(next.progress, { loaded: 0, total: 7, bytesPerSecond: 0, secondsLeft: null });
    assert.deepEqual([next.counts.files, next.counts.done], [1, 0]);
    // A retried file joins the batch that is open.
    const retried = s.meter.sample([item('a', 'done', 5, 5), item('b', 'queued', 0, 5), item('c', 'queued', 0, 7)]);
    assert.deepEqual([retried.progress.total, retried.counts.files], [12, 2]);
  });

  it('never counts rows shown from `value`, rejected or interrupted ones', () => {
    const s = setup();
    const { progress, counts } = s.meter.sample([
      item('stored', 'done', 9, 9),
      item('r', 'rejected', 0, 100),
      item('i', 'interrupted', 40, 100),
      item('a', 'queued', 0, 3),
    ]);
    assert.deepEqual([progress.loaded, progress.total, counts.files, counts.finished], [0, 3, 1, 2]);
  });

  it('an empty list is idle: nothing sent, nothing left', () => {
    const s = setup();
    assert.deepEqual(s.meter.sample([]).progress, { loaded: 0, total: 0, bytesPerSecond: 0, secondsLeft: 0 });
  });
});
