// The retry policy and its backoff for `itty-uploader/core` and tests: failure.ts bound at once. The upload path
// loads the same code on demand (failure-loader.ts `lazyRetryPolicy`); the stall timer is in stall.ts.
import { failureTools } from './failure-loader.js';
import { failurePath } from './failure.js';

export type { BackoffOptions, Retry, RetryOptions } from './failure.js';
export { systemClock, withStallTimer, type Activity } from './stall.js';

/** failure.ts working with the tools it shares with the upload path. */
export const failing = /* @__PURE__ */ failurePath(failureTools);

/**
 * Delay in ms before retry number `attempt` (1 = first retry): exponential (`base`, 2×, 4×… up to
 * `max`) with equal jitter (half fixed, half random). A server's `Retry-After` wins, capped at `maxRetryAfter`.
 */
export const backoffDelay = failing.backoffDelay;

/** Resolves after `ms` on `clock`; rejects with an `aborted` UploadError as soon as `signal` aborts. */
export const sleep = failing.sleep;

/** The one retry policy of every request that sends a file's bytes: see failure.ts. */
export const retryPolicy = failing.retryPolicy;
