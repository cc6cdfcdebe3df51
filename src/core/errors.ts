export type UploadErrorCode =
  | 'sign_failed'
  | 'invalid_target'
  | 'upload_failed'
  | 'network'
  | 'timeout'
  | 'expired'
  | 'aborted'
  | 'invalid_response'
  | 'rejected';

export interface UploadErrorOptions {
  /** HTTP status, when a response was received. */
  status?: number;
  /** The message the server gave, verbatim (plain text: never render it as HTML). */
  serverMessage?: string;
  /** Seconds the server asked us to wait (`Retry-After`). */
  retryAfter?: number;
  cause?: unknown;
}

/** The one error type of the uploader: every failure carries a `code`. */
export class UploadError extends Error {
  override readonly name = 'UploadError';
  readonly code: UploadErrorCode;
  readonly status?: number;
  readonly serverMessage?: string;
  readonly retryAfter?: number;

  constructor(code: UploadErrorCode, message: string, options: UploadErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (options.serverMessage !== undefined) this.serverMessage = options.serverMessage;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
  }

  /** Transient failures worth another try: network, timeouts, 408, 429 and 5xx. */
  get retryable(): boolean {
    if (this.code === 'network' || this.code === 'timeout') return true;
    const s = this.status;
    return s !== undefined && (s === 408 || s === 429 || s >= 500) && this.code !== 'invalid_response';
  }
}

export const isUploadError = (value: unknown): value is UploadError => value instanceof UploadError;

/** The error every canceled operation rejects with. */
export const abortError = (): UploadError => new UploadError('aborted', 'Upload canceled');

/** Keeps an `UploadError` as it is; wraps anything else (a thrown string, a TypeError) in one with `code`. */
export function toUploadError(error: unknown, code: UploadErrorCode): UploadError {
  if (isUploadError(error)) return error;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return new UploadError(code, message || 'Upload failed', { cause: error });
}
