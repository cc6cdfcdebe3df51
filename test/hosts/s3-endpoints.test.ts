// The S3 signing endpoints docs/s3.md quotes (demo/endpoints/s3-*.ts), called as their host would call them, against
// a real S3-protocol store: s3rver on 127.0.0.1 behind the SigV4-verifying front of test/helpers/s3-node.ts. Each must
// refuse a request without a session before anything reaches the store, sign a small file under the user's own
// prefix whatever key or bucket the client names, and hand out a URL the store takes the file's bytes at.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AwsClient } from 'aws4fetch';
import type { Express } from 'express';
import { sanitizeFilename } from '../../src/server/signing.js';
import { sessions } from '../../demo/endpoints/auth.js';
import { ACCESS_KEY, SECRET_KEY, startS3Node, type S3Node } from '../helpers/s3-node.js';

const BUCKET = 'my-uploads'; // the bucket the demo files name
const ALICE = 'session=s-alice';
sessions.set('s-alice', 'alice');

let store: S3Node;
let http: Server;
let httpOrigin: string;
const hosts = {} as Record<
  'worker' | 'next' | 'express' | 'node',
  (init: { body: string; cookie?: string; path?: string }) => Promise<Response>
>;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const photo = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) & 0xff);

function request(init: { body: string; cookie?: string; path?: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.cookie) headers.cookie = init.cookie;
  return new Request(`https://app.example${init.path ?? '/api/upload'}`, { method: 'POST', headers, body: init.body });
}

/** Reads an object back with a header-signed GET, which the store's front verifies like every other request. */
async function getObject(key: string) {
  const client = new AwsClient({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, service: 's3', region: 'us-east-1', retries: 0 });
  const response = await client.fetch(`${store.endpoint}/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`);
  return { status: response.status, type: response.headers.get('content-type'), body: new Uint8Array(await response.arrayBuffer()) };
}

before(async () => {
  store = await startS3Node(BUCKET);
  // s3-uploads.ts reads its store from the environment when it is imported.
  Object.assign(process.env, { S3_ENDPOINT: store.endpoint, S3_REGION: 'us-east-1', S3_KEY_ID: ACCESS_KEY, S3_SECRET: SECRET_KEY });
  const worker = (await import('../../demo/endpoints/s3-worker.js')).default;
  const next = (await import('../../demo/endpoints/s3-next-route.js')).POST;
  const { mountUploads, sendTo } = await import('../../demo/endpoints/s3-express.js');
  const { uploads } = await import('../../demo/endpoints/s3-uploads.js');
  const env = { R2_ENDPOINT: store.endpoint, R2_KEY_ID: ACCESS_KEY, R2_SECRET: SECRET_KEY };

  // Express's routing, reduced to the one route mountUploads adds; the request and response are node:http's own.
  type Route = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
  const routes = new Map<string, Route>();
  mountUploads({ post: (path: string, route: Route) => routes.set(`POST ${path}`, route) } as unknown as Express);
  assert.deepEqual([...routes.keys()], ['POST /api/upload']);
  http = createServer((req, res) => {
    const fail = (error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    };
    if (req.url === '/node/api/upload') return void sendTo(uploads, req, res).catch(fail);
    const route = routes.get(`${req.method} ${req.url}`);
    if (!route) return void res.writeHead(404).end();
    route(req, res, (error) => fail(error ?? 'next() without an error'));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpOrigin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  hosts.worker = (init) => worker.fetch(request(init), env);
  hosts.next = (init) => next(request(init));
  const viaHttp = (path: string) => (init: { body: string; cookie?: string; path?: string }) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.cookie) headers.cookie = init.cookie;
    return fetch(`${httpOrigin}${init.path ?? path}`, { method: 'POST', headers, body: init.body });
  };
  hosts.express = viaHttp('/api/upload');
  hosts.node = viaHttp('/node/api/upload');
});

after(async () => {
  http?.closeAllConnections();
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  await store?.close();
});

for (const [name, label] of [
  ['worker', 'Cloudflare Worker (s3-worker.ts)'],
  ['next', 'Next.js route handler (s3-next-route.ts)'],
  ['express', 'Express route (s3-express.ts mountUploads) on node:http'],
  ['node', 'node:http (s3-express.ts sendTo)'],
] as const) {
  describe(label, () => {
    const call = (body: unknown, cookie?: string) => hosts[name]({ body: JSON.stringify(body), cookie });

    test("signs a small file under the user's prefix, and the store takes the PUT", async () => {
      const data = photo(2048);
      const response = await call({ filename: 'Holiday photo.png', type: 'image/png', size: data.length }, ALICE);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const signed = (await response.json()) as { url: string; method: string; headers: Record<string, string>; key: string };
      assert.equal(signed.method, 'PUT');
      assert.deepEqual(signed.headers, { 'Content-Type': 'image/png' });
      const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
      assert.match(signed.key, new RegExp(`^users/alice/${uuid}/${sanitizeFilename('Holiday photo.png').replace('.', '\\.')}$`));
      const url = new URL(signed.url);
      assert.equal(`${url.origin}${url.pathname}`, `${store.endpoint}/${BUCKET}/${signed.key}`);
      // maxSize is set, so the exact length is signed too.
      assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'content-length;content-type;host');

      assert.equal((await getObject(signed.key)).status, 404);
      const put = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: data });
      assert.equal(put.status, 200, await put.clone().text());
      const stored = await getObject(signed.key);
      assert.equal(stored.status, 200);
      assert.equal(stored.type, 'image/png');
      assert.equal(sha256(stored.body), sha256(data));
    });

    test('refuses a request without a valid session before anything reaches the store', async () => {
      const requests = store.log.length;
      for (const cookie of [undefined, 'session=forged']) {
        const response = await call({ filename: 'a.png', type: 'image/png', size: 10 }, cookie);
        assert.equal(response.status, 403);
        assert.deepEqual(await response.json(), { kind: 'forbidden', message: 'Not allowed to upload here.' });
      }
      assert.equal(store.log.length, requests);
    });

    test('ignores a key, bucket or path the client names', async () => {
      const data = photo(100);
      const hostile = {
        key: 'attacker/owned.png',
        Key: 'attacker/owned.png',
        bucket: 'other',
        Bucket: 'other',
        folder: '../../users/bob',
        relativePath: '../bob/x.png',
      };
      const response = await call({ filename: '../../users/bob/x.png', type: 'image/png', size: data.length, ...hostile }, ALICE);
      assert.equal(response.status, 200);
      const signed = (await response.json()) as { url: string; headers: Record<string, string>; key: string };
      assert.match(signed.key, /^users\/alice\/[0-9a-f-]{36}\/x\.png$/);
      const url = new URL(signed.url);
      assert.equal(`${url.origin}${url.pathname}`, `${store.endpoint}/${BUCKET}/${signed.key}`);
      assert.equal((await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: data })).status, 200);
      assert.equal((await getObject(signed.key)).status, 200);
      assert.equal((await getObject('attacker/owned.png')).status, 404);
    });

    test('refuses a declared size above maxSize (5 GiB)', async () => {
      const response = await call({ filename: 'huge.mp4', type: 'video/mp4', size: 5 * 1024 ** 3 + 1 }, ALICE);
      assert.equal(response.status, 413);
      assert.equal(((await response.json()) as { kind: string }).kind, 'file_too_large');
    });
  });
}

test('the Worker answers 404 outside /api/upload', async () => {
  const response = await hosts.worker({ body: '{}', cookie: ALICE, path: '/elsewhere' });
  assert.equal(response.status, 404);
});
