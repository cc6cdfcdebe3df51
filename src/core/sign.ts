// The signing request of `itty-uploader/core`, synchronous to call: signing.ts bound to its tools at once. The
// elements load the same code on demand instead (sign-loader.ts `lazySigner`).
import { failing } from './retry.js';
import { signingTools } from './sign-loader.js';
import { signing, type SignerSettings, type SignRequestOptions } from './signing.js';
import type { SignFunction, Source, UploadTarget } from './types.js';

export type { GetUploadUrl, SignerSettings, SignRequestOptions } from './signing.js';

/** signing.ts working with the tools it shares with the upload path. */
export const bound = /* @__PURE__ */ signing(signingTools(failing));

/**
 * Asks the app's signing endpoint where to upload one file: `POST` JSON
 * `{ filename, folder?, relativePath?, type, size }`, then reads the answer with `parseSignResponse`.
 * @throws UploadError `network` (retryable), `aborted`, `sign_failed` (with the HTTP status, so 408/429/5xx are retryable;
 *   also for an answer longer than `MAX_ANSWER_SIZE`) or `invalid_target`.
 */
export const requestUploadTarget: (endpoint: string, source: Source, options: SignRequestOptions) => Promise<UploadTarget> =
  bound.requestUploadTarget;

/**
 * A `SignFunction` for the queue: calls `getUploadUrl` when one is set, otherwise `POST`s to `endpoint`.
 * An error thrown by `getUploadUrl` becomes `sign_failed` with its message (an `UploadError` is kept).
 */
export const createSigner: <S extends Source = Source>(settings: SignerSettings<S>) => SignFunction<S> = bound.createSigner;
