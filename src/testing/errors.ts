/**
 * The in-memory handlers answer in the real upload server's error shape (`{ kind, message }`, protocol.md §4.4)
 * with its very errors: src/server/http-error.ts imports nothing from `node:*`, so statuses, kinds and
 * messages are defined once for both.
 */
export { HttpError as TestHttpError, invalid, tooLarge } from '../server/http-error.js';

/** The error kinds the in-memory handlers answer with (a subset of the upload server's). */
export type TestErrorKind =
  | 'request_invalid'
  | 'request_too_large'
  | 'token_missing'
  | 'token_invalid'
  | 'signature_invalid'
  | 'signature_expired'
  | 'not_found'
  | 'file_not_found'
  | 'file_too_large'
  | 'internal_error'
  | 'service_unavailable'
  | 'rate_limited';
