// Reading what servers answer, for every request: the storage's answer to an upload. Error bodies and `Retry-After`
// are read by failure.ts, the signing answer (targetFromBody, parseSignResponse) by signing.ts, both loaded on demand.
import { UploadError, type UploadErrorCode, type UploadErrorOptions } from './errors.js';
import { kindOf } from './media.js';
import { withoutQuery } from './shared.js';
import type { IttyFile, Source, TransportResponse, UploadTarget } from './types.js';
import { safeUrl } from './url.js';

export type Json = Record<string, unknown>;

/**
 * The largest answer read, in characters (1 MiB of ASCII), from a signing endpoint and from the storage. Transports
 * stop reading a longer one: a signing answer that long fails with `sign_failed`, an upload answer with
 * `invalid_response`, instead of being downloaded and parsed whole.
 */
export const MAX_ANSWER_SIZE = 2 ** 20;

export const parseJson = (text: string): unknown => {
  try {
    // Keys an answer never needs, which would reach a prototype (or look like they do) once the object is spread
    // into a File object, `value` or the form's JSON, are left out at every depth.
    return JSON.parse(text, (key, value: unknown) => (/^(__proto__|constructor|prototype)$/.test(key) ? undefined : value));
  } catch {
    return undefined;
  }
};

const text = (value: unknown) => typeof value == 'string' && !!value.trim();

export const clean = (message: string | undefined) => {
  const flat = message?.replace(/\s+/g, ' ').trim();
  return flat ? (flat.length > 300 ? `${flat.slice(0, 299)}…` : flat) : undefined;
};

// A JSON error body's message: `message`, `error` (string), `error.message` or `detail`.
export const messageFromJson = (body: unknown) =>
  (typeof body == 'string'
    ? body
    : [(body as Json)?.message, (body as Json)?.error, ((body as Json)?.error as Json)?.message, (body as Json)?.detail].find(text)) as
    | string
    | undefined;

/** An UploadError whose message is `headline`, followed by the server's message when there is one. */
export const failure = (code: UploadErrorCode, headline: string, options: UploadErrorOptions) =>
  new UploadError(code, options.serverMessage ? `${headline}: ${options.serverMessage}` : headline, options);

const isFile = (value: unknown): value is Json => typeof (value as Json)?.url == 'string' || typeof (value as Json)?.id == 'string';

/**
 * The File object for a successful upload response: ittybit's JSON File object (bare or in a
 * `{ data }` envelope; unknown fields kept, missing required ones filled in locally), or, for an
 * empty / XML / other body (S3, GCS, R2, Azure), one built from the source and the target:
 * `url` = the target URL without query and hash, `etag` from the `ETag` header when exposed.
 * @throws UploadError `invalid_response` for an answer that cannot be used: longer than `MAX_ANSWER_SIZE`, or
 *   JSON with an `error` and no File object (a failure under a success status).
 */
export function parseUploadResponse(
  response: TransportResponse,
  context: { target: Pick<UploadTarget, 'url'>; source: Pick<Source, 'name' | 'size' | 'type'> },
): IttyFile {
  const { source } = context;
  const url = withoutQuery(context.target.url);
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
