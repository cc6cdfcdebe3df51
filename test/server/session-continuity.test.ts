// Issue 18, the chaos run: a chunked upload the server completed and stored just as it was restarted (the 201 cut
// with the connection) must not look lost to its client. Before, the restarted server had forgotten it: the completing
// chunk sent again got 202 (a new session with that chunk alone) and the status probe an empty 308, so the client
// reported `session_lost` and sent every chunk again. The server now writes each completed upload down
// (`.itty-uploader/completed/<id>.done`, before its 201) for the session TTL, as it keeps it in memory.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bytes, eventually, KEY, listFiles, raw, signedPath, startServer, tempFiles, type RawResponse } from './helpers.js';
import { MetadataStore } from '../../src/server/metadata-store.js';
import type { HttpError } from '../../src/server/http-error.js';

const CHUNK = 64 * 1024;

const putChunk = (port: number, url: string, source: Buffer, start: number, end: number) =>
  raw(port, 'PUT', url, {
    body: source.subarray(start, end + 1),
    headers: { 'Content-Range': `bytes ${start}-${end}/${source.length}`, 'Content-Type': 'application/octet-stream' },
  });
const probe = (port: number, url: string, total: number) =>
  raw(port, 'PUT', url, { headers: { 'Content-Range': `bytes */${total}`, 'Content-Length': '0' } });

/** Sends the three chunks of `source` through `url`; resolves with the File object of the 201. */
async function upload(port: number, url: string, source: Buffer): Promise<Record<string, unknown>> {
  assert.equal((await putChunk(port, url, source, 0, CHUNK - 1)).status, 202);
  assert.equal((await putChunk(port, url, source, CHUNK, 2 * CHUNK - 1)).status, 202);
  const done = await putChunk(port, url, source, 2 * CHUNK, 3 * CHUNK - 1);
  assert.equal(done.status, 201, done.text);
  return done.json();
}

const doneFiles = async (dir: string) =>
  (await readdir(join(dir, '.itty-uploader', 'completed')).catch(() => [] as string[])).filter((name) => name.endsWith('.done'));

describe('a completed chunked upload survives a restart of the server (its 201 may have been lost)', () => {
  it('the restarted server answers the completing chunk sent again, and the status probe, with the same File object', async () => {
    const server = await startServer();
    const source = bytes(3 * CHUNK, 301);
    const url = await signedPath('kept/done.bin');
    const file = await upload(server.port, url, source);
    assert.equal((await doneFiles(server.dir)).length, 1, 'written down before the 201');
    await server.handler.close();
    const next = await startServer({ dir: server.dir });
    try {
      const probed = await probe(next.port, url, source.length);
      assert.equal(probed.status, 201, 'the probe finds the file complete');
      assert.equal(probed.json()['id'], file['id']);
      const again = await putChunk(next.port, url, source, 2 * CHUNK, 3 * CHUNK - 1);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.json()['id'], file['id']);
      assert.equal(again.json()['etag'], file['etag']);
      // Other bytes for that range are another upload through the URL, never the old answer.
      const other = bytes(3 * CHUNK, 302);
      assert.equal((await putChunk(next.port, url, other, 2 * CHUNK, 3 * CHUNK - 1)).status, 202);
      assert.deepEqual(
        (await tempFiles(next.dir)).filter((name) => name.startsWith('.itty-uploader/tmp/')),
        [],
      );
    } finally {
      await next.close();
      await server.close();
    }
  });

  it('is forgotten after the session TTL, on disk too; and with the file deleted', async () => {
    let clock = Date.now();
    const server = await startServer({ now: () => clock, sessionTtl: 60_000 });
    const source = bytes(3 * CHUNK, 303);
    const url = await signedPath('kept/expires.bin', { expiry: Math.floor(clock / 1000) + 3600 });
    await upload(server.port, url, source);
    const url2 = await signedPath('kept/deleted.bin', { expiry: Math.floor(clock / 1000) + 3600 });
    const deleted = await upload(server.port, url2, source);
    const removed = await raw(server.port, 'DELETE', `/files/${deleted['id']}`, { headers: { Authorization: `Bearer ${KEY}` } });
    assert.equal(removed.status < 300, true, removed.text);
    await eventually(async () => (await doneFiles(server.dir)).length === 1);
    await server.handler.close();
    clock += 61_000;
    const next = await startServer({ dir: server.dir, now: () => clock, sessionTtl: 60_000 });
    try {
      assert.equal((await probe(next.port, url, source.length)).status, 308);
      assert.equal((await probe(next.port, url2, source.length)).status, 308);
      assert.deepEqual(await doneFiles(next.dir), []);
    } finally {
      await next.close();
      await server.close();
    }
  });
});

describe('a server being closed (its process going down) opens no session', () => {
  it('a chunk that reaches it after close() is answered 503 and leaves no journal to hide the older one at the next start', async () => {
    const server = await startServer();
    const source = bytes(3 * CHUNK, 331);
    const url = await signedPath('closing/file.bin');
    assert.equal((await putChunk(server.port, url, source, 0, CHUNK - 1)).status, 202);
    await server.handler.close();
    // The request was already on its way (its connection open) when the process began to stop.
    const late = await putChunk(server.port, url, source, CHUNK, 2 * CHUNK - 1);
    assert.equal(late.status, 503, late.text);
    assert.equal(late.headers['retry-after'], '1');
    const next = await startServer({ dir: server.dir });
    try {
      const held = await probe(next.port, url, source.length);
      assert.equal(held.headers['range'], `bytes=0-${CHUNK - 1}`, 'the acknowledged chunk is still there');
      assert.equal((await putChunk(next.port, url, source, CHUNK, 2 * CHUNK - 1)).status, 202);
      assert.equal((await putChunk(next.port, url, source, 2 * CHUNK, 3 * CHUNK - 1)).status, 201);
    } finally {
      await next.close();
      await server.close();
    }
  });
});

describe('a server being closed stores nothing more once close() resolves', () => {
  // The chaos run's restart: a new server started on the folder removes the half-done record writes (`*.tmp`) it
  // finds, which, before, could be those of single PUTs the old one went on committing after close() resolved.
  it('a single PUT whose body is arriving as close() is called is answered 503, and nothing of it is stored or recorded', async () => {
    const errors: unknown[] = [];
    const server = await startServer({ onError: (error) => errors.push(error) });
    let next: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const body = bytes(256 * 1024, 41);
      const put = putInTwo(server.port, await signedPath('closing-puts/arriving.bin'), body);
      // Its first half is on disk, in the server's temp folder.
      await eventually(async () => (await tempFiles(server.dir)).length === 1);
      await server.handler.close();
      const kept = async () => (await listFiles(server.dir)).filter((file) => !file.startsWith('.itty-uploader/tmp/'));
      const atClose = await kept();
      put.rest();
      const answer = await put.answer;
      assert.equal(answer.status, 503, answer.text);
      assert.equal(answer.headers['retry-after'], '1');
      assert.deepEqual(await kept(), atClose);
      assert.deepEqual(await tempFiles(server.dir), []);
      assert.deepEqual(errors, []);
      next = await startServer({ dir: server.dir });
      assert.equal((await raw(next.port, 'GET', '/closing-puts/arriving.bin')).status, 404);
    } finally {
      await next?.close();
      await server.close();
    }
  });

  it('a single PUT that reaches it after close() is answered 503 and stores nothing', async () => {
    const server = await startServer();
    let next: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      await server.handler.close();
      const late = await raw(server.port, 'PUT', await signedPath('closing-puts/late.bin'), { body: bytes(1000, 7) });
      assert.equal(late.status, 503, late.text);
      assert.equal(late.headers['retry-after'], '1');
      next = await startServer({ dir: server.dir });
      assert.equal((await raw(next.port, 'GET', '/closing-puts/late.bin')).status, 404);
    } finally {
      await next?.close();
      await server.close();
    }
  });

  it("the metadata store's close() waits for the commit under way and refuses the next", async () => {
    const sandbox = await mkdtemp(join(tmpdir(), 'itty-store-'));
    try {
      const store = new MetadataStore(sandbox);
      await store.init();
      let finish!: () => void;
      const committing = store.withPathLock('a.bin', () => new Promise<void>((resolve) => (finish = resolve)));
      let closed = false;
      const closing = store.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(closed, false, 'close() resolved with a commit under way');
      await assert.rejects(
        store.withPathLock('b.bin', async () => {}),
        (error: HttpError) => error.status === 503,
      );
      finish();
      await committing;
      await closing;
      assert.equal(closed, true);
    } finally {
      await rm(sandbox, { recursive: true, force: true });
    }
  });
});

/** A PUT of `body` whose second half goes only when `rest()` is called. */
function putInTwo(port: number, path: string, body: Buffer): { answer: Promise<RawResponse>; rest(): void } {
  let rest!: () => void;
  const until = new Promise<void>((resolve) => (rest = resolve));
  const headers = { 'Content-Length': String(body.length), 'Content-Type': 'application/octet-stream' };
  return { answer: raw(port, 'PUT', path, { body, headers, pause: { at: body.length / 2, until } }), rest };
}

describe('a URL whose session a renewed URL adopted still reaches it (a page reloaded before it wrote the new URL down)', () => {
  it('after an injected expiry: a probe through the first URL holds the chunks across a restart, and gets the File object once the renewed URL completed it', async () => {
    // The next request answered `expired` (the server's fault injection, as in the chaos run): the URL itself stays valid.
    let expire = false;
    const faults = {
      rate: 0.5,
      kinds: ['expired' as const],
      routes: ['put' as const],
      random: () => (expire ? ((expire = false), 0) : 0.9),
    };
    const server = await startServer({ faults });
    const source = bytes(3 * CHUNK, 321);
    const u1 = await signedPath('renewed/file.bin');
    assert.equal((await putChunk(server.port, u1, source, 0, CHUNK - 1)).status, 202);
    expire = true;
    assert.equal((await putChunk(server.port, u1, source, CHUNK, 2 * CHUNK - 1)).status, 403);
    const u2 = await signedPath('renewed/file.bin', { expiry: Math.floor(Date.now() / 1000) + 900 });
    assert.equal((await putChunk(server.port, u2, source, CHUNK, 2 * CHUNK - 1)).status, 202);
    await server.handler.close();
    let next = await startServer({ dir: server.dir, faults });
    try {
      const held = await probe(next.port, u1, source.length);
      assert.equal(held.status, 308);
      assert.equal(held.headers['range'], `bytes=0-${2 * CHUNK - 1}`, 'the adoption is known after the restart');
      const done = await putChunk(next.port, u2, source, 2 * CHUNK, 3 * CHUNK - 1);
      assert.equal(done.status, 201, done.text);
      const probed = await probe(next.port, u1, source.length);
      assert.equal(probed.status, 201, 'the first URL learns that the upload is complete');
      assert.equal(probed.json()['id'], done.json()['id']);
      await next.close();
      next = await startServer({ dir: server.dir, faults });
      const again = await putChunk(next.port, u1, source, 2 * CHUNK, 3 * CHUNK - 1);
      assert.equal(again.status, 201, 'and its completing chunk, sent again after a restart, too');
      assert.equal(again.json()['id'], done.json()['id']);
    } finally {
      await next.close();
      await server.close();
    }
  });
});

const CHILD = fileURLToPath(new URL('./session-child.ts', import.meta.url));

describe('a completed chunked upload survives SIGKILL', () => {
  let sandbox: string;
  const children: ChildProcess[] = [];
  before(async () => (sandbox = await mkdtemp(join(tmpdir(), 'itty-completed-'))));
  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(sandbox, { recursive: true, force: true });
  });

  async function startChild(dir: string) {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, DIR: dir, KEY },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`server process exited (${code}) before listening`)));
    });
    return { port, child, exited };
  }

  it('killed right after its 201, the server started again answers the retried last chunk with the File object', async () => {
    const dir = join(sandbox, 'killed');
    const source = bytes(3 * CHUNK, 311);
    const url = await signedPath('killed/done.bin');
    const first = await startChild(dir);
    const file = await upload(first.port, url, source);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await startChild(dir);
    const again = await putChunk(second.port, url, source, 2 * CHUNK, 3 * CHUNK - 1);
    assert.equal(again.status, 201, again.text);
    assert.equal(again.json()['id'], file['id']);
    second.child.kill('SIGKILL');
    await second.exited;
  });
});
