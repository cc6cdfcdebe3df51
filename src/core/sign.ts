import { abortError, isUploadError, UploadError } from './errors.js';
import { httpError, MAX_ANSWER_SIZE, parseSignResponse, targetFromBody } from './response.js';
import type { SignFunction, Source, UploadTarget } from './types.js';

export interface SignRequestOptions {
  signal: AbortSignal;
  /** Defaults to `globalThis.fetch`, read when called. */
  fetch?: typeof fetch;
  /** Extra request headers (e.g. a CSRF token). */
  headers?: Record<string, string> | null;
  /** Send cookies to a cross-origin endpoint (`credentials: 'include'`). */
  withCredentials?: boolean;
  folder?: string | null;
  relativePath?: string;
  /** Base for a relative endpoint and for a relative URL in the answer (e.g. `document.baseURI`). */
  baseUrl?: string;
  /** Current time in ms, for a `Retry-After` date. */
  now?: () => number;
}

// The body as text, read only until it is longer than MAX_ANSWER_SIZE: the rest is never downloaded.
async function readAnswer(response: Response): Promise<string> {
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  for (let chunk; reader && text.length <= MAX_ANSWER_SIZE && !(chunk = await reader.read()).done; ) text += chunk.value;
  // Only when stopped early: Chromium reports a body cancelled after its end as an aborted request.
  if (text.length > MAX_ANSWER_SIZE) void reader!.cancel();
  return text;
}

/**
 * Asks the app's signing endpoint where to upload one file: `POST` JSON
 * `{ filename, folder?, relativePath?, type, size }`, then reads the answer with `parseSignResponse`.
 * @throws UploadError `network` (retryable), `aborted`, `sign_failed` (with the HTTP status, so 408/429/5xx are retryable;
 *   also for an answer longer than `MAX_ANSWER_SIZE`) or `invalid_target`.
 */
export async function requestUploadTarget(endpoint: string, source: Source, options: SignRequestOptions): Promise<UploadTarget> {
  const { signal } = options;
  // Called unbound: `options.fetch(…)` would make `this` the options object, and a browser's fetch throws "Illegal invocation".
  const send = options.fetch ?? globalThis.fetch;
  let response: Response;
  let text: string;
  try {
    const url = options.baseUrl ? new URL(endpoint, options.baseUrl).href : endpoint;
    response = await send(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...options.headers },
      body: JSON.stringify({
        filename: source.name,
        folder: options.folder || undefined,
        relativePath: options.relativePath || undefined,
        type: source.type || 'application/octet-stream',
        size: source.size,
      }),
      credentials: options.withCredentials ? 'include' : 'same-origin',
      signal,
    });
    text = await readAnswer(response);
  } catch (error) {
    if (signal.aborted) throw abortError();
    throw new UploadError('network', 'Could not reach the signing endpoint', { cause: error });
  }
  if (text.length > MAX_ANSWER_SIZE) throw new UploadError('sign_failed', 'The signing response is larger than 1 MiB', { status: response.status });
  if (!response.ok) {
    throw httpError('sign_failed', { status: response.status, text, header: (name) => response.headers.get(name) }, options.now?.());
  }
  return parseSignResponse(response.status, text, { baseUrl: response.url || options.baseUrl });
}

/** Replaces the endpoint request: returns where to upload one file. */
export type GetUploadUrl<S extends Source = Source> = (
  source: S,
  ctx: { folder?: string; relativePath?: string; signal: AbortSignal },
) => Promise<string | UploadTarget> | string | UploadTarget;

/** Settings read on every signing, so changes to an element's attributes apply to the next file. */
export interface SignerSettings<S extends Source = Source> {
  endpoint?: () => string | null | undefined;
  getUploadUrl?: () => GetUploadUrl<S> | null | undefined;
  headers?: () => Record<string, string> | null | undefined;
  withCredentials?: () => boolean | null | undefined;
  folder?: () => string | null | undefined;
  baseUrl?: () => string | undefined;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * A `SignFunction` for the queue: calls `getUploadUrl` when one is set, otherwise `POST`s to `endpoint`.
 * An error thrown by `getUploadUrl` becomes `sign_failed` with its message (an `UploadError` is kept).
 */
export function createSigner<S extends Source = Source>(settings: SignerSettings<S>): SignFunction<S> {
  return async (source, { signal, relativePath }) => {
    const folder = settings.folder?.() || undefined;
    const baseUrl = settings.baseUrl?.();
    const getUploadUrl = settings.getUploadUrl?.();
    if (getUploadUrl) {
      try {
        return targetFromBody(await getUploadUrl(source, { folder, relativePath, signal }), { baseUrl });
      } catch (error) {
        if (signal.aborted) throw abortError();
        if (isUploadError(error)) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new UploadError('sign_failed', message || 'getUploadUrl failed', { serverMessage: message, cause: error });
      }
    }
    const endpoint = settings.endpoint?.();
    if (!endpoint) throw new UploadError('sign_failed', 'No endpoint or getUploadUrl is set');
    return requestUploadTarget(endpoint, source, {
      signal,
      headers: settings.headers?.(),
      withCredentials: !!settings.withCredentials?.(),
      folder,
      relativePath,
      baseUrl,
      fetch: settings.fetch,
      now: settings.now,
    });
  };
}
