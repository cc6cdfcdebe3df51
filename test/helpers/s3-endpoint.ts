// The app side of S3 for the browser tests: `createS3Uploads` (src/server/s3.ts) mounted on the test runner's origin,
// signing for a real S3-protocol store (s3rver behind the SigV4-verifying front of ./s3-node.ts, which also supplies
// ListParts, AbortMultipartUpload, ListMultipartUploads and POST policies). The bucket is on another origin than the
// page, with a CORS rule that exposes ETag, as the README asks of a real bucket.
// Routes (on the test runner's origin):
//   POST /__test/s3mp/upload          the endpoint, multipart from 6 MiB in parts of 5 MiB
//   POST /__test/s3mp/post            the same with `post: true` (presigned POST below the threshold)
//   GET  /__test/s3mp/actions         { actions: [{ action, partNumbers? }] } every action the endpoint was asked
//   GET  /__test/s3mp/parts           { puts: [{ partNumber, refused? }] } every part PUT that reached the store
//   GET  /__test/s3mp/in-progress     { uploads: [{ key, uploadId }] } from ListMultipartUploads (header-signed)
//   GET  /__test/s3mp/object?key=     { exists, size?, sha256?, type? } (a header-signed GetObject)
//   POST /__test/s3mp/fail-part       { partNumber, status?, times? } the next `times` PUTs of that part are refused
//   POST /__test/s3mp/hold-create     { times? } the next `times` creates on /upload answer only on release (the upload
//                                     exists at the store meanwhile: a cancel in that window must still abort it)
//   GET  /__test/s3mp/held            { held } creates waiting;  POST /__test/s3mp/release answers them
//   POST /__test/s3mp/reset           forgets the logs and injected faults
// The chaos run's (test/e2e/load.test.ts) own route, with faults like test/helpers/faulty-server.mjs's (seeded, counted):
//   POST /__test/s3mp/chaos           the endpoint, keys `<folder>/<filename>`; `chaos.rate` of its calls fail (500, 503,
//                                     429, reset before the handler runs), and as many of the part PUTs of its uploads
//                                     at the store (500 InternalError, 503 SlowDown, 403 "Request has expired", reset
//                                     mid-body or instead of the answer)
//   GET  /__test/s3mp/report          { faults: { kind: count } } injected on the chaos route and its uploads, and
//                                     { creates: [{ key, uploadId, started, answered }] } its multipart uploads (the
//                                     store's uploadId; Date.now() when the request came and when it was answered)
//   GET  /__test/s3mp/objects?prefix= { keys: [...] } the objects under a prefix (ListObjectsV2)
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AwsClient } from 'aws4fetch';
import { createS3Uploads } from '../../src/server/s3.js';
import { ACCESS_KEY, SECRET_KEY, startS3Node, type Refusal, type S3Node } from './s3-node.js';
import { seeded } from './seeded.js';

const MiB = 1024 * 1024;
const BUCKET = 'multipart';
/** The object key of a path-style URL of the bucket (`/multipart/a/b.bin?…` → `a/b.bin`). */
const keyOfUrl = (url: string) =>
  url
    .split('?', 1)[0]!
    .split('/')
    .slice(2)
    .map((segment) => decodeURIComponent(segment))
    .join('/');
const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>http://localhost:*</AllowedOrigin>
    <AllowedOrigin>http://127.0.0.1:*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

interface Koa {
  path: string;
  method: string;
  url: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  req: IncomingMessage;
  status: number;
  body: unknown;
  set(name: string, value: string): void;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const PART_FAULTS: Record<string, Refusal> = {
  '500': { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
  '503': { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  expired: { status: 403, code: 'AccessDenied', message: 'Request has expired' },
};
const ENDPOINT_FAULTS: Record<string, [number, string]> = {
  '500': [500, 'internal_error'],
  '503': [503, 'service_unavailable'],
  '429': [429, 'rate_limited'],
};

export function s3Endpoint(options: { partSize?: number; multipartThreshold?: number; chaos?: { rate: number; seed: number } } = {}) {
  let store: S3Node | undefined;
  let handlers: Record<'upload' | 'post' | 'chaos', (request: Request) => Promise<Response>> | undefined;
  const actions: Array<{ action: string; partNumbers?: number[] }> = [];
  const faults = new Map<number, { status: number; times: number }>();
  let holdCreates = 0;
  const held: Array<() => void> = [];
  let client: AwsClient | undefined;
  // The chaos route: its draws, what it injected, and the keys of its uploads (whose part PUTs may fail).
  const random = seeded(options.chaos?.seed ?? 1);
  const rate = options.chaos?.rate ?? 0;
  const injected: Record<string, number> = {};
  const chaosKeys = new Set<string>();
  const creates: Array<{ key: string; uploadId?: string; started: number; answered: number }> = [];
  let createsInTurn: Promise<unknown> = Promise.resolve();
  const draw = (kinds: string[]) => {
    if (!(random() < rate)) return undefined;
    const kind = kinds[Math.min(kinds.length - 1, Math.floor(random() * kinds.length))]!;
    injected[kind] = (injected[kind] ?? 0) + 1;
    return kind;
  };

  const plugin = {
    name: 's3-endpoint',
    async serverStart() {
      store = await startS3Node(BUCKET, {
        cors: CORS,
        intercept({ method, url, query }) {
          if (method === 'PUT' && query.uploadId && chaosKeys.has(keyOfUrl(url))) {
            const kind = draw(['500', '503', 'expired', 'reset']);
            if (kind === 'reset') return { reset: true, after: Math.floor(random() * 40) };
            if (kind) return PART_FAULTS[kind];
          }
          const number = Number(query.partNumber);
          const fault = method === 'PUT' && query.uploadId ? faults.get(number) : undefined;
          if (!fault || fault.times <= 0) return undefined;
          fault.times -= 1;
          return { status: fault.status, code: 'InternalError', message: 'We encountered an internal error. Please try again.' };
        },
      });
      const base = {
        bucket: BUCKET,
        region: 'us-east-1',
        endpoint: store.endpoint,
        credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
        multipartThreshold: options.multipartThreshold ?? 6 * MiB,
        partSize: options.partSize ?? 5 * MiB,
      };
      handlers = {
        upload: createS3Uploads(base),
        post: createS3Uploads({ ...base, post: true }),
        // Keys the test can find: `<folder>/<filename>`.
        chaos: createS3Uploads({ ...base, key: (body) => [body.folder, body.filename].filter(Boolean).join('/') }),
      };
      client = new AwsClient({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, service: 's3', region: 'us-east-1', retries: 0 });
    },
    async serverStop() {
      await store?.close();
    },
  };

  const objectUrl = (key: string) => `${store!.endpoint}/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`;

  const middleware = async (ctx: Koa, next: () => Promise<void>) => {
    if (!ctx.path.startsWith('/__test/s3mp/')) return next();
    const route = ctx.path.slice('/__test/s3mp/'.length);
    if (route === 'chaos' && handlers) {
      // Before the handler runs, as the upload server's faults: an error answer, or the connection cut mid-body.
      const kind = draw(['500', '503', '429', 'reset']);
      if (kind === 'reset') {
        ctx.req.socket.destroy();
        ctx.status = 499;
        return;
      }
      if (kind) {
        const [status, errorKind] = ENDPOINT_FAULTS[kind]!;
        ctx.status = status;
        if (kind === '429') ctx.set('Retry-After', '1');
        ctx.body = { kind: errorKind, message: `Injected fault: ${status}.` };
        return;
      }
    }
    if ((route === 'upload' || route === 'post' || route === 'chaos') && handlers) {
      const body = await readBody(ctx.req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(ctx.headers)) if (typeof value == 'string') headers.set(name, value);
      let create = false;
      try {
        const parsed = JSON.parse(body.toString('utf8'));
        create = !parsed?.action;
        if (parsed?.action) actions.push({ action: parsed.action, ...(parsed.partNumbers ? { partNumbers: parsed.partNumbers } : {}) });
      } catch {
        // the handler answers that
      }
      const started = Date.now();
      const call = () =>
        handlers![route](new Request(`http://app.test${ctx.url}`, { method: ctx.method, headers, body: new Uint8Array(body) }));
      let response: Response;
      if (route === 'chaos' && create) {
        // The chaos route's creates, one at a time: the upload a create made is the one in progress after it and not
        // before (the answer holds only the sealed handle), which two creates at once could take for each other's.
        const turn = createsInTurn.then(async () => {
          const before = new Set((await store!.uploadsInProgress()).map((upload) => upload.uploadId));
          const answer = await call();
          const [made] = (await store!.uploadsInProgress()).filter((upload) => !before.has(upload.uploadId));
          if (made) creates.push({ key: made.key, uploadId: made.uploadId, started, answered: Date.now() });
          return answer;
        });
        createsInTurn = turn.catch(() => undefined);
        response = await turn;
      } else response = await call();
      if (route === 'upload' && create && holdCreates > 0) {
        holdCreates -= 1;
        await new Promise<void>((resolve) => held.push(resolve));
      }
      ctx.status = response.status;
      ctx.set('Content-Type', response.headers.get('content-type') ?? 'application/json');
      ctx.body = await response.text();
      if (route === 'chaos' && response.ok) {
        const key = (JSON.parse(ctx.body as string) as { multipart?: { key?: string } }).multipart?.key;
        if (key) chaosKeys.add(key);
      }
      return;
    }
    if (route === 'report') {
      ctx.body = { faults: injected, creates };
      return;
    }
    if (route === 'abort-upload' && ctx.method === 'POST') {
      const { key, uploadId } = JSON.parse((await readBody(ctx.req)).toString('utf8'));
      const response = await client!.fetch(`${objectUrl(key)}?uploadId=${encodeURIComponent(uploadId)}`, { method: 'DELETE' });
      ctx.body = { status: response.status };
      return;
    }
    if (route === 'objects') {
      const prefix = String(ctx.query.prefix ?? '');
      const response = await client!.fetch(`${store!.endpoint}/${BUCKET}?list-type=2&prefix=${encodeURIComponent(prefix)}`);
      const text = await response.text();
      ctx.body = { keys: [...text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!.replace(/&amp;/g, '&')) };
      return;
    }
    if (route === 'actions') {
      ctx.body = { actions };
      return;
    }
    if (route === 'parts') {
      ctx.body = {
        puts: store!.log
          .filter((entry) => entry.method === 'PUT' && /[?&]partNumber=/.test(entry.url))
          .map((entry) => ({
            partNumber: Number(new URL(entry.url, 'http://x').searchParams.get('partNumber')),
            ...(entry.refused ? { refused: entry.refused } : {}),
          })),
      };
      return;
    }
    if (route === 'in-progress') {
      const response = await client!.fetch(`${store!.endpoint}/${BUCKET}?uploads`);
      const text = await response.text();
      ctx.body = {
        uploads: [...text.matchAll(/<Upload><Key>([^<]*)<\/Key><UploadId>([^<]*)<\/UploadId><\/Upload>/g)].map((m) => ({
          key: m[1],
          uploadId: m[2],
        })),
      };
      return;
    }
    if (route === 'object') {
      const response = await client!.fetch(objectUrl(String(ctx.query.key)));
      const bytes = Buffer.from(await response.arrayBuffer());
      ctx.body =
        response.status === 200
          ? {
              exists: true,
              size: bytes.length,
              sha256: createHash('sha256').update(bytes).digest('hex'),
              type: response.headers.get('content-type'),
            }
          : { exists: false };
      return;
    }
    if (route === 'fail-part' && ctx.method === 'POST') {
      const { partNumber, status = 500, times = 1 } = JSON.parse((await readBody(ctx.req)).toString('utf8'));
      faults.set(partNumber, { status, times });
      ctx.body = { ok: true };
      return;
    }
    if (route === 'hold-create' && ctx.method === 'POST') {
      holdCreates = JSON.parse((await readBody(ctx.req)).toString('utf8') || '{}').times ?? 1;
      ctx.body = { ok: true };
      return;
    }
    if (route === 'held') {
      ctx.body = { held: held.length };
      return;
    }
    if (route === 'release' && ctx.method === 'POST') {
      for (const resolve of held.splice(0)) resolve();
      ctx.body = { ok: true };
      return;
    }
    if (route === 'reset' && ctx.method === 'POST') {
      holdCreates = 0;
      for (const resolve of held.splice(0)) resolve();
      actions.length = 0;
      store!.log.length = 0;
      faults.clear();
      ctx.body = { ok: true };
      return;
    }
    return next();
  };

  return { plugin, middleware, bucket: BUCKET, store: () => store };
}
