export type UploadErrorCode =
  | 'sign_failed'
  | 'invalid_target'
  | 'upload_failed'
  | 'network'
  | 'timeout'
  | 'expired'
  | 'aborted'
  | 'invalid_response'
  | 'rejected'
  | 'session_lost'
  | 'complete_failed'
  | 'transform_failed'
  | 'unavailable';

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
    // Error reads only `cause` from its options, and sets it only when the key is there.
    super(message, options);
    this.code = code;
    // Only the fields given become properties.
    for (const key of ['status', 'serverMessage', 'retryAfter'] as const) {
      if (options[key] !== undefined) (this as Record<typeof key, unknown>)[key] = options[key];
    }
  }

  /**
   * Transient failures worth another try: network, timeouts, 408, 429 and 5xx, and a part of the uploader that could
   * not be loaded (`unavailable`: offline, most likely; the network comes back).
   */
  get retryable(): boolean {
    const { code, status = 0 } = this;
    return (
      code === 'network' ||
      code === 'timeout' ||
      code === 'unavailable' ||
      (code !== 'invalid_response' && (status === 408 || status === 429 || status >= 500))
    );
  }
}

export const isUploadError = (value: unknown): value is UploadError => value instanceof UploadError;

/** The error every canceled operation rejects with. */
export const abortError = (): UploadError => new UploadError('aborted', 'Upload canceled');

/** Keeps an `UploadError` as it is; wraps anything else (a thrown string, a TypeError) in one with `code`. */
export function toUploadError(error: unknown, code: UploadErrorCode): UploadError {
  return isUploadError(error)
    ? error
    : new UploadError(code, (error instanceof Error ? error.message : typeof error === 'string' ? error : '') || 'Upload failed', {
        cause: error,
      });
}
