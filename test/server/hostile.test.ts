// Issue 22 (server findings): each test here failed on the code before the fix it names.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp, { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LITTLE_TTL } from '../../src/server/chunk-sessions.js';
import { png } from './image-fixtures.js';
import { bytes, eventually, KEY, raw, sha256, signedPath, startServer, tempFiles, type TestServer } from './helpers.js';

const CHUNK = 16 * 1024;

function ranges(total: number, size = CHUNK): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (let start = 0; start < total; start += size) result.push([start, Math.min(start + size, total) - 1]);
  return result;
}

function putChunk(server: TestServer, path: string, source: Buffer, [start, end]: [number, number]) {
  return raw(server.port, 'PUT', path, {
    body: source.subarray(start, end + 1),
    headers: { 'Content-Range': `bytes ${start}-${end}/${source.length}`, 'Content-Type': 'application/octet-stream' },
  });
}

/** A signed PUT URL path from the server's own signing endpoint, as the element gets it. */
async function signAt(server: TestServer, filename: string): Promise<string> {
  const res = await raw(server.port, 'POST', '/upload-url', {
    body: JSON.stringify({ filename }),
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(res.status, 200, res.text);
  const url = new URL(res.json<{ url: string }>().url);
  return `${url.pathname}${url.search}`;
}

describe('signatures have one spelling (issue 22: memory exhaustion through the retry cache)', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it('refuses a signature with extra "=" padding: no upload, no session, no cache entry', async () => {
    const path = await signedPath('padded.bin');
    for (let n = 2; n < 40; n++) {
      const res = await raw(server.port, 'PUT', `${path}${'='.repeat(n)}`, { body: 'x', headers: { 'Content-Range': 'bytes 0-0/1' } });
      assert.equal(res.status, 403, `${n} "=": ${res.status}`);
      assert.equal(res.json()['kind'], 'signature_invalid');
    }
    assert.deepEqual(server.handler.stats(), { sessions: 0, completed: 0, heldFiles: 0, issued: 0 });
    // One "=" is the correct padding of a 32-byte MAC: still the same URL.
    assert.equal((await raw(server.port, 'PUT', `${path}=`, { body: 'x', headers: { 'Content-Range': 'bytes 0-0/1' } })).status, 201);
    assert.equal(server.handler.stats().completed, 1);
  });

  it('the standard-base64 and padded spellings of one URL are one upload (the cache is keyed on the decoded signature)', async () => {
    const path = await signedPath('spellings.bin');
    const source = bytes(20, 3);
    const url = new URL(path, 'http://x');
    const signature = url.searchParams.get('signature')!;
    const standard = `${url.pathname}?expiry=${url.searchParams.get('expiry')}&method=put&signature=${encodeURIComponent(signature.replace(/-/g, '+').replace(/_/g, '/'))}%3D`;
    assert.equal((await putChunk(server, path, source, [0, 9])).status, 202);
    assert.equal((await putChunk(server, standard, source, [10, 19])).status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'spellings.bin'))), sha256(source));
  });
});

describe('a stored file is always one whole upload (issue 22: torn files)', () => {
  let server: TestServer;
  const clock = Date.now();
  before(async () => (server = await startServer({ now: () => clock })));
  after(() => server.close());

  it('two uploads signed in the same second get different URLs, and interleaved chunks never mix', async () => {
    // Before: both URLs were identical, the chunks went into one session, and the stored file was half A, half B.
    const a = bytes(8 * CHUNK, 21);
    const b = bytes(8 * CHUNK, 22);
    const urlA = await signAt(server, 'dup.bin');
    const urlB = await signAt(server, 'dup.bin');
    assert.notEqual(urlA, urlB);
    const parts = ranges(a.length);
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) {
      assert.equal((await putChunk(server, urlA, a, parts[i]!)).status, 202);
      assert.equal((await putChunk(server, urlB, b, parts[i]!)).status, 202);
    }
    const doneA = await putChunk(server, urlA, a, parts[last]!);
    assert.equal(doneA.status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'dup.bin'))), sha256(a));
    const doneB = await putChunk(server, urlB, b, parts[last]!);
    assert.equal(doneB.status, 201);
    // The last complete upload wins, whole.
    assert.equal(sha256(await readFile(join(server.dir, 'dup.bin'))), sha256(b));
    assert.notEqual(doneA.json()['etag'], doneB.json()['etag']);
    assert.deepEqual(await tempFiles(server.dir), []);
  });

  it('two uploads through one identical URL never mix: a chunk that rewrites received bytes differently gets 409', async () => {
    const a = bytes(4 * CHUNK, 31);
    const b = bytes(4 * CHUNK, 32);
    const url = await signedPath('same-url.bin', { expiry: Math.floor(clock / 1000) + 600 });
    const parts = ranges(a.length);
    const answers: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      for (const [name, source] of [
        ['A', a],
        ['B', b],
      ] as const) {
        const res = await putChunk(server, url, source, parts[i]!);
        answers.push(`${name}${i}:${res.status}`);
        if (res.status === 409) assert.equal(res.json()['kind'], 'upload_conflict');
      }
    }
    // A got there first with every chunk; each of B's differs and is refused, so A completes whole.
    assert.deepEqual(answers, ['A0:202', 'B0:409', 'A1:202', 'B1:409', 'A2:202', 'B2:409', 'A3:201', 'B3:202']);
    assert.equal(sha256(await readFile(join(server.dir, 'same-url.bin'))), sha256(a));
  });

  it('a chunk that only repeats received bytes is taken (a retry), also when it overlaps two chunks', async () => {
    const a = bytes(3 * CHUNK, 41);
    const url = await signedPath('retry.bin', { expiry: Math.floor(clock / 1000) + 600 });
    const [p0, p1, p2] = ranges(a.length);
    assert.equal((await putChunk(server, url, a, p0!)).status, 202);
    assert.equal((await putChunk(server, url, a, p1!)).status, 202);
    assert.equal((await putChunk(server, url, a, p0!)).status, 202);
    assert.equal((await putChunk(server, url, a, [100, CHUNK + 100])).status, 202);
    assert.equal((await putChunk(server, url, a, p2!)).status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'retry.bin'))), sha256(a));
  });

  it('overlapping chunks in flight at once never interleave their bytes', async () => {
    const a = bytes(6 * CHUNK, 51);
    const b = bytes(6 * CHUNK, 52);
    const url = await signedPath('racing.bin', { expiry: Math.floor(clock / 1000) + 600 });
    const parts = ranges(a.length);
    const last = parts.length - 1;
    const sendAll = (source: Buffer) => Promise.all(parts.slice(0, last).map((range) => putChunk(server, url, source, range)));
    const [fromA, fromB] = await Promise.all([sendAll(a), sendAll(b)]);
    // As the element does: the last chunk goes only after every other chunk was accepted (a 409 fails the upload).
    const finals = await Promise.all(
      (
        [
          [fromA, a],
          [fromB, b],
        ] as const
      ).map(([answers, source]) => (answers.every((res) => res.status === 202) ? putChunk(server, url, source, parts[last]!) : undefined)),
    );
    for (const res of [...fromA, ...fromB]) assert.ok(res.status === 202 || res.status === 409, String(res.status));
    const stored = await readFile(join(server.dir, 'racing.bin')).catch(() => undefined);
    // Whatever the order, nothing stored or one whole upload, never a mix; and a 201 names the bytes stored.
    if (stored) assert.ok([sha256(a), sha256(b)].includes(sha256(stored)), 'stored file is one whole upload');
    for (const [res, source] of [
      [finals[0], a],
      [finals[1], b],
    ] as const) {
      if (res?.status === 201) assert.equal(res.json()['filesize'], source.length);
    }
  });
});

describe('a chunked re-upload through the same URL (issue 22: silently dropped)', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it('stores the edited bytes of a same-size file, and answers a real retry of the last chunk with the same File', async () => {
    // Before: the edited file got 201 with the old File object and the old bytes stayed.
    const url = await signedPath('edited.bin');
    const v1 = bytes(3 * CHUNK, 61);
    const v2 = Buffer.from(v1);
    v2.fill(7, 0, 100); // edited at the start; the last chunk is the same
    const parts = ranges(v1.length);
    for (const part of parts.slice(0, -1)) assert.equal((await putChunk(server, url, v1, part)).status, 202);
    const first = await putChunk(server, url, v1, parts.at(-1)!);
    assert.equal(first.status, 201);
    // The completing chunk again, same bytes: its 201 was lost; same answer, nothing stored anew.
    const retry = await putChunk(server, url, v1, parts.at(-1)!);
    assert.equal(retry.status, 201);
    assert.equal(retry.json()['etag'], first.json()['etag']);
    for (const part of parts.slice(0, -1)) assert.equal((await putChunk(server, url, v2, part)).status, 202);
    const second = await putChunk(server, url, v2, parts.at(-1)!);
    assert.equal(second.status, 201);
    assert.notEqual(second.json()['etag'], first.json()['etag']);
    assert.equal(sha256(await readFile(join(server.dir, 'edited.bin'))), sha256(v2));
    assert.deepEqual(await tempFiles(server.dir), []);
  });

  it('does not replay a last chunk whose bytes differ from the completed upload: the client is told to send it all', async () => {
    const url = await signedPath('changed-end.bin');
    const v1 = bytes(2 * CHUNK, 71);
    const v2 = bytes(2 * CHUNK, 72);
    const [p0, p1] = ranges(v1.length);
    assert.equal((await putChunk(server, url, v1, p0!)).status, 202);
    assert.equal((await putChunk(server, url, v1, p1!)).status, 201);
    // 202 to a last chunk: the element's signal that the storage lost the session and every chunk goes again.
    assert.equal((await putChunk(server, url, v2, p1!)).status, 202);
    assert.equal((await putChunk(server, url, v2, p0!)).status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'changed-end.bin'))), sha256(v2));
  });
});

describe('chunk sessions are bounded per URL and by what they received (issue 22: one URL blocks all)', () => {
  it('one URL sending many totals holds one session; other uploads still get 202, not 429', async () => {
    // Before: 100 totals through one URL filled the global cap, and every other chunked upload got 429 for an hour.
    const server = await startServer({ maxSessions: 5 });
    try {
      const url = await signedPath('hog.bin');
      for (let total = 2; total < 40; total++) {
        assert.equal((await raw(server.port, 'PUT', url, { body: 'x', headers: { 'Content-Range': `bytes 0-0/${total}` } })).status, 202);
      }
      assert.equal(server.handler.stats().sessions, 1);
      assert.equal((await tempFiles(server.dir)).length, 1);
      const other = await raw(server.port, 'PUT', await signedPath('victim.bin'), {
        body: 'x',
        headers: { 'Content-Range': 'bytes 0-0/2' },
      });
      assert.equal(other.status, 202);
    } finally {
      await server.close();
    }
  });

  it('a session that received little expires sooner, and frees its place for a new upload when the cap is reached', async () => {
    let clock = Date.now();
    const server = await startServer({ maxSessions: 1, now: () => clock });
    try {
      const expiry = Math.floor(clock / 1000) + 7200;
      assert.equal(
        (
          await raw(server.port, 'PUT', await signedPath('idle.bin', { expiry }), {
            body: 'x',
            headers: { 'Content-Range': 'bytes 0-0/9' },
          })
        ).status,
        202,
      );
      const busy = await raw(server.port, 'PUT', await signedPath('next.bin', { expiry }), {
        body: 'x',
        headers: { 'Content-Range': 'bytes 0-0/9' },
      });
      assert.equal(busy.status, 429);
      clock += 61_000; // a byte, then a minute of nothing: the place goes to someone who sends
      const next = await raw(server.port, 'PUT', await signedPath('next.bin', { expiry }), {
        body: 'x',
        headers: { 'Content-Range': 'bytes 0-0/9' },
      });
      assert.equal(next.status, 202);
      clock += LITTLE_TTL + 1000; // well within the hour's TTL, past the short one
      const url = await signedPath('next.bin', { expiry });
      // The session is gone: this chunk starts a new one, which cannot complete with only the last byte.
      assert.equal((await raw(server.port, 'PUT', url, { body: 'y'.repeat(8), headers: { 'Content-Range': 'bytes 1-8/9' } })).status, 202);
    } finally {
      await server.close();
    }
  });

  it('caps Content-Range totals at 64 GiB when maxSize is unset (no huge sparse session files)', async () => {
    const server = await startServer();
    try {
      const res = await raw(server.port, 'PUT', await signedPath('sparse.bin'), {
        body: 'x',
        headers: { 'Content-Range': `bytes 0-0/${64 * 1024 ** 3 + 1}` },
      });
      assert.equal(res.status, 413);
      assert.deepEqual(await tempFiles(server.dir), []);
      const ok = await raw(server.port, 'PUT', await signedPath('sparse.bin'), {
        body: 'x',
        headers: { 'Content-Range': `bytes 0-0/${64 * 1024 ** 3}` },
      });
      assert.equal(ok.status, 202);
    } finally {
      await server.close();
    }
  });
});

void KEY;

describe('slow clients and exhausted file handles (issue 22: slow clients tie up the server)', () => {
  it('cuts off a body that trickles slower than minBodyRate with 408, and removes its temp file', async () => {
    // Before: a body sending a byte now and then stayed open without limit, holding a socket and a file.
    const server = await startServer({ minBodyRate: { bytes: 100, ms: 100 } });
    try {
      const path = await signedPath('trickle.bin');
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: server.port, method: 'PUT', path, agent: false, headers: { 'Content-Length': '1000' } },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', (error: NodeJS.ErrnoException) =>
          error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
        );
        req.write('x'); // and nothing more: the request never ends by itself
      });
      assert.equal(answer.status, 408, answer.text);
      assert.equal(JSON.parse(answer.text).kind, 'request_timeout');
      await eventually(async () => (await tempFiles(server.dir)).length === 0);
    } finally {
      await server.close();
    }
  });

  it('answers EMFILE/ENFILE with 503 and Retry-After, logged in one line, with no stack trace to the client', async () => {
    // Before: 500 internal_error, with the whole error (stack included) handed to the log for each request.
    const logged: unknown[] = [];
    const server = await startServer({ onError: (error) => logged.push(error) });
    const original = fs.createWriteStream;
    try {
      fs.createWriteStream = ((file: string, options: unknown) => {
        if (!String(file).includes('.itty-uploader')) return original(file, options as never);
        const stream = new Writable({ write: (_chunk, _encoding, callback) => callback() });
        process.nextTick(() => stream.destroy(Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' })));
        return stream;
      }) as typeof fs.createWriteStream;
      syncBuiltinESMExports();
      const res = await raw(server.port, 'PUT', await signedPath('handles.bin'), { body: 'data' });
      assert.equal(res.status, 503, res.text);
      assert.equal(res.headers['retry-after'], '5');
      assert.equal(res.json()['kind'], 'service_unavailable');
      assert.doesNotMatch(res.text, /at |EMFILE|\.ts/);
      assert.equal(logged.length, 1);
      assert.match(String((logged[0] as Error).message), /^out of file handles \(EMFILE\) on PUT \/handles\.bin; answered 503$/);
    } finally {
      fs.createWriteStream = original;
      syncBuiltinESMExports();
      await server.close();
    }
  });
});

describe('the File object always describes the stored bytes (issue 22: commit and record as one step)', () => {
  it('re-reads a file whose record is of another version (a crash between rename and record), keeping its id', async () => {
    // Before: filesize, etag and type of the older version were served, with the wrong Content-Type, until the next upload.
    const server = await startServer();
    try {
      const path = await signedPath('photo.bin');
      const first = await raw(server.port, 'PUT', path, { body: png(3, 2) });
      assert.equal(first.status, 201);
      assert.equal(first.json()['type'], 'image/png');
      const id = first.json<{ id: string }>().id;
      // What a process killed between the rename and the record write leaves: new bytes under the old record.
      const replacement = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
      await writeFile(join(server.dir, 'photo.bin'), replacement);
      const object = await raw(server.port, 'GET', `/files/${id}`, { headers: { Authorization: `Bearer ${KEY}` } });
      assert.equal(object.status, 200);
      assert.equal(object.json()['id'], id);
      assert.equal(object.json()['filesize'], replacement.length);
      assert.equal(object.json()['type'], 'application/pdf');
      assert.notEqual(object.json()['etag'], first.json()['etag']);
      const served = await raw(server.port, 'GET', '/photo.bin');
      assert.match(String(served.headers['content-type']), /^application\/pdf/);
      assert.equal(served.headers['etag'], object.json()['etag']);
    } finally {
      await server.close();
    }
  });

  it('answers 507 when the disk fills while the record is written, and publishes nothing', async () => {
    // Before: 500, and the new file was published with no File object (or the old one's).
    const server = await startServer();
    const original = fsp.writeFile;
    try {
      const path = await signedPath('full.txt');
      assert.equal((await raw(server.port, 'PUT', path, { body: 'version one' })).status, 201);
      fsp.writeFile = (async (file: Parameters<typeof original>[0], ...rest: unknown[]) => {
        if (String(file).includes(`${join('.itty-uploader', 'records')}`))
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return (original as (...args: unknown[]) => Promise<void>)(file, ...rest);
      }) as typeof fsp.writeFile;
      syncBuiltinESMExports();
      const res = await raw(server.port, 'PUT', path, { body: 'version two, longer' });
      assert.equal(res.status, 507, res.text);
      assert.equal(res.json()['kind'], 'insufficient_storage');
      fsp.writeFile = original;
      syncBuiltinESMExports();
      assert.equal(await readFile(join(server.dir, 'full.txt'), 'utf8'), 'version one');
      assert.equal((await raw(server.port, 'GET', '/full.txt')).text, 'version one');
      assert.deepEqual(await tempFiles(server.dir), []);
    } finally {
      fsp.writeFile = original;
      syncBuiltinESMExports();
      await server.close();
    }
  });
});

describe('Windows hazards in stored paths (issue 22)', () => {
  it('refuses reserved device names, trailing dots and spaces, and 8.3 aliases, whoever signed them', async () => {
    // Before: all of these were stored (on Windows: a device, a file with another name, or another folder).
    const server = await startServer();
    try {
      for (const wire of [
        'CON',
        'con',
        'aux.txt',
        'NUL.tar.gz',
        'COM1/x.txt',
        'lpt3.png',
        'a.',
        'a%20',
        'dir./x.txt',
        'UPLOAD~1',
        'PROGRA~1/x.txt',
      ]) {
        const res = await raw(server.port, 'PUT', await signedPath(wire), { body: 'x' });
        assert.equal(res.status, 400, `${wire}: ${res.status}`);
        const bearer = await raw(server.port, 'PUT', `/${wire}`, { body: 'x', headers: { Authorization: `Bearer ${KEY}` } });
        assert.equal(bearer.status, 400, `${wire} (Bearer): ${bearer.status}`);
      }
      assert.deepEqual(await storedFilesOf(server), []);
      // Names that only look alike are fine.
      for (const wire of ['console.log', 'con-tract.pdf', 'a~b.txt', 'a.b']) {
        assert.equal((await raw(server.port, 'PUT', await signedPath(wire), { body: 'x' })).status, 201, wire);
      }
    } finally {
      await server.close();
    }
  });

  it('the signing endpoint renames them instead, so every name a user picks can be uploaded', async () => {
    const server = await startServer();
    try {
      for (const filename of ['CON', 'aux.txt', 'UPLOAD~1.txt', 'report.', 'a b.pdf']) {
        const url = await signAt(server, filename);
        assert.equal((await raw(server.port, 'PUT', url, { body: 'x' })).status, 201, `${filename} → ${url}`);
      }
      // Two names that clean up to the same thing are two files, with two ids.
      const ids = new Set<string>();
      for (const filename of ['a b.pdf', 'a-b.pdf', 'a+b.pdf']) {
        const res = await raw(server.port, 'PUT', await signAt(server, filename), { body: filename });
        ids.add(res.json<{ id: string }>().id);
      }
      assert.equal(ids.size, 3);
    } finally {
      await server.close();
    }
  });
});

async function storedFilesOf(server: TestServer): Promise<string[]> {
  const { storedFiles } = await import('./helpers.js');
  return storedFiles(server.dir);
}

describe('case-insensitive file systems (issue 22)', () => {
  it('keep one record for names that differ only in case (one file there), and two where case matters', async () => {
    // Before: on macOS or Windows, Photo.txt and photo.txt were one file with two File objects, one of them stale.
    for (const caseInsensitive of [true, false]) {
      const server = await startServer({ caseInsensitive });
      try {
        const first = await raw(server.port, 'PUT', await signedPath('Photo.txt'), { body: 'one' });
        const second = await raw(server.port, 'PUT', await signedPath('photo.txt'), { body: 'two!' });
        assert.equal(first.status, 201);
        assert.equal(second.status, 201);
        const same = first.json()['id'] === second.json()['id'];
        assert.equal(same, caseInsensitive, `caseInsensitive ${caseInsensitive}`);
        if (caseInsensitive) {
          const object = await raw(server.port, 'GET', `/files/${first.json()['id']}`, { headers: { Authorization: `Bearer ${KEY}` } });
          assert.equal(object.json()['filename'], 'photo.txt');
        }
      } finally {
        await server.close();
      }
    }
  });
});

describe('origins, hosts and lifetimes (issue 22, low)', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ allowedHosts: ['localhost', '127.0.0.1'] })));
  after(() => server.close());

  it('never grants private-network access through the "*" default, only to origins listed by name', async () => {
    // Before: any page a developer visited could upload to the server on their laptop.
    const open = await raw(server.port, 'OPTIONS', '/a.txt', {
      headers: { Origin: 'https://any.example', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Private-Network': 'true' },
    });
    assert.equal(open.status, 204);
    assert.equal(open.headers['access-control-allow-private-network'], undefined);
    const listed = await startServer({ allowedOrigins: ['https://app.example', 'http://localhost:*'] });
    try {
      for (const origin of ['https://app.example', 'http://localhost:5173']) {
        const res = await raw(listed.port, 'OPTIONS', '/a.txt', {
          headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Private-Network': 'true' },
        });
        assert.equal(res.headers['access-control-allow-private-network'], 'true', origin);
      }
      const other = await raw(listed.port, 'OPTIONS', '/a.txt', {
        headers: { Origin: 'http://localhost.evil.example:5173', 'Access-Control-Request-Method': 'PUT' },
      });
      assert.equal(other.status, 403);
    } finally {
      await listed.close();
    }
  });

  it('answers 403 host_not_allowed to a Host not on allowedHosts (DNS rebinding), port ignored', async () => {
    const sign = (host: string) =>
      raw(server.port, 'POST', '/upload-url', {
        body: '{"filename":"a.txt"}',
        headers: { Host: host, 'Content-Type': 'application/json' },
      });
    assert.equal((await sign('attacker.example')).status, 403);
    assert.equal((await sign('attacker.example')).json()['kind'], 'host_not_allowed');
    assert.equal((await sign('LOCALHOST:9999')).status, 200);
    assert.equal((await raw(server.port, 'PUT', await signedPath('h.txt'), { body: 'x', headers: { Host: 'evil.example' } })).status, 403);
  });

  it('caps the lifetime /signatures signs for at 7 days', async () => {
    // Before: a GET URL valid until the year 5138 was signed on request.
    const now = Math.floor(Date.now() / 1000);
    const ask = (expiry: number) =>
      raw(server.port, 'POST', '/signatures', {
        body: JSON.stringify({ filename: 'a.txt', expiry }),
        headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      });
    assert.equal((await ask(now + 7 * 86_400 - 5)).status, 200);
    const long = await ask(now + 8 * 86_400);
    assert.equal(long.status, 400);
    assert.match(long.json<{ message: string }>().message, /7 days/);
  });

  it('remembers the expiries it handed out for a bounded number of paths', async () => {
    const local = await startServer({ now: () => 1_800_000_000_000 });
    try {
      const expiries = [];
      for (let i = 0; i < 3; i++) {
        const res = await raw(local.port, 'POST', '/upload-url', {
          body: '{"filename":"same.txt"}',
          headers: { 'Content-Type': 'application/json' },
        });
        expiries.push(res.json<{ expiry: number }>().expiry);
      }
      assert.deepEqual(expiries, [1_800_003_600, 1_800_003_601, 1_800_003_602]);
    } finally {
      await local.close();
    }
    const { IssuedExpiries } = await import('../../src/server/sign-handlers.js');
    const issued = new IssuedExpiries(100);
    for (let i = 0; i < 10_000; i++) issued.next(`path-${i}`, 1000);
    assert.ok(issued.size <= 100, String(issued.size));
    assert.equal(issued.next('path-9999', 1000), 1001);
  });
});
