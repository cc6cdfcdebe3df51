import { UploadError, type UploadErrorCode } from './errors.js';
import type { IttyFile, Source, TransportResponse, UploadTarget } from './types.js';
import { isHttpUrl } from './url.js';

type Json = Record<string, unknown>;

const MAX_MESSAGE = 300;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : undefined);

const clean = (message: string | undefined) => {
  const flat = message?.replace(/\s+/g, ' ').trim();
  if (!flat) return undefined;
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
};

const messageFromJson = (body: unknown) => {
  if (typeof body === 'string') return body;
  if (!isObject(body)) return undefined;
  const error = body.error;
  return text(body.message) ?? (isObject(error) ? text(error.message) : text(error)) ?? text(body.detail);
};

/**
 * The message a server put in an error body, read leniently: JSON `message`, `error.message`,
 * `error` (string) or `detail`; the `<Message>` of an S3/GCS/Azure XML error; or plain text.
 * HTML is never parsed (an HTML body gives `undefined`). Whitespace is collapsed, length capped.
 */
export function readServerMessage(body: string): string | undefined {
  const json = parseJson(body);
  if (json !== undefined) return clean(messageFromJson(json));
  if (body.trimStart().startsWith('<')) {
    // XML entities stay as they are: the message is shown as text, never as markup.
    return clean(/<Message>([^<]*)<\/Message>/i.exec(body)?.[1]);
  }
  return clean(body);
}

function parseRetryAfter(value: string | null, now: number | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - (now ?? Date.now())) / 1000));
}

const HEADLINES: Partial<Record<UploadErrorCode, string>> = {
  sign_failed: 'Could not get an upload URL',
  expired: 'The upload URL expired',
  rejected: 'The server refused the file',
};

/**
 * An `UploadError` of `code` for an HTTP error response: keeps the status, the server's message
 * and `Retry-After` (seconds, or an HTTP date compared with `now`, in ms).
 */
export function httpError(code: UploadErrorCode, response: TransportResponse, now?: number): UploadError {
  const serverMessage = readServerMessage(response.text);
  const retryAfter = parseRetryAfter(response.header('Retry-After'), now);
  const headline = `${HEADLINES[code] ?? 'Upload failed'} (HTTP ${response.status})`;
  return new UploadError(code, serverMessage ? `${headline}: ${serverMessage}` : headline, {
    status: response.status,
    serverMessage,
    retryAfter,
  });
}

/**
 * The `UploadError` for a failed upload response: code `expired` for a 400/401/403 whose body
 * mentions expiry (ittybit `signature_expired`, S3 `Request has expired`, GCS `ExpiredToken`),
 * `rejected` for 413/415, otherwise `fallbackCode`.
 */
export function errorFromResponse(
  response: TransportResponse,
  fallbackCode: UploadErrorCode = 'upload_failed',
  now?: number,
): UploadError {
  const { status } = response;
  const expired = (status === 400 || status === 401 || status === 403) && /expir(ed|y)/i.test(response.text);
  return httpError(expired ? 'expired' : status === 413 || status === 415 ? 'rejected' : fallbackCode, response, now);
}

/** An HTTP token (RFC 9110): what a method or a header name may be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

const signFailed = (message: string, status?: number, serverMessage?: string) =>
  new UploadError('sign_failed', serverMessage ? `${message}: ${serverMessage}` : message, { status, serverMessage });

const toNumber = (value: unknown) => {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
};

/**
 * Turns what a signer answered (already parsed) into an `UploadTarget`: a URL string, ittybit's
 * Signature object, a `{ data }` envelope of either, or a generic `{ url, method?, headers?, resumable? }`.
 * Relative URLs resolve against `baseUrl`.
 * @throws UploadError `invalid_target` for a URL that is not http(s) (or a GET URL), `sign_failed` when there is no URL.
 */
export function targetFromBody(body: unknown, options: { baseUrl?: string; status?: number } = {}): UploadTarget {
  if (typeof body === 'string') body = { url: body };
  if (isObject(body) && typeof body.url !== 'string' && (isObject(body.data) || typeof body.data === 'string')) {
    return targetFromBody(body.data, options);
  }
  if (!isObject(body) || typeof body.url !== 'string') {
    throw signFailed('The signing response has no upload URL', options.status, clean(messageFromJson(body)));
  }
  let url: string;
  try {
    url = new URL(body.url.trim(), options.baseUrl).href;
  } catch {
    url = body.url;
  }
  if (!isHttpUrl(url)) throw new UploadError('invalid_target', 'The upload URL is not an http(s) URL');

  const method = typeof body.method === 'string' ? body.method.toUpperCase() : undefined;
  // ittybit's Signature object also carries a `method`: `put` is what an upload needs, `get` never works.
  if (method === 'GET' || method === 'HEAD') throw new UploadError('invalid_target', `The upload URL was signed for ${method}`);
  // Methods XMLHttpRequest refuses to send: retrying could never help.
  if (method !== undefined && (!TOKEN.test(method) || /^(CONNECT|TRACE|TRACK)$/.test(method))) {
    throw new UploadError('invalid_target', `The upload method ${JSON.stringify(method)} cannot be used`);
  }

  const headers: Record<string, string> = {};
  if (isObject(body.headers)) {
    for (const [name, value] of Object.entries(body.headers)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
      // What XMLHttpRequest would throw on (a header injection, a name with spaces, a character above U+00FF): no request could ever work.
      if (!TOKEN.test(name) || /[\0\r\n]|[^\0-\xff]/.test(String(value))) {
        throw new UploadError('invalid_target', `The upload target has an invalid header: ${JSON.stringify(name)}`);
      }
      headers[name] = String(value);
    }
  }
  const parsed = new URL(url);
  // Azure rejects a blob PUT without this header, so a target that forgot it could never work.
  if (parsed.hostname.endsWith('.blob.core.windows.net') && !Object.keys(headers).some((n) => n.toLowerCase() === 'x-ms-blob-type')) {
    headers['x-ms-blob-type'] = 'BlockBlob';
  }

  const query = parsed.searchParams;
  const isSignature = typeof body.signature === 'string' && body.expiry !== undefined;
  const ittybitQuery = query.has('expiry') && query.has('signature');
  const resumable =
    typeof body.resumable === 'boolean' ? body.resumable : isSignature || (ittybitQuery && !isObject(body.headers));
  const expiry = toNumber(body.expiry) ?? (ittybitQuery ? toNumber(query.get('expiry')) : undefined);

  const target: UploadTarget = { url, resumable };
  if (method) target.method = method;
  if (Object.keys(headers).length) target.headers = headers;
  if (expiry !== undefined) target.expiry = expiry;
  return target;
}

/**
 * Reads a signing endpoint's answer. 2xx JSON: see `targetFromBody`. Leniently, a body that is a
 * bare URL (JSON string or text/plain) is accepted as `{ url }`.
 * @throws UploadError `sign_failed` (non-2xx or unusable body, with the server's message) or `invalid_target`.
 */
export function parseSignResponse(status: number, body: string, options: { baseUrl?: string } = {}): UploadTarget {
  if (status < 200 || status > 299) {
    throw httpError('sign_failed', { status, text: body, header: () => null });
  }
  let json = parseJson(body);
  const trimmed = body.trim();
  // A text body counts as a URL only when it looks like one: a scheme or a leading '/'.
  if (json === undefined && /^([a-z][a-z0-9+.-]*:|\/)\S*$/i.test(trimmed)) json = trimmed;
  if (typeof json === 'string' && !/^([a-z][a-z0-9+.-]*:|\/)/i.test(json.trim())) {
    throw signFailed('The signing response has no upload URL', status, clean(json));
  }
  if (json === undefined) throw signFailed('The signing response is not JSON', status, readServerMessage(body));
  return targetFromBody(json, { ...options, status });
}

const kindOf = (type: string): IttyFile['kind'] => {
  const top = type.split('/', 1)[0];
  return top === 'image' || top === 'video' || top === 'audio' ? top : 'other';
};

/**
 * The File object for a successful upload response: ittybit's JSON File object (bare or in a
 * `{ data }` envelope; unknown fields kept, missing required ones filled in locally), or, for an
 * empty / XML / other body (S3, GCS, R2, Azure), one built from the source and the target:
 * `url` = the target URL without query and hash, `etag` from the `ETag` header when exposed.
 */
export function parseUploadResponse(
  response: TransportResponse,
  context: { target: Pick<UploadTarget, 'url'>; source: Pick<Source, 'name' | 'size' | 'type'> },
): IttyFile {
  const { source } = context;
  const url = new URL(context.target.url);
  url.search = '';
  url.hash = '';
  const type = source.type || 'application/octet-stream';
  const local: IttyFile = { url: url.href, type, kind: kindOf(type), filesize: source.size, filename: source.name };
  const etag = response.header('ETag');
  if (etag) local.etag = etag;

  let body = parseJson(response.text);
  if (isObject(body) && typeof body.url !== 'string' && typeof body.id !== 'string' && isObject(body.data)) body = body.data;
  if (!isObject(body) || (typeof body.url !== 'string' && typeof body.id !== 'string')) return local;
  const file = { ...local, ...body } as IttyFile;
  if (typeof file.url !== 'string') file.url = local.url;
  return file;
}
