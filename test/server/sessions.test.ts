// Issue 18 (server part): chunk sessions on disk survive a restart and a SIGKILL; a re-signed URL continues the
// upload of its expired predecessor; the status probe tells a client what the server holds.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  bytes,
  eventually,
  journals,
  KEY,
  listFiles,
  raw,
  sha256,
  signedPath,
  startServer,
  tempFiles,
  type TestServer,
} from './helpers.js';

const CHUNK = 64 * 1024;

function ranges(total: number, size = CHUNK): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (let start = 0; start < total; start += size) result.push([start, Math.min(start + size, total) - 1]);
  return result;
}

function putChunk(port: number, path: string, source: Buffer, [start, end]: [number, number]) {
  return raw(port, 'PUT', path, {
    body: source.subarray(start, end + 1),
    headers: { 'Content-Range': `bytes ${start}-${end}/${source.length}`, 'Content-Type': 'application/octet-stream' },
  });
}

function probe(port: number, path: string, total: number, headers: Record<string, string> = {}) {
  return raw(port, 'PUT', path, { headers: { 'Content-Range': `bytes */${total}`, 'Content-Length': '0', ...headers } });
}

const CHILD = fileURLToPath(new URL('./session-child.ts', import.meta.url));

/** The upload server in its own process, on `dir`. */
async function startChild(dir: string): Promise<{ port: number; child: ChildProcess; exited: Promise<NodeJS.Signals | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, DIR: dir, KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`server process exited (${code}) before listening`)));
  });
  return { port, child, exited };
}

describe('chunk sessions survive the server process (SIGKILL and restart)', () => {
  let sandbox: string;
  const children: ChildProcess[] = [];
  before(async () => (sandbox = await mkdtemp(join(tmpdir(), 'itty-sessions-'))));
  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(sandbox, { recursive: true, force: true });
  });

  it('an upload whose server was killed after 2 of 4 chunks completes after a restart with the missing chunks and a retried one', async () => {
    const dir = join(sandbox, 'killed');
    const source = bytes(4 * CHUNK, 181);
    const parts = ranges(source.length);
    const url = await signedPath('videos/big.bin');
    const first = await startChild(dir);
    children.push(first.child);
    assert.equal((await putChunk(first.port, url, source, parts[0]!)).status, 202);
    assert.equal((await putChunk(first.port, url, source, parts[1]!)).status, 202);
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');

    const second = await startChild(dir);
    children.push(second.child);
    // Nothing half-written is served, before or after the restart.
    assert.equal((await raw(second.port, 'GET', '/videos/big.bin')).status, 404);
    // What the client would learn by probing: the two acknowledged chunks.
    const held = await probe(second.port, url, source.length);
    assert.equal(held.status, 308);
    assert.equal(held.headers['range'], `bytes=0-${2 * CHUNK - 1}`);
    // The client's ordinary retries: chunk 1 again (its 202 might have been lost), then the rest.
    assert.equal((await putChunk(second.port, url, source, parts[1]!)).status, 202);
    assert.equal((await putChunk(second.port, url, source, parts[2]!)).status, 202);
    assert.equal((await raw(second.port, 'GET', '/videos/big.bin')).status, 404);
    const done = await putChunk(second.port, url, source, parts[3]!);
    assert.equal(done.status, 201, done.text);
    assert.equal(done.json()['filesize'], source.length);
    assert.equal(sha256(await readFile(join(dir, 'videos/big.bin'))), sha256(source));
    const served = await raw(second.port, 'GET', '/videos/big.bin');
    assert.equal(served.status, 200);
    assert.equal(sha256(served.body), sha256(source));
    await eventually(async () => (await tempFiles(dir)).length === 0 && (await journals(dir)).length === 0);
    second.child.kill('SIGKILL');
    await second.exited;
  });

  it('a chunk in flight when the server is killed is not taken: the restarted server asks for it again and the file is whole', async () => {
    const dir = join(sandbox, 'mid-chunk');
    const source = bytes(4 * CHUNK, 182);
    const parts = ranges(source.length);
    const url = await signedPath('mid.bin');
    const first = await startChild(dir);
    children.push(first.child);
    assert.equal((await putChunk(first.port, url, source, parts[0]!)).status, 202);
    // Half of chunk 2 reaches the session file, then the process dies.
    const [start, end] = parts[2]!;
    const req = request({
      host: '127.0.0.1',
      port: first.port,
      method: 'PUT',
      path: url,
      agent: false,
      headers: { 'Content-Range': `bytes ${start}-${end}/${source.length}`, 'Content-Length': String(end - start + 1) },
    });
    const gone = new Promise<void>((resolve) => {
      req.on('error', () => resolve());
      req.on('response', () => resolve());
    });
    req.write(source.subarray(start, start + CHUNK / 2));
    await eventually(async () => {
      const [file] = (await listFiles(join(dir, '.itty-uploader', 'chunks'))).filter((name) => name.endsWith('.part'));
      return file !== undefined && (await stat(join(dir, '.itty-uploader', 'chunks', file))).size > start;
    });
    first.child.kill('SIGKILL');
    await first.exited;
    await gone;

    const second = await startChild(dir);
    children.push(second.child);
    const held = await probe(second.port, url, source.length);
    assert.equal(held.status, 308);
    assert.equal(held.headers['range'], `bytes=0-${CHUNK - 1}`, 'the half chunk was never acknowledged, so it is not held');
    for (const part of [parts[1]!, parts[2]!]) assert.equal((await putChunk(second.port, url, source, part)).status, 202);
    assert.equal((await raw(second.port, 'GET', '/mid.bin')).status, 404);
    assert.equal((await putChunk(second.port, url, source, parts[3]!)).status, 201);
    assert.equal(sha256(await readFile(join(dir, 'mid.bin'))), sha256(source));
    second.child.kill('SIGKILL');
    await second.exited;
  });
});

describe('the start-up sweep after a crash', () => {
  it('continues live sessions; removes expired sessions, journals without data, lone data files and half-written record files', async () => {
    const sandbox = await mkdtemp(join(tmpdir(), 'itty-sweep-'));
    const dir = join(sandbox, 'uploads');
    const internal = join(dir, '.itty-uploader');
    const clock = Date.now();
    const ttl = 10 * 60_000;
    try {
      // A first server leaves a live session (a chunk acknowledged) behind.
      const source = bytes(2 * CHUNK, 191);
      const url = await signedPath('live.bin', { expiry: Math.floor(clock / 1000) + 3600 });
      const first = await startServer({ dir, sessionTtl: ttl, now: () => clock });
      assert.equal((await putChunk(first.port, url, source, [0, CHUNK - 1])).status, 202);
      await first.handler.close();
      // ...and, as if killed, a session whose last chunk is older than the TTL, a journal whose data file is gone,
      // a data file no journal names, and the temp files of interrupted record and journal writes.
      const header = (t: number) => `${JSON.stringify({ v: 1, path: 'stale.bin', owner: 'bearer', expiry: null, total: 10, t })}\n`;
      await writeFile(join(internal, 'sessions', 'stale.jsonl'), `${header(clock - ttl - 1000)}{"r":[0,4],"t":${clock - ttl - 1000}}\n`);
      await writeFile(join(internal, 'chunks', 'stale.part'), Buffer.alloc(10));
      await writeFile(join(internal, 'sessions', 'no-data.jsonl'), header(clock));
      await writeFile(join(internal, 'sessions', 'garbage.jsonl'), 'not json\n');
      await writeFile(join(internal, 'chunks', 'garbage.part'), Buffer.alloc(3));
      // A data file no journal names, older than the TTL (a crash between creating the two files).
      await writeFile(join(internal, 'chunks', 'lone.part'), Buffer.alloc(3));
      const hourAgo = new Date(clock - 60 * 60_000);
      await utimes(join(internal, 'chunks', 'lone.part'), hourAgo, hourAgo);
      await writeFile(join(internal, 'sessions', 'x.jsonl.123.tmp'), 'half');
      await writeFile(join(internal, 'records', 'abc.json.456.tmp'), 'half');
      await writeFile(join(internal, 'ids', 'file_aaaaaaaaaaaa.789.tmp'), 'half');
      // A torn last line (the process died mid-append): never acknowledged, ignored.
      const [live] = (await readdir(join(internal, 'sessions'))).filter((name) => name.length > 30);
      await writeFile(join(internal, 'sessions', live!), `${await readFile(join(internal, 'sessions', live!), 'utf8')}{"r":[${CHUNK},`, {
        flag: 'w',
      });

      const second = await startServer({ dir, sessionTtl: ttl, now: () => clock });
      try {
        const held = await probe(second.port, url, source.length);
        assert.equal(held.status, 308);
        assert.equal(held.headers['range'], `bytes=0-${CHUNK - 1}`);
        const left = (await listFiles(internal)).filter((file) => !file.startsWith('records/') && !file.startsWith('ids/'));
        assert.deepEqual(left.sort(), [`chunks/${live!.replace('.jsonl', '.part')}`, `sessions/${live!}`].sort());
        assert.deepEqual(
          (await listFiles(internal)).filter((file) => file.endsWith('.tmp')),
          [],
        );
        assert.equal((await putChunk(second.port, url, source, [CHUNK, 2 * CHUNK - 1])).status, 201);
        assert.equal(sha256(await readFile(join(dir, 'live.bin'))), sha256(source));
        assert.deepEqual(await journals(dir), []);
      } finally {
        await second.close();
      }
      await first.close();
    } finally {
      await rm(sandbox, { recursive: true, force: true });
    }
  });

  it('a session left by a stopped server expires after sessionTtl on the next start', async () => {
    const sandbox = await mkdtemp(join(tmpdir(), 'itty-sweep-'));
    const dir = join(sandbox, 'uploads');
    let clock = Date.now();
    try {
      const source = bytes(2 * CHUNK, 192);
      const url = await signedPath('later.bin', { expiry: Math.floor(clock / 1000) + 7200 });
      const first = await startServer({ dir, sessionTtl: 60_000, now: () => clock });
      assert.equal((await putChunk(first.port, url, source, [0, CHUNK - 1])).status, 202);
      await first.handler.close();
      clock += 61_000;
      const second = await startServer({ dir, sessionTtl: 60_000, now: () => clock });
      try {
        const held = await probe(second.port, url, source.length);
        assert.equal(held.status, 308);
        assert.equal(held.headers['range'], undefined, 'nothing held');
        assert.deepEqual(await tempFiles(dir), []);
        assert.deepEqual(await journals(dir), []);
      } finally {
        await second.close();
      }
      await first.close();
    } finally {
      await rm(sandbox, { recursive: true, force: true });
    }
  });
});

describe('a re-signed URL continues the upload (SPEC §3.6, protocol.md §5.3)', () => {
  let server: TestServer;
  let clock = Date.now();
  before(async () => (server = await startServer({ now: () => clock })));
  after(() => server.close());
  const seconds = () => Math.floor(clock / 1000);

  it('after the first URL expired mid-upload, a new URL for the same path sends only the missing chunks', async () => {
    const source = bytes(4 * CHUNK, 201);
    const parts = ranges(source.length);
    const u1 = await signedPath('renew.bin', { expiry: seconds() + 10 });
    assert.equal((await putChunk(server.port, u1, source, parts[0]!)).status, 202);
    assert.equal((await putChunk(server.port, u1, source, parts[1]!)).status, 202);
    clock += 20_000;
    const expired = await putChunk(server.port, u1, source, parts[2]!);
    assert.equal(expired.status, 403);
    assert.equal(expired.json()['kind'], 'signature_expired');
    const u2 = await signedPath('renew.bin', { expiry: seconds() + 600 });
    assert.equal((await putChunk(server.port, u2, source, parts[2]!)).status, 202);
    const done = await putChunk(server.port, u2, source, parts[3]!);
    assert.equal(done.status, 201, done.text);
    assert.equal(sha256(await readFile(join(server.dir, 'renew.bin'))), sha256(source));
    assert.deepEqual(await tempFiles(server.dir), []);
  });

  it('a second URL while the first is valid gets a session of its own: it can neither see nor add to the first', async () => {
    const a = bytes(4 * CHUNK, 211);
    const b = bytes(4 * CHUNK, 212);
    const parts = ranges(a.length);
    const u1 = await signedPath('two-live.bin', { expiry: seconds() + 60 });
    const u2 = await signedPath('two-live.bin', { expiry: seconds() + 600 });
    assert.equal((await putChunk(server.port, u1, a, parts[0]!)).status, 202);
    assert.equal((await putChunk(server.port, u1, a, parts[1]!)).status, 202);
    assert.equal((await probe(server.port, u2, a.length)).headers['range'], undefined);
    // B's last two chunks would complete A's session if they were added to it: they are not.
    assert.equal((await putChunk(server.port, u2, b, parts[2]!)).status, 202);
    assert.equal((await putChunk(server.port, u2, b, parts[3]!)).status, 202);
    assert.equal((await raw(server.port, 'GET', '/two-live.bin')).status, 404);
    assert.equal((await probe(server.port, u1, a.length)).headers['range'], `bytes=0-${2 * CHUNK - 1}`);
    assert.equal((await probe(server.port, u2, a.length)).headers['range'], `bytes=${2 * CHUNK}-${4 * CHUNK - 1}`);
    // Once u1 expires, u2 already has a session: it keeps its own and never takes u1's bytes.
    clock += 61_000;
    assert.equal((await putChunk(server.port, u2, b, parts[0]!)).status, 202);
    assert.equal((await putChunk(server.port, u2, b, parts[1]!)).status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'two-live.bin'))), sha256(b));
  });

  it('an adopted session belongs to the new URL: a third URL gets nothing of it while the second is valid', async () => {
    const source = bytes(3 * CHUNK, 221);
    const parts = ranges(source.length);
    const u1 = await signedPath('third.bin', { expiry: seconds() + 10 });
    assert.equal((await putChunk(server.port, u1, source, parts[0]!)).status, 202);
    clock += 20_000;
    const u2 = await signedPath('third.bin', { expiry: seconds() + 600 });
    assert.equal((await probe(server.port, u2, source.length)).headers['range'], `bytes=0-${CHUNK - 1}`, "u2 adopted u1's session");
    const u3 = await signedPath('third.bin', { expiry: seconds() + 900 });
    assert.equal((await probe(server.port, u3, source.length)).headers['range'], undefined, 'u2 is valid: u3 gets its own');
    // u3 cannot complete the file with what u2 holds.
    assert.equal((await putChunk(server.port, u3, source, parts[1]!)).status, 202);
    assert.equal((await putChunk(server.port, u3, source, parts[2]!)).status, 202);
    assert.equal((await raw(server.port, 'GET', '/third.bin')).status, 404);
    assert.equal((await putChunk(server.port, u2, source, parts[1]!)).status, 202);
    assert.equal((await putChunk(server.port, u2, source, parts[2]!)).status, 201);
  });

  it('an adopting URL that sends other bytes for what the first URL sent gets 409, never a mixed file', async () => {
    const a = bytes(2 * CHUNK, 231);
    const b = bytes(2 * CHUNK, 232);
    const u1 = await signedPath('mixed.bin', { expiry: seconds() + 10 });
    assert.equal((await putChunk(server.port, u1, a, [0, CHUNK - 1])).status, 202);
    clock += 20_000;
    const u2 = await signedPath('mixed.bin', { expiry: seconds() + 600 });
    const res = await putChunk(server.port, u2, b, [0, CHUNK - 1]);
    assert.equal(res.status, 409);
    assert.equal(res.json()['kind'], 'upload_conflict');
    assert.equal((await raw(server.port, 'GET', '/mixed.bin')).status, 404);
  });

  it('the adoption is kept across a restart', async () => {
    const source = bytes(3 * CHUNK, 241);
    const parts = ranges(source.length);
    const u1 = await signedPath('renew-restart.bin', { expiry: seconds() + 10 });
    assert.equal((await putChunk(server.port, u1, source, parts[0]!)).status, 202);
    clock += 20_000;
    const u2 = await signedPath('renew-restart.bin', { expiry: seconds() + 600 });
    assert.equal((await putChunk(server.port, u2, source, parts[1]!)).status, 202);
    await server.handler.close();
    const next = await startServer({ dir: server.dir, now: () => clock });
    try {
      assert.equal((await probe(next.port, u2, source.length)).headers['range'], `bytes=0-${2 * CHUNK - 1}`);
      assert.equal((await putChunk(next.port, u2, source, parts[2]!)).status, 201);
      assert.equal(sha256(await readFile(join(server.dir, 'renew-restart.bin'))), sha256(source));
    } finally {
      await next.close();
    }
  });
});

describe('the status probe (an itty-uploader server extension)', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it('answers 308 with the received ranges, 201 with the File object once complete, 400 with a body', async () => {
    const source = bytes(3 * CHUNK, 251);
    const parts = ranges(source.length);
    const url = await signedPath('probed.bin');
    const empty = await probe(server.port, url, source.length, { Origin: 'http://localhost:5173' });
    assert.equal(empty.status, 308);
    assert.equal(empty.headers['range'], undefined);
    assert.equal(empty.headers['location'], undefined, 'no Location: browsers hand a 308 without one to the page');
    assert.match(String(empty.headers['access-control-expose-headers']), /\bRange\b/);
    assert.equal(server.handler.stats().sessions, 0, 'a probe opens no session');
    assert.equal((await putChunk(server.port, url, source, parts[0]!)).status, 202);
    assert.equal((await putChunk(server.port, url, source, parts[2]!)).status, 202);
    assert.equal((await probe(server.port, url, source.length)).headers['range'], `bytes=0-${CHUNK - 1},${2 * CHUNK}-${3 * CHUNK - 1}`);
    // Another total is another upload.
    assert.equal((await probe(server.port, url, source.length + 1)).headers['range'], undefined);
    const done = await putChunk(server.port, url, source, parts[1]!);
    assert.equal(done.status, 201);
    const after = await probe(server.port, url, source.length);
    assert.equal(after.status, 201);
    assert.equal(after.json()['id'], done.json()['id']);
    assert.equal(after.json()['etag'], done.json()['etag']);
    const withBody = await raw(server.port, 'PUT', url, { body: 'abc', headers: { 'Content-Range': `bytes */${source.length}` } });
    assert.equal(withBody.status, 400);
    const unsigned = await raw(server.port, 'PUT', '/probed.bin', { headers: { 'Content-Range': 'bytes */10', 'Content-Length': '0' } });
    assert.equal(unsigned.status, 401);
  });

  it('a 202 is only sent once its range is in the journal on disk', async () => {
    const source = bytes(2 * CHUNK, 252);
    const url = await signedPath('journaled.bin');
    assert.equal((await putChunk(server.port, url, source, [CHUNK, 2 * CHUNK - 1])).status, 202);
    const [journal] = await journals(server.dir);
    const lines = (await readFile(join(server.dir, journal!), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(lines.at(-1)!['r'], [CHUNK, 2 * CHUNK - 1]);
    assert.equal(lines[0]!['path'], 'journaled.bin');
    assert.doesNotMatch(
      lines[0]!['owner'] as string,
      new RegExp(new URL(url, 'http://x').searchParams.get('signature')!),
      'the signature itself is not kept',
    );
  });
});

describe('the journal stays small (hostile clients)', () => {
  it('a chunk sent again adds no line, and a journal of many small chunks is rewritten compactly, losing nothing', async () => {
    const server = await startServer();
    try {
      const url = await signedPath('tiny-chunks.bin');
      const total = 1200;
      const source = bytes(total, 261);
      for (let i = 0; i < 5; i++) assert.equal((await putChunk(server.port, url, source, [0, 0])).status, 202);
      const [journal] = await journals(server.dir);
      const lineCount = async () => (await readFile(join(server.dir, journal!), 'utf8')).trim().split('\n').length;
      assert.equal(await lineCount(), 2, 'header + one range');
      for (let i = 1; i < total - 1; i++) assert.equal((await putChunk(server.port, url, source, [i, i])).status, 202);
      assert.ok((await lineCount()) < 1030, `compacted: ${await lineCount()} lines`);
      await server.handler.close();
      const next = await startServer({ dir: server.dir });
      try {
        assert.equal((await probe(next.port, url, total)).headers['range'], `bytes=0-${total - 2}`);
        assert.equal((await putChunk(next.port, url, source, [total - 1, total - 1])).status, 201);
        assert.equal(sha256(await readFile(join(server.dir, 'tiny-chunks.bin'))), sha256(source));
      } finally {
        await next.close();
      }
    } finally {
      await server.close();
    }
  });
});
