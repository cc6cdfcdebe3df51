// The testing handlers refuse malformed signing requests exactly as the real upload server does: the same
// bodies go to both, and status and JSON answer must be equal. Then one good body each, and the same PUT flows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setupServer } from 'msw/node';
import { createUploadHandlers } from '../../src/testing/index.js';
import { startServer, type TestServer } from '../server/helpers.js';

const MAX = 5000;
const ENDPOINT = 'http://app.test/upload-url';
const KEY = 'parity-key';
const uploads = createUploadHandlers({ endpoint: ENDPOINT, maxSize: MAX, key: KEY });
const mock = setupServer(...uploads.handlers);
let real: TestServer;

before(async () => {
  real = await startServer({ maxSize: MAX, key: KEY });
  // The real server is on 127.0.0.1: MSW lets those requests through untouched.
  mock.listen({ onUnhandledRequest: 'bypass' });
});
after(async () => {
  mock.close();
  await real.close();
});

async function answer(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? '' : JSON.parse(text) };
}

function both(body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const init = { method: 'POST', headers, body };
  return Promise.all([answer(`${real.url}/upload-url`, init), answer(ENDPOINT, init)]);
}

const BODIES: Array<[string, string]> = [
  ['an empty body', ''],
  ['not JSON', '{"filename": "a.txt",'],
  ['null', 'null'],
  ['a string', '"a.txt"'],
  ['an array', '[{"filename":"a.txt"}]'],
  ['no filename', '{"type":"text/plain","size":3}'],
  ['filename null', '{"filename":null}'],
  ['an empty filename', '{"filename":""}'],
  ['a blank filename', '{"filename":" \\t "}'],
  ['a numeric filename', '{"filename":7}'],
  ['a filename array', '{"filename":["a.txt"]}'],
  ['a filename over 1024 characters', JSON.stringify({ filename: 'a'.repeat(1025) })],
  ['a numeric folder', '{"filename":"a.txt","folder":1}'],
  ['a ".." folder', '{"filename":"a.txt","folder":"x/../../etc"}'],
  ['a "." folder', '{"filename":"a.txt","folder":"./x"}'],
  ['a folder 40 levels deep', JSON.stringify({ filename: 'a.txt', folder: Array(40).fill('d').join('/') })],
  ['a folder over 1000 characters', JSON.stringify({ filename: 'a.txt', folder: Array(12).fill('f'.repeat(90)).join('/') })],
  ['a numeric relativePath', '{"filename":"a.txt","relativePath":5}'],
  ['a ".." relativePath', '{"filename":"a.txt","relativePath":"../a.txt"}'],
  ['a boolean type', '{"filename":"a.txt","type":true}'],
  ['a size in text', '{"filename":"a.txt","size":"3"}'],
  ['a negative size', '{"filename":"a.txt","size":-1}'],
  ['a fractional size', '{"filename":"a.txt","size":2.5}'],
  ['an unsafe integer size', '{"filename":"a.txt","size":9007199254740993}'],
  ['a size over maxSize', `{"filename":"a.txt","size":${MAX + 1}}`],
  ['a body over 64 KiB', JSON.stringify({ filename: 'a.txt', pad: 'x'.repeat(66_000) })],
];

describe('malformed signing requests: the testing handlers answer as the upload server', () => {
  for (const [name, body] of BODIES) {
    test(name, async () => {
      const [fromServer, fromHandlers] = await both(body);
      assert.ok(fromServer.status >= 400, `the server answered ${fromServer.status}`);
      assert.deepEqual(fromHandlers, fromServer);
    });
  }

  test('a body with a byte order mark is JSON to both', async () => {
    const [fromServer, fromHandlers] = await both('\uFEFF{"filename":"a.txt"}');
    assert.equal(fromServer.status, 200);
    assert.equal(fromHandlers.status, 200);
  });
});

// The storage-path rules are one module (src/server/wire-path.ts) for both; these paths were once accepted by
// the testing handlers only. A Bearer PUT reaches the path check with no signature to forge.
const HAZARDOUS_PATHS: Array<[string, string]> = [
  ['a reserved device name', 'CON'],
  ['a reserved name with an extension', 'aux.txt'],
  ['a reserved name in lower case in a folder', 'docs/com1.log'],
  ['a trailing dot', 'a.'],
  ['a folder with a trailing dot', 'dir./a.txt'],
  ['a trailing space', 'a%20'],
  ['an 8.3 alias', 'UPLOAD~1/a.txt'],
  ['an 8.3 alias file name', 'REPORT~2.TXT'],
];

describe('Windows hazards in a storage path: refused by both, with the same answer', () => {
  for (const [name, path] of HAZARDOUS_PATHS) {
    test(name, async () => {
      const init = { method: 'PUT', body: 'abc', headers: { Authorization: `Bearer ${KEY}` } };
      const [fromServer, fromHandlers] = await Promise.all([
        answer(`${real.url}/${path}`, init),
        answer(`https://uploads.itty.test/${path}`, init),
      ]);
      assert.deepEqual(fromServer, { status: 400, body: { kind: 'request_invalid', message: 'The upload path is not allowed.' } });
      assert.deepEqual(fromHandlers, fromServer);
    });
  }

  test('a plain name beside them is stored by both (so the refusals above are about the hazard)', async () => {
    const init = { method: 'PUT', body: 'abc', headers: { Authorization: `Bearer ${KEY}` } };
    const [fromServer, fromHandlers] = await Promise.all([
      answer(`${real.url}/docs/a.txt`, init),
      answer('https://uploads.itty.test/docs/a.txt', init),
    ]);
    assert.equal(fromServer.status, 201);
    assert.equal(fromHandlers.status, 201);
  });
});

describe('good requests: the same Signature and the same File object, but for the host', () => {
  test('sign, PUT, chunks', async () => {
    const body = JSON.stringify({ filename: 'Ünïcode photo.txt', folder: 'a b', relativePath: 'x/y/z.txt', type: 'text/plain', size: 6 });
    const [fromServer, fromHandlers] = await both(body);
    const strip = (value: unknown) => {
      const { domain, url, signature, expiry, ...rest } = value as Record<string, unknown>;
      return {
        ...rest,
        path: new URL(String(url)).pathname.replace(/^\/+/, ''),
        hasDomain: typeof domain,
        hasSignature: typeof signature,
        expiry: typeof expiry,
      };
    };
    assert.equal(fromServer.status, 200);
    assert.deepEqual(strip(fromHandlers.body), strip(fromServer.body));

    const put = async (url: string, data: string, range?: string) => {
      const headers: Record<string, string> = range ? { 'Content-Range': range } : {};
      return answer(url, { method: 'PUT', body: data, headers });
    };
    const urls = [(fromServer.body as { url: string }).url, (fromHandlers.body as { url: string }).url];
    const fileOf = (value: unknown) => {
      const { id, media_id, url, created, updated, etag, ...rest } = value as Record<string, unknown>;
      return {
        ...rest,
        id: typeof id,
        media_id: typeof media_id,
        url: new URL(String(url)).pathname,
        created: typeof created,
        updated: typeof updated,
        etag: typeof etag,
      };
    };
    const [a, b] = await Promise.all(urls.map((url) => put(url, 'hello!')));
    assert.equal(a!.status, 201);
    assert.deepEqual({ ...b!, body: fileOf(b!.body) }, { ...a!, body: fileOf(a!.body) });

    for (const [range, data] of [
      ['bytes 3-5/6', 'lo!'],
      ['bytes 0-2/6', 'hel'],
    ] as const) {
      const [x, y] = await Promise.all(urls.map((url) => put(url, data, range)));
      assert.deepEqual(
        { ...y!, body: y!.status === 201 ? fileOf(y!.body) : y!.body },
        { ...x!, body: x!.status === 201 ? fileOf(x!.body) : x!.body },
      );
    }
    assert.equal(uploads.files().at(-1)!.file.filesize, 6);
  });

  test('refused PUTs: the same statuses, kinds and messages', async () => {
    const [fromServer, fromHandlers] = await both('{"filename":"p.bin"}');
    const urls = [(fromServer.body as { url: string }).url, (fromHandlers.body as { url: string }).url];
    const variants: Array<[string, (url: string) => string, Record<string, string>]> = [
      ['tampered', (url) => url.replace('p.bin', 'q.bin'), {}],
      ['unsigned', (url) => url.split('?')[0]!, {}],
      ['wrong key', (url) => url.split('?')[0]!, { Authorization: 'Bearer nope' }],
      ['bad range', (url) => url, { 'Content-Range': 'bytes 9-1/10' }],
      ['over maxSize', (url) => url, { 'Content-Range': `bytes 0-0/${MAX + 1}` }],
      ['short chunk', (url) => url, { 'Content-Range': 'bytes 0-9/20' }],
    ];
    for (const [name, change, headers] of variants) {
      const [x, y] = await Promise.all(urls.map((url) => answer(change(url), { method: 'PUT', body: 'abc', headers })));
      assert.deepEqual(y, x, name);
    }
  });
});
