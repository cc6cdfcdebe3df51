// How the upload path reaches failure.ts: loaded on demand (`loadFailure`), so that the CDN bundle's first load holds
// no code that reads answers or runs after a failure. The elements load it with the signing step (sign-loader.ts),
// so it is there before the first upload answers. When the chunk itself cannot load (offline, from a CDN), a failure
// still ends well: a failed answer becomes a retryable `network` error with its HTTP status, and the retry policy
// waits for the network (`whenOnline`) instead of backing off.
import { MAX_ANSWER_SIZE } from './answer.js';
import { abortError, UploadError } from './errors.js';
import type { FailurePath, FailureTools, Retry } from './failure.js';
import { lazy } from './shared.js';
import type { TransportResponse } from './types.js';
import { safeUrl } from './url.js';

/** What failure.ts shares with the upload path. */
export const failureTools: FailureTools = { UploadError, abortError, safeUrl, MAX_ANSWER_SIZE };

/** failure.ts bound to its tools, imported the first time it is needed; a failed import is an `unavailable` UploadError. */
export const loadFailure = lazy(() => import('./failure.js').then((module) => module.failurePath(failureTools)), 'failure');

/**
 * `errorFromResponse` once the failure path is loaded. Without it: a retryable `network` error that keeps the status
 * (the answer could not be read because the network failed).
 */
export const failedAnswer = (response: TransportResponse, now: number, load: () => Promise<FailurePath> = loadFailure) =>
  load().then(
    (path) => path.errorFromResponse(response, 'upload_failed', now),
    (cause: unknown) => new UploadError('network', `Upload failed (HTTP ${response.status})`, { status: response.status, cause }),
  );

/**
 * `retryPolicy()` whose code loads with the first failure. Without it: aborted or not transient is final, a transient
 * failure while offline tries again once the network is back, any other is final.
 */
export function lazyRetryPolicy(load: () => Promise<FailurePath> = loadFailure): Retry {
  let policy: Retry | undefined;
  return async (failure, options) => {
    policy ??= await load().then(
      (path) => path.retryPolicy(),
      () => undefined,
    );
    if (policy) return policy(failure, options);
    const offline = !options.signal.aborted && failure.retryable && options.whenOnline?.(options.signal);
    if (offline) return offline;
    throw failure;
  };
}
