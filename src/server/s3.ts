/**
 * `itty-uploader/server/s3`: the app's signing endpoint for S3, R2, MinIO or any S3-compatible store (SPEC §6.3).
 *
 * `createS3Uploads(options)` returns a fetch-style `(Request) => Promise<Response>` handler that speaks the element's
 * wire protocol: the signing request of §5.1 (a presigned single PUT below `multipartThreshold`, a multipart upload
 * at or above it) and the multipart actions of §5.4 (sign-parts, complete, abort, list-parts). SigV4 comes from
 * `aws4fetch` (WebCrypto); nothing here imports `node:*`, so it runs on Node ≥ 20, Workers, Deno and Bun.
 *
 * The browser never chooses the bucket, and never a key that `key()` did not return: the multipart `uploadId` it is
 * given is sealed with a MAC over (bucket, key, UploadId) that every action checks (see ./s3/handle.ts).
 */
import { kindOf } from '../core/media.js';
import { AwsV4Signer } from 'aws4fetch';
import { HandleSealer } from './s3/handle.js';
import { xmlBlocks, xmlEscape, xmlText } from './s3/xml.js';
import { sanitizeFilename } from './signing.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** S3's limits: parts of 5 MiB to 5 GiB (the last may be smaller), at most 10,000 of them; one PUT up to 5 GiB. */
export const S3_LIMITS = Object.freeze({ minPartSize: 5 * MiB, maxPartSize: 5 * GiB, maxParts: 10_000, maxSinglePut: 5 * GiB });
/** The most part numbers one `sign-parts` call may ask for. */
export const MAX_PARTS_PER_SIGN = 100;
/** The largest JSON body the handler reads (a `complete` of 10,000 parts is about 600 KB). */
const MAX_BODY = 2 * MiB;

/** What the browser sends to ask for an upload (SPEC §5.1), checked. */
export interface S3SignRequest {
  filename: string;
  folder?: string;
  relativePath?: string;
  /** The MIME type, `application/octet-stream` when the browser sent none. */
  type: string;
  size: number;
  meta?: Record<string, string>;
}

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3UploadsOptions {
  bucket: string;
  /** The SigV4 region: `us-east-1`…, `auto` for R2. */
  region: string;
  /**
   * The store's origin for path-style URLs (`https://<account>.r2.cloudflarestorage.com`, `http://localhost:9000`).
   * Without it: AWS, `https://<bucket>.s3.<region>.amazonaws.com`.
   */
  endpoint?: string;
  credentials: S3Credentials;
  /**
   * The object key for an upload. Default: a random 16-character folder and the sanitised file name
   * (`k3v9…/holiday.jpg`); the client's `folder` and `relativePath` are not used unless you use them here.
   */
  key?: (body: S3SignRequest, request: Request) => string | Promise<string>;
  /** Files of this many bytes or more go up as multipart uploads. Default 100 MiB; at most 5 GiB. */
  multipartThreshold?: number;
  /** The part size offered to the browser; grown so that no file needs more than 10,000 parts. Default 64 MiB. */
  partSize?: number;
  /** Lifetime of every presigned URL, in seconds (1…604800). Default 3600. */
  expiresIn?: number;
  /** Where uploaded objects are read from (a CDN or a public bucket domain): the File object's `url` is `publicUrl/<key>`. */
  publicUrl?: string;
  /**
   * Called for every request, before its body is read (do not read the body here). `false` → 403; a `Response` is
   * sent as it is (for a 401 with your own body, or a redirect).
   */
  authorize?: (request: Request) => boolean | Response | Promise<boolean | Response>;
  /**
   * The largest file accepted, in bytes: a larger declared `size` → 413; a single PUT is signed with its exact
   * `Content-Length`, so the store refuses any other length; a completed multipart upload larger than this is deleted (413).
   */
  maxSize?: number;
  /**
   * Answer below the threshold with a presigned POST (SPEC §5.5: `{ url, method: 'POST', fields }`, sent as
   * multipart/form-data) instead of a presigned PUT. Its policy pins the bucket, the key and the Content-Type and
   * holds a `content-length-range` of exactly the declared size (up to `maxSize`). AWS S3, MinIO and Ceph take POST
   * uploads; R2 does not (use the default PUT there, whose signed Content-Length gives the same guarantee with `maxSize`).
   */
  post?: boolean;
  /**
   * The secret that seals multipart upload handles. Default: `credentials.secretAccessKey`. Set it when the
   * credentials rotate during an upload's life (temporary STS credentials), or when several instances sign with
   * different credentials for one bucket.
   */
  secret?: string;
}

/** The File object `complete` answers with (ittybit's shape, as the element builds one for S3 itself). */
export interface S3File {
  id: string;
  object: 'source';
  kind: 'image' | 'video' | 'audio' | 'other';
  type: string;
  filesize: number;
  filename: string;
  folder?: string;
  url: string;
  key: string;
  etag?: string;
  created: string;
  updated: string;
  status: 'ready';
}

export type S3UploadsHandler = (request: Request) => Promise<Response>;

const OPTIONS = new Set([
  'bucket',
  'region',
  'endpoint',
  'credentials',
  'key',
  'multipartThreshold',
  'partSize',
  'expiresIn',
  'publicUrl',
  'authorize',
  'maxSize',
  'secret',
  'post',
]);

/** A failure answered as JSON `{ kind, message }`. */
class Failure extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const invalid = (message: string) => new Failure(400, 'request_invalid', message);

/** An error answer from S3: its `<Code>`, `<Message>` and HTTP status. */
class S3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value == 'object' && value !== null && !Array.isArray(value);

/** RFC 3986 encoding of one path segment, as SigV4 canonicalises it. */
const encodeSegment = (segment: string) =>
  encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const encodeKey = (key: string) => key.split('/').map(encodeSegment).join('/');

const encoder = new TextEncoder();

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function hmac(key: string | ArrayBuffer, text: string): Promise<ArrayBuffer> {
  const subtle = globalThis.crypto.subtle;
  const imported = await subtle.importKey(
    'raw',
    typeof key == 'string' ? encoder.encode(key) : key,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return subtle.sign('HMAC', imported, encoder.encode(text));
}

const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');

/** SigV4's `20240101T000000Z` for `ms`. */
const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `count` characters of `[a-z0-9]` from `bytes` (the first bytes that fall below 252 keep them uniform). */
function base36(bytes: Uint8Array, count: number): string {
  let out = '';
  for (const byte of bytes) if (byte < 252 && out.length < count) out += ALPHABET[byte % 36];
  return out;
}

function randomFolder(): string {
  let id = '';
  while (id.length < 16) id += base36(globalThis.crypto.getRandomValues(new Uint8Array(32)), 16 - id.length);
  return id;
}

/** A stable `file_` id for an object: the same key in the same bucket always has the same id. */
async function fileId(bucket: string, key: string): Promise<string> {
  let bytes = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(`${bucket}\n${key}`)));
  let id = base36(bytes, 12);
  // 32 bytes give 12 usable characters unless 21 of them are ≥ 252: hash again (never happens in practice).
  while (id.length < 12) {
    bytes = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
    id += base36(bytes, 12 - id.length);
  }
  return `file_${id}`;
}

const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

// A media type as RFC 9110 writes it, with optional parameters; nothing that could break a header.
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*;[\x20-\x7e]*)?$/;
const META_KEY = /^[A-Za-z0-9_]{1,32}$/;

function optionalString(body: Record<string, unknown>, field: string, max = 1024): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max) throw invalid(`${field} must be a string of at most ${max} characters.`);
  return value;
}

/** Checks the §5.1 body. */
function signRequest(body: Record<string, unknown>): S3SignRequest {
  const filename = optionalString(body, 'filename');
  if (filename === undefined || filename.trim() === '') throw invalid('filename is required.');
  const folder = optionalString(body, 'folder');
  const relativePath = optionalString(body, 'relativePath');
  const type = optionalString(body, 'type', 255)?.trim() || 'application/octet-stream';
  if (!MEDIA_TYPE.test(type)) throw invalid('type must be a MIME type such as "image/png".');
  const size = body['size'];
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw invalid('size must be a non-negative integer of bytes.');
  const meta = body['meta'];
  if (meta !== undefined && meta !== null) {
    const entries = isRecord(meta) ? Object.entries(meta) : undefined;
    if (
      !entries ||
      entries.length > 32 ||
      entries.some(([name, value]) => !META_KEY.test(name) || typeof value !== 'string' || value.length > 2048)
    ) {
      throw invalid('meta must be an object of at most 32 keys of [A-Za-z0-9_]{1,32} with string values of at most 2048 characters.');
    }
  }
  return {
    filename,
    ...(folder !== undefined ? { folder } : {}),
    ...(relativePath !== undefined ? { relativePath } : {}),
    type,
    size,
    ...(meta ? { meta: meta as Record<string, string> } : {}),
  };
}

function partNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > S3_LIMITS.maxParts) {
    throw invalid(`${where} must be an integer from 1 to ${S3_LIMITS.maxParts}.`);
  }
  return value;
}

/** A key `key()` returned: 1–1024 bytes of UTF-8, no control characters, no leading `/`, no `.`/`..` segment. */
function checkKey(key: unknown): string {
  if (
    typeof key !== 'string' ||
    key === '' ||
    encoder.encode(key).length > 1024 ||
    /[\x00-\x1f\x7f]/.test(key) ||
    key.startsWith('/') ||
    key.split('/').some((segment) => segment === '.' || segment === '..')
  ) {
    throw new Error(`createS3Uploads: key() returned an unusable object key (${JSON.stringify(key)?.slice(0, 80)})`);
  }
  return key;
}

function positiveInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new TypeError(`createS3Uploads: ${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY) throw new Failure(413, 'request_too_large', `The request body is larger than ${MAX_BODY} bytes.`);
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > MAX_BODY) {
      await reader.cancel().catch(() => {});
      throw new Failure(413, 'request_too_large', `The request body is larger than ${MAX_BODY} bytes.`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalid('The request body is not JSON.');
  }
}

/**
 * The app's signing endpoint for S3-compatible storage: see the module comment and the README.
 * @throws TypeError for a missing or malformed option, or an option it does not know.
 */
export function createS3Uploads(options: S3UploadsOptions): S3UploadsHandler {
  if (!isRecord(options)) throw new TypeError('createS3Uploads: options must be an object');
  for (const name of Object.keys(options)) if (!OPTIONS.has(name)) throw new TypeError(`createS3Uploads: unknown option "${name}"`);
  const { bucket, region, credentials } = options;
  if (typeof bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new TypeError('createS3Uploads: bucket must be a bucket name (3-63 characters of a-z, 0-9, "." and "-")');
  }
  if (typeof region !== 'string' || !/^[a-z0-9-]+$/.test(region))
    throw new TypeError('createS3Uploads: region must be a region name such as "us-east-1" or "auto"');
  if (
    !isRecord(credentials) ||
    typeof credentials.accessKeyId !== 'string' ||
    !credentials.accessKeyId ||
    typeof credentials.secretAccessKey !== 'string' ||
    !credentials.secretAccessKey
  ) {
    throw new TypeError('createS3Uploads: credentials must be { accessKeyId, secretAccessKey, sessionToken? }');
  }
  if (credentials.sessionToken !== undefined && typeof credentials.sessionToken !== 'string')
    throw new TypeError('createS3Uploads: credentials.sessionToken must be a string');
  const threshold = positiveInteger('multipartThreshold', options.multipartThreshold ?? 100 * MiB, 1, S3_LIMITS.maxSinglePut);
  const basePartSize = positiveInteger('partSize', options.partSize ?? 64 * MiB, S3_LIMITS.minPartSize, S3_LIMITS.maxPartSize);
  const expiresIn = positiveInteger('expiresIn', options.expiresIn ?? 3600, 1, 604_800);
  const maxSize = options.maxSize === undefined ? undefined : positiveInteger('maxSize', options.maxSize, 0, Number.MAX_SAFE_INTEGER);
  if (options.post !== undefined && typeof options.post !== 'boolean') throw new TypeError('createS3Uploads: post must be a boolean');
  for (const name of ['key', 'authorize'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      throw new TypeError(`createS3Uploads: ${name} must be a function`);
  }
  let origin: string;
  if (options.endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(options.endpoint);
    } catch {
      throw new TypeError('createS3Uploads: endpoint must be an http(s) URL');
    }
    if (!/^https?:$/.test(url.protocol) || url.search || url.hash)
      throw new TypeError('createS3Uploads: endpoint must be an http(s) URL without query');
    origin = `${url.origin}${url.pathname.replace(/\/+$/, '')}/${bucket}`;
  } else {
    // Virtual-hosted style, unless a dot in the name would break the TLS certificate's wildcard.
    origin = bucket.includes('.') ? `https://s3.${region}.amazonaws.com/${bucket}` : `https://${bucket}.s3.${region}.amazonaws.com`;
  }
  let publicBase: string | undefined;
  if (options.publicUrl !== undefined) {
    if (typeof options.publicUrl !== 'string' || !/^https?:\/\//i.test(options.publicUrl))
      throw new TypeError('createS3Uploads: publicUrl must be an http(s) URL');
    publicBase = options.publicUrl.replace(/\/+$/, '');
  }
  if (options.secret !== undefined && (typeof options.secret !== 'string' || options.secret.length < 16)) {
    throw new TypeError('createS3Uploads: secret must be a string of at least 16 characters');
  }
  const sealer = new HandleSealer(options.secret ?? credentials.secretAccessKey);
  const keyFor = options.key ?? ((body: S3SignRequest) => `${randomFolder()}/${sanitizeFilename(body.filename)}`);
  const signing = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    service: 's3',
    region,
    cache: new Map<string, ArrayBuffer>(),
  };

  const objectUrl = (key: string) => `${origin}/${encodeKey(key)}`;

  /**
   * A presigned POST (S3's "browser-based uploads using POST", SigV4): the form fields, in the order they must be
   * sent, with a policy that allows exactly this key, this Content-Type and `min`–`max` bytes.
   */
  async function presignPost(key: string, type: string, min: number, max: number) {
    const now = Date.now();
    const date = amzDate(now);
    const day = date.slice(0, 8);
    const credential = `${credentials.accessKeyId}/${day}/${region}/s3/aws4_request`;
    const fields: Record<string, string> = {
      key,
      'Content-Type': type,
      'x-amz-algorithm': 'AWS4-HMAC-SHA256',
      'x-amz-credential': credential,
      'x-amz-date': date,
      ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
    };
    const policy = btoa(
      String.fromCharCode(
        ...encoder.encode(
          JSON.stringify({
            expiration: new Date(now + expiresIn * 1000).toISOString(),
            conditions: [
              { bucket },
              ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
              ['content-length-range', min, max],
            ],
          }),
        ),
      ),
    );
    const signingKey = await hmac(
      await hmac(await hmac(await hmac(`AWS4${credentials.secretAccessKey}`, day), region), 's3'),
      'aws4_request',
    );
    return { ...fields, policy, 'x-amz-signature': hex(await hmac(signingKey, policy)) };
  }

  /** A presigned URL (query auth) for `method` on `key`; `headers` are signed and must be sent as they are. */
  async function presign(method: string, key: string, query: Record<string, string>, headers: Record<string, string> = {}) {
    const url = new URL(objectUrl(key));
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    url.searchParams.set('X-Amz-Expires', String(expiresIn));
    const signer = new AwsV4Signer({ ...signing, method, url: url.href, headers, signQuery: true, allHeaders: true });
    return (await signer.sign()).url.href;
  }

  /** A request to the S3 API (header auth, the payload's SHA-256 signed); S3's error answers throw `S3Error`. */
  async function s3(
    method: string,
    key: string,
    query: Record<string, string>,
    init: { body?: string; headers?: Record<string, string> } = {},
  ) {
    const url = new URL(objectUrl(key));
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const body = init.body ?? '';
    const headers = { ...init.headers, 'X-Amz-Content-Sha256': await sha256Hex(body) };
    const signed = await new AwsV4Signer({ ...signing, method, url: url.href, headers }).sign();
    let response: Response;
    try {
      response = await fetch(signed.url, { method, headers: signed.headers, ...(init.body !== undefined ? { body } : {}) });
    } catch (error) {
      throw new Failure(502, 'storage_unreachable', `The storage could not be reached: ${(error as Error).message}`);
    }
    const text = method === 'HEAD' ? '' : await response.text();
    // CompleteMultipartUpload can fail with a 200 whose body is an <Error>.
    if (!response.ok || /^\s*(<\?xml[^>]*>\s*)?<Error>/.test(text)) {
      throw new S3Error(
        xmlText(text, 'Code') ?? `HTTP ${response.status}`,
        xmlText(text, 'Message') ?? response.statusText,
        response.status,
      );
    }
    return { text, headers: response.headers };
  }

  /** What an S3 error means to the browser. */
  function fromS3(error: unknown): unknown {
    if (!(error instanceof S3Error)) return error;
    if (error.code === 'NoSuchUpload' || (error.status === 404 && error.code === 'HTTP 404')) {
      return new Failure(404, 'upload_not_found', 'The multipart upload does not exist: it was completed, aborted or expired.');
    }
    if (['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'EntityTooLarge', 'MalformedXML', 'InvalidArgument'].includes(error.code)) {
      return invalid(`The storage refused the request (${error.code}): ${error.message}`);
    }
    return new Failure(502, 'storage_error', `The storage answered ${error.code} (HTTP ${error.status}): ${error.message}`);
  }

  /** S3's UploadId and the creation time inside the `{ uploadId, key }` an action names, once its seal is checked. */
  async function openHandle(body: Record<string, unknown>): Promise<{ key: string; uploadId: string; created: number }> {
    const key = body['key'];
    const handle = body['uploadId'];
    if (typeof key !== 'string' || !key || key.length > 1024) throw invalid('key must be the key the upload was created with.');
    if (typeof handle !== 'string' || !handle || handle.length > 4096)
      throw invalid('uploadId must be the uploadId the upload was created with.');
    const opened = await sealer.open(bucket, key, handle);
    if (opened === undefined) throw new Failure(403, 'signature_invalid', 'This uploadId and key were not issued by this endpoint.');
    return { key, ...opened };
  }

  async function listParts(key: string, uploadId: string, limit = Infinity) {
    const parts: Array<{ PartNumber: number; ETag: string; Size: number }> = [];
    let marker = '0';
    for (;;) {
      const query: Record<string, string> = {
        uploadId,
        'part-number-marker': marker,
        ...(limit < 1000 ? { 'max-parts': String(limit) } : {}),
      };
      const { text } = await s3('GET', key, query);
      for (const block of xmlBlocks(text, 'Part')) {
        parts.push({
          PartNumber: Number(xmlText(block, 'PartNumber')),
          ETag: xmlText(block, 'ETag') ?? '',
          Size: Number(xmlText(block, 'Size')),
        });
      }
      const next = xmlText(text, 'NextPartNumberMarker');
      if (parts.length >= limit || xmlText(text, 'IsTruncated') !== 'true' || !next || next === marker) return parts;
      marker = next;
    }
  }

  /** §5.1: a presigned PUT below the threshold, a new multipart upload at or above it. */
  async function sign(body: Record<string, unknown>, request: Request) {
    const upload = signRequest(body);
    if (maxSize !== undefined && upload.size > maxSize)
      throw new Failure(413, 'file_too_large', `The file is larger than the limit of ${maxSize} bytes.`);
    const key = checkKey(await keyFor(upload, request));
    if (upload.size < threshold && options.post) {
      const fields = await presignPost(key, upload.type, upload.size, upload.size);
      return { url: `${origin}/`, method: 'POST', fields, key, expiry: Math.floor(Date.now() / 1000) + expiresIn };
    }
    if (upload.size < threshold) {
      const headers: Record<string, string> = { 'Content-Type': upload.type };
      // The browser sends Content-Length itself; signing it makes the store refuse any other length.
      const signed = maxSize !== undefined ? { ...headers, 'Content-Length': String(upload.size) } : headers;
      const url = await presign('PUT', key, {}, signed);
      return { url, method: 'PUT', headers, key, expiry: Math.floor(Date.now() / 1000) + expiresIn };
    }
    const maxParts = S3_LIMITS.maxParts;
    const partSize = Math.max(basePartSize, Math.ceil(upload.size / maxParts / MiB) * MiB);
    if (partSize > S3_LIMITS.maxPartSize)
      throw new Failure(413, 'file_too_large', `The file is larger than S3's limit of ${maxParts} parts of 5 GiB.`);
    const { text } = await s3('POST', key, { uploads: '' }, { headers: { 'Content-Type': upload.type } });
    const uploadId = xmlText(text, 'UploadId');
    if (!uploadId) throw new Failure(502, 'storage_error', 'The storage answered CreateMultipartUpload without an UploadId.');
    return { multipart: { uploadId: await sealer.seal(bucket, key, uploadId), key, partSize } };
  }

  async function signParts(body: Record<string, unknown>) {
    const numbers = body['partNumbers'];
    if (!Array.isArray(numbers) || numbers.length === 0 || numbers.length > MAX_PARTS_PER_SIGN) {
      throw invalid(`partNumbers must be an array of 1 to ${MAX_PARTS_PER_SIGN} part numbers.`);
    }
    const wanted = [...new Set(numbers.map((value, index) => partNumber(value, `partNumbers[${index}]`)))];
    const { key, uploadId } = await openHandle(body);
    // A part URL for an upload that no longer exists would only fail after its whole part was sent.
    await listParts(key, uploadId, 1);
    const urls: Record<string, string> = {};
    for (const number of wanted) urls[number] = await presign('PUT', key, { partNumber: String(number), uploadId });
    return { urls, expiry: Math.floor(Date.now() / 1000) + expiresIn };
  }

  async function complete(body: Record<string, unknown>): Promise<S3File> {
    const given = body['parts'];
    if (!Array.isArray(given) || given.length === 0 || given.length > S3_LIMITS.maxParts) {
      throw invalid(`parts must be an array of 1 to ${S3_LIMITS.maxParts} { PartNumber, ETag }.`);
    }
    const parts = given.map((part, index) => {
      if (!isRecord(part)) throw invalid(`parts[${index}] must be { PartNumber, ETag }.`);
      const etag = part['ETag'];
      if (typeof etag !== 'string' || !etag || etag.length > 1024 || /[\x00-\x1f\x7f]/.test(etag))
        throw invalid(`parts[${index}].ETag must be the part's ETag.`);
      return { number: partNumber(part['PartNumber'], `parts[${index}].PartNumber`), etag };
    });
    parts.sort((a, b) => a.number - b.number);
    if (parts.some((part, index) => index > 0 && parts[index - 1]!.number === part.number))
      throw invalid('parts names a part number twice.');
    const { key, uploadId, created } = await openHandle(body);
    const xml = `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts
      .map(({ number, etag }) => `<Part><PartNumber>${number}</PartNumber><ETag>${xmlEscape(etag)}</ETag></Part>`)
      .join('')}</CompleteMultipartUpload>`;
    let done: { text: string } = { text: '' };
    try {
      done = await s3('POST', key, { uploadId }, { body: xml, headers: { 'Content-Type': 'application/xml' } });
    } catch (error) {
      // A repeated complete whose first answer was lost finds no upload: its object is at the key, written after the
      // upload was created (a minute of slack for the store's clock). Anything else is a real 404.
      if (!(error instanceof S3Error && error.code === 'NoSuchUpload')) throw error;
      const existing = await s3('HEAD', key, {}).catch(() => undefined);
      const written = Date.parse(existing?.headers.get('last-modified') ?? '');
      if (!(written >= created - 60 * 1000)) throw error;
    }
    const head = await s3('HEAD', key, {});
    const filesize = Number(head.headers.get('content-length'));
    if (maxSize !== undefined && filesize > maxSize) {
      await s3('DELETE', key, {});
      throw new Failure(413, 'file_too_large', `The file is larger than the limit of ${maxSize} bytes; it was deleted.`);
    }
    const type = head.headers.get('content-type') || 'application/octet-stream';
    const modified = Date.parse(head.headers.get('last-modified') ?? '');
    const time = isoSeconds(Number.isNaN(modified) ? Date.now() : modified);
    const slash = key.lastIndexOf('/');
    const etag = xmlText(done.text, 'ETag') ?? head.headers.get('etag') ?? undefined;
    return {
      id: await fileId(bucket, key),
      object: 'source',
      kind: kindOf(type),
      type,
      filesize,
      filename: key.slice(slash + 1),
      ...(slash > 0 ? { folder: key.slice(0, slash) } : {}),
      url: publicBase ? `${publicBase}/${encodeKey(key)}` : objectUrl(key),
      key,
      ...(etag ? { etag } : {}),
      created: time,
      updated: time,
      status: 'ready',
    };
  }

  async function abort(body: Record<string, unknown>) {
    const { key, uploadId } = await openHandle(body);
    try {
      await s3('DELETE', key, { uploadId });
    } catch (error) {
      // Aborting twice is not an error: what the browser wanted (no upload left) is true.
      if (!(error instanceof S3Error && error.code === 'NoSuchUpload')) throw error;
    }
    return { aborted: true };
  }

  async function handle(request: Request): Promise<Response> {
    if (request.method !== 'POST') throw new Failure(405, 'method_not_allowed', 'Use POST.', { Allow: 'POST' });
    // JSON only: a cross-site form cannot send it without a CORS preflight.
    if (!/^application\/json\s*(;|$)/i.test(request.headers.get('content-type') ?? '')) {
      throw new Failure(415, 'request_invalid', 'Send Content-Type: application/json.');
    }
    if (options.authorize) {
      const allowed = await options.authorize(request);
      if (allowed instanceof Response) return allowed;
      if (allowed !== true) throw new Failure(403, 'forbidden', 'Not allowed to upload here.');
      if (request.bodyUsed) throw new Error('createS3Uploads: authorize() read the request body; read a request.clone() instead');
    }
    const body = await readJson(request);
    if (!isRecord(body)) throw invalid('Send a JSON object.');
    if (body['action'] === undefined) return json(200, await sign(body, request));
    switch (body['action']) {
      case 'sign-parts':
        return json(200, await signParts(body));
      case 'complete':
        return json(200, await complete(body));
      case 'abort':
        return json(200, await abort(body));
      case 'list-parts': {
        const { key, uploadId } = await openHandle(body);
        return json(200, { parts: await listParts(key, uploadId) });
      }
      default:
        throw invalid('action must be one of sign-parts, complete, abort, list-parts.');
    }
  }

  return async (request) => {
    try {
      return await handle(request);
    } catch (caught) {
      const error = fromS3(caught);
      if (error instanceof Failure) return json(error.status, { kind: error.kind, message: error.message }, error.headers);
      // A bug or a misconfiguration (key() threw): logged for the app, never shown to the browser.
      console.error(error);
      return json(500, { kind: 'internal_error', message: 'The upload endpoint failed.' });
    }
  };
}
