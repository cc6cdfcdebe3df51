// Real S3-protocol storage for the browser tests: s3rver on 127.0.0.1 (a free port, a temp folder), with
// SigV4 presigned-URL verification in front of it (s3rver checks only the access key of a SigV4 request,
// see ./sigv4.ts). Two buckets: `uploads` exposes ETag to the page, `no-etag` does not.
// Test-only routes (on the test runner's origin):
//   POST /__test/s3/presign { bucket?, key, contentType?, expiresIn?, signedSecondsAgo? } → { url, headers? }  (AWS SDK presigner)
//   GET  /__test/s3/object?bucket=&key= → { exists, size?, sha256?, contentType?, etag? }  (GetObject)
//   GET  /__test/s3/keys?bucket=        → { keys: string[] }                                 (ListObjectsV2)
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { verifyPresigned } from './sigv4.ts';

// The SDK warns about Node 20 through process.emitWarning; the tests do not need to hear it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';
/** The test page is served from http://localhost:<port> (the port is chosen when the runner starts). */
const ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'];

/** What a bucket needs for direct browser uploads; the README shows the same rules as JSON. */
export const corsXml = ({ exposeEtag }) => `<CORSConfiguration>
  <CORSRule>
    ${ORIGINS.map((origin) => `<AllowedOrigin>${origin}</AllowedOrigin>`).join('')}
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    ${exposeEtag ? '<ExposeHeader>ETag</ExposeHeader>' : ''}
    <MaxAgeSeconds>600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

const originAllowed = (origin) => /^http:\/\/(localhost|127\.0\.0\.1):\d+$/.test(origin);
const xmlEscape = (text) => text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]);

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

export function s3Storage() {
  let server;
  let client;
  let dir;

  /** Checks the signature of every presigned request (never of preflights: S3 does not either). */
  const sigv4 = async (ctx, next) => {
    // s3rver checks a preflight's query auth (and so refuses one for an expired URL); S3 answers it from CORS alone.
    if (ctx.method === 'OPTIONS') ctx.querystring = '';
    if (ctx.method === 'OPTIONS' || !('X-Amz-Algorithm' in ctx.query)) return next();
    const result = verifyPresigned({ method: ctx.method, url: ctx.url, headers: ctx.headers }, { [ACCESS_KEY]: SECRET_KEY });
    if (result.ok) return next();
    // S3 answers errors with the bucket's CORS headers, so the page can read them.
    const origin = ctx.get('origin');
    if (origin && originAllowed(origin)) ctx.set('Access-Control-Allow-Origin', origin);
    ctx.status = result.status;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${result.code}</Code><Message>${xmlEscape(result.message)}</Message></Error>`;
  };

  const plugin = {
    name: 's3rver',
    async serverStart() {
      dir = mkdtempSync(join(tmpdir(), 'itty-s3rver-'));
      server = new S3rver({
        address: '127.0.0.1',
        port: 0,
        silent: true,
        directory: dir,
        configureBuckets: [
          { name: 'uploads', configs: [corsXml({ exposeEtag: true })] },
          { name: 'no-etag', configs: [corsXml({ exposeEtag: false })] },
        ],
      });
      server.middleware.unshift(sigv4);
      const { port } = await server.run();
      client = new S3Client({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        forcePathStyle: true,
        credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
        // Otherwise the SDK (since 3.729) puts the CRC32 of an empty body (`x-amz-checksum-crc32=AAAAAA==`) into
        // every presigned PutObject URL, and stores that check checksums (SeaweedFS, MinIO, R2) refuse the upload.
        requestChecksumCalculation: 'WHEN_REQUIRED',
      });
    },
    async serverStop() {
      client?.destroy();
      server?.httpServer?.closeAllConnections();
      await server?.close().catch(() => {});
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };

  const middleware = async (ctx, next) => {
    if (!ctx.path.startsWith('/__test/s3/')) return next();
    if (ctx.path === '/__test/s3/presign' && ctx.method === 'POST') {
      const { bucket = 'uploads', key, contentType, expiresIn = 300, signedSecondsAgo = 0 } = await readJson(ctx.req);
      const command = new PutObjectCommand({ Bucket: bucket, Key: key, ...(contentType ? { ContentType: contentType } : {}) });
      // Content-Type is signed only when asked for: `signableHeaders` (the presigner leaves it out otherwise).
      const url = await getSignedUrl(client, command, {
        expiresIn,
        signingDate: new Date(Date.now() - signedSecondsAgo * 1000),
        ...(contentType ? { signableHeaders: new Set(['content-type']) } : {}),
      });
      ctx.body = contentType ? { url, headers: { 'Content-Type': contentType } } : { url };
      return;
    }
    if (ctx.path === '/__test/s3/object') {
      const { bucket = 'uploads', key } = ctx.query;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: String(bucket), Key: String(key) }));
        const bytes = Buffer.from(await object.Body.transformToByteArray());
        ctx.body = {
          exists: true,
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          contentType: object.ContentType,
          etag: object.ETag,
        };
      } catch (error) {
        if (error?.name !== 'NoSuchKey') throw error;
        ctx.body = { exists: false };
      }
      return;
    }
    if (ctx.path === '/__test/s3/keys') {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: String(ctx.query.bucket ?? 'uploads') }));
      ctx.body = { keys: (listed.Contents ?? []).map((object) => object.Key) };
      return;
    }
    return next();
  };

  return { plugin, middleware };
}
