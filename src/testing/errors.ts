/**
 * Answers in the real upload server's error shape (`{ kind, message }`, protocol.md §4.4), with the same
 * statuses, kinds and messages as src/server, which cannot be imported here: it needs `node:*`.
 */

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

export class TestHttpError extends Error {
  constructor(
    readonly status: number,
    readonly kind: TestErrorKind,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new TestHttpError(400, 'request_invalid', message);
export const tooLarge = (maxSize: number) =>
  new TestHttpError(413, 'file_too_large', `The file is larger than the limit of ${maxSize} bytes.`);
