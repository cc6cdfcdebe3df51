// The stall timer of every request and the real clock: part of every upload (the retry policy, which only a failure
// needs, is in failure.ts).
import { abortError, UploadError } from './errors.js';
import type { Clock } from './types.js';

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
      controller.abort(result);
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
