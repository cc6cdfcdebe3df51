import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { bytes, KEY, listFiles, raw, sha256, startServer, type TestServer } from './helpers.js';

const auth = { Authorization: `Bearer ${KEY}` };

describe('GET and HEAD of stored files', () => {
  let server: TestServer;
  const data = bytes(1000, 21);
  const png = readFile(new URL('../fixtures/image-3x2.png', import.meta.url));
  before(async () => {
    server = await startServer({ basePath: '/uploads' });
    await raw(server.port, 'PUT', '/uploads/data/blob.bin', { body: data, headers: auth });
    await raw(server.port, 'PUT', '/uploads/pic.png', { body: await png, headers: auth });
    await raw(server.port, 'PUT', '/uploads/page.html', { body: '<!doctype html><script>alert(1)</script>', headers: auth });
    await raw(server.port, 'PUT', '/uploads/drawing.svg', {
      body: '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      headers: auth,
    });
    await raw(server.port, 'PUT', '/uploads/disguised.png', {
      body: '<html><script>alert(1)</script></html>',
      headers: { ...auth, 'Content-Type': 'text/html' },
    });
    await raw(server.port, 'PUT', '/uploads/feed', { body: '<rss/>', headers: { ...auth, 'Content-Type': 'application/rss+xml' } });
  });
  after(() => server.close());

  it('sends the bytes with type, length, ETag, nosniff and Accept-Ranges', async () => {
    const res = await raw(server.port, 'GET', '/uploads/pic.png');
    assert.equal(res.status, 200);
    assert.ok(res.body.equals(await png));
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal(res.headers['content-length'], String((await png).length));
    assert.match(String(res.headers.etag), /^"[a-z0-9-]+"$/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['accept-ranges'], 'bytes');
    assert.equal(res.headers['content-disposition'], undefined);
    assert.equal(res.headers['content-security-policy'], undefined);
  });

  it('answers HEAD with the same headers and no body', async () => {
    const get = await raw(server.port, 'GET', '/uploads/data/blob.bin');
    const head = await raw(server.port, 'HEAD', '/uploads/data/blob.bin');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], '1000');
    assert.equal(head.headers.etag, get.headers.etag);
  });

  it('answers 304 to a matching If-None-Match, and 200 after the file changes', async () => {
    const first = await raw(server.port, 'GET', '/uploads/data/blob.bin');
    const etag = String(first.headers.etag);
    const cached = await raw(server.port, 'GET', '/uploads/data/blob.bin', { headers: { 'If-None-Match': `"other", W/${etag}` } });
    assert.equal(cached.status, 304);
    assert.equal(cached.body.length, 0);
    assert.equal(cached.headers.etag, etag);
    await raw(server.port, 'PUT', '/uploads/data/other.bin', { body: 'x', headers: auth });
    const changed = await raw(server.port, 'PUT', '/uploads/data/blob.bin', { body: data, headers: auth });
    assert.equal(changed.status, 201);
    const fresh = await raw(server.port, 'GET', '/uploads/data/blob.bin', { headers: { 'If-None-Match': etag } });
    assert.equal(fresh.status, 200);
    assert.notEqual(fresh.headers.etag, etag);
  });

  it('serves single byte ranges with 206, and 416 when unsatisfiable', async () => {
    const cases: Array<[string, number, number]> = [
      ['bytes=0-3', 0, 3],
      ['bytes=990-', 990, 999],
      ['bytes=-10', 990, 999],
      ['bytes=500-5000', 500, 999],
    ];
    for (const [range, start, end] of cases) {
      const res = await raw(server.port, 'GET', '/uploads/data/blob.bin', { headers: { Range: range } });
      assert.equal(res.status, 206, range);
      assert.equal(res.headers['content-range'], `bytes ${start}-${end}/1000`, range);
      assert.equal(res.headers['content-length'], String(end - start + 1), range);
      assert.ok(res.body.equals(data.subarray(start, end + 1)), range);
    }
    const etag = String((await raw(server.port, 'HEAD', '/uploads/data/blob.bin')).headers.etag);
    const current = await raw(server.port, 'GET', '/uploads/data/blob.bin', { headers: { Range: 'bytes=2-4', 'If-Range': etag } });
    assert.equal(current.status, 206);
    assert.ok(current.body.equals(data.subarray(2, 5)));
    const unsatisfiable = await raw(server.port, 'GET', '/uploads/data/blob.bin', { headers: { Range: 'bytes=1000-1001' } });
    assert.equal(unsatisfiable.status, 416);
    assert.equal(unsatisfiable.headers['content-range'], 'bytes */1000');
  });

  it('sends the whole file for multiple ranges, a malformed range or a stale If-Range', async () => {
    const variants: Array<Record<string, string>> = [
      { Range: 'bytes=0-1,5-6' },
      { Range: 'bytes=abc' },
      { Range: 'bytes=0-1', 'If-Range': '"stale"' },
    ];
    for (const headers of variants) {
      const res = await raw(server.port, 'GET', '/uploads/data/blob.bin', { headers });
      assert.equal(res.status, 200, JSON.stringify(headers));
      assert.equal(res.body.length, 1000);
    }
  });

  it('serves HTML, SVG, XML and anything not known to be inert as a sandboxed attachment', async () => {
    for (const [path, type] of [
      ['/uploads/page.html', 'text/html; charset=utf-8'],
      ['/uploads/drawing.svg', 'image/svg+xml'],
      ['/uploads/disguised.png', 'image/png'],
      ['/uploads/feed', 'application/rss+xml'],
    ] as const) {
      const res = await raw(server.port, 'GET', path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['content-type'], type, path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      if (type === 'image/png') {
        // Content sniffing would call it HTML; nosniff plus the stored image type keeps it inert.
        assert.equal(res.headers['content-disposition'], undefined);
        continue;
      }
      assert.match(String(res.headers['content-disposition']), /^attachment; filename="/, path);
      assert.equal(res.headers['content-security-policy'], "sandbox; default-src 'none'", path);
    }
  });

  it('never serves temp, session or metadata files, nor folders', async () => {
    assert.ok((await listFiles(server.dir)).includes(`.itty-uploader/records/${sha256('pic.png')}.json`));
    for (const path of [
      `/uploads/.itty-uploader/records/${sha256('pic.png')}.json`,
      `/uploads/.itty-uploader/records/${sha256('pic.png')}.json`.replace('.itty', '%2Eitty'),
      '/uploads/.itty-uploader/ids',
      '/uploads/.itty-uploader/tmp',
      '/uploads/%2eitty-uploader/records',
      '/uploads/data',
      '/uploads/data/',
      '/uploads/',
      '/uploads/missing.bin',
    ]) {
      const res = await raw(server.port, 'GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(res.json()['kind'], 'not_found', path);
    }
  });
});
