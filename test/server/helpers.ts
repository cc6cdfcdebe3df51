import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createSignature } from '../../src/server/signing.js';
import { createUploadServer, type UploadServerHandler, type UploadServerOptions } from '../../src/server/upload-server.js';

export const KEY = 'test-key-123';

export interface TestServer {
  url: string;
  port: number;
  /** Folder the server stores into (inside `sandbox`). */
  dir: string;
  /** Temp folder holding `dir`; anything else in it is "outside". */
  sandbox: string;
  handler: UploadServerHandler;
  close(): Promise<void>;
}

type Wrap = (handler: UploadServerHandler) => (req: IncomingMessage, res: ServerResponse) => void;

/** Starts `createUploadServer` under plain node:http on a free port, storing into a fresh temp folder. */
export async function startServer(
  options: Partial<UploadServerOptions> = {},
  wrap: Wrap = (handler) => (req, res) => handler(req, res),
): Promise<TestServer> {
  const sandbox = await mkdtemp(join(tmpdir(), 'itty-server-'));
  const dir = options.dir ?? join(sandbox, 'uploads');
  const handler = createUploadServer({ key: KEY, dir, onError: () => {}, ...options });
  const server = createServer(wrap(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    sandbox,
    handler,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handler.close();
      await rm(sandbox, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** An HTTP request with the path sent exactly as given (fetch would resolve `..` and re-encode). */
export function raw(
  port: number,
  method: string,
  path: string,
  {
    headers = {},
    body,
    pause,
  }: {
    headers?: Record<string, string>;
    body?: Buffer | string;
    /** Sends the body's first `at` bytes, and the rest once `until` settles (set Content-Length in `headers`). */
    pause?: { at: number; until: Promise<unknown> };
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const buffer = Buffer.concat(chunks);
        const text = buffer.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buffer, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (!pause || body === undefined) return req.end(body);
    const bytes = Buffer.from(body);
    req.write(bytes.subarray(0, pause.at));
    void pause.until.finally(() => req.end(bytes.subarray(pause.at)));
  });
}

/** A signed URL path (`/base/path?expiry&method&signature`) for `path` exactly as it will be sent. */
export async function signedPath(
  path: string,
  { method = 'put', expiry = Math.floor(Date.now() / 1000) + 600, basePath = '', key = KEY } = {},
): Promise<string> {
  const signature = await createSignature(key, `${path}?expiry=${expiry}&method=${method}`);
  return `${basePath}/${path}?expiry=${expiry}&method=${method}&signature=${signature}`;
}

/** Every file under `dir`, as `/`-separated relative paths, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

/** Files of the upload folder itself: temp, session and metadata files left out. */
export async function storedFiles(dir: string): Promise<string[]> {
  return (await listFiles(dir)).filter((file) => !file.startsWith('.itty-uploader/'));
}

export async function tempFiles(dir: string): Promise<string[]> {
  const all = await listFiles(dir);
  return all.filter((file) => file.startsWith('.itty-uploader/tmp/') || file.startsWith('.itty-uploader/chunks/'));
}

/** Chunk-session journals (`.itty-uploader/sessions/`). */
export async function journals(dir: string): Promise<string[]> {
  return (await listFiles(dir)).filter((file) => file.startsWith('.itty-uploader/sessions/'));
}

export const sha256 = (bytes: Buffer | Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** Polls `check` until it returns true; fails after `timeout` ms (for effects a server finishes after answering). */
export async function eventually(check: () => Promise<boolean>, timeout = 3000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
export function bytes(length: number, seed = 1): Buffer {
  const buffer = Buffer.alloc(length);
  let x = seed || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buffer[i] = x & 0xff;
  }
  return buffer;
}

/** Fisher–Yates with a seeded generator. */
export function shuffle<T>(items: T[], seed = 7): T[] {
  const result = [...items];
  let x = seed;
  for (let i = result.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const j = x % (i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}
