// The answers `itty-uploader/core` reads, in one place: the storage's and error bodies (failure.ts) and the signing
// endpoint's (signing.ts), bound at once here; the elements load both on demand, together.
import { failing } from './retry.js';
import { bound } from './sign.js';
import type { UploadTarget } from './types.js';

export { MAX_ANSWER_SIZE } from './answer.js';

/** The storage's answers and error bodies, read by failure.ts (bound at once here; the elements load it on demand). */
export const { errorFromResponse, httpError, parseUploadResponse, readServerMessage } = failing;

/**
 * Turns what a signer answered (already parsed) into an `UploadTarget`: a URL string, ittybit's
 * Signature object, a `{ data }` envelope of either, or a generic `{ url, method?, headers?, resumable? }`; (v2) a
 * presigned POST `{ url, method: 'POST', fields }`, or an S3 multipart upload `{ multipart: { uploadId, key, partSize } }`
 * whose target `url` is `endpoint` (where its parts are signed). Relative URLs resolve against `baseUrl`.
 * @throws UploadError `invalid_target` for a URL that is not http(s), a method other than PUT or headers that cannot be sent;
 *   `sign_failed` when there is no URL.
 */
export const targetFromBody: (body: unknown, options?: { baseUrl?: string; status?: number; endpoint?: string }) => UploadTarget =
  bound.targetFromBody;

/**
 * Reads a signing endpoint's answer. 2xx JSON: see `targetFromBody`. Leniently, a body that is a
 * bare URL (JSON string or text/plain) is accepted as `{ url }`.
 * @throws UploadError `sign_failed` (non-2xx or unusable body, with the server's message) or `invalid_target`.
 */
export const parseSignResponse: (status: number, body: string, options?: { baseUrl?: string; endpoint?: string }) => UploadTarget =
  bound.parseSignResponse;
