import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { verifySignedUrl } from '../../src/server/signing.js';
import { createUploadServer, type UploadServerHandler } from '../../src/server/upload-server.js';
import { KEY, raw, startServer, type TestServer } from './helpers.js';

const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

describe('POST /upload-url (the app signing endpoint)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ maxSize: 1000, basePath: '/uploads', expiresIn: 120 });
  });
  after(() => server.close());

  it('answers a Signature object for the same origin that accepts the upload', async () => {
    const started = Math.floor(Date.now() / 1000);
    const res = await raw(
      server.port,
      'POST',
      '/upload-url',
      json({ filename: 'My Photo.png', folder: 'user 1', type: 'image/png', size: 10 }),
    );
    assert.equal(res.status, 200);
    const signature = res.json();
    assert.equal(signature['method'], 'put');
    const stored = String(signature['filename']);
    assert.match(stored, /^My-Photo-[0-9a-z]+\.png$/);
    assert.equal(signature['folder'], 'user-1');
    assert.equal(signature['domain'], `${server.url}/uploads`);
    assert.ok(Number(signature['expiry']) >= started + 120 && Number(signature['expiry']) <= started + 121);
    const url = String(signature['url']);
    assert.ok(url.startsWith(`${server.url}/uploads/user-1/${stored}?expiry=`), url);
    assert.equal((await verifySignedUrl(url, { key: KEY, method: 'PUT', basePath: '/uploads' })).ok, true);
    const put = await fetch(url, { method: 'PUT', body: 'hello' });
    assert.equal(put.status, 201);
    assert.equal(((await put.json()) as { url: string }).url, `${server.url}/uploads/user-1/${stored}`);
  });

  it('puts a dropped file under folder + the directories of its relativePath', async () => {
    const res = await raw(
      server.port,
      'POST',
      '/upload-url',
      json({ filename: 'a.png', folder: 'inbox', relativePath: 'photos/2024/a.png', type: 'image/png', size: 1 }),
    );
    assert.equal(res.json()['folder'], 'inbox/photos/2024');
    const bare = await raw(server.port, 'POST', '/upload-url', json({ filename: 'a.png', relativePath: 'a.png', size: 1 }));
    assert.equal('folder' in bare.json(), false);
  });

  it('gives two different non-Latin file names two different paths, so neither upload replaces the other', async () => {
    const urls = [];
    for (const [filename, body] of [
      ['отпуск.jpg', 'AAAAA'],
      ['семья.jpg', 'BBBBB'],
    ] as const) {
      const url = String((await raw(server.port, 'POST', '/upload-url', json({ filename, type: 'image/jpeg', size: 5 }))).json()['url']);
      assert.equal((await fetch(url, { method: 'PUT', body })).status, 201);
      urls.push(new URL(url).pathname);
    }
    assert.notEqual(urls[0], urls[1]);
    assert.deepEqual([(await raw(server.port, 'GET', urls[0]!)).text, (await raw(server.port, 'GET', urls[1]!)).text], ['AAAAA', 'BBBBB']);
  });

  it('validates the request', async () => {
    const cases: Array<[string | Record<string, unknown>, number, string]> = [
      ['{not json', 400, 'request_invalid'],
      ['[]', 400, 'request_invalid'],
      [{ size: 1 }, 400, 'request_invalid'],
      [{ filename: '', size: 1 }, 400, 'request_invalid'],
      [{ filename: 42, size: 1 }, 400, 'request_invalid'],
      [{ filename: 'a', size: -1 }, 400, 'request_invalid'],
      [{ filename: 'a', size: 1.5 }, 400, 'request_invalid'],
      [{ filename: 'a', size: '10' }, 400, 'request_invalid'],
      [{ filename: 'a', folder: 7, size: 1 }, 400, 'request_invalid'],
      [{ filename: 'a', type: {}, size: 1 }, 400, 'request_invalid'],
      [{ filename: 'a', size: 1001 }, 413, 'file_too_large'],
    ];
    for (const [body, status, kind] of cases) {
      const res = await raw(server.port, 'POST', '/upload-url', { body: typeof body === 'string' ? body : JSON.stringify(body) });
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.json()['kind'], kind, JSON.stringify(body));
    }
    const huge = await raw(server.port, 'POST', '/upload-url', { body: JSON.stringify({ filename: 'a', pad: 'x'.repeat(70_000) }) });
    assert.equal(huge.status, 413);
  });

  it('reads a JSON body that starts with a UTF-8 byte order mark, as body parsers do', async () => {
    // Some Windows tools write one; RFC 8259 lets a parser ignore it. Before: 400 "The body is not valid JSON."
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ filename: 'bom.txt', size: 3 }))]);
    const res = await raw(server.port, 'POST', '/upload-url', { body, headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json()['filename'], 'bom.txt');
  });

  it('answers 405 to other methods', async () => {
    const res = await raw(server.port, 'GET', '/upload-url');
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'POST, OPTIONS');
  });

  it('answers a malformed Host header with 400, not 500 internal_error', async () => {
    const errors: unknown[] = [];
    const local = await startServer({ onError: (error) => errors.push(error) });
    try {
      for (const host of ['example.com:99999', '[:::::]']) {
        const res = await raw(local.port, 'POST', '/upload-url', {
          ...json({ filename: 'a.png' }),
          headers: { 'Content-Type': 'application/json', Host: host },
        });
        assert.equal(res.status, 400, `Host: ${host} → ${res.status} ${res.text}`);
        assert.equal(res.json()['kind'], 'request_invalid');
      }
      assert.deepEqual(errors.map(String), []);
    } finally {
      await local.close();
    }
  });

  it('refuses an expiresIn, sessionTtl or maxSessions it cannot work with when created, instead of failing every request', async () => {
    // Before: expiresIn '3600' (read from an environment variable) or 0 made every signing request a 500
    // internal_error, and sessionTtl 0 threw each chunk session away before its next chunk arrived.
    const invalidOptions: Array<Record<string, unknown>> = [
      { expiresIn: '3600' },
      { expiresIn: 0 },
      { expiresIn: -60 },
      { expiresIn: Number.NaN },
      { expiresIn: 1e12 },
      { sessionTtl: 0 },
      { sessionTtl: Number.NaN },
      { sessionTtl: '60000' },
      { maxSessions: -1 },
      { maxSessions: 2.5 },
      { maxSessions: Number.POSITIVE_INFINITY },
    ];
    for (const extra of invalidOptions) {
      assert.throws(() => createUploadServer({ key: KEY, dir: '/tmp/unused', ...extra }), TypeError, JSON.stringify(extra));
    }
    const lenient = await startServer({ expiresIn: 90.7, sessionTtl: 1000, maxSessions: 0 });
    try {
      const before = Math.floor(Date.now() / 1000);
      const signature = (await raw(lenient.port, 'POST', '/upload-url', json({ filename: 'a.png' }))).json();
      assert.ok(
        Number(signature['expiry']) >= before + 90 && Number(signature['expiry']) <= Math.floor(Date.now() / 1000) + 90,
        String(signature['expiry']),
      );
    } finally {
      await lenient.close();
    }
  });

  it('refuses to sign a path its own routes would shadow (upload-url, signatures, files/file_<12>)', async () => {
    const local = await startServer();
    try {
      for (const body of [{ filename: 'upload-url' }, { filename: 'signatures' }, { filename: 'file_abcdefghijkl', folder: 'files' }]) {
        const res = await raw(local.port, 'POST', '/upload-url', json(body));
        assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${res.text}`);
        assert.equal(res.json()['kind'], 'request_invalid');
        assert.match(String(res.json()['message']), /own routes/);
      }
      const bearer = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
      const viaApi = await raw(local.port, 'POST', '/signatures', {
        body: JSON.stringify({ filename: 'signatures', method: 'put' }),
        headers: bearer,
      });
      assert.equal(viaApi.status, 400);
      // Near misses are ordinary stored paths.
      for (const body of [{ filename: 'upload-url.txt' }, { filename: 'file_abc', folder: 'files' }]) {
        const url = new URL(String((await raw(local.port, 'POST', '/upload-url', json(body))).json()['url']));
        assert.equal((await raw(local.port, 'PUT', url.pathname + url.search, { body: 'hello' })).status, 201, JSON.stringify(body));
      }
    } finally {
      await local.close();
    }
  });
});

describe('POST /signatures (ittybit API)', () => {
  let server: TestServer;
  const bearer = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', 'Accept-Version': '2025-08-20' };
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('needs the API key', async () => {
    const missing = await raw(server.port, 'POST', '/signatures', json({ filename: 'a.png' }));
    assert.equal(missing.status, 401);
    assert.equal(missing.json()['kind'], 'token_missing');
    const wrong = await raw(server.port, 'POST', '/signatures', {
      body: '{"filename":"a.png"}',
      headers: { Authorization: 'Bearer nope' },
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json()['kind'], 'token_invalid');
  });

  it('signs get by default and put on request, with a given expiry', async () => {
    const expiry = Math.floor(Date.now() / 1000) + 900;
    const get = await raw(server.port, 'POST', '/signatures', {
      body: JSON.stringify({ filename: 'video.mp4', folder: 'example' }),
      headers: bearer,
    });
    assert.equal(get.status, 200);
    assert.equal(get.json()['method'], 'get');
    const put = await raw(server.port, 'POST', '/signatures', {
      body: JSON.stringify({ filename: 'video.mp4', folder: 'example', method: 'PUT', expiry, resumable: true, metadata: { a: 1 } }),
      headers: bearer,
    });
    const signature = put.json();
    assert.deepEqual(Object.keys(signature), ['domain', 'filename', 'folder', 'expiry', 'method', 'signature', 'url']);
    assert.equal(signature['method'], 'put');
    assert.equal(signature['expiry'], expiry);
    const upload = await fetch(String(signature['url']), { method: 'PUT', body: 'bytes' });
    assert.equal(upload.status, 201);
  });

  it('refuses bad expiries, methods and names with 400', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const body of [
      { filename: 'a', expiry: now - 1 },
      { filename: 'a', expiry: now + 10.5 },
      { filename: 'a', expiry: String(now + 100) },
      { filename: 'a', expiry: Date.now() + 100_000 },
      { filename: 'a', method: 'delete' },
      { filename: 'a', method: 1 },
      { folder: 'x' },
    ]) {
      const res = await raw(server.port, 'POST', '/signatures', { body: JSON.stringify(body), headers: bearer });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json()['kind'], 'request_invalid', JSON.stringify(body));
    }
  });
});

describe('CORS', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ allowedOrigins: ['https://app.example'] });
  });
  after(() => server.close());

  it('answers a preflight from an allowed origin with 204', async () => {
    const res = await raw(server.port, 'OPTIONS', '/some/file.png?expiry=1&method=put&signature=x', {
      headers: {
        Origin: 'https://app.example',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-range, content-type',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(res.headers['access-control-allow-methods'], 'GET, HEAD, PUT, POST, PATCH, DELETE, OPTIONS');
    assert.equal(res.headers['access-control-allow-headers'], 'content-range, content-type');
    assert.equal(res.headers['access-control-max-age'], '600');
    assert.match(String(res.headers.vary), /Origin/);
  });

  it('refuses a preflight and an upload from another origin', async () => {
    const preflight = await raw(server.port, 'OPTIONS', '/upload-url', {
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    const post = await raw(server.port, 'POST', '/upload-url', { body: '{"filename":"a"}', headers: { Origin: 'https://evil.example' } });
    assert.equal(post.status, 403);
    assert.equal(post.json()['kind'], 'origin_not_allowed');
  });

  it('puts the CORS headers on successes and errors alike', async () => {
    const origin = { Origin: 'https://app.example' };
    const ok = await raw(server.port, 'PUT', '/cors.txt', { body: 'x', headers: { ...origin, Authorization: `Bearer ${KEY}` } });
    const denied = await raw(server.port, 'PUT', '/cors.txt', { body: 'x', headers: origin });
    const missing = await raw(server.port, 'GET', '/nothing.txt', { headers: origin });
    for (const res of [ok, denied, missing]) {
      assert.equal(res.headers['access-control-allow-origin'], 'https://app.example', String(res.status));
      assert.equal(res.headers['access-control-expose-headers'], 'ETag, Location, Content-Range, Range, Retry-After');
    }
    assert.deepEqual([ok.status, denied.status, missing.status], [201, 401, 404]);
  });

  it('matches configured origins the way browsers send them: trailing slash, case and default port do not matter', async () => {
    const spelled = await startServer({ allowedOrigins: ['http://localhost:5173/', 'HTTPS://App.Example:443', 'null'] });
    try {
      for (const origin of ['http://localhost:5173', 'https://app.example', 'null']) {
        const res = await raw(spelled.port, 'OPTIONS', '/upload-url', {
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
        });
        assert.equal(res.status, 204, origin);
        assert.equal(res.headers['access-control-allow-origin'], origin);
      }
      const other = await raw(spelled.port, 'OPTIONS', '/upload-url', {
        headers: { Origin: 'http://localhost:5174', 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(other.status, 403);
    } finally {
      await spelled.close();
    }
    // What can never equal a browser's Origin header is refused up front instead of silently blocking every upload.
    for (const allowedOrigins of [['localhost:5173'], ['https://app.example/upload'], ['https://app.example?x=1']]) {
      assert.throws(() => createUploadServer({ key: KEY, dir: '/tmp/unused', allowedOrigins }), TypeError, allowedOrigins[0]);
    }
  });

  it('counts the publicUrl origin as its own behind a TLS-terminating proxy', async () => {
    // The proxy speaks plain http to the server: the request's own origin looks like http://files.example.com,
    // while the app's page at https://files.example.com sends that as Origin. Before, its uploads got 403.
    const proxied = await startServer({ publicUrl: 'https://files.example.com', allowedOrigins: ['https://partner.example'] });
    try {
      const headers = { Host: 'files.example.com', Origin: 'https://files.example.com', 'Content-Type': 'application/json' };
      const signed = await raw(proxied.port, 'POST', '/upload-url', { body: JSON.stringify({ filename: 'own.txt' }), headers });
      assert.equal(signed.status, 200, signed.text);
      const put = await raw(proxied.port, 'PUT', '/own.txt', { body: 'mine', headers: { ...headers, Authorization: `Bearer ${KEY}` } });
      assert.equal(put.status, 201, put.text);
      const stranger = await raw(proxied.port, 'POST', '/upload-url', {
        body: JSON.stringify({ filename: 'x.txt' }),
        headers: { ...headers, Origin: 'https://evil.example' },
      });
      assert.equal(stranger.status, 403);
    } finally {
      await proxied.close();
    }
  });

  it('echoes any origin with the default "*"', async () => {
    const open = await startServer();
    try {
      const res = await raw(open.port, 'OPTIONS', '/upload-url', {
        headers: { Origin: 'https://anyone.example', 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers['access-control-allow-origin'], 'https://anyone.example');
      assert.equal(res.headers['access-control-allow-credentials'], undefined);
    } finally {
      await open.close();
    }
  });
});

describe('as middleware', () => {
  const nextResponder = (handler: UploadServerHandler) => (req: IncomingMessage, res: ServerResponse) =>
    handler(req, res, (error) => {
      res.writeHead(error ? 500 : 299, { 'Content-Type': 'text/plain' });
      res.end('next');
    });
  let server: TestServer;
  before(async () => {
    server = await startServer({ basePath: '/uploads' }, nextResponder);
    await raw(server.port, 'PUT', '/uploads/here.txt', { body: 'stored', headers: { Authorization: `Bearer ${KEY}` } });
  });
  after(() => server.close());

  it('calls next() for requests it does not own, without its CORS headers', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/index.html'],
      ['GET', '/uploads/missing.txt'],
      ['GET', '/uploads/.hidden/x'],
      ['POST', '/uploads/here.txt'],
      ['DELETE', '/uploads/here.txt'],
      ['POST', '/api/other'],
      ['POST', '/files/file_000000000000'],
    ] as const) {
      const res = await raw(server.port, method, path, { headers: { Origin: 'https://app.example' } });
      assert.equal(res.status, 299, `${method} ${path}`);
      assert.equal(res.text, 'next');
      assert.equal(res.headers['access-control-allow-origin'], undefined, `${method} ${path}`);
    }
  });

  it('handles what it owns', async () => {
    assert.equal((await raw(server.port, 'GET', '/uploads/here.txt')).text, 'stored');
    assert.equal((await raw(server.port, 'POST', '/upload-url', json({ filename: 'a' }))).status, 200);
    assert.equal((await raw(server.port, 'PUT', '/uploads/x.txt', { body: 'x' })).status, 401);
  });

  it('answers 404 and 405 itself without a next()', async () => {
    const standalone = await startServer({ basePath: '/uploads' });
    try {
      const missing = await raw(standalone.port, 'GET', '/elsewhere');
      assert.equal(missing.status, 404);
      assert.equal(missing.json()['kind'], 'not_found');
      assert.equal((await raw(standalone.port, 'DELETE', '/uploads/x.txt')).status, 405);
    } finally {
      await standalone.close();
    }
  });

  it('works through a Koa-style adapter', async () => {
    // The same shape as koa-connect: the Koa chain continues when the handler calls next().
    const koa = (handler: UploadServerHandler) => (req: IncomingMessage, res: ServerResponse) => {
      const downstream = async () => {
        res.writeHead(298).end('koa downstream');
      };
      new Promise<void>((resolve, reject) => {
        res.once('finish', resolve);
        handler(req, res, (error) => (error ? reject(error) : downstream().then(resolve, reject)));
      }).catch(() => res.destroy());
    };
    const server = await startServer({ basePath: '/uploads' }, koa);
    try {
      const put = await raw(server.port, 'PUT', '/uploads/k.txt', { body: 'koa', headers: { Authorization: `Bearer ${KEY}` } });
      assert.equal(put.status, 201);
      assert.equal((await raw(server.port, 'GET', '/uploads/k.txt')).text, 'koa');
      assert.equal((await raw(server.port, 'GET', '/app')).status, 298);
    } finally {
      await server.close();
    }
  });

  it('puts a Connect mount prefix into the URLs it signs', async () => {
    const mounted = (handler: UploadServerHandler) => (req: IncomingMessage, res: ServerResponse) => {
      const original = req.url ?? '/';
      if (!original.startsWith('/mnt/')) return res.writeHead(404).end();
      Object.assign(req, { originalUrl: original, url: original.slice('/mnt'.length) });
      handler(req, res);
    };
    const server = await startServer({}, mounted);
    try {
      const signature = (await raw(server.port, 'POST', '/mnt/upload-url', json({ filename: 'm.txt' }))).json();
      assert.ok(String(signature['url']).startsWith(`${server.url}/mnt/m.txt?`), String(signature['url']));
      const put = await fetch(String(signature['url']), { method: 'PUT', body: 'mounted' });
      assert.equal(put.status, 201);
      assert.equal(((await put.json()) as { url: string }).url, `${server.url}/mnt/m.txt`);
    } finally {
      await server.close();
    }
  });

  it('uses publicUrl instead of the Host header when given', async () => {
    const server = await startServer({ publicUrl: 'https://files.example.com/', basePath: '/u' });
    try {
      const signature = (await raw(server.port, 'POST', '/upload-url', json({ filename: 'p.txt' }))).json();
      assert.ok(String(signature['url']).startsWith('https://files.example.com/u/p.txt?'));
    } finally {
      await server.close();
    }
  });
});
