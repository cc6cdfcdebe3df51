// What happens after the bytes land (SPEC §5.6, §5.7): the completion call to the app's `complete-endpoint`, and the
// polling of `status-endpoint` while ittybit processes a file. DOM-free: `fetch`, the clock and the failure path come
// in as arguments. The elements load it on demand, with controllers/lifecycle.ts (the CDN bundle's
// `chunks/lifecycle-*.js`), only when `complete-endpoint` or `status-endpoint` is set. It imports nothing at run time.
import type { FailurePath, Json, RetryOptions } from './failure.js';
import type { Clock, IttyFile } from './types.js';
import type { safeUrl } from './url.js';

/** How the lifecycle's requests are sent: the element's endpoint settings. */
export interface LifecycleRequest {
  /** Extra request headers (the element's `endpointHeaders`). */
  headers?: Record<string, string> | null;
  /** `credentials: 'include'` instead of `same-origin`. */
  withCredentials?: boolean;
  /** Base of a relative endpoint (e.g. `document.baseURI`). */
  baseUrl?: string;
  /** Defaults to `globalThis.fetch`, read when called. */
  fetch?: typeof fetch;
}

export interface CompleteOptions extends LifecycleRequest, Pick<RetryOptions, 'retries' | 'whenOnline'> {
  signal: AbortSignal;
  clock: Clock;
  /** A number in [0, 1) for backoff jitter. Default `Math.random`. */
  random?: () => number;
  meta?: Record<string, string>;
  relativePath?: string;
}

export interface PollOptions extends LifecycleRequest {
  signal: AbortSignal;
  clock: Clock;
  /** First wait in ms. Default 1000. */
  base?: number;
  /** Longest wait in ms. Default 30000. */
  max?: number;
  /** ms after which polling gives up. Default 600000 (10 minutes). */
  cap?: number;
}

/** Polling's timing for an element (its `status-endpoint`): tests shorten `cap` here. Not public API. */
export const pollTiming = { base: 1000, max: 30000, cap: 600000 };

/** A File object's processing ended. */
export const isProcessed = (file: IttyFile | undefined): boolean => /^(ready|failed)$/.test(file?.status ?? '');

/** A File object says it is still being processed. */
export const isProcessing = (file: IttyFile | undefined): boolean => /^(waiting|processing)$/.test(file?.status ?? '');

/** The completion call and the status polling, working with the failure path and the URL check they are given. */
export function lifecycleCalls(path: FailurePath, check: typeof safeUrl) {
  const { UploadError, httpError, parseJson, retryPolicy, sleep } = path;

  const isObject = (value: unknown): value is Json => typeof value == 'object' && !!value && !Array.isArray(value);

  /**
   * The File object in an answer (bare, `{ data }` or `{ file }`), over `stored` for the required fields the answer
   * lacks or mistypes; `undefined` when the answer holds none (empty, not JSON, JSON without one) or its `url` is not
   * safe to render (http(s), blob: or relative).
   */
  function fileFromAnswer(text: string, stored: IttyFile): IttyFile | undefined {
    const body = parseJson(text);
    const found = [body, (body as Json | undefined)?.data, (body as Json | undefined)?.file].find(
      (value): value is Json => isObject(value) && typeof value.url == 'string',
    );
    if (!found || !check(found.url)) return undefined;
    const file: Json = { ...found };
    for (const key of ['url', 'type', 'filesize', 'kind'] as const) if (typeof file[key] != typeof stored[key]) file[key] = stored[key];
    return file as IttyFile;
  }

  // One request: resolves with the answer's text on a 2xx, rejects with an UploadError (`code`) otherwise.
  async function send(
    url: string,
    init: RequestInit,
    options: LifecycleRequest & { signal: AbortSignal; now: number },
    code: 'complete_failed',
  ) {
    const fetcher = options.fetch ?? globalThis.fetch;
    let response: Response;
    let text: string;
    try {
      response = await fetcher(options.baseUrl ? new URL(url, options.baseUrl).href : url, {
        ...init,
        headers: { ...(init.body && { 'Content-Type': 'application/json' }), Accept: 'application/json', ...options.headers },
        credentials: options.withCredentials ? 'include' : 'same-origin',
        signal: options.signal,
      });
      text = await response.text();
    } catch (error) {
      if (options.signal.aborted) throw path.abortError();
      throw new UploadError('network', `Could not reach ${url}`, { cause: error });
    }
    if (!response.ok) throw httpError(code, { status: response.status, text, header: (name) => response.headers.get(name) }, options.now);
    return text;
  }

  /**
   * `POST`s `{ file, meta?, relativePath? }` to the completion endpoint and returns the File object that ends the
   * upload: the app's (bare, `{ data }` or `{ file }`), or `file` itself when the answer holds none (empty, not JSON,
   * JSON without a File object). Transient failures (network, 408, 429, 5xx) are retried as the uploads' are
   * (`retryPolicy`); the final failure is an UploadError `complete_failed` (with the status and the server's message),
   * `aborted` when `signal` aborted.
   */
  async function completeFile(endpoint: string, file: IttyFile, options: CompleteOptions): Promise<IttyFile> {
    const retry = retryPolicy();
    const body = JSON.stringify({ file, meta: options.meta, relativePath: options.relativePath || undefined });
    for (;;) {
      try {
        const text = await send(endpoint, { method: 'POST', body }, { ...options, now: options.clock.now() }, 'complete_failed');
        return fileFromAnswer(text, file) ?? file;
      } catch (error) {
        const failure = error as InstanceType<typeof UploadError>;
        try {
          await retry(failure, { ...options, random: options.random ?? Math.random });
        } catch {
          if (options.signal.aborted || failure.code == 'complete_failed') throw options.signal.aborted ? path.abortError() : failure;
          throw new UploadError('complete_failed', failure.message, {
            status: failure.status,
            serverMessage: failure.serverMessage,
            cause: failure,
          });
        }
      }
    }
  }

  /**
   * Polls `GET template` (`{id}` replaced by the file's URL-encoded `id`) until the File object's `status` is `ready`
   * or `failed`, waiting `base` ms before the first request and twice as long before each next one, up to `max`.
   * Resolves with that File object; with `undefined` after `cap` ms (or when the file has no `id`). A failed request
   * (network, any HTTP error, an answer without a File object) is waited out like a `processing` answer. Rejects with
   * an `aborted` UploadError once `signal` aborts.
   */
  async function pollStatus(template: string, file: IttyFile, options: PollOptions): Promise<IttyFile | undefined> {
    const { clock, signal, base = 1000, max = 30000, cap = 600000 } = options;
    if (typeof file.id != 'string') return undefined;
    const url = template.replace(/\{id\}/g, encodeURIComponent(file.id));
    const started = clock.now();
    for (let wait = base; ; wait = Math.min(wait * 2, max)) {
      const left = cap - (clock.now() - started);
      if (left <= 0) return undefined;
      await sleep(Math.min(wait, left), clock, signal);
      try {
        const answer = fileFromAnswer(await send(url, { method: 'GET' }, { ...options, now: clock.now() }, 'complete_failed'), file);
        if (isProcessed(answer)) return answer;
      } catch (error) {
        if (signal.aborted) throw error;
      }
    }
  }

  return { completeFile, pollStatus, fileFromAnswer };
}

export type LifecycleCalls = ReturnType<typeof lifecycleCalls>;
