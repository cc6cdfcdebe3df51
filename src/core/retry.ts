import { abortError, UploadError } from './errors.js';
import type { Clock } from './types.js';

export interface BackoffOptions {
  /** First delay in ms (before jitter). Default 1000. */
  base?: number;
  /** Longest delay in ms (before jitter). Default 30000. */
  max?: number;
  /** Returns a number in [0, 1). */
  random: () => number;
  /** Seconds the server asked for (`Retry-After`); replaces the computed delay. */
  retryAfter?: number;
  /** Longest `Retry-After` honoured, in ms. Default 60000. */
  maxRetryAfter?: number;
}

/**
 * Delay in ms before retry number `attempt` (1 = first retry): exponential (`base`, 2×, 4×… up to
 * `max`) with equal jitter (half fixed, half random), so clients that failed together spread out
 * without ever retrying at once. A server's `Retry-After` wins, capped at `maxRetryAfter`.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const { base = 1000, max = 30000, random, retryAfter, maxRetryAfter = 60000 } = options;
  if (retryAfter !== undefined && retryAfter >= 0) return Math.min(retryAfter * 1000, maxRetryAfter);
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Resolves after `ms` on `clock`; rejects with an `aborted` UploadError as soon as `signal` aborts. */
export function sleep(ms: number, clock: Clock, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(abortError());
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort);
  });
}

export interface RetryOptions {
  /** Transient failures to retry after a backoff. Default 3. */
  retries?: number;
  clock: Clock;
  /** Returns a number in [0, 1), for backoff jitter. */
  random: () => number;
  /** Once it aborts, every failure is final. */
  signal: AbortSignal;
  /** Returns a promise that resolves when the network is back, or `undefined` when online. */
  whenOnline?(signal: AbortSignal): Promise<void> | undefined;
  /**
   * Gets a fresh URL after an `expired` failure; resolves truthy when there is one to try at once (not counted as
   * a retry), falsy when the caller may not sign again (then `expired` is final).
   */
  renew?(): unknown;
}

/**
 * The one retry policy of every request that sends a file's bytes (a whole file, a chunk; next, a multipart part).
 * Returns the retry state of one such request: call it with each failure and the current settings. It resolves
 * when it is time to try again and rejects with the failure when that is final. In order:
 * - `expired`: `renew()`, and again at once when that gave a fresh URL (no retry used);
 * - aborted, or not transient (network, timeout, 408, 429, 5xx): final;
 * - transient while offline (`whenOnline`): again once the network is back (no retry used);
 * - transient: again after the backoff (or the server's `Retry-After`), `retries` times at most.
 */
export function retryPolicy(): (failure: UploadError, options: RetryOptions) => Promise<void> {
  let used = 0;
  return async (failure, options) => {
    const { signal, retries = 3 } = options;
    if (!signal.aborted && failure.code == 'expired' && (await options.renew?.())) return;
    if (signal.aborted || !failure.retryable) throw failure;
    const offline = options.whenOnline?.(signal);
    if (offline) return offline;
    if (used >= retries) throw failure;
    return sleep(backoffDelay(++used, { random: options.random, retryAfter: failure.retryAfter }), options.clock, signal);
  };
}

/** When any request that shares it last made progress (ms, on its clock). */
export interface Activity {
  at: number;
}

/**
 * Runs `task` under a stall timer: when `touch` is not called for `stallTimeout` ms (0 = never; so is
 * 2^31 ms or more, which timers would run at once), the task's signal aborts and the promise rejects with
 * `timeout`. Tasks that share an `activity` keep each other alive: the browser holds back requests beyond its
 * connections per host (6 over HTTP/1.1), and one waiting behind others that progress has not stalled.
 * Rejects with `aborted` as soon as `signal` aborts, even if the task ignores its own signal. `touch` returns
 * false once settled.
 */
export function withStallTimer<T>(
  task: (signal: AbortSignal, touch: () => boolean) => Promise<T>,
  options: { clock: Clock; signal: AbortSignal; stallTimeout?: number; activity?: Activity },
): Promise<T> {
  const { clock, signal, stallTimeout = 30000, activity = { at: clock.now() } } = options;
  const controller = new AbortController();
  const timed = stallTimeout > 0 && stallTimeout < 2 ** 31;
  let timer: unknown;
  let settled = false;
  return new Promise<T>((resolve, reject) => {
    const finish = (ok: boolean, result: unknown) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (ok) return resolve(result as T);
      controller.abort();
      reject(result);
    };
    const onAbort = () => finish(false, abortError());
    const arm = (ms: number) => {
      clock.clearTimeout(timer);
      timer = clock.setTimeout(() => {
        const quiet = clock.now() - activity.at;
        if (quiet < stallTimeout) arm(stallTimeout - quiet);
        else finish(false, new UploadError('timeout', `No response for ${stallTimeout / 1000} s`));
      }, ms);
    };
    const touch = () => {
      if (!settled && timed) {
        activity.at = clock.now();
        arm(stallTimeout);
      }
      return !settled;
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);
    if (timed) arm(stallTimeout);
    Promise.resolve()
      .then(() => task(controller.signal, touch))
      .then(
        (value) => finish(true, value),
        (error: unknown) => finish(false, error),
      );
  });
}

/** The real clock, for browsers and servers. Tests pass their own. */
export const systemClock: Clock = {
  // Date.now needs no `this`; setTimeout and clearTimeout must not be called on this object.
  now: Date.now,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
