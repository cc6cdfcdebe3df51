/**
 * The upload server's error answers (protocol.md §4.4) and the JSON-object check its handlers share. Imports
 * nothing, so `itty-uploader/testing` answers with the same statuses, kinds and messages by using these.
 */

/** Error kinds the server answers with (protocol.md §4.4); `kind` is ittybit's snake_case id. */
export type ErrorKind =
  | 'request_invalid'
  | 'token_missing'
  | 'token_invalid'
  | 'signature_invalid'
  | 'signature_expired'
  | 'origin_not_allowed'
  | 'host_not_allowed'
  | 'not_found'
  | 'file_not_found'
  | 'method_not_allowed'
  | 'file_too_large'
  | 'request_too_large'
  | 'range_not_satisfiable'
  | 'rate_limited'
  | 'request_timeout'
  | 'upload_conflict'
  | 'insufficient_storage'
  | 'service_unavailable'
  | 'internal_error';

/** A failure that becomes a JSON `{ kind, message }` response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly kind: ErrorKind,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new HttpError(400, 'request_invalid', message);
export const tooLarge = (maxSize: number) => new HttpError(413, 'file_too_large', `The file is larger than the limit of ${maxSize} bytes.`);
/** 503 from a server being closed: what reaches it then is neither stored nor recorded, and may be sent again. */
export const shuttingDown = (again = 'try again shortly') =>
  new HttpError(503, 'service_unavailable', `The upload server is shutting down; ${again}.`, { 'Retry-After': '1' });

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
