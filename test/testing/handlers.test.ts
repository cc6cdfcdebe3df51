// itty-uploader/testing driven the way an app's test drives it: msw/node's setupServer and fetch, no element.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { setupServer } from 'msw/node';
import { sanitizeFilename } from '../../src/server/signing.js';
import { verifySignedUrl } from '../../src/server/signing.js';
import { createUploadHandlers, type UploadHandlersOptions } from '../../src/testing/index.js';

const ENDPOINT = 'http://app.test/upload-url';
const STORAGE = 'https://uploads.itty.test';
/** A 3×2 PNG header (signature + IHDR): enough for a type and dimensions. */
const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0,
]);

let clock = Date.parse('2026-01-01T00:00:00Z');
const uploads = createUploadHandlers({ endpoint: ENDPOINT, maxSize: 1_000_000, now: () => clock });
const server = setupServer(...uploads.handlers);

before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  uploads.reset();
  server.resetHandlers();
});
after(() => server.close());

function signRequest(body: unknown, endpoint = ENDPOINT): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function signedUrl(filename: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await signRequest({ filename, type: 'application/octet-stream', size: 10, ...extra });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { url: string }).url;
}

function bytes(length: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (i * 7 + 3) % 256;
  return data;
}

describe('the signing endpoint', () => {
  test("answers ittybit's Signature object for the storage, signed with the key", async () => {
    const response = await signRequest({ filename: 'cat photo.png', folder: 'users/42', type: 'image/png', size: 1234 });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const signature = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(signature).sort(), ['domain', 'expiry', 'filename', 'folder', 'method', 'signature', 'url']);
    assert.equal(signature['domain'], STORAGE);
    const stored = sanitizeFilename('cat photo.png');
    assert.equal(signature['filename'], stored);
    assert.equal(signature['folder'], 'users/42');
    assert.equal(signature['method'], 'put');
    assert.equal(signature['expiry'], Math.floor(clock / 1000) + 3600);
    const url = String(signature['url']);
    assert.ok(url.startsWith(`${STORAGE}/users/42/${stored}?expiry=`), url);
    assert.deepEqual(await verifySignedUrl(url, { key: 'test-key', method: 'PUT', now: clock }), {
      ok: true,
      path: `users/42/${stored}`,
      expiry: Math.floor(clock / 1000) + 3600,
    });
  });

  test("a dropped file's folders (relativePath) go under folder, as with the upload server", async () => {
    const url = await signedUrl('a.txt', { folder: 'inbox', relativePath: 'trip/day 1/a.txt' });
    assert.ok(url.startsWith(`${STORAGE}/inbox/trip/day-1/a.txt?`), url);
  });

  test('a relative endpoint matches that path on any origin where there is no page', async () => {
    const relative = createUploadHandlers();
    server.use(...relative.handlers);
    const response = await signRequest({ filename: 'a.txt' }, 'http://localhost:3000/upload-url');
    assert.equal(response.status, 200);
    assert.ok(((await response.json()) as { url: string }).url.startsWith(`${STORAGE}/a.txt?`));
  });

  test('other requests are not answered', async () => {
    await assert.rejects(fetch('http://app.test/other', { method: 'POST', body: '{}' }));
  });
});

describe('malformed signing requests', () => {
  const cases: Array<[string, unknown, number, string, string]> = [
    ['no filename', { type: 'text/plain', size: 3 }, 400, 'request_invalid', 'filename is required.'],
    ['an empty filename', { filename: '  ', size: 3 }, 400, 'request_invalid', 'filename is required.'],
    ['a numeric filename', { filename: 42 }, 400, 'request_invalid', 'filename must be a string of at most 1024 characters.'],
    ['a folder object', { filename: 'a', folder: { x: 1 } }, 400, 'request_invalid', 'folder must be a string of at most 1024 characters.'],
    ['a numeric type', { filename: 'a', type: 5 }, 400, 'request_invalid', 'type must be a string of at most 1024 characters.'],
    ['a size in text', { filename: 'a', size: '10' }, 400, 'request_invalid', 'size must be a non-negative integer of bytes.'],
    ['a negative size', { filename: 'a', size: -1 }, 400, 'request_invalid', 'size must be a non-negative integer of bytes.'],
    ['a fractional size', { filename: 'a', size: 1.5 }, 400, 'request_invalid', 'size must be a non-negative integer of bytes.'],
    [
      'a size over maxSize',
      { filename: 'a', size: 1_000_001 },
      413,
      'file_too_large',
      'The file is larger than the limit of 1000000 bytes.',
    ],
    ['a ".." folder', { filename: 'a', folder: '../etc' }, 400, 'request_invalid', 'folder may not contain ".." segments'],
    ['an array', [{ filename: 'a' }], 400, 'request_invalid', 'Send a JSON object: { filename, folder?, relativePath?, type, size }.'],
    ['not JSON', '{"filename": ', 400, 'request_invalid', 'The body is not valid JSON.'],
    ['over 64 KiB', { filename: 'a', padding: 'x'.repeat(70_000) }, 413, 'request_too_large', 'The JSON body is larger than 64 KiB.'],
  ];
  for (const [name, body, status, kind, message] of cases) {
    test(`${name} → ${status} ${kind}`, async () => {
      const response = await signRequest(body);
      assert.equal(response.status, status);
      assert.deepEqual(await response.json(), { kind, message });
    });
  }
});

describe('single PUT', () => {
  test('stores the bytes and answers 201 with an ittybit File object', async () => {
    const url = await signedUrl('pixel.png', { folder: 'avatars' });
    const body = new Uint8Array([...PNG, ...bytes(100)]);
    const response = await fetch(url, { method: 'PUT', body, headers: { 'Content-Type': 'image/png' } });
    assert.equal(response.status, 201);
    const file = (await response.json()) as Record<string, unknown>;
    assert.match(String(file['id']), /^file_[a-z0-9]{12}$/);
    assert.match(String(file['media_id']), /^med_[a-z0-9]{12}$/);
    assert.deepEqual(
      { ...file, id: 'id', media_id: 'media', etag: 'etag' },
      {
        id: 'id',
        media_id: 'media',
        object: 'source',
        kind: 'image',
        type: 'image/png',
        width: 3,
        height: 2,
        filesize: body.length,
        filename: 'pixel.png',
        folder: 'avatars',
        url: `${STORAGE}/avatars/pixel.png`,
        created: '2026-01-01T00:00:00Z',
        updated: '2026-01-01T00:00:00Z',
        status: 'ready',
        etag: 'etag',
      },
    );
    assert.equal(response.headers.get('location'), file['url']);
    assert.equal(response.headers.get('etag'), file['etag']);

    const [stored, ...rest] = uploads.files();
    assert.equal(rest.length, 0);
    assert.equal(stored!.path, 'avatars/pixel.png');
    assert.equal(stored!.via, 'put');
    assert.deepEqual(stored!.file, file);
    assert.deepEqual(stored!.bytes, body);
  });

  test('what was stored can be read back from its url', async () => {
    const url = await signedUrl('notes.txt');
    await fetch(url, { method: 'PUT', body: 'hello' });
    const read = await fetch(`${STORAGE}/notes.txt`);
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('content-type'), 'text/plain');
    assert.equal(await read.text(), 'hello');
    const missing = await fetch(`${STORAGE}/nothing.txt`);
    assert.equal(missing.status, 404);
  });

  test('a re-upload to the same path keeps the id and replaces the bytes', async () => {
    const url = await signedUrl('a.bin');
    const first = (await (await fetch(url, { method: 'PUT', body: bytes(5) })).json()) as { id: string; etag: string };
    clock += 60_000;
    const second = (await (await fetch(url, { method: 'PUT', body: bytes(9) })).json()) as {
      id: string;
      etag: string;
      filesize: number;
      updated: string;
    };
    assert.equal(second.id, first.id);
    assert.notEqual(second.etag, first.etag);
    assert.equal(second.filesize, 9);
    assert.equal(uploads.files().length, 1);
    assert.deepEqual(uploads.files()[0]!.bytes, bytes(9));
  });

  test('refuses a PUT that is not signed, tampered with, expired, or too large', async () => {
    const url = await signedUrl('a.bin');
    const unsigned = await fetch(`${STORAGE}/a.bin`, { method: 'PUT', body: 'x' });
    assert.equal(unsigned.status, 401);
    assert.equal(((await unsigned.json()) as { kind: string }).kind, 'token_missing');

    const tampered = await fetch(url.replace('a.bin', 'b.bin'), { method: 'PUT', body: 'x' });
    assert.equal(tampered.status, 403);
    assert.deepEqual(await tampered.json(), { kind: 'signature_invalid', message: 'The signature does not match this URL.' });

    const bearer = await fetch(`${STORAGE}/simple.bin`, { method: 'PUT', body: 'x', headers: { Authorization: 'Bearer test-key' } });
    assert.equal(bearer.status, 201, 'a simple upload with the key is allowed, as by ittybit');

    clock += 3601_000;
    const expired = await fetch(url, { method: 'PUT', body: 'x' });
    assert.equal(expired.status, 403);
    assert.equal(((await expired.json()) as { kind: string }).kind, 'signature_expired');

    const big = await signedUrl('big.bin');
    const tooLarge = await fetch(big, { method: 'PUT', body: new Uint8Array(1_000_001) });
    assert.equal(tooLarge.status, 413);
    assert.equal(((await tooLarge.json()) as { kind: string }).kind, 'file_too_large');
    assert.deepEqual(
      uploads.files().map((f) => f.path),
      ['simple.bin'],
    );
  });
});

describe('chunked (ittybit Content-Range)', () => {
  const chunk = (url: string, data: Uint8Array, start: number, end: number, total = data.length) =>
    fetch(url, { method: 'PUT', body: data.slice(start, end + 1), headers: { 'Content-Range': `bytes ${start}-${end}/${total}` } });

  test('202 with no body until every byte arrived, in any order, then 201 with the File object', async () => {
    const data = bytes(2500);
    const url = await signedUrl('movie.mp4', { size: data.length });
    const middle = await chunk(url, data, 1000, 1999);
    assert.equal(middle.status, 202);
    assert.equal(await middle.text(), '');
    assert.equal((await chunk(url, data, 0, 999)).status, 202);
    assert.deepEqual(uploads.files(), [], 'nothing is stored before the last byte arrives');
    const last = await chunk(url, data, 2000, 2499);
    assert.equal(last.status, 201);
    const file = (await last.json()) as { kind: string; type: string; filesize: number; url: string };
    assert.deepEqual(
      { kind: file.kind, type: file.type, filesize: file.filesize, url: file.url },
      {
        kind: 'video',
        type: 'video/mp4',
        filesize: 2500,
        url: `${STORAGE}/movie.mp4`,
      },
    );
    const [stored] = uploads.files();
    assert.equal(stored!.via, 'chunks');
    assert.deepEqual(stored!.bytes, data);

    // The last chunk retried (its 201 was lost): the same File object again, nothing stored twice.
    const retried = await chunk(url, data, 2000, 2499);
    assert.equal(retried.status, 201);
    assert.equal(((await retried.json()) as { id: string }).id, (stored!.file as { id: string }).id);
    assert.equal(uploads.files().length, 1);
  });

  test('a malformed Content-Range or a body of the wrong length is a 400', async () => {
    const url = await signedUrl('a.bin');
    const backwards = await fetch(url, { method: 'PUT', body: 'abc', headers: { 'Content-Range': 'bytes 5-2/10' } });
    assert.equal(backwards.status, 400);
    assert.deepEqual(await backwards.json(), {
      kind: 'request_invalid',
      message: 'Content-Range must be "bytes start-end/total" with start <= end < total.',
    });
    const short = await fetch(url, { method: 'PUT', body: 'abc', headers: { 'Content-Range': 'bytes 0-4/10' } });
    assert.equal(short.status, 400);
    assert.equal(((await short.json()) as { message: string }).message, 'Content-Length 3 does not match Content-Range (5 bytes).');
    const tooBig = await fetch(url, { method: 'PUT', body: 'abc', headers: { 'Content-Range': 'bytes 0-2/1000001' } });
    assert.equal(tooBig.status, 413);
  });
});

describe('files() and reset()', () => {
  test('files() lists every stored file in upload order and hands out copies', async () => {
    for (const name of ['one.txt', 'two.txt']) await fetch(await signedUrl(name), { method: 'PUT', body: name });
    const listed = uploads.files();
    assert.deepEqual(
      listed.map((f) => [f.path, new TextDecoder().decode(f.bytes)]),
      [
        ['one.txt', 'one.txt'],
        ['two.txt', 'two.txt'],
      ],
    );
    listed[0]!.bytes.fill(0);
    listed[0]!.file.filename = 'changed';
    assert.equal(new TextDecoder().decode(uploads.files()[0]!.bytes), 'one.txt');
    assert.equal(uploads.files()[0]!.file.filename, 'one.txt');
  });

  test('reset() forgets stored files and unfinished chunked uploads', async () => {
    const url = await signedUrl('kept.txt');
    await fetch(url, { method: 'PUT', body: 'kept' });
    const data = bytes(20);
    const chunked = await signedUrl('half.bin');
    await fetch(chunked, { method: 'PUT', body: data.slice(0, 10), headers: { 'Content-Range': 'bytes 0-9/20' } });
    uploads.reset();
    assert.deepEqual(uploads.files(), []);
    assert.equal((await fetch(`${STORAGE}/kept.txt`)).status, 404);
    // The second half alone no longer completes the file: the first half was forgotten.
    const second = await fetch(chunked, { method: 'PUT', body: data.slice(10), headers: { 'Content-Range': 'bytes 10-19/20' } });
    assert.equal(second.status, 202);
  });
});

describe('faults', () => {
  test("inject the upload server's failures into the chosen routes", async () => {
    const seen: string[] = [];
    const flaky = createUploadHandlers({
      endpoint: ENDPOINT,
      faults: { rate: 1, kinds: ['503'], routes: ['sign'], onFault: ({ kind, route }) => seen.push(`${route} ${kind}`) },
    });
    server.use(...flaky.handlers);
    const response = await signRequest({ filename: 'a.txt' });
    assert.equal(response.status, 503);
    assert.deepEqual(await response.json(), {
      kind: 'service_unavailable',
      message: 'Injected fault: the service is unavailable; try again.',
    });
    assert.deepEqual(seen, ['sign 503']);
  });

  test('reset is a network error', async () => {
    const flaky = createUploadHandlers({ endpoint: ENDPOINT, faults: { rate: 1, kinds: ['reset'], routes: ['put'] } });
    server.use(...flaky.handlers);
    const url = ((await (await signRequest({ filename: 'a.txt' })).json()) as { url: string }).url;
    await assert.rejects(fetch(url, { method: 'PUT', body: 'x' }), TypeError);
    assert.deepEqual(flaky.files(), []);
  });
});

describe('options', () => {
  test('unknown or bad options are refused, not ignored', () => {
    assert.throws(() => createUploadHandlers({ endpont: '/x' } as UploadHandlersOptions), /no option "endpont"/);
    assert.throws(() => createUploadHandlers({ storageOrigin: 'ftp://x' }), TypeError);
    assert.throws(() => createUploadHandlers({ endpoint: 'upload-url' }), TypeError);
    assert.throws(() => createUploadHandlers({ faults: { rate: 2 } }), /faults.rate/);
    assert.throws(() => createUploadHandlers({ statusEndpoint: '/files/id' }), /\{id\}/);
    assert.throws(() => createUploadHandlers({ processing: { ms: -1 } }), /processing.ms/);
  });

  test('a storageOrigin with a path puts the files under it', async () => {
    const bucket = createUploadHandlers({ endpoint: 'http://other.test/sign', storageOrigin: 'http://files.test/bucket/' });
    server.use(...bucket.handlers);
    const response = await signRequest({ filename: 'a.txt' }, 'http://other.test/sign');
    const { url } = (await response.json()) as { url: string };
    assert.ok(url.startsWith('http://files.test/bucket/a.txt?'), url);
    const put = await fetch(url, { method: 'PUT', body: 'x' });
    assert.equal(put.status, 201);
    assert.equal(((await put.json()) as { url: string }).url, 'http://files.test/bucket/a.txt');
    assert.deepEqual(
      bucket.files().map((f) => f.path),
      ['a.txt'],
    );
  });
});

describe('completion and status endpoints (SPEC §5.6, §5.7)', () => {
  const app = createUploadHandlers({
    endpoint: ENDPOINT,
    completeEndpoint: 'http://app.test/uploads/complete',
    statusEndpoint: 'http://app.test/files/{id}',
    processing: { ms: 10_000 },
    now: () => clock,
  });

  test('a new File object is processing, then ready; the status endpoint answers it by id', async () => {
    server.use(...app.handlers);
    const url = ((await (await signRequest({ filename: 'clip.mp4' })).json()) as { url: string }).url;
    const put = await fetch(url, { method: 'PUT', body: 'video' });
    const file = (await put.json()) as { id: string; status: string };
    assert.equal(file.status, 'processing');
    assert.equal(((await (await fetch(`http://app.test/files/${file.id}`)).json()) as { status: string }).status, 'processing');
    clock += 10_000;
    const later = await fetch(`http://app.test/files/${file.id}`);
    assert.equal(later.status, 200);
    assert.deepEqual(await later.json(), { ...file, status: 'ready' });
    assert.equal(app.files()[0]!.file.status, 'ready');
    const unknown = await fetch('http://app.test/files/file_000000000000');
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { kind: string }).kind, 'file_not_found');
    app.reset();
  });

  test('the completion endpoint answers the stored File object with its metadata, and refuses unknown files', async () => {
    server.use(...app.handlers);
    const url = ((await (await signRequest({ filename: 'doc.pdf' })).json()) as { url: string }).url;
    const file = (await (await fetch(url, { method: 'PUT', body: '%PDF-1.7' })).json()) as Record<string, unknown>;
    const post = (body: unknown) =>
      fetch('http://app.test/uploads/complete', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });

    const done = await post({ file, meta: { order: '42' }, relativePath: 'docs/doc.pdf' });
    assert.equal(done.status, 200);
    assert.deepEqual(await done.json(), { ...file, metadata: { order: '42' } });
    assert.deepEqual(app.files()[0]!.completion, { meta: { order: '42' }, relativePath: 'docs/doc.pdf' });

    const forged = await post({ file: { ...file, id: 'file_zzzzzzzzzzzz', url: `${STORAGE}/never.pdf` } });
    assert.equal(forged.status, 404);
    const badMeta = await post({ file, meta: { 'not ok': 'x' } });
    assert.equal(badMeta.status, 400);
    const noFile = await post({ meta: {} });
    assert.deepEqual(await noFile.json(), { kind: 'request_invalid', message: 'file must be the File object the storage answered.' });
    app.reset();
  });
});
