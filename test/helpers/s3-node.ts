// A real S3-protocol store for Node tests: s3rver 3.7.1 on 127.0.0.1 (a free port, a temp folder), with a thin front
// that makes it answer as S3 does where s3rver falls short. What s3rver 3.7.1 does itself (lib/routes.js,
// lib/controllers/object.js): CreateMultipartUpload, UploadPart, CompleteMultipartUpload, PutObject, GetObject, POST
// object (form upload). What it lacks, and this front supplies:
//   - signatures: s3rver checks only the access key of a SigV4 request. The front verifies every request: query auth
//     (presigned URLs) with ./sigv4.ts, header auth (Authorization: AWS4-HMAC-SHA256 …) here, including the payload's
//     SHA-256 when the request signs one. An unsigned request is refused (a private bucket).
//   - ListParts (GET ?uploadId) and AbortMultipartUpload (DELETE ?uploadId): "method not allowed" in s3rver.
//   - ListMultipartUploads (GET /bucket?uploads): "not implemented" in s3rver.
//   - NoSuchUpload: s3rver stores a part for any uploadId (it creates the folder) and fails a Complete of an unknown
//     one with a 500; the front answers 404 NoSuchUpload, as S3 does, also when the key does not match the upload's.
//   - CompleteMultipartUpload checks: s3rver assembles whatever part numbers it is given. The front refuses parts out
//     of order (InvalidPartOrder), a missing part or a wrong ETag (InvalidPart), and a part other than the last below
//     5 MiB (EntityTooSmall), as S3 does.
//   - POST policies: s3rver stores any POST form upload and ignores `policy` and its signature. The front checks a
//     POST upload as S3 does: the policy's SigV4 signature, its expiration, every condition (exact match, starts-with,
//     content-length-range against the file's bytes), and that every field but the signature, the policy and the
//     file is covered by a condition.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { verifyPresigned } from './sigv4.js';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');

/** s3rver's default account. */
export const ACCESS_KEY = 'S3RVER';
export const SECRET_KEY = 'S3RVER';
const CREDENTIALS: Record<string, string> = { [ACCESS_KEY]: SECRET_KEY };
const MIN_PART = 5 * 1024 * 1024;

/** One request the front let through or refused. */
export interface LoggedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  auth: 'query' | 'header' | 'none';
  /** The S3 error code the front answered with, if it refused the request. */
  refused?: string;
}

export interface S3Node {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  bucket: string;
  /** Every request that reached the store, in order. */
  log: LoggedRequest[];
  /** The multipart uploads in progress in `bucket`: `{ key, uploadId }`. */
  uploadsInProgress(): Promise<Array<{ key: string; uploadId: string }>>;
  close(): Promise<void>;
}

type Ctx = {
  method: string;
  url: string;
  path: string;
  query: Record<string, string | string[]>;
  querystring: string;
  headers: Record<string, string | string[] | undefined>;
  req: NodeJS.ReadableStream & { headers: Record<string, string | string[] | undefined> };
  status: number;
  type: string;
  body: unknown;
  set(name: string, value: string): void;
};

const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const xmlEscape = (text: string) => text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

function header(headers: Ctx['headers'], name: string): string | undefined {
  const value = headers[name];
  return (Array.isArray(value) ? value.join(',') : value)?.trim().replace(/\s+/g, ' ');
}

export type Refusal = { status: number; code: string; message: string };
/** A request let through whose connection is then closed after `after` ms (mid-body for a large part): a reset. */
export type Reset = { reset: true; after: number };

/** Verifies SigV4 header auth, written from AWS's "Signature Calculations for the Authorization Header" page. */
function verifyHeaderAuth(ctx: Ctx, payload: Buffer, now = Date.now()): Refusal | undefined {
  const authorization = header(ctx.headers, 'authorization') ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!m) return { status: 400, code: 'AuthorizationHeaderMalformed', message: 'The authorization header is malformed.' };
  const [, credential, signedHeaderList, signature] = m as unknown as [string, string, string, string];
  const [accessKeyId, day, region, service, terminator] = credential.split('/');
  const secret = CREDENTIALS[accessKeyId!];
  if (secret === undefined)
    return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  if (service !== 's3' || terminator !== 'aws4_request')
    return { status: 400, code: 'AuthorizationHeaderMalformed', message: 'Bad credential scope.' };
  const amzDate = header(ctx.headers, 'x-amz-date') ?? '';
  const d = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(amzDate);
  if (!d || !amzDate.startsWith(day!))
    return { status: 403, code: 'AccessDenied', message: 'X-Amz-Date is missing or not on the credential day.' };
  const at = Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!, +d[4]!, +d[5]!, +d[6]!);
  if (Math.abs(now - at) > 15 * 60 * 1000)
    return {
      status: 403,
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
    };
  const contentSha = header(ctx.headers, 'x-amz-content-sha256');
  if (!contentSha)
    return { status: 400, code: 'InvalidRequest', message: 'Missing required header for this request: x-amz-content-sha256' };
  if (contentSha !== 'UNSIGNED-PAYLOAD' && contentSha !== sha256(payload)) {
    return {
      status: 400,
      code: 'XAmzContentSHA256Mismatch',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    };
  }
  const signedHeaders = signedHeaderList.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!signedHeaders.includes(required)) return { status: 403, code: 'AccessDenied', message: `${required} must be signed.` };
  }
  const q = ctx.url.indexOf('?');
  const rawPath = q === -1 ? ctx.url : ctx.url.slice(0, q);
  const params = [...new URLSearchParams(q === -1 ? '' : ctx.url.slice(q + 1))];
  const canonicalQuery = params
    .map(([key, value]) => [encode(key), encode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalPath = rawPath
    .split('/')
    .map((segment) => encode(decodeURIComponent(segment)))
    .join('/');
  const canonicalRequest = [
    ctx.method.toUpperCase(),
    canonicalPath,
    canonicalQuery,
    signedHeaders.map((name) => `${name}:${header(ctx.headers, name) ?? ''}\n`).join(''),
    signedHeaderList,
    contentSha,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day!), region!), service!), 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  }
  return undefined;
}

/** Checks a browser-based POST upload (S3's "Authenticating Requests in Browser-Based Uploads Using POST"). */
async function verifyPostPolicy(bucket: string, ctx: Ctx, payload: Buffer, now = Date.now()): Promise<Refusal | undefined> {
  const denied = (message: string): Refusal => ({ status: 403, code: 'AccessDenied', message });
  let form: FormData;
  try {
    form = await new Request('http://form.test/', {
      method: 'POST',
      headers: { 'content-type': header(ctx.headers, 'content-type') ?? '' },
      body: new Uint8Array(payload),
    }).formData();
  } catch {
    return { status: 400, code: 'MalformedPOSTRequest', message: 'The body of your POST request is not well-formed multipart/form-data.' };
  }
  const fields = new Map<string, string>();
  let file: Blob | undefined;
  for (const [name, value] of form) {
    if (name === 'file') {
      file = value as Blob;
      break; // S3 ignores every field after the file
    }
    if (typeof value === 'string') fields.set(name.toLowerCase(), value);
  }
  if (!file) return { status: 400, code: 'InvalidArgument', message: 'POST requires exactly one file upload per request.' };
  const policy = fields.get('policy');
  const signature = fields.get('x-amz-signature');
  const credential = fields.get('x-amz-credential') ?? '';
  const date = fields.get('x-amz-date') ?? '';
  if (!policy || !signature || fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256')
    return denied('Invalid according to Policy: Missing policy or signature.');
  const [accessKeyId, day, region, service, terminator] = credential.split('/');
  const secret = CREDENTIALS[accessKeyId!];
  if (secret === undefined || service !== 's3' || terminator !== 'aws4_request' || !date.startsWith(day!))
    return denied('Invalid credential.');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day!), region!), service), 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', key).update(policy, 'utf8').digest('hex'));
  if (expected.length !== Buffer.byteLength(signature) || !timingSafeEqual(expected, Buffer.from(signature))) {
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  }
  const document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
  if (!(Date.parse(document.expiration) > now)) return denied('Invalid according to Policy: Policy expired.');
  const covered = new Set(['policy', 'x-amz-signature', 'file']);
  const values = new Map([...fields, ['bucket', bucket]]);
  for (const condition of document.conditions) {
    let [op, name, value] = Array.isArray(condition)
      ? condition
      : ['eq', `$${Object.keys(condition as object)[0]}`, Object.values(condition as object)[0]];
    if (op === 'content-length-range') {
      if (file.size < Number(name) || file.size > Number(value)) {
        return {
          status: 400,
          code: file.size > Number(value) ? 'EntityTooLarge' : 'EntityTooSmall',
          message: "Your proposed upload does not fit the policy's content-length-range.",
        };
      }
      continue;
    }
    name = String(name).replace(/^\$/, '').toLowerCase();
    covered.add(name);
    const actual = values.get(name) ?? '';
    if (op === 'eq' ? actual !== value : op === 'starts-with' ? !actual.startsWith(String(value)) : true) {
      return denied(`Invalid according to Policy: Policy Condition failed: ["${op}", "$${name}", "${value}"]`);
    }
  }
  for (const name of fields.keys()) {
    if (!covered.has(name) && !name.startsWith('x-ignore-')) return denied(`Invalid according to Policy: Extra input fields: ${name}`);
  }
  return undefined;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

export interface S3NodeOptions {
  /** The bucket's CORS configuration (XML), for browsers on another origin: s3rver answers preflights from it. */
  cors?: string;
  /**
   * Called for every request the front lets through, before s3rver sees it: a refusal answers instead (a fault a
   * test injects, e.g. a 500 for one part).
   */
  intercept?(request: { method: string; url: string; query: Record<string, string | string[]> }): Refusal | Reset | undefined;
}

/** Starts s3rver with one bucket (`uploads`) and the front described above. */
export async function startS3Node(bucket = 'uploads', options: S3NodeOptions = {}): Promise<S3Node> {
  const dir = mkdtempSync(join(tmpdir(), 'itty-s3-node-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket, configs: options.cors ? [options.cors] : [] }],
  });
  const log: LoggedRequest[] = [];
  // Where s3rver keeps a bucket's multipart uploads: <dir>/<bucket>/._S3rver_uploads/<uploadId>/{key,metadata,<n>,<n>.md5}.
  const uploadsDir = (name: string) => server.store.getResourcePath(name, undefined, 'uploads') as string;

  const refuse = (ctx: Ctx, entry: LoggedRequest, { status, code, message }: Refusal) => {
    entry.refused = code;
    // S3 answers errors with the bucket's CORS headers, so that a page can read them.
    const origin = header(ctx.headers, 'origin');
    if (options.cors && origin) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Expose-Headers', 'ETag');
    }
    ctx.status = status;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`;
  };
  const noSuchUpload: Refusal = { status: 404, code: 'NoSuchUpload', message: 'The specified upload does not exist.' };

  /** The upload's folder when `uploadId` is an upload of `key` in `name`. */
  async function uploadOf(name: string, key: string, uploadId: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{32}$/.test(uploadId)) return undefined;
    const folder = join(uploadsDir(name), uploadId);
    const stored = await readFile(join(folder, 'key'), 'utf8').catch(() => undefined);
    return stored === key ? folder : undefined;
  }

  async function parts(folder: string) {
    const names = (await readdir(folder)).filter((name) => /^\d+$/.test(name));
    // A part whose PUT was cut off mid-body (a paused or canceled upload) leaves s3rver a data file without its
    // `.md5`: S3 lists only parts stored whole, so those are left out (a later PUT of the part replaces them).
    const found = await Promise.all(
      names.map(async (name) => {
        const md5 = await readFile(join(folder, `${name}.md5`), 'utf8').catch(() => undefined);
        return md5 === undefined ? [] : [{ number: Number(name), etag: `"${md5.trim()}"`, size: (await stat(join(folder, name))).size }];
      }),
    );
    return found.flat().sort((a, b) => a.number - b.number);
  }

  const front = async (ctx: Ctx, next: () => Promise<void>) => {
    // Preflights carry no signature (S3 answers them from the bucket's CORS rules); s3rver would check a presigned
    // URL's query on one, so it goes without its query.
    if (ctx.method === 'OPTIONS') {
      ctx.querystring = '';
      return next();
    }
    const query = ctx.query;
    const queryAuth = 'X-Amz-Algorithm' in query;
    const headerAuth = !!header(ctx.headers, 'authorization');
    const entry: LoggedRequest = { method: ctx.method, url: ctx.url, auth: queryAuth ? 'query' : headerAuth ? 'header' : 'none' };
    log.push(entry);
    // The body is read here so that header auth can check its hash (and a POST's form be read), then handed on. A part
    // sent to a presigned URL (query auth, PUT) streams through: parts may be large (the benchmark's are 64 MiB).
    const streamed = queryAuth && ctx.method === 'PUT';
    const socket = (ctx.req as { socket?: { destroy(): void } }).socket;
    const payload = ctx.method === 'GET' || ctx.method === 'HEAD' || streamed ? Buffer.alloc(0) : await readAll(ctx.req);
    if (!streamed) {
      const replay = Object.assign(Readable.from(payload.length ? [payload] : []), { headers: ctx.req.headers });
      ctx.req = replay as unknown as Ctx['req'];
    }

    if (!queryAuth && !headerAuth && ctx.method === 'POST' && ctx.path.split('/').filter(Boolean).length === 1) {
      entry.auth = 'none'; // a POST form upload carries its signature in the form: checked below
    } else if (queryAuth) {
      const result = verifyPresigned({ method: ctx.method, url: ctx.url, headers: ctx.headers }, CREDENTIALS);
      if (!result.ok) return refuse(ctx, entry, result);
    } else if (headerAuth) {
      const refusal = verifyHeaderAuth(ctx, payload);
      if (refusal) return refuse(ctx, entry, refusal);
    } else {
      return refuse(ctx, entry, { status: 403, code: 'AccessDenied', message: 'Access Denied' });
    }

    const injected = options.intercept?.({ method: ctx.method, url: ctx.url, query });
    if (injected && 'reset' in injected) {
      // Cut mid-body after `after` ms, or at the latest instead of the answer (then the part may be stored whole, but
      // its client never learns its ETag: what list-parts finds on resume).
      entry.refused = 'reset';
      const res = (ctx as unknown as { res: { writeHead(...args: unknown[]): unknown } }).res;
      const cut = () => socket?.destroy();
      const timer = setTimeout(cut, injected.after);
      const writeHead = res.writeHead;
      res.writeHead = function (this: unknown, ...args: unknown[]) {
        clearTimeout(timer);
        cut();
        return writeHead.apply(this, args);
      };
    } else if (injected) return refuse(ctx, entry, injected);

    const [, name = '', ...rest] = ctx.path.split('/');
    const key = rest.map((segment) => decodeURIComponent(segment)).join('/');
    const uploadId = typeof query['uploadId'] === 'string' ? query['uploadId'] : undefined;

    if (!key && ctx.method === 'GET' && 'uploads' in query) {
      const ids = await readdir(uploadsDir(name)).catch(() => [] as string[]);
      const uploads = await Promise.all(
        ids.map(async (id) => ({ id, key: await readFile(join(uploadsDir(name), id, 'key'), 'utf8').catch(() => '') })),
      );
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult><Bucket>${xmlEscape(name)}</Bucket>${uploads
        .filter((upload) => upload.key)
        .map((upload) => `<Upload><Key>${xmlEscape(upload.key)}</Key><UploadId>${upload.id}</UploadId></Upload>`)
        .join('')}<IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`;
      return;
    }
    if (!key && ctx.method === 'POST' && !('delete' in query)) {
      const refusal = await verifyPostPolicy(name, ctx, payload);
      return refusal ? refuse(ctx, entry, refusal) : next();
    }
    if (!key || uploadId === undefined) return next();

    const folder = await uploadOf(name, key, uploadId);
    if (!folder) return refuse(ctx, entry, noSuchUpload);
    if (ctx.method === 'PUT') {
      const number = Number(query['partNumber']);
      if (!Number.isInteger(number) || number < 1 || number > 10_000) {
        return refuse(ctx, entry, {
          status: 400,
          code: 'InvalidArgument',
          message: 'Part number must be an integer between 1 and 10000, inclusive',
        });
      }
      await next();
      // s3rver answers once it has read the part, before its file is flushed (putPart resolves on the hashing
      // stream's 'finish', not the file's): S3 lists a part only once it is stored, so wait for the file to hold it.
      if (ctx.status !== 200) return;
      const length = streamed ? Number(header(ctx.headers, 'content-length')) : payload.length;
      const file = join(folder, String(number));
      for (
        let tries = 0;
        tries < 200 &&
        (await stat(file).then(
          (s) => s.size,
          () => -1,
        )) !== length;
        tries++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return;
    }
    if (ctx.method === 'GET') {
      const listed = await parts(folder);
      const marker = Number(query['part-number-marker'] ?? 0);
      const max = Math.min(Number(query['max-parts'] ?? 1000), 1000);
      const page = listed.filter((part) => part.number > marker).slice(0, max);
      const truncated = listed.filter((part) => part.number > marker).length > page.length;
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult><Bucket>${xmlEscape(name)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId>${
        truncated ? `<NextPartNumberMarker>${page.at(-1)!.number}</NextPartNumberMarker>` : ''
      }<IsTruncated>${truncated}</IsTruncated>${page
        .map((part) => `<Part><PartNumber>${part.number}</PartNumber><ETag>${xmlEscape(part.etag)}</ETag><Size>${part.size}</Size></Part>`)
        .join('')}</ListPartsResult>`;
      return;
    }
    if (ctx.method === 'DELETE') {
      await rm(folder, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    if (ctx.method === 'POST') {
      const xml = payload.toString('utf8');
      const given = [...xml.matchAll(/<Part>\s*<PartNumber>(\d+)<\/PartNumber>\s*<ETag>([^<]*)<\/ETag>\s*<\/Part>/g)].map((m) => ({
        number: Number(m[1]),
        etag: m[2]!.replace(/&quot;/g, '"').replace(/"/g, ''),
      }));
      if (!given.length)
        return refuse(ctx, entry, { status: 400, code: 'MalformedXML', message: 'The XML you provided was not well-formed.' });
      const stored = new Map((await parts(folder)).map((part) => [part.number, part]));
      for (const [index, part] of given.entries()) {
        if (index > 0 && part.number <= given[index - 1]!.number) {
          return refuse(ctx, entry, { status: 400, code: 'InvalidPartOrder', message: 'The list of parts was not in ascending order.' });
        }
        const found = stored.get(part.number);
        if (!found || found.etag.replace(/"/g, '') !== part.etag) {
          return refuse(ctx, entry, {
            status: 400,
            code: 'InvalidPart',
            message: 'One or more of the specified parts could not be found.',
          });
        }
        if (index < given.length - 1 && found.size < MIN_PART) {
          return refuse(ctx, entry, {
            status: 400,
            code: 'EntityTooSmall',
            message: 'Your proposed upload is smaller than the minimum allowed size',
          });
        }
      }
      return next();
    }
    return next();
  };

  server.middleware.unshift(front);
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    log,
    async uploadsInProgress() {
      const ids = await readdir(uploadsDir(bucket)).catch(() => [] as string[]);
      const found = [];
      for (const uploadId of ids) {
        const keyFile = join(uploadsDir(bucket), uploadId, 'key');
        if (await exists(keyFile)) found.push({ key: await readFile(keyFile, 'utf8'), uploadId });
      }
      return found;
    },
    async close() {
      server.httpServer?.closeAllConnections();
      await server.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
