import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bytes, raw, sha256, shuffle, signedPath, startServer, tempFiles, type TestServer } from './helpers.js';

const CHUNK = 16 * 1024;

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
      ['bytes */10', Buffer.alloc(0)],
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
        const req = request({ host: '127.0.0.1', port: server.port, method: 'PUT', path, agent: false, headers: { 'Content-Range': 'bytes 0-9/20' } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
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

  it('keeps uploads of different totals to one path apart', async () => {
    const path = await signedPath('chunks/two-sizes.bin');
    const small = bytes(20, 1);
    const large = bytes(30, 2);
    assert.equal((await putChunk(server, path, large, [0, 9])).status, 202);
    assert.equal((await putChunk(server, path, small, [0, 9])).status, 202);
    assert.equal((await putChunk(server, path, small, [10, 19])).status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'chunks/two-sizes.bin'))), sha256(small));
    assert.equal((await putChunk(server, path, large, [10, 29])).status, 201);
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

  it('are removed by close()', async () => {
    const server = await startServer();
    const source = bytes(20, 8);
    assert.equal((await putChunk(server, await signedPath('open.bin'), source, [0, 9])).status, 202);
    assert.equal((await tempFiles(server.dir)).length, 1);
    await server.handler.close();
    assert.deepEqual(await tempFiles(server.dir), []);
    await server.close();
  });
});
