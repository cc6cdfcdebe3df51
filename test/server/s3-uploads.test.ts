// `itty-uploader/server/s3` against a real S3-protocol store: s3rver on 127.0.0.1 with SigV4 verification and the
// multipart operations s3rver lacks in front of it (test/helpers/s3-node.ts). Every URL the handler hands out is used
// with fetch exactly as the element would use it, and the store refuses any request whose signature does not verify.
// The same round trip under Bun, Deno and workerd: test/runtimes/s3.test.ts (`npm run test:runtimes`).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AwsClient } from 'aws4fetch';
import { parseSignResponse } from '../../src/core/response.js';
import { createS3Uploads, type S3UploadsOptions } from '../../src/server/s3.js';
import { ACCESS_KEY, SECRET_KEY, startS3Node, type S3Node } from '../helpers/s3-node.js';

const MiB = 1024 * 1024;
let store: S3Node;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic bytes (a different pattern per seed), so a part in the wrong place changes the hash. */
function bytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out[i] = x & 0xff;
  }
  return out;
}

function uploads(options: Partial<S3UploadsOptions> = {}) {
  return createS3Uploads({
    bucket: store.bucket,
    region: 'us-east-1',
    endpoint: store.endpoint,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    multipartThreshold: 10 * MiB,
    partSize: 5 * MiB,
    ...options,
  });
}

type Handler = ReturnType<typeof uploads>;

/** POSTs `body` as JSON to the handler, as the element does. */
async function call(handler: Handler, body: unknown, init: RequestInit = {}) {
  const response = await handler(
    new Request('http://app.test/api/upload', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: typeof body == 'string' ? body : JSON.stringify(body),
      ...init,
    }),
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
}

/** Reads an object back through a header-signed GET (verified by the store's front like every other request). */
async function getObject(key: string) {
  const client = new AwsClient({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, service: 's3', region: 'us-east-1', retries: 0 });
  const url = `${store.endpoint}/${store.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const response = await client.fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), body: new Uint8Array(await response.arrayBuffer()) };
}

/** Starts a multipart upload of `size` bytes and returns its handle. */
async function create(handler: Handler, size: number, filename = 'big.mp4') {
  const { status, body } = await call(handler, { filename, type: 'video/mp4', size });
  assert.equal(status, 200, JSON.stringify(body));
  assert.ok(body.multipart, JSON.stringify(body));
  return body.multipart as { uploadId: string; key: string; partSize: number };
}

async function putPart(url: string, data: Uint8Array<ArrayBuffer>) {
  const response = await fetch(url, { method: 'PUT', body: data });
  assert.equal(response.status, 200, await response.clone().text());
  const etag = response.headers.get('etag');
  assert.ok(etag);
  return etag;
}

before(async () => {
  store = await startS3Node();
});
after(async () => {
  await store?.close();
});

describe('createS3Uploads: single PUT', () => {
  it('signs a PUT with Content-Type the element accepts, and the store takes exactly that upload', async () => {
    const handler = uploads();
    const data = bytes(300_000, 7);
    const { status, body, headers } = await call(handler, {
      filename: '../../etc/Holiday photo.PNG',
      folder: '/root',
      relativePath: '../x/y.png',
      type: 'image/png',
      size: data.length,
    });
    assert.equal(status, 200);
    assert.match(headers.get('content-type')!, /^application\/json/);
    assert.equal(body.method, 'PUT');
    assert.deepEqual(body.headers, { 'Content-Type': 'image/png' });
    // The default key: a random folder and the sanitised name; nothing of the client's path.
    assert.match(body.key, /^[a-z0-9]{16}\/Holiday-photo-[a-z0-9]+\.PNG$/);
    const url = new URL(body.url);
    assert.equal(url.origin + url.pathname, `${store.endpoint}/${store.bucket}/${body.key}`);
    assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'content-type;host');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '3600');
    // What the element reads out of it (SPEC §5.1): the URL, PUT and exactly the headers to send.
    const target = parseSignResponse(status, JSON.stringify(body));
    assert.deepEqual([target.url, target.method, target.headers], [body.url, 'PUT', { 'Content-Type': 'image/png' }]);

    // Another Content-Type than the signed one is refused by the store.
    const wrongType = await fetch(body.url, { method: 'PUT', headers: { 'Content-Type': 'text/html' }, body: data });
    assert.equal(wrongType.status, 403);
    assert.match(await wrongType.text(), /SignatureDoesNotMatch/);

    const put = await fetch(target.url, { method: target.method, headers: target.headers, body: data });
    assert.equal(put.status, 200, await put.clone().text());
    const stored = await getObject(body.key);
    assert.equal(stored.status, 200);
    assert.equal(stored.type, 'image/png');
    assert.equal(sha256(stored.body), sha256(data));
  });

  it('answers a missing type as application/octet-stream, and sizes below the threshold never go multipart', async () => {
    const { status, body } = await call(uploads(), { filename: 'notes', type: '', size: 10 * MiB - 1 });
    assert.equal(status, 200);
    assert.deepEqual(body.headers, { 'Content-Type': 'application/octet-stream' });
    assert.equal(body.multipart, undefined);
  });

  it('uses key() for the object key, and refuses what key() returns when it is not a usable key', async () => {
    const seen: unknown[] = [];
    const handler = uploads({
      key: (body, request) => {
        seen.push(body, request.headers.get('x-user'));
        return `users/42/${body.filename}`;
      },
    });
    const { status, body } = await call(
      handler,
      { filename: 'a.txt', type: 'text/plain', size: 3, meta: { title: 'x' } },
      { headers: { 'Content-Type': 'application/json', 'X-User': 'u42' } },
    );
    assert.equal(status, 200);
    assert.equal(body.key, 'users/42/a.txt');
    assert.deepEqual(seen, [{ filename: 'a.txt', type: 'text/plain', size: 3, meta: { title: 'x' } }, 'u42']);

    const errors: unknown[] = [];
    const original = console.error;
    console.error = (error: unknown) => errors.push(error);
    try {
      for (const bad of ['', '/abs', 'a/../b', 'a\nb', 'x'.repeat(1025)]) {
        const answer = await call(uploads({ key: () => bad }), { filename: 'a.txt', type: 'text/plain', size: 3 });
        assert.equal(answer.status, 500);
        assert.deepEqual(answer.body, { kind: 'internal_error', message: 'The upload endpoint failed.' });
      }
    } finally {
      console.error = original;
    }
    assert.equal(errors.length, 5);
  });

  it('with maxSize: refuses a larger declared size (413) and signs Content-Length, so the store refuses another length', async () => {
    const handler = uploads({ maxSize: 1000 });
    const tooBig = await call(handler, { filename: 'a.bin', type: 'application/octet-stream', size: 1001 });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.kind, 'file_too_large');

    const { body } = await call(handler, { filename: 'a.bin', type: 'application/octet-stream', size: 1000 });
    assert.equal(new URL(body.url).searchParams.get('X-Amz-SignedHeaders'), 'content-length;content-type;host');
    assert.deepEqual(body.headers, { 'Content-Type': 'application/octet-stream' });
    const longer = await fetch(body.url, { method: 'PUT', headers: body.headers, body: bytes(5000) });
    assert.equal(longer.status, 403);
    const exact = await fetch(body.url, { method: 'PUT', headers: body.headers, body: bytes(1000) });
    assert.equal(exact.status, 200);
  });
});

describe('createS3Uploads: presigned POST (post: true)', () => {
  /** Sends the form as the element does (SPEC §5.5): every field in the order given, then the file last as `file`. */
  const postForm = (
    target: { url: string; fields: Record<string, string> },
    data: Uint8Array<ArrayBuffer>,
    type: string,
    extra: Record<string, string> = {},
  ) => {
    const form = new FormData();
    for (const [name, value] of Object.entries({ ...target.fields, ...extra })) form.append(name, value);
    form.append('file', new Blob([data], { type }), 'ignored-name.bin');
    return fetch(target.url, { method: 'POST', body: form });
  };

  it('answers { url, method: POST, fields } whose policy the store accepts for exactly this key, type and size', async () => {
    const handler = uploads({ post: true });
    const data = bytes(70_000, 5);
    const { status, body } = await call(handler, { filename: 'scan.pdf', type: 'application/pdf', size: data.length });
    assert.equal(status, 200);
    assert.equal(body.method, 'POST');
    assert.equal(body.url, `${store.endpoint}/${store.bucket}/`);
    assert.deepEqual(Object.keys(body.fields), [
      'key',
      'Content-Type',
      'x-amz-algorithm',
      'x-amz-credential',
      'x-amz-date',
      'policy',
      'x-amz-signature',
    ]);
    assert.equal(body.fields.key, body.key);
    const policy = JSON.parse(Buffer.from(body.fields.policy, 'base64').toString('utf8'));
    assert.deepEqual(policy.conditions.at(-1), ['content-length-range', data.length, data.length]);
    assert.deepEqual(policy.conditions[0], { bucket: store.bucket });

    // A bigger file, another key, another type, an extra field: all refused by the store.
    assert.equal((await postForm(body, bytes(data.length + 1), 'application/pdf')).status, 400);
    assert.equal((await postForm({ ...body, fields: { ...body.fields, key: 'elsewhere/x.pdf' } }, data, 'application/pdf')).status, 403);
    assert.equal((await postForm({ ...body, fields: { ...body.fields, 'Content-Type': 'text/html' } }, data, 'text/html')).status, 403);
    assert.equal((await postForm(body, data, 'application/pdf', { acl: 'public-read' })).status, 403);
    assert.equal((await getObject(body.key)).status, 404);

    const response = await postForm(body, data, 'application/pdf');
    assert.equal(response.status, 204, await response.clone().text());
    const stored = await getObject(body.key);
    assert.equal(stored.type, 'application/pdf');
    assert.equal(sha256(stored.body), sha256(data));
  });

  it('still goes multipart at the threshold', async () => {
    const multipart = await create(uploads({ post: true }), 10 * MiB);
    await call(uploads(), { action: 'abort', ...multipart });
  });
});

describe('createS3Uploads: multipart', () => {
  it('creates, signs parts in batches, lists parts, completes; the object is the file, byte for byte', async () => {
    const handler = uploads();
    const data = bytes(11 * MiB + 12_345, 3);
    const { uploadId, key, partSize } = await create(handler, data.length, 'clip.mp4');
    assert.equal(partSize, 5 * MiB);
    assert.match(key, /^[a-z0-9]{16}\/clip\.mp4$/);
    const slice = (n: number) => data.slice((n - 1) * partSize, n * partSize);

    // Two batches, as the element asks just in time.
    const first = await call(handler, { action: 'sign-parts', uploadId, key, partNumbers: [1, 2] });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(Object.keys(first.body.urls), ['1', '2']);
    for (const url of Object.values<string>(first.body.urls)) {
      const parsed = new URL(url);
      assert.equal(parsed.searchParams.get('X-Amz-SignedHeaders'), 'host');
      assert.equal(parsed.origin + parsed.pathname, `${store.endpoint}/${store.bucket}/${key}`);
    }
    const etags: Record<number, string> = {};
    etags[2] = await putPart(first.body.urls['2'], slice(2));
    etags[1] = await putPart(first.body.urls['1'], slice(1));

    const listed = await call(handler, { action: 'list-parts', uploadId, key });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(listed.body, {
      parts: [
        { PartNumber: 1, ETag: etags[1], Size: partSize },
        { PartNumber: 2, ETag: etags[2], Size: partSize },
      ],
    });

    const second = await call(handler, { action: 'sign-parts', uploadId, key, partNumbers: [3] });
    etags[3] = await putPart(second.body.urls['3'], slice(3));
    assert.deepEqual(await store.uploadsInProgress(), [{ key, uploadId: uploadId.split('.')[0] }]);

    // Parts in any order: the handler sorts them.
    const done = await call(handler, {
      action: 'complete',
      uploadId,
      key,
      parts: [3, 1, 2].map((n) => ({ PartNumber: n, ETag: etags[n] })),
    });
    assert.equal(done.status, 200, done.text);
    const slash = key.indexOf('/');
    assert.deepEqual(
      { ...done.body, id: undefined, created: undefined, updated: undefined, etag: undefined },
      {
        id: undefined,
        object: 'source',
        kind: 'video',
        type: 'video/mp4',
        filesize: data.length,
        filename: 'clip.mp4',
        folder: key.slice(0, slash),
        url: `${store.endpoint}/${store.bucket}/${key}`,
        key,
        etag: undefined,
        created: undefined,
        updated: undefined,
        status: 'ready',
      },
    );
    assert.match(done.body.id, /^file_[a-z0-9]{12}$/);
    assert.match(done.body.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(done.body.etag, /^"[0-9a-f]+/);

    const stored = await getObject(key);
    assert.equal(stored.status, 200);
    assert.equal(stored.type, 'video/mp4');
    assert.equal(stored.body.length, data.length);
    assert.equal(sha256(stored.body), sha256(data));
    assert.deepEqual(await store.uploadsInProgress(), []);

    // The same complete again (its first answer lost on the way): the same File object, not a 404.
    const again = await call(handler, {
      action: 'complete',
      uploadId,
      key,
      parts: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: etags[n] })),
    });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual({ ...again.body, etag: undefined }, { ...done.body, etag: undefined });

    // Completed: the upload is gone, so its parts can no longer be signed.
    const late = await call(handler, { action: 'sign-parts', uploadId, key, partNumbers: [1] });
    assert.equal(late.status, 404);
    assert.equal(late.body.kind, 'upload_not_found');
  });

  it("uses publicUrl for the File object's url", async () => {
    const handler = uploads({ publicUrl: 'https://cdn.example.com/media/' });
    const data = bytes(10 * MiB, 9);
    const { uploadId, key } = await create(handler, data.length, 'a b.mp4');
    const { body } = await call(handler, { action: 'sign-parts', uploadId, key, partNumbers: [1, 2] });
    const parts = [];
    for (const n of [1, 2]) parts.push({ PartNumber: n, ETag: await putPart(body.urls[n], data.slice((n - 1) * 5 * MiB, n * 5 * MiB)) });
    const done = await call(handler, { action: 'complete', uploadId, key, parts });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.url, `https://cdn.example.com/media/${key}`);
    assert.match(done.body.filename, /^a-b-[a-z0-9]+\.mp4$/);
  });

  it("passes the storage's refusal of a bad completion on as 400 (wrong ETag, a small part before the last)", async () => {
    const handler = uploads();
    const { uploadId, key } = await create(handler, 11 * MiB);
    const { body } = await call(handler, { action: 'sign-parts', uploadId, key, partNumbers: [1, 2] });
    const small = await putPart(body.urls['1'], bytes(1000));
    const last = await putPart(body.urls['2'], bytes(1000, 2));
    const tooSmall = await call(handler, {
      action: 'complete',
      uploadId,
      key,
      parts: [
        { PartNumber: 1, ETag: small },
        { PartNumber: 2, ETag: last },
      ],
    });
    assert.equal(tooSmall.status, 400);
    assert.equal(tooSmall.body.kind, 'request_invalid');
    assert.match(tooSmall.body.message, /EntityTooSmall/);
    const wrongEtag = await call(handler, {
      action: 'complete',
      uploadId,
      key,
      parts: [{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }],
    });
    assert.equal(wrongEtag.status, 400);
    assert.match(wrongEtag.body.message, /InvalidPart/);
    assert.equal((await call(handler, { action: 'abort', uploadId, key })).status, 200);
  });

  it('with maxSize: a multipart upload that ends up larger than declared and allowed is deleted at completion (413)', async () => {
    const handler = uploads({ maxSize: 11 * MiB });
    const { uploadId, key } = await create(handler, 10 * MiB);
    const { body } = await call(handler, { action: 'sign-parts', uploadId, key, partNumbers: [1, 2, 3] });
    const parts = [];
    for (const n of [1, 2, 3]) parts.push({ PartNumber: n, ETag: await putPart(body.urls[n], bytes(n === 3 ? 2 * MiB : 5 * MiB, n)) });
    const done = await call(handler, { action: 'complete', uploadId, key, parts });
    assert.equal(done.status, 413, done.text);
    assert.equal(done.body.kind, 'file_too_large');
    assert.equal((await getObject(key)).status, 404);
  });

  it('grows the part size so that no file needs more than 10,000 parts, and refuses what S3 cannot hold', async () => {
    const handler = uploads();
    const size = 700 * 1024 * MiB;
    const { partSize, uploadId, key } = await create(handler, size);
    assert.equal(partSize, 72 * MiB);
    assert.ok(Math.ceil(size / partSize) <= 10_000);
    assert.ok(Math.ceil(size / (partSize - MiB)) > 10_000);
    await call(handler, { action: 'abort', uploadId, key });
    const exact = await create(handler, 10_000 * 5 * MiB);
    assert.equal(exact.partSize, 5 * MiB);
    await call(handler, { action: 'abort', uploadId: exact.uploadId, key: exact.key });

    const huge = await call(handler, { filename: 'x', type: 'video/mp4', size: 10_000 * 5 * 1024 * MiB + 1 });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.kind, 'file_too_large');
  });

  it('abort leaves no upload behind: list-parts and sign-parts answer 404, the store lists no upload, aborting again is fine', async () => {
    const handler = uploads();
    const { uploadId, key } = await create(handler, 12 * MiB);
    const { body } = await call(handler, { action: 'sign-parts', uploadId, key, partNumbers: [1] });
    await putPart(body.urls['1'], bytes(5 * MiB));
    assert.equal((await store.uploadsInProgress()).length, 1);

    const aborted = await call(handler, { action: 'abort', uploadId, key });
    assert.equal(aborted.status, 200);
    assert.deepEqual(aborted.body, { aborted: true });
    assert.deepEqual(await store.uploadsInProgress(), []);
    // The store's own ListMultipartUploads agrees.
    const client = new AwsClient({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, service: 's3', region: 'us-east-1', retries: 0 });
    const listing = await (await client.fetch(`${store.endpoint}/${store.bucket}?uploads`)).text();
    assert.match(listing, /<ListMultipartUploadsResult>/);
    assert.doesNotMatch(listing, /<Upload>/);

    for (const action of ['list-parts', 'sign-parts', 'complete']) {
      const answer = await call(handler, { action, uploadId, key, partNumbers: [1], parts: [{ PartNumber: 1, ETag: '"x"' }] });
      assert.equal(answer.status, 404, `${action}: ${answer.text}`);
      assert.equal(answer.body.kind, 'upload_not_found');
    }
    // A part URL signed before the abort no longer works either.
    assert.equal((await fetch(body.urls['1'], { method: 'PUT', body: bytes(10) })).status, 404);
    assert.equal((await call(handler, { action: 'abort', uploadId, key })).status, 200);
  });
});

describe('createS3Uploads: the browser cannot name another key or upload', () => {
  it('refuses a forged key or uploadId with 403 before anything reaches the store', async () => {
    const handler = uploads();
    const { uploadId, key } = await create(handler, 11 * MiB, 'mine.mp4');
    const other = await create(handler, 11 * MiB, 'theirs.mp4');
    const [, s3Id, created, mac] = /^(.+)\.([0-9a-z]+)\.([A-Za-z0-9_-]{43})$/.exec(uploadId) as unknown as [string, string, string, string];
    assert.equal(s3Id, (await store.uploadsInProgress()).find((upload) => upload.key === key)?.uploadId);
    assert.ok(Math.abs(parseInt(created, 36) * 1000 - Date.now()) < 60_000);
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const lastChar = mac.at(-1)!;
    // The last character carries 2 spare bits: its other spellings decode to the same MAC.
    const alias = 'AEIMQUYcgkosw048'[('AEIMQUYcgkosw048'.indexOf(lastChar) + 1) % 16] ?? 'A';

    const forgeries: Array<[string, Record<string, unknown>]> = [
      ['another key', { uploadId, key: 'victim/secret.mp4' }],
      ["another upload's key", { uploadId, key: other.key }],
      ["another upload's id with my key", { uploadId: other.uploadId, key }],
      ['the raw S3 UploadId', { uploadId: s3Id, key }],
      ['a changed UploadId', { uploadId: `${flip(s3Id, 3)}.${created}.${mac}`, key }],
      ['a changed creation time', { uploadId: `${s3Id}.${(parseInt(created, 36) - 3600).toString(36)}.${mac}`, key }],
      ['a changed MAC', { uploadId: `${s3Id}.${created}.${flip(mac, 10)}`, key }],
      ['a MAC spelled another way', { uploadId: `${s3Id}.${created}.${mac.slice(0, -1)}${alias}`, key }],
      ['no creation time', { uploadId: `${s3Id}.${mac}`, key }],
      ['a key with a prefix added', { uploadId, key: `x/${key}` }],
    ];
    const sealedByAnother = await create(uploads({ secret: 'another endpoint secret, 32 chars' }), 11 * MiB);
    forgeries.push(['a handle sealed by another secret', { uploadId: sealedByAnother.uploadId, key: sealedByAnother.key }]);

    const before = store.log.length;
    for (const [what, handle] of forgeries) {
      for (const action of ['sign-parts', 'list-parts', 'complete', 'abort']) {
        const answer = await call(handler, { action, ...handle, partNumbers: [1], parts: [{ PartNumber: 1, ETag: '"abc"' }] });
        assert.equal(answer.status, 403, `${what} / ${action}: ${answer.text}`);
        assert.equal(answer.body.kind, 'signature_invalid');
      }
    }
    assert.equal(store.log.length, before, 'no forged request reached the store');
    // The genuine handle still works, and so does the other endpoint's with its own secret.
    assert.equal((await call(handler, { action: 'list-parts', uploadId, key })).status, 200);
    for (const [h, handle] of [
      [handler, { uploadId, key }],
      [handler, other],
      [uploads({ secret: 'another endpoint secret, 32 chars' }), sealedByAnother],
    ] as const) {
      assert.equal((await call(h, { action: 'abort', ...handle })).status, 200);
    }
  });

  it('the store refuses a presigned URL that was altered (the front really verifies)', async () => {
    const handler = uploads();
    const { body } = await call(handler, { filename: 'a.txt', type: 'text/plain', size: 3 });
    const altered = body.url.replace(body.key, `${body.key}x`);
    const response = await fetch(altered, { method: 'PUT', headers: body.headers, body: 'abc' });
    assert.equal(response.status, 403);
    assert.match(await response.text(), /SignatureDoesNotMatch/);
    const unsigned = await fetch(`${store.endpoint}/${store.bucket}/${body.key}`, { method: 'PUT', body: 'abc' });
    assert.equal(unsigned.status, 403);
  });
});

describe('createS3Uploads: bad input', () => {
  const handler = () => uploads();
  const cases: Array<[string, unknown, number, string]> = [
    ['no filename', { type: 'text/plain', size: 1 }, 400, 'filename'],
    ['an empty filename', { filename: '  ', type: 'text/plain', size: 1 }, 400, 'filename'],
    ['a filename that is not a string', { filename: 5, type: 'text/plain', size: 1 }, 400, 'filename'],
    ['no size', { filename: 'a', type: 'text/plain' }, 400, 'size'],
    ['a negative size', { filename: 'a', type: 'text/plain', size: -1 }, 400, 'size'],
    ['a fractional size', { filename: 'a', type: 'text/plain', size: 1.5 }, 400, 'size'],
    ['a size as a string', { filename: 'a', type: 'text/plain', size: '10' }, 400, 'size'],
    ['a type that would break a header', { filename: 'a', type: 'text/plain\r\nX-Evil: 1', size: 1 }, 400, 'type'],
    ['meta that is not an object of strings', { filename: 'a', type: 'text/plain', size: 1, meta: { 'bad key': 'x' } }, 400, 'meta'],
    ['not an object', [1, 2], 400, 'object'],
    ['an unknown action', { action: 'delete-everything', uploadId: 'x', key: 'y' }, 400, 'action'],
    ['sign-parts without partNumbers', { action: 'sign-parts', uploadId: 'x', key: 'y' }, 400, 'partNumbers'],
    ['sign-parts with no part numbers', { action: 'sign-parts', uploadId: 'x', key: 'y', partNumbers: [] }, 400, 'partNumbers'],
    [
      'sign-parts with 101 part numbers',
      { action: 'sign-parts', uploadId: 'x', key: 'y', partNumbers: Array.from({ length: 101 }, (_, i) => i + 1) },
      400,
      'partNumbers',
    ],
    ['part number 0', { action: 'sign-parts', uploadId: 'x', key: 'y', partNumbers: [0] }, 400, 'partNumbers[0]'],
    ['part number 10001', { action: 'sign-parts', uploadId: 'x', key: 'y', partNumbers: [1, 10001] }, 400, 'partNumbers[1]'],
    ['a fractional part number', { action: 'sign-parts', uploadId: 'x', key: 'y', partNumbers: [1.5] }, 400, 'partNumbers[0]'],
    ['a part number as a string', { action: 'sign-parts', uploadId: 'x', key: 'y', partNumbers: ['1'] }, 400, 'partNumbers[0]'],
    ['complete without parts', { action: 'complete', uploadId: 'x', key: 'y' }, 400, 'parts'],
    [
      'complete with a part twice',
      {
        action: 'complete',
        uploadId: 'x',
        key: 'y',
        parts: [
          { PartNumber: 1, ETag: '"a"' },
          { PartNumber: 1, ETag: '"a"' },
        ],
      },
      400,
      'twice',
    ],
    ['complete with a part without ETag', { action: 'complete', uploadId: 'x', key: 'y', parts: [{ PartNumber: 1 }] }, 400, 'ETag'],
    [
      'complete with part number 0',
      { action: 'complete', uploadId: 'x', key: 'y', parts: [{ PartNumber: 0, ETag: '"a"' }] },
      400,
      'PartNumber',
    ],
    ['an action without uploadId', { action: 'list-parts', key: 'y' }, 400, 'uploadId'],
    ['an action without key', { action: 'abort', uploadId: 'x' }, 400, 'key'],
    ['an uploadId that was never issued', { action: 'list-parts', uploadId: 'x', key: 'y' }, 403, 'not issued'],
  ];
  for (const [what, body, status, mentions] of cases) {
    it(`answers ${status} with { kind, message } for ${what}`, async () => {
      const before = store.log.length;
      const answer = await call(handler(), body);
      assert.equal(answer.status, status, answer.text);
      assert.equal(typeof answer.body.kind, 'string');
      assert.ok(answer.body.message.includes(mentions), `${answer.body.message} names ${mentions}`);
      assert.equal(store.log.length, before, 'bad input never reaches the store');
    });
  }

  it('answers 400 for a body that is not JSON, 415 for another Content-Type, 405 for GET, 413 for a huge body', async () => {
    assert.equal((await call(handler(), '{nope')).status, 400);
    const form = await call(handler(), 'filename=a', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415);
    const get = await handler()(new Request('http://app.test/api/upload'));
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal((await get.json()).kind, 'method_not_allowed');
    const huge = await call(handler(), JSON.stringify({ filename: 'a', pad: 'x'.repeat(3 * MiB) }));
    assert.equal(huge.status, 413);
  });

  it('refuses unknown or malformed options when it is created', () => {
    const base = { bucket: 'uploads', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
    assert.throws(() => createS3Uploads({ ...base, Bucket: 'x' } as never), /unknown option "Bucket"/);
    assert.throws(() => createS3Uploads({ ...base, partSize: 5 * MiB - 1 }), /partSize/);
    assert.throws(() => createS3Uploads({ ...base, multipartThreshold: 6 * 1024 * MiB }), /multipartThreshold/);
    assert.throws(() => createS3Uploads({ ...base, expiresIn: 604_801 }), /expiresIn/);
    assert.throws(() => createS3Uploads({ ...base, bucket: 'Bad_Bucket' }), /bucket/);
    assert.throws(() => createS3Uploads({ ...base, endpoint: 'ftp://x' }), /endpoint/);
    assert.throws(() => createS3Uploads({ ...base, credentials: { accessKeyId: 'a' } } as never), /credentials/);
    assert.throws(() => createS3Uploads({ ...base, secret: 'short' }), /secret/);
    assert.throws(() => createS3Uploads({ ...base, post: 'yes' } as never), /post/);
    assert.doesNotThrow(() => createS3Uploads(base));
  });
});

describe('createS3Uploads: authorize', () => {
  it('is asked for every request; false → 403, a Response is sent as it is, true lets the request through', async () => {
    const asked: string[] = [];
    let verdict: boolean | Response = false;
    const handler = uploads({
      authorize: async (request) => {
        asked.push(request.headers.get('authorization') ?? '');
        return verdict;
      },
    });
    const init = { headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' } };
    const before = store.log.length;
    const refused = await call(handler, { filename: 'a', type: 'text/plain', size: 1 }, init);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.kind, 'forbidden');
    const refusedAction = await call(handler, { action: 'abort', uploadId: 'x', key: 'y' }, init);
    assert.equal(refusedAction.status, 403);
    verdict = new Response('{"kind":"token_missing","message":"Log in"}', { status: 401 });
    const custom = await call(handler, { filename: 'a', type: 'text/plain', size: 1 }, init);
    assert.deepEqual([custom.status, custom.body.kind], [401, 'token_missing']);
    assert.equal(store.log.length, before);
    verdict = true;
    assert.equal((await call(handler, { filename: 'a', type: 'text/plain', size: 1 }, init)).status, 200);
    assert.deepEqual(asked, ['Bearer t', 'Bearer t', 'Bearer t', 'Bearer t']);
  });
});

describe('itty-uploader/server/s3: runs anywhere', () => {
  it('imports nothing from node:* and no AWS SDK, in its whole import graph', () => {
    const seen = new Set<string>();
    const visit = (file: URL) => {
      if (seen.has(file.href)) return;
      seen.add(file.href);
      const source = readFileSync(file, 'utf8');
      // `import … from 'x'`, `export … from 'x'`, `import 'x'` and `import('x')`.
      for (const [, specifier] of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) {
        assert.doesNotMatch(specifier!, /^node:|^@aws-sdk\//, `${file.pathname} imports ${specifier}`);
        if (specifier!.startsWith('.')) visit(new URL(specifier!.replace(/\.js$/, '.ts'), file));
        else assert.equal(specifier, 'aws4fetch', `${file.pathname} imports ${specifier}`);
      }
    };
    visit(new URL('../../src/server/s3.ts', import.meta.url));
    assert.ok(seen.size >= 3);
    // aws4fetch itself: WebCrypto and fetch only.
    assert.doesNotMatch(
      readFileSync(new URL('../../node_modules/aws4fetch/dist/aws4fetch.esm.mjs', import.meta.url), 'utf8'),
      /\brequire\(|from ['"]node:/,
    );
  });
});
