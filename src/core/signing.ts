// The signing step: the request to the app's endpoint (or its `getUploadUrl`) and the reading of its answer. The
// CDN bundle loads this module when the first file is queued (sign-loader.ts), as `chunks/signing-*.js`: it imports
// nothing at run time (what it shares with the upload path is handed to it as `SigningTools`), so that it bundles
// as one small file. `itty-uploader/core` binds it at once: its createSigner, requestUploadTarget,
// parseSignResponse and targetFromBody (sign.ts, response.ts) are synchronous as before.
import type { FailurePath, Json } from './failure.js';
import type { checkTarget, isOk } from './shared.js';
import type { MultipartAction, SignFunction, Source, UploadTarget } from './types.js';

/** What the signing step shares with the upload path, handed to it by sign-loader.ts. */
export interface SigningTools {
  UploadError: FailurePath['UploadError'];
  abortError: FailurePath['abortError'];
  httpError: FailurePath['httpError'];
  failure: FailurePath['failure'];
  clean: FailurePath['clean'];
  messageFromJson: FailurePath['messageFromJson'];
  parseJson: FailurePath['parseJson'];
  readServerMessage: FailurePath['readServerMessage'];
  checkTarget: typeof checkTarget;
  isOk: typeof isOk;
  MAX_ANSWER_SIZE: number;
}

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
  /** (v2) The file's metadata (`meta`), sent in the body. */
  meta?: Record<string, string>;
  /** Base for a relative endpoint and for a relative URL in the answer (e.g. `document.baseURI`). */
  baseUrl?: string;
  /** Current time in ms, for a `Retry-After` date. */
  now?: () => number;
}

/** Replaces the endpoint request: returns where to upload one file. */
export type GetUploadUrl<S extends Source = Source> = (
  source: S,
  ctx: { folder?: string; relativePath?: string; meta?: Record<string, string>; signal: AbortSignal },
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

const NEEDS_ENDPOINT = 'S3 multipart needs `endpoint`: its parts are signed there';
/** How long a signing request canceled under way may still answer (its S3 multipart upload is then aborted). */
const GRACE = 10_000;

/** The signing functions, working with `tools`. Their documentation is on the public names (sign.ts, response.ts). */
export function signing(tools: SigningTools) {
  const {
    UploadError,
    abortError,
    httpError,
    failure,
    clean,
    messageFromJson,
    parseJson,
    readServerMessage,
    checkTarget,
    isOk,
    MAX_ANSWER_SIZE,
  } = tools;

  const isObject = (value: unknown): value is Json => typeof value == 'object' && !!value && !Array.isArray(value);

  // A whole number: a number, or a string of digits.
  const toNumber = (value: unknown) =>
    (typeof value == 'number' || /^\d+$/.test(value as string)) && Number.isFinite(+(value as number)) ? +(value as number) : undefined;

  function targetFromBody(body: unknown, options: { baseUrl?: string; status?: number; endpoint?: string } = {}): UploadTarget {
    // (v2) An S3 multipart upload (SPEC §5.4), bare or in a `{ data }` envelope: its parts are signed at the endpoint.
    const session = [body, (body as Json | undefined)?.data].map((value) => (value as Json | undefined)?.multipart).find(isObject);
    if (session) {
      const { uploadId, key, partSize } = session;
      if (typeof uploadId != 'string' || !uploadId || typeof key != 'string' || !key || !((partSize as number) >= 1)) {
        throw failure('sign_failed', 'The multipart answer needs uploadId, key and partSize', { status: options.status });
      }
      if (!options.endpoint) throw new UploadError('sign_failed', NEEDS_ENDPOINT);
      return checkTarget({
        url: new URL(options.endpoint, options.baseUrl).href,
        multipart: { uploadId, key, partSize: Math.floor(partSize as number) },
      });
    }
    // A bare URL, an object with a `url`, or either in a `{ data }` envelope.
    const given = [body, (body as Json | undefined)?.data]
      .map((value) => (typeof value == 'string' ? { url: value } : value) as Json | undefined)
      .find((value) => typeof value?.url == 'string');
    if (!given) {
      throw failure('sign_failed', 'The signing response has no upload URL', {
        status: options.status,
        serverMessage: clean(messageFromJson(body)),
      });
    }
    let url: URL | undefined;
    try {
      url = new URL((given.url as string).trim(), options.baseUrl);
    } catch {
      // not a URL: refused below
    }
    // (v2) A presigned POST (SPEC §5.5): its form fields, in their order; `POST` and no other method with them.
    const fields = isObject(given.fields) ? given.fields : undefined;
    checkTarget({ url: url?.href, method: given.method as string | undefined, fields });
    const headers: Record<string, string> = {};
    const extra = isObject(given.headers) ? given.headers : undefined;
    for (const [name, value] of Object.entries(extra ?? {})) {
      if (['string', 'number', 'boolean'].includes(typeof value)) headers[name] = String(value);
    }
    // Azure rejects a blob PUT without this header, so a target that forgot it could never work.
    if (url!.hostname.endsWith('.blob.core.windows.net') && !Object.keys(headers).some((name) => /^x-ms-blob-type$/i.test(name))) {
      headers['x-ms-blob-type'] = 'BlockBlob';
    }
    // Headers no request could ever be sent with, so retrying could never help: a header injection, a name with
    // spaces, a character above U+00FF. `Headers` checks them as fetch and XMLHttpRequest would.
    try {
      new Headers(headers);
    } catch {
      throw new UploadError('invalid_target', "The upload target's headers cannot be sent");
    }

    const query = url!.searchParams;
    const ittybitQuery = query.has('expiry') && query.has('signature');
    const target: UploadTarget = {
      url: url!.href,
      resumable:
        typeof given.resumable == 'boolean'
          ? given.resumable
          : (typeof given.signature == 'string' && given.expiry !== undefined) || (ittybitQuery && !extra),
    };
    const expiry = toNumber(given.expiry) ?? toNumber(ittybitQuery && query.get('expiry'));
    if (given.method) target.method = fields ? 'POST' : 'PUT';
    if (fields) target.fields = Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));
    if (Object.keys(headers).length) target.headers = headers;
    if (expiry !== undefined) target.expiry = expiry;
    return target;
  }

  // A scheme or a leading '/'.
  const URLISH = /^([a-z][a-z\d+.-]*:|\/)/i;

  function parseSignResponse(status: number, body: string, options: { baseUrl?: string; endpoint?: string } = {}): UploadTarget {
    if (!isOk(status)) throw httpError('sign_failed', { status, text: body, header: () => null });
    let json = parseJson(body);
    const trimmed = body.trim();
    if (json === undefined) {
      // A text body counts as a URL only when it looks like one.
      if (!URLISH.test(trimmed) || /\s/.test(trimmed)) {
        throw failure('sign_failed', 'The signing response is not JSON', { status, serverMessage: readServerMessage(body) });
      }
      json = trimmed;
    } else if (typeof json == 'string' && !URLISH.test(json.trim())) {
      throw failure('sign_failed', 'The signing response has no upload URL', { status, serverMessage: clean(json) });
    }
    return targetFromBody(json, { ...options, status });
  }

  // The body as text, read only until it is longer than MAX_ANSWER_SIZE: the rest is never downloaded.
  async function readAnswer(response: Response): Promise<string> {
    // A declared length within the cap is read whole (the common case); only an answer of unknown or excessive
    // length is streamed. A stream piped through a decoder makes Chromium report the finished request as aborted.
    const length = Number(response.headers.get('Content-Length') ?? NaN);
    if (length <= MAX_ANSWER_SIZE && !/\w/.test(response.headers.get('Content-Encoding')?.replace(/identity/i, '') ?? ''))
      return response.text();
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (let chunk; reader && text.length <= MAX_ANSWER_SIZE && !(chunk = await reader.read()).done; )
      text += decoder.decode(chunk.value, { stream: true });
    // Only when stopped early: Chromium reports a body cancelled after its end as an aborted request.
    if (text.length > MAX_ANSWER_SIZE) void reader!.cancel();
    return text + decoder.decode();
  }

  // POSTs `body` as JSON to the endpoint with its headers and credentials; resolves with a 2xx answer's text and the
  // offset in seconds between the endpoint's clock (its `Date` header, when readable) and ours (SPEC §5.1 Clocks).
  async function post(endpoint: string, body: object, options: SignRequestOptions) {
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
        body: JSON.stringify(body),
        credentials: options.withCredentials ? 'include' : 'same-origin',
        signal,
      });
      text = await readAnswer(response);
    } catch (error) {
      if (signal.aborted) throw abortError();
      throw new UploadError('network', 'Could not reach the signing endpoint', { cause: error });
    }
    if (text.length > MAX_ANSWER_SIZE)
      throw new UploadError('sign_failed', 'The signing response is larger than 1 MiB', { status: response.status });
    const now = options.now?.() ?? Date.now();
    if (!response.ok) {
      throw httpError('sign_failed', { status: response.status, text, header: (name) => response.headers.get(name) }, now);
    }
    // No Date header (a cross-origin endpoint that does not expose it): no offset, the storage's answers decide.
    const offset = Math.round((Date.parse(response.headers.get('Date')!) - now) / 1000) || 0;
    return { response, text, offset };
  }

  // An `expiry` the endpoint gave, moved onto the device clock.
  const shift = <T extends { expiry?: unknown }>(answer: T, offset: number) => {
    if (typeof answer.expiry == 'number') answer.expiry -= offset;
    return answer;
  };

  async function requestUploadTarget(endpoint: string, source: Source, options: SignRequestOptions): Promise<UploadTarget> {
    const { response, text, offset } = await post(
      endpoint,
      {
        filename: source.name,
        folder: options.folder || undefined,
        relativePath: options.relativePath || undefined,
        type: source.type || 'application/octet-stream',
        size: source.size,
        meta: options.meta,
      },
      options,
    );
    const baseUrl = response.url || options.baseUrl;
    return shift(parseSignResponse(response.status, text, { baseUrl, endpoint: new URL(endpoint, baseUrl).href }), offset);
  }

  // A multipart action (SPEC §5.4) at the endpoint: its JSON answer, with `expiry` moved onto the device clock.
  async function requestAction(endpoint: string, action: MultipartAction, options: SignRequestOptions): Promise<Json> {
    const { response, text, offset } = await post(endpoint, action, options);
    const json = parseJson(text);
    if (!isObject(json)) throw failure('sign_failed', 'The endpoint did not answer JSON', { status: response.status });
    return shift(json, offset);
  }

  function createSigner<S extends Source = Source>(settings: SignerSettings<S>): SignFunction<S> {
    return async (source, { signal, relativePath, meta, action }) => {
      const folder = settings.folder?.() || undefined;
      const baseUrl = settings.baseUrl?.();
      const getUploadUrl = settings.getUploadUrl?.();
      const endpoint = settings.endpoint?.() || undefined;
      const options = {
        signal,
        headers: settings.headers?.(),
        withCredentials: !!settings.withCredentials?.(),
        folder,
        relativePath,
        meta,
        baseUrl,
        fetch: settings.fetch,
        now: settings.now,
      };
      if (action) {
        if (!endpoint) throw new UploadError('sign_failed', NEEDS_ENDPOINT);
        return requestAction(endpoint, action, options) as Promise<never>;
      }
      if (getUploadUrl) {
        try {
          return targetFromBody(await getUploadUrl(source, { folder, relativePath, signal, ...(meta && { meta }) }), { baseUrl, endpoint });
        } catch (error) {
          if (signal.aborted) throw abortError();
          if (error instanceof UploadError) throw error;
          const message = error instanceof Error ? error.message : String(error);
          throw new UploadError('sign_failed', message || 'getUploadUrl failed', { serverMessage: message, cause: error });
        }
      }
      if (!endpoint) throw new UploadError('sign_failed', 'No endpoint or getUploadUrl is set');
      // (v2) A cancel does not cut a request already sent: the endpoint may be creating an S3 multipart upload, whose id
      // only its answer gives. The caller hears `aborted` at once; an answer that names an upload then has it aborted
      // (SPEC §5.4: none left in progress). A request still unanswered after GRACE ms is cut, one that stalled (the
      // queue's stall timer says `timeout`) at once.
      if (signal.aborted) throw abortError();
      const call = new AbortController();
      const signing = requestUploadTarget(endpoint, source, { ...options, signal: call.signal });
      return new Promise<UploadTarget>((resolve, reject) => {
        const late = () => {
          reject(abortError());
          if ((signal.reason as Json | undefined)?.code == 'timeout') return call.abort();
          (setTimeout(() => call.abort(), GRACE) as { unref?(): void }).unref?.();
          signing
            .then(
              ({ multipart: m }) =>
                m &&
                requestAction(
                  endpoint,
                  { action: 'abort', uploadId: m.uploadId, key: m.key },
                  { ...options, signal: new AbortController().signal },
                ),
            )
            .catch(() => {});
        };
        signal.addEventListener('abort', late);
        signing.then(resolve, reject).finally(() => signal.removeEventListener('abort', late));
      });
    };
  }

  return { targetFromBody, parseSignResponse, requestUploadTarget, createSigner };
}

/** What `signing` gives. */
export type Signing = ReturnType<typeof signing>;
