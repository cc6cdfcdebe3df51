// One round trip through `createS3Uploads` on whatever runtime runs this file (Bun, Deno, or workerd through
// s3-worker.ts): a presigned single PUT and a one-part multipart upload to the s3rver the Node test started,
// plus a forged handle. The Node test then reads the objects back from the store.
import { createS3Uploads } from '../../src/server/s3.js';

export async function s3RuntimeCheck(endpoint: string, runtime: string) {
  const handler = createS3Uploads({
    bucket: 'uploads',
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    multipartThreshold: 1000,
    key: (body) => `runtimes/${runtime}/${body.filename}`,
  });
  const call = async (body: unknown) => {
    const response = await handler(
      new Request('http://app.test/upload', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
    return { status: response.status, body: await response.json() };
  };
  const small = `single PUT from ${runtime}`;
  const signed = await call({ filename: 'small.txt', type: 'text/plain', size: small.length });
  const put = await fetch(signed.body.url, { method: 'PUT', headers: signed.body.headers, body: small });

  const big = `multipart from ${runtime} `.repeat(100);
  const { body: created } = await call({ filename: 'big.txt', type: 'text/plain', size: big.length });
  const { uploadId, key } = created.multipart;
  const parts = await call({ action: 'sign-parts', uploadId, key, partNumbers: [1] });
  const part = await fetch(parts.body.urls['1'], { method: 'PUT', body: big });
  const done = await call({ action: 'complete', uploadId, key, parts: [{ PartNumber: 1, ETag: part.headers.get('etag') }] });
  const forged = await call({ action: 'abort', uploadId, key: 'runtimes/elsewhere.txt' });
  return {
    signed: signed.status,
    put: put.status,
    created: created.multipart.partSize,
    part: part.status,
    complete: [done.status, done.body.filesize, done.body.key],
    forged: [forged.status, forged.body.kind],
  };
}

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
// Bun and Deno run this file directly (S3_ENDPOINT and S3_RUNTIME set); s3-worker.ts imports it into a Worker.
if ((import.meta as { main?: boolean }).main) console.log(JSON.stringify(await s3RuntimeCheck(env!['S3_ENDPOINT']!, env!['S3_RUNTIME']!)));
