import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bytes, eventually, journals, KEY, raw, sha256, shuffle, signedPath, startServer, tempFiles, type TestServer } from './helpers.js';

const CHUNK = 16 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function chunkRanges(total: number, size = CHUNK): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < total; start += size) ranges.push([start, Math.min(start + size, total) - 1]);
  return ranges;
}

function putChunk(server: TestServer, path: string, source: Buffer, [start, end]: [number, number], form = 'bytes ') {
  return raw(server.port, 'PUT', path, {
    body: source.subarray(start, end + 1),
    headers: { 'Content-Range': `${form}${start}-${end}/${source.length}`, 'Content-Type': 'application/octet-stream' },
  });
}

describe('PUT with Content-Range (resumable chunks)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ maxSize: 1024 * 1024 });
  });
  after(() => server.close());

  it('assembles chunks sent in random order, with a retry and an overlap; only the completing one gets 201', async () => {
    const source = bytes(200 * 1024 + 123, 11);
    const path = await signedPath('chunks/random.bin');
    const ranges = shuffle(chunkRanges(source.length));
    const sequence: Array<[number, number]> = [
      ...ranges.slice(0, 3),
      ranges[1]!,
      [ranges[0]![0] + 100, Math.min(ranges[0]![1] + 50, source.length - 1)],
      ...ranges.slice(3),
    ];
    const statuses: number[] = [];
    let file: Record<string, unknown> | undefined;
    for (const range of sequence) {
      const res = await putChunk(server, path, source, range, statuses.length % 2 ? 'bytes=' : 'bytes ');
      statuses.push(res.status);
      if (res.status === 201) file = res.json();
      else assert.equal(res.body.length, 0);
    }
    assert.deepEqual(statuses, [...new Array<number>(sequence.length - 1).fill(202), 201]);
    assert.equal(file?.['filesize'], source.length);
    assert.equal(file?.['url'], `${server.url}/chunks/random.bin`);
    assert.equal(sha256(await readFile(join(server.dir, 'chunks/random.bin'))), sha256(source));
    assert.deepEqual(await tempFiles(server.dir), []);
  });

  it('answers 202 to the final-position chunk while gaps remain', async () => {
    const source = bytes(3 * CHUNK, 5);
    const path = await signedPath('chunks/last-first.bin');
    const [first, second, third] = chunkRanges(source.length);
    assert.equal((await putChunk(server, path, source, third!)).status, 202);
    assert.equal((await putChunk(server, path, source, first!)).status, 202);
    assert.equal((await putChunk(server, path, source, second!)).status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'chunks/last-first.bin'))), sha256(source));
  });

  it('completes exactly once when every chunk is sent at the same time', async () => {
    const source = bytes(10 * CHUNK + 7, 9);
    const path = await signedPath('chunks/parallel.bin');
    const responses = await Promise.all(chunkRanges(source.length).map((range) => putChunk(server, path, source, range)));
    const statuses = responses.map((res) => res.status).sort();
    assert.deepEqual(statuses, [201, ...new Array<number>(10).fill(202)]);
    assert.equal(sha256(await readFile(join(server.dir, 'chunks/parallel.bin'))), sha256(source));
    assert.deepEqual(await tempFiles(server.dir), []);
  });

  it('refuses malformed, inconsistent and out-of-bounds ranges with 400', async () => {
    const path = await signedPath('chunks/bad.bin');
    const cases: Array<[string, string | Buffer]> = [
      ['bytes 0-9', Buffer.alloc(10)],
      ['bytes 5-2/10', Buffer.alloc(4)],
      ['bytes 0-10/10', Buffer.alloc(11)],
      ['bytes */10', Buffer.alloc(3)], // a status probe has an empty body
      ['bytes */0', Buffer.alloc(0)],
      ['bytes -1-3/10', Buffer.alloc(5)],
      ['items 0-3/10', Buffer.alloc(4)],
      ['bytes 0-9/10', Buffer.alloc(5)],
      ['bytes 0-1/0', Buffer.alloc(2)],
    ];
    for (const [range, body] of cases) {
      const res = await raw(server.port, 'PUT', path, { body, headers: { 'Content-Range': range } });
      assert.equal(res.status, 400, range);
      assert.equal(res.json()['kind'], 'request_invalid', range);
    }
    assert.deepEqual(await tempFiles(server.dir), []);
  });

  it('refuses a streamed chunk whose body is longer or shorter than its range', async () => {
    const path = await signedPath('chunks/length.bin');
    const send = (body: Buffer) =>
      new Promise<number>((resolve, reject) => {
        const req = request({
          host: '127.0.0.1',
          port: server.port,
          method: 'PUT',
          path,
          agent: false,
          headers: { 'Content-Range': 'bytes 0-9/20' },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', (error: NodeJS.ErrnoException) =>
          error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
        );
        req.end(body); // no Content-Length: chunked transfer coding
      });
    assert.equal(await send(Buffer.alloc(15)), 400);
    assert.equal(await send(Buffer.alloc(5)), 400);
    // Neither attempt counted: the real chunks still make the whole file.
    const source = bytes(20, 4);
    assert.equal((await putChunk(server, path, source, [0, 9])).status, 202);
    assert.equal((await putChunk(server, path, source, [10, 19])).status, 201);
  });

  it('answers 413 when the total is over maxSize', async () => {
    const res = await raw(server.port, 'PUT', await signedPath('chunks/huge.bin'), {
      body: Buffer.alloc(10),
      headers: { 'Content-Range': `bytes 0-9/${2 * 1024 * 1024}` },
    });
    assert.equal(res.status, 413);
    assert.equal(res.json()['kind'], 'file_too_large');
  });

  it('answers a retried completing chunk (its 201 was lost) with the same File, opening no session', async () => {
    // protocol.md §5.3: a chunk retry resends the same byte range to the same URL; the client takes 202 to its last chunk as a failure.
    const source = bytes(20, 12);
    const path = await signedPath('chunks/retried-last.bin');
    assert.equal((await putChunk(server, path, source, [0, 9])).status, 202);
    const first = await putChunk(server, path, source, [10, 19]);
    assert.equal(first.status, 201);
    const retry = await putChunk(server, path, source, [10, 19]);
    assert.equal(retry.status, 201, `retry of the completing chunk got ${retry.status}`);
    assert.equal(retry.json()['id'], first.json()['id']);
    assert.deepEqual(await tempFiles(server.dir), [], 'the retry left a chunk-session file behind');
  });

  it('answers an offset past what the disk can hold with 413 (or takes it), never 500 internal_error', async () => {
    // No maxSize (the default, and the CLI's): on ext4 the write at offset ~1e15 fails with EFBIG.
    const errors: unknown[] = [];
    const local = await startServer({ onError: (error) => errors.push(error) });
    try {
      const res = await raw(local.port, 'PUT', await signedPath('huge.bin'), {
        body: 'x',
        headers: { 'Content-Range': 'bytes 999999999999998-999999999999998/999999999999999' },
      });
      // 202 when the file system takes the sparse write; otherwise 413 and the session is gone.
      assert.ok(res.status === 202 || res.status === 413, `status ${res.status}: ${res.text}`);
      if (res.status === 413) {
        assert.equal(res.json()['kind'], 'file_too_large');
        assert.deepEqual(await tempFiles(local.dir), []);
      }
      assert.deepEqual(errors.map(String), []);
    } finally {
      await local.close();
    }
  });

  it('keeps uploads of different totals to one path apart when they come through different URLs', async () => {
    const expiry = Math.floor(Date.now() / 1000) + 600;
    const pathSmall = await signedPath('chunks/two-sizes.bin', { expiry });
    const pathLarge = await signedPath('chunks/two-sizes.bin', { expiry: expiry + 1 });
    const small = bytes(20, 1);
    const large = bytes(30, 2);
    assert.equal((await putChunk(server, pathLarge, large, [0, 9])).status, 202);
    assert.equal((await putChunk(server, pathSmall, small, [0, 9])).status, 202);
    assert.equal((await putChunk(server, pathSmall, small, [10, 19])).status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'chunks/two-sizes.bin'))), sha256(small));
    assert.equal((await putChunk(server, pathLarge, large, [10, 29])).status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'chunks/two-sizes.bin'))), sha256(large));
  });
});

describe('chunk sessions', () => {
  it('expire after the TTL and take their session file with them', async () => {
    let clock = Date.now();
    const server = await startServer({ sessionTtl: 60_000, now: () => clock });
    try {
      const expiry = Math.floor(clock / 1000) + 3600;
      const path = await signedPath('ttl.bin', { expiry });
      const source = bytes(20, 8);
      assert.equal((await putChunk(server, path, source, [0, 9])).status, 202);
      assert.equal((await tempFiles(server.dir)).length, 1);
      clock += 61_000;
      // Any upload sweeps idle sessions first: the lone chunk is gone, so the second one cannot complete the file.
      assert.equal((await putChunk(server, path, source, [10, 19])).status, 202);
      assert.equal((await tempFiles(server.dir)).length, 1);
      assert.equal((await putChunk(server, path, source, [0, 9])).status, 201);
      assert.deepEqual(await tempFiles(server.dir), []);
    } finally {
      await server.close();
    }
  });

  it('are limited in number: past maxSessions a new one gets 429 with Retry-After', async () => {
    const server = await startServer({ maxSessions: 1 });
    try {
      const source = bytes(20, 8);
      assert.equal((await putChunk(server, await signedPath('one.bin'), source, [0, 9])).status, 202);
      const refused = await putChunk(server, await signedPath('two.bin'), source, [0, 9]);
      assert.equal(refused.status, 429);
      assert.equal(refused.json()['kind'], 'rate_limited');
      assert.equal(refused.headers['retry-after'], '30');
    } finally {
      await server.close();
    }
  });

  it('are kept by close() for the next server on the folder, and removed by close({ keepSessions: false })', async () => {
    const server = await startServer();
    const source = bytes(20, 8);
    const path = await signedPath('open.bin');
    assert.equal((await putChunk(server, path, source, [0, 9])).status, 202);
    assert.equal((await tempFiles(server.dir)).length, 1);
    await server.handler.close();
    assert.equal((await tempFiles(server.dir)).length, 1, 'the acknowledged chunk stays on disk');
    const next = await startServer({ dir: server.dir });
    try {
      assert.equal((await putChunk(next, path, source, [10, 19])).status, 201);
      assert.equal(sha256(await readFile(join(server.dir, 'open.bin'))), sha256(source));
      assert.equal((await putChunk(next, await signedPath('dropped.bin'), source, [0, 9])).status, 202);
      await next.handler.close({ keepSessions: false });
      assert.deepEqual(await tempFiles(server.dir), []);
      assert.deepEqual(await journals(server.dir), []);
    } finally {
      await next.close();
      await server.close();
    }
  });

  it('never answer 202 to a chunk in flight when close() throws its session away', async () => {
    // Before: the chunk was "accepted" (202) and its bytes deleted; a client that trusts its 202s never sends it again.
    const server = await startServer();
    try {
      const source = bytes(20, 9);
      const path = await signedPath('closing.bin');
      const answer = new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'PUT',
            path,
            agent: false,
            headers: { 'Content-Range': 'bytes 0-9/20', 'Content-Length': '10' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
          },
        );
        req.on('error', reject);
        req.write(source.subarray(0, 5));
        (async () => {
          while ((await tempFiles(server.dir)).length === 0) await sleep(5);
          await sleep(50);
          await server.handler.close();
          req.end(source.subarray(5, 10));
        })().catch(reject);
      });
      const { status, headers } = await answer;
      assert.equal(status, 503);
      assert.ok(headers['retry-after'], 'says when to send the chunk again');
    } finally {
      await server.close();
    }
  });

  it('sweep away temp and session files a restarted process left, once the TTL has passed', async () => {
    const sandbox = await mkdtemp(join(tmpdir(), 'itty-leftovers-'));
    const dir = join(sandbox, 'uploads');
    await mkdir(join(dir, '.itty-uploader', 'chunks'), { recursive: true });
    await mkdir(join(dir, '.itty-uploader', 'tmp'), { recursive: true });
    // What a dev server restarted mid-upload leaves behind: files younger than the TTL, so startup keeps them.
    await writeFile(join(dir, '.itty-uploader', 'chunks', 'orphan.part'), Buffer.alloc(4096));
    await writeFile(join(dir, '.itty-uploader', 'tmp', 'orphan.part'), Buffer.alloc(4096));
    const server = await startServer({ dir, sessionTtl: 200 });
    try {
      const path = await signedPath('a.txt');
      assert.equal((await raw(server.port, 'PUT', path, { body: 'one' })).status, 201);
      assert.equal((await tempFiles(dir)).length, 2);
      await sleep(600);
      // Activity well after the TTL: sweeps run on every PUT and on a timer.
      assert.equal((await raw(server.port, 'PUT', path, { body: 'two' })).status, 201);
      await eventually(async () => (await tempFiles(dir)).length === 0, 5000).catch(async () =>
        assert.deepEqual(await tempFiles(dir), [], 'orphaned session/temp files are never removed while this process runs'),
      );
    } finally {
      await server.close();
      await rm(sandbox, { recursive: true, force: true });
    }
  });

  it('never sweep the temp file of a single PUT whose client paused mid-body for longer than the TTL', async () => {
    // Before: another upload's sweep removed the idle temp file, and the paused upload ended in 500 internal_error.
    const errors: unknown[] = [];
    const server = await startServer({ sessionTtl: 200, onError: (error) => errors.push(error) });
    try {
      const path = await signedPath('paused.txt');
      const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: server.port, method: 'PUT', path, headers: { 'Content-Length': '10' }, agent: false },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.write('hello');
        sleep(700)
          .then(() => raw(server.port, 'PUT', '/other.txt', { body: 'x', headers: { Authorization: `Bearer ${KEY}` } }))
          .then((other) => {
            assert.equal(other.status, 201);
            req.end('world');
          }, reject);
      });
      const { status, text } = await answer;
      assert.equal(status, 201, text);
      assert.equal(await readFile(join(server.dir, 'paused.txt'), 'utf8'), 'helloworld');
      assert.deepEqual(errors, []);
    } finally {
      await server.close();
    }
  });

  it('never sweep the file of a live session, however old its file looks', async () => {
    let clock = Date.now();
    const server = await startServer({ sessionTtl: 120_000, now: () => clock });
    try {
      const path = await signedPath('live.bin', { expiry: Math.floor(clock / 1000) + 3600 });
      const source = bytes(20, 3);
      assert.equal((await putChunk(server, path, source, [0, 9])).status, 202);
      const [file] = await tempFiles(server.dir);
      const dayAgo = new Date(Date.now() - 86_400_000);
      await utimes(join(server.dir, file!), dayAgo, dayAgo);
      clock += 61_000; // past the file-sweep interval (one minute), within the session's TTL
      assert.equal(
        (await raw(server.port, 'PUT', await signedPath('other.txt', { expiry: Math.floor(clock / 1000) + 3600 }), { body: 'x' })).status,
        201,
      );
      assert.deepEqual(await tempFiles(server.dir), [file]);
      assert.equal((await putChunk(server, path, source, [10, 19])).status, 201);
    } finally {
      await server.close();
    }
  });
});
