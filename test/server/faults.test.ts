import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FaultKind, FaultOptions, InjectedFault } from '../../src/server/faults.js';
import { createUploadServer } from '../../src/server/upload-server.js';
import {
  bytes,
  eventually,
  raw,
  sha256,
  signedPath,
  startServer,
  storedFiles,
  tempFiles,
  type RawResponse,
  type TestServer,
} from './helpers.js';
import { seeded } from '../helpers/seeded.js';

/** A PUT whose connection may be reset: resolves with the response, or with the client-side error. */
function put(server: TestServer, path: string, body: Buffer, headers: Record<string, string> = {}): Promise<RawResponse | Error> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: server.port, method: 'PUT', path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), text, json: () => JSON.parse(text) });
      });
      res.on('error', resolve);
    });
    req.on('error', resolve);
    req.end(body);
  });
}

const signBody = (filename: string) => ({
  body: JSON.stringify({ filename, folder: 'f', size: 1 }),
  headers: { 'Content-Type': 'application/json' },
});

describe('createUploadServer({ faults })', () => {
  const servers: TestServer[] = [];
  const start = async (faults: FaultOptions, extra: { maxSize?: number } = {}) => {
    const server = await startServer({ faults, ...extra });
    servers.push(server);
    return server;
  };
  after(() => Promise.all(servers.map((server) => server.close())));

  it('answers each status fault as JSON { kind, message } and stores nothing', async () => {
    const cases: Array<[FaultKind, number, string]> = [
      ['500', 500, 'internal_error'],
      ['503', 503, 'service_unavailable'],
      ['429', 429, 'rate_limited'],
      ['expired', 403, 'signature_expired'],
    ];
    for (const [kind, status, errorKind] of cases) {
      const server = await start({ rate: 1, kinds: [kind] });
      const res = await put(server, await signedPath(`s/${kind}.bin`), bytes(50_000, 2));
      assert.ok(!(res instanceof Error), `${kind}: ${String(res)}`);
      assert.equal(res.status, status, kind);
      assert.equal(res.json()['kind'], errorKind);
      assert.match(String(res.json()['message']), /\S/);
      assert.equal(res.headers['retry-after'], kind === '429' ? '1' : undefined);
      if (kind === 'expired') assert.match(String(res.json()['message']), /expired/);
      assert.deepEqual(await storedFiles(server.dir), []);
      assert.deepEqual(await tempFiles(server.dir), []);
    }
  });

  it('resets the connection mid-body: the client sees it, nothing is stored, no temp file stays', async () => {
    const seen: InjectedFault[] = [];
    const server = await start({ rate: 1, kinds: ['reset'], random: seeded(3), onFault: (fault) => seen.push(fault) });
    for (const size of [0, 1, 2, 100, 64 * 1024, 700 * 1024]) {
      const res = await put(server, await signedPath(`r/${size}.bin`), bytes(size, 4));
      assert.ok(res instanceof Error, `size ${size} was answered ${res instanceof Error ? '' : res.status}`);
      assert.match((res as NodeJS.ErrnoException).code ?? res.message, /ECONNRESET|EPIPE|socket hang up/);
    }
    assert.equal(seen.length, 6);
    assert.ok(seen.every((fault) => fault.kind === 'reset' && fault.route === 'put' && fault.method === 'PUT'));
    await eventually(async () => (await tempFiles(server.dir)).length === 0);
    assert.deepEqual(await storedFiles(server.dir), []);
  });

  it('lets a reset chunk be sent again and completes the file intact', async () => {
    let fail = false;
    const server = await start({ rate: 1, kinds: ['reset'], random: () => (fail ? 0.5 : 1) });
    const source = bytes(96 * 1024, 9);
    const path = await signedPath('chunks/retried.bin');
    const chunk = (start: number, end: number) =>
      put(server, path, source.subarray(start, end + 1), { 'Content-Range': `bytes ${start}-${end}/${source.length}` });
    assert.equal(((await chunk(0, 32767)) as RawResponse).status, 202);
    fail = true;
    assert.ok((await chunk(32768, 65535)) instanceof Error);
    fail = false;
    assert.equal(((await chunk(32768, 65535)) as RawResponse).status, 202);
    const last = (await chunk(65536, source.length - 1)) as RawResponse;
    assert.equal(last.status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'chunks/retried.bin'))), sha256(source));
    await eventually(async () => (await tempFiles(server.dir)).length === 0);
  });

  it('an injected expiry behaves as a real one: a re-signed URL continues the chunk session', async () => {
    // Before: the faked-expired URL's session stayed beside the new URL's until its TTL, holding a session file.
    let fail = false;
    const server = await start({ rate: 1, kinds: ['expired'], routes: ['put'], random: () => (fail ? 0.5 : 1) });
    const source = bytes(96 * 1024, 10);
    const chunk = (path: string, start: number, end: number) =>
      put(server, path, source.subarray(start, end + 1), {
        'Content-Range': `bytes ${start}-${end}/${source.length}`,
      }) as Promise<RawResponse>;
    const first = await signedPath('chunks/renewed.bin');
    assert.equal((await chunk(first, 0, 32767)).status, 202);
    fail = true;
    const expired = await chunk(first, 32768, 65535);
    assert.equal(expired.status, 403);
    assert.equal(expired.json()['kind'], 'signature_expired');
    fail = false;
    const second = await signedPath('chunks/renewed.bin', { expiry: Math.floor(Date.now() / 1000) + 900 });
    assert.equal((await chunk(second, 32768, 65535)).status, 202);
    assert.equal((await chunk(second, 65536, source.length - 1)).status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'chunks/renewed.bin'))), sha256(source));
    await eventually(async () => (await tempFiles(server.dir)).length === 0);
    assert.equal(server.handler.stats().sessions, 0);
  });

  it("an injected expiry of a URL's first chunk also counts for the session a parallel chunk of it opens next", async () => {
    let fail = true;
    const server = await start({ rate: 1, kinds: ['expired'], routes: ['put'], random: () => (fail ? 0.5 : 1) });
    const source = bytes(96 * 1024, 11);
    const chunk = (path: string, start: number, end: number) =>
      put(server, path, source.subarray(start, end + 1), {
        'Content-Range': `bytes ${start}-${end}/${source.length}`,
      }) as Promise<RawResponse>;
    const first = await signedPath('chunks/parallel.bin');
    assert.equal((await chunk(first, 0, 32767)).status, 403);
    fail = false;
    // The chunk sent beside it was accepted into a session of the "expired" URL...
    assert.equal((await chunk(first, 32768, 65535)).status, 202);
    const second = await signedPath('chunks/parallel.bin', { expiry: Math.floor(Date.now() / 1000) + 900 });
    // ...which the re-signed URL continues: the chunks the client did not get a 202 for complete the file.
    assert.equal((await chunk(second, 0, 32767)).status, 202);
    assert.equal((await chunk(second, 65536, source.length - 1)).status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'chunks/parallel.bin'))), sha256(source));
    assert.equal(server.handler.stats().sessions, 0);
  });

  it('fails about `rate` of the requests, with every kind, and never expires a signing request', async () => {
    const seen: InjectedFault[] = [];
    const server = await start({ rate: 0.3, random: seeded(42), onFault: (fault) => seen.push(fault) });
    const statuses = new Map<string, number>();
    for (let i = 0; i < 120; i++) {
      const res = await raw(server.port, 'POST', '/upload-url', signBody(`n${i}.txt`)).catch((error: Error) => error);
      const key = res instanceof Error ? 'reset' : String(res.status);
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    const faults = 120 - (statuses.get('200') ?? 0);
    assert.equal(faults, seen.length);
    assert.ok(faults > 20 && faults < 55, `${faults} faults in 120 requests at rate 0.3`);
    assert.deepEqual(new Set(seen.map((fault) => fault.kind)), new Set(['500', '503', '429', 'reset']));
    assert.ok(seen.every((fault) => fault.route === 'sign' && fault.method === 'POST'));
    assert.equal(statuses.get('403'), undefined);
  });

  it('faults only the routes asked for, never preflights or reads', async () => {
    const server = await start({ rate: 1, kinds: ['500'], routes: ['put'] });
    const signed = await raw(server.port, 'POST', '/upload-url', signBody('ok.txt'));
    assert.equal(signed.status, 200);
    const preflight = await raw(server.port, 'OPTIONS', '/x.txt', {
      headers: { Origin: 'http://example.test', 'Access-Control-Request-Method': 'PUT' },
    });
    assert.equal(preflight.status, 204);
    assert.equal((await raw(server.port, 'GET', '/missing.txt')).status, 404);
    assert.equal(((await put(server, await signedPath('x.txt'), Buffer.from('x'))) as RawResponse).status, 500);
  });

  it('with rate 0 changes nothing', async () => {
    const server = await start({ rate: 0 });
    const body = bytes(10_000, 5);
    const res = (await put(server, await signedPath('plain.bin'), body)) as RawResponse;
    assert.equal(res.status, 201);
    assert.equal(sha256(await readFile(join(server.dir, 'plain.bin'))), sha256(body));
  });

  it('refuses a rate outside 0..1 and unknown kinds', () => {
    for (const faults of [{ rate: 1.5 }, { rate: -0.1 }, { rate: Number.NaN }, { rate: 0.1, kinds: ['404' as FaultKind] }]) {
      assert.throws(() => createUploadServer({ key: 'k', dir: '/tmp/never-created', faults }), TypeError);
    }
  });
});

describe('a request that goes away before its body is read', () => {
  let server: TestServer;
  const errors: unknown[] = [];
  before(async () => {
    server = await startServer({ onError: (error) => errors.push(error) });
  });
  after(() => server.close());

  it('leaves no temp file and no pending write', async () => {
    // Headers and part of the body, then the socket dies while the server is still checking the signature.
    for (let i = 0; i < 5; i++) {
      const path = await signedPath(`gone/${i}.bin`);
      await new Promise<void>((resolve) => {
        const req = request({
          host: '127.0.0.1',
          port: server.port,
          method: 'PUT',
          path,
          headers: { 'Content-Length': '1000' },
          agent: false,
        });
        req.on('error', () => resolve());
        req.write(bytes(10, i + 1));
        req.on('socket', (socket) => socket.on('connect', () => setImmediate(() => req.destroy())));
        req.on('close', () => resolve());
      });
    }
    await eventually(async () => (await tempFiles(server.dir)).length === 0);
    assert.deepEqual(await storedFiles(server.dir), []);
  });

  it('is not reported as a server error when it dies mid-JSON (signing endpoint)', async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const req = request({
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/upload-url',
          headers: { 'Content-Type': 'application/json', 'Content-Length': '500' },
          agent: false,
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.write('{"filename":"a');
        setTimeout(() => req.destroy(), 20);
      });
    }
    assert.equal((await raw(server.port, 'POST', '/upload-url', signBody('after.txt'))).status, 200);
    assert.deepEqual(errors, []);
  });
});
