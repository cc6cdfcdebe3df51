import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bytes, eventually, KEY, raw, sha256, signedPath, startServer, storedFiles, tempFiles, type TestServer } from './helpers.js';

describe('PUT single upload', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ maxSize: 64 * 1024 });
  });
  after(() => server.close());

  it('stores and serves a zero-byte file; a range of it is 416', async () => {
    const put = await raw(server.port, 'PUT', await signedPath('empty/zero.bin'), { body: '' });
    assert.deepEqual([put.status, put.json()['filesize']], [201, 0]);
    const get = await raw(server.port, 'GET', '/empty/zero.bin');
    assert.deepEqual([get.status, get.headers['content-length'], get.body.length], [200, '0', 0]);
    assert.equal((await raw(server.port, 'GET', '/empty/zero.bin', { headers: { Range: 'bytes=0-' } })).status, 416);
    assert.ok((await storedFiles(server.dir)).includes('empty/zero.bin'));
  });

  it('stores a signed upload and answers 201 with the File object', async () => {
    const body = bytes(5000, 3);
    const res = await raw(server.port, 'PUT', await signedPath('docs/data.bin'), { body });
    assert.equal(res.status, 201);
    const file = res.json();
    assert.match(String(file['id']), /^file_[a-z0-9]{12}$/);
    assert.match(String(file['media_id']), /^med_[a-z0-9]{12}$/);
    assert.equal(file['object'], 'source');
    assert.equal(file['kind'], 'other');
    assert.equal(file['type'], 'application/octet-stream');
    assert.equal(file['filesize'], 5000);
    assert.equal(file['filename'], 'data.bin');
    assert.equal(file['folder'], 'docs');
    assert.equal(file['url'], `${server.url}/docs/data.bin`);
    assert.equal(file['status'], 'ready');
    assert.match(String(file['created']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(file['updated'], file['created']);
    assert.equal(res.headers.location, file['url']);
    assert.equal(sha256(await readFile(join(server.dir, 'docs/data.bin'))), sha256(body));
    assert.deepEqual(await tempFiles(server.dir), []);
  });

  it('omits folder for a top-level file and takes the type from the extension, then Content-Type', async () => {
    const text = await raw(server.port, 'PUT', await signedPath('notes.txt'), { body: 'hello' });
    assert.equal(text.json()['type'], 'text/plain');
    assert.equal('folder' in text.json(), false);
    const hinted = await raw(server.port, 'PUT', await signedPath('blob'), {
      body: 'x',
      headers: { 'Content-Type': 'audio/x-custom; rate=1' },
    });
    assert.equal(hinted.json()['type'], 'audio/x-custom');
    assert.equal(hinted.json()['kind'], 'audio');
  });

  it('accepts the Bearer key instead of a signature (simple upload)', async () => {
    const res = await raw(server.port, 'PUT', '/simple/a.txt', { body: 'abc', headers: { Authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 201);
    assert.equal(await readFile(join(server.dir, 'simple/a.txt'), 'utf8'), 'abc');
  });

  it('refuses missing, wrong, mismatched and expired credentials and stores nothing', async () => {
    const before = await storedFiles(server.dir);
    const past = Math.floor(Date.now() / 1000) - 5;
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['/denied/a.txt', {}, 401, 'token_missing'],
      ['/denied/a.txt', { Authorization: 'Bearer nope' }, 401, 'token_invalid'],
      [(await signedPath('denied/a.txt')).replace(/signature=.{4}/, 'signature=AAAA'), {}, 403, 'signature_invalid'],
      [await signedPath('denied/a.txt', { method: 'get' }), {}, 403, 'signature_invalid'],
      [await signedPath('denied/a.txt', { key: 'other' }), {}, 403, 'signature_invalid'],
      [(await signedPath('denied/a.txt')).replace('denied/a.txt', 'denied/b.txt'), {}, 403, 'signature_invalid'],
      [await signedPath('denied/a.txt', { expiry: past }), {}, 403, 'signature_expired'],
      [`/denied/a.txt?expiry=${Date.now()}&method=put&signature=abc`, {}, 403, 'signature_invalid'],
    ];
    for (const [path, headers, status, kind] of cases) {
      const res = await raw(server.port, 'PUT', path, { body: 'x', headers });
      assert.equal(res.status, status, path);
      assert.equal(res.json()['kind'], kind, path);
      assert.equal(typeof res.json()['message'], 'string');
    }
    assert.deepEqual(await storedFiles(server.dir), before);
  });

  it('answers 413 for a declared Content-Length over maxSize and keeps nothing', async () => {
    const before = await storedFiles(server.dir);
    const res = await raw(server.port, 'PUT', await signedPath('big/declared.bin'), { body: bytes(64 * 1024 + 1) });
    assert.equal(res.status, 413);
    assert.equal(res.json()['kind'], 'file_too_large');
    assert.deepEqual(await storedFiles(server.dir), before);
    assert.deepEqual(await tempFiles(server.dir), []);
  });

  it('answers 413 as soon as a streamed body passes maxSize, before the client finishes', async () => {
    const path = await signedPath('big/streamed.bin');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, method: 'PUT', path, agent: false }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
      );
      // Chunked transfer: the server cannot know the size up front. The request is never ended.
      req.write(bytes(40 * 1024));
      req.write(bytes(40 * 1024));
    });
    assert.equal(status, 413);
    assert.equal((await storedFiles(server.dir)).includes('big/streamed.bin'), false);
    assert.deepEqual(await tempFiles(server.dir), []);
  });

  it('keeps neither file nor temp file when the client disconnects mid-body', async () => {
    const path = await signedPath('gone/partial.bin');
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      method: 'PUT',
      path,
      agent: false,
      headers: { 'Content-Length': String(60 * 1024) },
    });
    req.on('error', () => {});
    req.write(bytes(20 * 1024));
    await eventually(async () => (await tempFiles(server.dir)).length > 0);
    req.destroy();
    await eventually(async () => (await tempFiles(server.dir)).length === 0);
    assert.equal(
      (await storedFiles(server.dir)).some((file) => file.startsWith('gone/')),
      false,
    );
  });

  it('never interleaves two concurrent uploads to one path: the last complete one wins whole', async () => {
    const size = 48 * 1024;
    const a = Buffer.alloc(size, 'a');
    const b = Buffer.alloc(size, 'b');
    const path = await signedPath('race/same.bin');
    const open = () => {
      const req = request({
        host: '127.0.0.1',
        port: server.port,
        method: 'PUT',
        path,
        agent: false,
        headers: { 'Content-Length': String(size) },
      });
      const response = new Promise<number>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
      });
      return { req, response };
    };
    const first = open();
    const second = open();
    for (let offset = 0; offset < size; offset += 4096) {
      first.req.write(a.subarray(offset, offset + 4096));
      second.req.write(b.subarray(offset, offset + 4096));
    }
    first.req.end();
    second.req.end();
    assert.deepEqual(await Promise.all([first.response, second.response]), [201, 201]);
    const stored = await readFile(join(server.dir, 'race/same.bin'));
    assert.ok(stored.equals(a) || stored.equals(b), 'the stored file is one upload, whole');
    assert.deepEqual(await tempFiles(server.dir), []);
  });

  it('keeps id and created when a path is overwritten, and moves updated', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const timed = await startServer({ now: () => clock });
    try {
      const path = await signedPath('again.txt', { expiry: Math.floor(clock / 1000) + 600 });
      const first = (await raw(timed.port, 'PUT', path, { body: 'one' })).json();
      clock += 61_000;
      const second = (await raw(timed.port, 'PUT', path, { body: 'second' })).json();
      assert.equal(second['id'], first['id']);
      assert.equal(second['created'], '2025-01-01T00:00:00Z');
      assert.equal(second['updated'], '2025-01-01T00:01:01Z');
      assert.equal(second['filesize'], 6);
      assert.notEqual(second['etag'], first['etag']);
    } finally {
      await timed.close();
    }
  });

  it('refuses a file where a folder is, and a folder where a file is', async () => {
    await raw(server.port, 'PUT', await signedPath('clash/inner.txt'), { body: 'x' });
    assert.equal((await raw(server.port, 'PUT', await signedPath('clash'), { body: 'y' })).status, 400);
    assert.equal((await raw(server.port, 'PUT', await signedPath('clash/inner.txt/deeper.txt'), { body: 'z' })).status, 400);
    assert.deepEqual(await tempFiles(server.dir), []);
  });
});
