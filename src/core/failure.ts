// Reading what servers answer, and what happens after a failure: the storage's answer to an upload, error bodies
// (the server's message, `Retry-After`, the error's code) and the retry policy. The CDN bundle loads it on demand
// (failure-loader.ts, as `chunks/failure-*.js`) with the signing step, once a file is queued: the signing answer's
// own parsing (signing.ts) uses its readers, and every upload its answer's. It imports nothing at run time but
// media.ts (which only it uses): what it shares with the upload path is handed to it as `FailureTools`.
// `itty-uploader/core`'s synchronous helpers are this module bound at once (retry.ts, response.ts).
import type { abortError, UploadError, UploadErrorCode, UploadErrorOptions } from './errors.js';
import { kindOf } from './media.js';
import type { IttyFile, Clock, Source, TransportResponse, UploadTarget } from './types.js';
import type { safeUrl } from './url.js';

export type Json = Record<string, unknown>;

/** What the failure path shares with the upload path, handed to it by failure-loader.ts. */
export interface FailureTools {
  UploadError: typeof UploadError;
  abortError: typeof abortError;
  safeUrl: typeof safeUrl;
  MAX_ANSWER_SIZE: number;
}

export interface BackoffOptions {
  /** First delay in ms (before jitter). Default 1000. */
  base?: number;
  /** Longest delay in ms (before jitter). Default 30000. */
  max?: number;
  /** Returns a number in [0, 1). */
  random: () => number;
  /** Seconds the server asked for (`Retry-After`); replaces the computed delay. */
  retryAfter?: number;
  /** Longest `Retry-After` honoured, in ms. Default 60000. */
  maxRetryAfter?: number;
}

export interface RetryOptions {
  /** Transient failures to retry after a backoff. Default 3. */
  retries?: number;
  clock: Clock;
  /** Returns a number in [0, 1), for backoff jitter. */
  random: () => number;
  /** Once it aborts, every failure is final. */
  signal: AbortSignal;
  /** Returns a promise that resolves when the network is back, or `undefined` when online. */
  whenOnline?(signal: AbortSignal): Promise<void> | undefined;
  /**
   * Gets a fresh URL after an `expired` failure; resolves truthy when there is one to try at once (not counted as
   * a retry), falsy when the caller may not sign again (then `expired` is final).
   */
  renew?(): unknown;
}

/** The retry state of one request: call it with each failure; resolves when it is time to try again. */
export type Retry = (failure: UploadError, options: RetryOptions) => Promise<void>;

const HEADLINES: Partial<Record<UploadErrorCode, string>> = {
  sign_failed: 'Could not get an upload URL',
  expired: 'The upload URL expired',
  rejected: 'The server refused the file',
};

/** The failure path bound to its tools. */
export function failurePath(tools: FailureTools) {
  const { UploadError, abortError, safeUrl, MAX_ANSWER_SIZE } = tools;

  const parseJson = (text: string): unknown => {
    try {
      // Keys an answer never needs, which would reach a prototype (or look like they do) once the object is spread
      // into a File object, `value` or the form's JSON, are left out at every depth.
      return JSON.parse(text, (key, value: unknown) => (/^(__proto__|constructor|prototype)$/.test(key) ? undefined : value));
    } catch {
      return undefined;
    }
  };

  const text = (value: unknown) => typeof value == 'string' && !!value.trim();

  const clean = (message: string | undefined) => {
    const flat = message?.replace(/\s+/g, ' ').trim();
    return flat ? (flat.length > 300 ? `${flat.slice(0, 299)}…` : flat) : undefined;
  };

  // A JSON error body's message: `message`, `error` (string), `error.message` or `detail`.
  const messageFromJson = (body: unknown) =>
    (typeof body == 'string'
      ? body
      : [(body as Json)?.message, (body as Json)?.error, ((body as Json)?.error as Json)?.message, (body as Json)?.detail].find(text)) as
      | string
      | undefined;

  /** An UploadError whose message is `headline`, followed by the server's message when there is one. */
  const failure = (code: UploadErrorCode, headline: string, options: UploadErrorOptions) =>
    new UploadError(code, options.serverMessage ? `${headline}: ${options.serverMessage}` : headline, options);

  const isFile = (value: unknown): value is Json => typeof (value as Json)?.url == 'string' || typeof (value as Json)?.id == 'string';

  /**
   * The message a server put in an error body, read leniently: JSON `message`, `error.message`,
   * `error` (string) or `detail`; the `<Message>` of an S3/GCS/Azure XML error; or plain text.
   * HTML is never parsed (an HTML body gives `undefined`). Whitespace is collapsed, length capped.
   */
  function readServerMessage(body: string): string | undefined {
    const json = parseJson(body);
    // XML entities stay as they are: the message is shown as text, never as markup.
    return clean(
      json !== undefined ? messageFromJson(json) : body.trimStart()[0] == '<' ? /<Message>([^<]*)<\/Message>/i.exec(body)?.[1] : body,
    );
  }

  /** `Retry-After` in seconds: a number of seconds (fractions too), or an HTTP date compared with `now` (ms). */
  function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
    if (!value) return undefined;
    if (/^\s*(\d*\.)?\d+\s*$/.test(value)) return +value;
    // A date names its month: engines read "-1" or "1.5" as days in 2001, a wait of 0.
    const date = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
    return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
  }

  /**
   * An `UploadError` of `code` for an HTTP error response: keeps the status, the server's message
   * and `Retry-After` (seconds, or an HTTP date compared with `now`, in ms).
   */
  function httpError(code: UploadErrorCode, response: TransportResponse, now?: number): UploadError {
    const { status } = response;
    return failure(code, `${HEADLINES[code] ?? 'Upload failed'} (HTTP ${status})`, {
      status,
      serverMessage: readServerMessage(response.text),
      retryAfter: parseRetryAfter(response.header('Retry-After'), now),
    });
  }

  /**
   * The `UploadError` for a failed upload response: code `expired` for a 400/401/403 whose body
   * says so (ittybit `signature_expired`, S3 `Request has expired`, GCS `ExpiredToken`, Azure's
   * `not valid in the specified time frame`),
   * `rejected` for 413/415, otherwise `fallbackCode`.
   */
  function errorFromResponse(response: TransportResponse, fallbackCode: UploadErrorCode = 'upload_failed', now?: number): UploadError {
    const { status } = response;
    // "expired", not "expiry": a malformed or missing signature's message may well name the expiry parameter.
    const expired = [400, 401, 403].includes(status) && /expired|specified time frame/i.test(response.text);
    return httpError(expired ? 'expired' : [413, 415].includes(status) ? 'rejected' : fallbackCode, response, now);
  }

  /**
   * Delay in ms before retry number `attempt` (1 = first retry): exponential (`base`, 2×, 4×… up to
   * `max`) with equal jitter (half fixed, half random), so clients that failed together spread out
   * without ever retrying at once. A server's `Retry-After` wins, capped at `maxRetryAfter`.
   */
  function backoffDelay(attempt: number, options: BackoffOptions): number {
    const { base = 1000, max = 30000, random, retryAfter, maxRetryAfter = 60000 } = options;
    if (retryAfter !== undefined && retryAfter >= 0) return Math.min(retryAfter * 1000, maxRetryAfter);
    const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
    return ceiling / 2 + random() * (ceiling / 2);
  }

  /** Resolves after `ms` on `clock`; rejects with an `aborted` UploadError as soon as `signal` aborts. */
  function sleep(ms: number, clock: Clock, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const onAbort = () => {
        clock.clearTimeout(handle);
        reject(abortError());
      };
      const handle = clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort);
    });
  }

  /**
   * The one retry policy of every request that sends a file's bytes (a whole file, a chunk; next, a multipart part).
   * Returns the retry state of one such request: call it with each failure and the current settings. It resolves
   * when it is time to try again and rejects with the failure when that is final. In order:
   * - `expired`: `renew()`, and again at once when that gave a fresh URL (no retry used);
   * - aborted, or not transient (network, timeout, 408, 429, 5xx): final;
   * - transient while offline (`whenOnline`): again once the network is back (no retry used);
   * - transient: again after the backoff (or the server's `Retry-After`), `retries` times at most.
   */
  function retryPolicy(): Retry {
    let used = 0;
    return async (failure, options) => {
      const { signal, retries = 3 } = options;
      if (!signal.aborted && failure.code == 'expired' && (await options.renew?.())) return;
      if (signal.aborted || !failure.retryable) throw failure;
      const offline = options.whenOnline?.(signal);
      if (offline) return offline;
      if (used >= retries) throw failure;
      return sleep(backoffDelay(++used, { random: options.random, retryAfter: failure.retryAfter }), options.clock, signal);
    };
  }

  /**
   * The File object for a successful upload response: ittybit's JSON File object (bare or in a
   * `{ data }` envelope; unknown fields kept, missing required ones filled in locally), or, for an
   * empty / XML / other body (S3, GCS, R2, Azure), one built from the source and the target:
   * `url` = the target URL without query and hash, `etag` from the `ETag` header when exposed.
   * @throws UploadError `invalid_response` for an answer that cannot be used: longer than `MAX_ANSWER_SIZE`, or
   *   JSON with an `error` and no File object (a failure under a success status).
   */
  function parseUploadResponse(
    response: TransportResponse,
    context: { target: Pick<UploadTarget, 'url'>; source: Pick<Source, 'name' | 'size' | 'type'> },
  ): IttyFile {
    const { source } = context;
    const url = context.target.url.split(/[?#]/, 1)[0]!;
    const type = source.type || 'application/octet-stream';
    const local: IttyFile = { url, type, kind: kindOf(type), filesize: source.size, filename: source.name };
    const etag = response.header('ETag');
    if (etag) local.etag = etag;
    const { text, status } = response;
    if (text.length > MAX_ANSWER_SIZE) throw new UploadError('invalid_response', 'The upload answer is larger than 1 MiB', { status });
    const body = parseJson(text) as Json | undefined;
    const file = [body, body?.data].find(isFile);
    if (!file && body?.error) {
      throw failure('invalid_response', 'The storage answered with an error', { status, serverMessage: clean(messageFromJson(body)) });
    }
    if (!file) return local;
    const merged: Json = { ...local, ...file };
    // What the IttyFile type promises stays true: a null or mistyped field we know is filled in locally, and a
    // url that is not http(s) or relative (a hostile `javascript:`) never reaches `value`, the form or the page.
    for (const key in local) if (typeof merged[key] != typeof local[key as keyof IttyFile]) merged[key] = local[key as keyof IttyFile];
    merged.url = safeUrl(merged.url) ?? url;
    return merged as IttyFile;
  }

  return {
    UploadError,
    abortError,
    parseJson,
    clean,
    messageFromJson,
    failure,
    parseUploadResponse,
    readServerMessage,
    httpError,
    errorFromResponse,
    backoffDelay,
    sleep,
    retryPolicy,
  };
}

export type FailurePath = ReturnType<typeof failurePath>;
