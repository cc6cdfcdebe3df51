import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { backoffDelay, sleep, systemClock, withStallTimer } from '../../src/core/retry.js';
import { createClock, flush } from './helpers.js';

describe('backoffDelay', () => {
  it('doubles from base with equal jitter', () => {
    assert.equal(backoffDelay(1, { random: () => 0 }), 500);
    assert.equal(backoffDelay(1, { random: () => 0.999999 }) < 1000, true);
    assert.equal(backoffDelay(2, { random: () => 0 }), 1000);
    assert.equal(backoffDelay(3, { random: () => 0.5 }), 3000);
    assert.equal(backoffDelay(2, { random: () => 0, base: 100 }), 100);
  });

  it('never exceeds max', () => {
    for (let attempt = 1; attempt < 40; attempt += 1) assert.ok(backoffDelay(attempt, { random: () => 0.999999 }) <= 30000);
    assert.equal(backoffDelay(20, { random: () => 0 }), 15000);
    assert.equal(backoffDelay(20, { random: () => 0, max: 4000 }), 2000);
  });

  it('uses Retry-After seconds instead, capped at 60 s', () => {
    assert.equal(backoffDelay(1, { random: () => 0, retryAfter: 5 }), 5000);
    assert.equal(backoffDelay(5, { random: () => 0, retryAfter: 0 }), 0);
    assert.equal(backoffDelay(1, { random: () => 0, retryAfter: 3600 }), 60000);
    assert.equal(backoffDelay(1, { random: () => 0, retryAfter: 3600, maxRetryAfter: 10000 }), 10000);
  });
});

describe('sleep', () => {
  it('resolves after the delay on the clock', async () => {
    const clock = createClock();
    let done = false;
    void sleep(1000, clock).then(() => (done = true));
    await clock.advance(999);
    assert.equal(done, false);
    await clock.advance(1);
    assert.equal(done, true);
  });

  it('rejects with aborted on abort and clears its timer', async () => {
    const clock = createClock();
    const controller = new AbortController();
    const promise = sleep(1000, clock, controller.signal);
    controller.abort();
    await assert.rejects(promise, (error: unknown) => error instanceof UploadError && error.code === 'aborted');
    assert.equal(clock.pending, 0);
    await assert.rejects(sleep(5, clock, controller.signal), { code: 'aborted' });
    await flush();
  });
});

describe('withStallTimer', () => {
  it('resolves with the task result and clears its timer', async () => {
    const clock = createClock();
    const value = await withStallTimer(async () => 42, { clock, signal: new AbortController().signal });
    assert.equal(value, 42);
    assert.equal(clock.pending, 0);
  });

  it('times out when touch stops, aborting the task signal; touch restarts the wait', async () => {
    const clock = createClock();
    let taskSignal: AbortSignal | undefined;
    let touch: (() => boolean) | undefined;
    const promise = withStallTimer(
      (signal, onActivity) => {
        taskSignal = signal;
        touch = onActivity;
        return new Promise<never>(() => {});
      },
      { clock, signal: new AbortController().signal, stallTimeout: 100 },
    );
    const outcome = promise.catch((error: UploadError) => error);
    await clock.advance(90);
    assert.equal(touch!(), true);
    await clock.advance(90);
    assert.equal(taskSignal!.aborted, false);
    await clock.advance(10);
    assert.deepEqual([(await outcome).code, (await outcome).retryable], ['timeout', true]);
    assert.equal(taskSignal!.aborted, true);
    assert.equal(touch!(), false);
  });

  it('treats a stall timeout longer than a timer can wait (2^31 ms) as none, not as 1 ms', async () => {
    // setTimeout runs a delay above 2^31 - 1 ms (~24.8 days) at once: `stall-timeout="9999999999"` failed every request.
    const task = () => new Promise<string>((resolve) => setTimeout(resolve, 20, 'sent'));
    for (const stallTimeout of [2 ** 31, 9_999_999_999]) {
      assert.equal(await withStallTimer(task, { clock: systemClock, signal: new AbortController().signal, stallTimeout }), 'sent');
    }
  });

  it('rejects with aborted when the outer signal aborts, and passes task errors through', async () => {
    const clock = createClock();
    const controller = new AbortController();
    const promise = withStallTimer(() => new Promise<never>(() => {}), { clock, signal: controller.signal, stallTimeout: 0 });
    controller.abort();
    await assert.rejects(promise, { code: 'aborted' });
    await assert.rejects(
      withStallTimer(
        async () => {
          throw new TypeError('x');
        },
        { clock, signal: new AbortController().signal },
      ),
      TypeError,
    );
    assert.equal(clock.pending, 0);
  });
});
