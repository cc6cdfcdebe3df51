import { mkdir, realpath } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { ChunkSessions } from './chunk-sessions.js';
import { createFaultInjector, type FaultOptions } from './faults.js';
import { answerPreflight, applyCors, isOriginAllowed, normaliseOrigin, type AllowedOrigins } from './cors.js';
import { HttpError, sendError } from './http.js';
import { MetadataStore } from './metadata-store.js';
import { handlePut, uploadOwner } from './put-handler.js';
import { handleDeleteFileObject, handleGetFileObject, handleGetStored, handlePatchFileObject } from './read-handlers.js';
import { requestTarget } from './request-target.js';
import { FILE_OBJECT, INTERNAL_DIR, type ServerContext } from './server-context.js';
import { handleSignatures, handleUploadUrl, IssuedExpiries } from './sign-handlers.js';

export interface UploadServerOptions {
  /** The API key: signs and verifies URLs, and is the Bearer token of `/signatures` and simple uploads. */
  key: string;
  /** Folder the uploads are stored in (created when missing). Nothing outside it is ever read or written. */
  dir: string;
  /** Origin (optionally with a path) the server is reached at; by default the request's `Host` and protocol. */
  publicUrl?: string;
  /** URL path under which stored files live, e.g. `/uploads`; `/` by default. */
  basePath?: string;
  /** Path of the app-side signing endpoint (SPEC §5.1); `/upload-url` by default. */
  signPath?: string;
  /** Largest file in bytes; no limit by default. */
  maxSize?: number;
  /** Origins allowed by CORS: a list, or `'*'` (the default) for any. */
  allowedOrigins?: readonly string[] | '*';
  /**
   * Host names (no port) requests may be addressed to, e.g. `['localhost', '127.0.0.1', '[::1]']`; others get
   * 403 `host_not_allowed` (a DNS-rebinding page reaches the server under its own name). `publicUrl`'s host is
   * always allowed. `'*'` (the default) checks nothing: the `Host` header is then what signed URLs are built on
   * when `publicUrl` is unset.
   */
  allowedHosts?: readonly string[] | '*';
  /** Lifetime of URLs signed by the signing endpoint, in seconds; 3600 by default. */
  expiresIn?: number;
  /** Milliseconds a resumable upload may sit idle before its chunks are thrown away; one hour by default. */
  sessionTtl?: number;
  /** Resumable uploads open at once before new ones get 429; 100 by default. */
  maxSessions?: number;
  /**
   * The slowest request body accepted: fewer than `bytes` in any `ms` window and the upload is cut off with
   * 408 (a client trickling bytes would otherwise hold a connection and a file open without limit).
   * 1 KiB per 30 s by default; `false` turns it off.
   */
  minBodyRate?: { bytes: number; ms: number } | false;
  /**
   * Whether the upload folder's file system ignores case (`A.png` and `a.png` are one file, as on macOS and
   * Windows): their File objects are then one record too. Detected when the server starts; set it to test.
   */
  caseInsensitive?: boolean;
  /** Clock in milliseconds (for tests); `Date.now` by default. */
  now?: () => number;
  /** Called with unexpected errors (answered 500); `console.error` by default. */
  onError?: (error: unknown) => void;
  /**
   * New File objects answer `status: "processing"` for `ms` milliseconds after the upload, then `ready` (in the
   * 201 answer and in `GET /files/<id>`): to develop and test processing states (SPEC §5.7) locally.
   */
  processing?: { ms: number };
  /** Makes a share of signing requests and PUTs fail on purpose (5xx, 429, expired, reset mid-body): for testing clients. */
  faults?: FaultOptions;
}

/** Largest total a chunked upload may announce when `maxSize` is unlimited: 64 GiB. */
export const DEFAULT_MAX_CHUNKED = 64 * 1024 ** 3;

export type NextFunction = (error?: unknown) => void;

/** A Node request handler that also works as Connect/Vite/Express middleware. */
export interface UploadServerHandler {
  (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void;
  /**
   * Stops the session sweeper, refuses uploads from then on (503, to be sent again), and resolves once the uploads it
   * was storing are stored and recorded. Unfinished resumable uploads stay on disk (a server started again on the folder
   * continues them, within `sessionTtl`); `{ keepSessions: false }` removes their files instead.
   */
  close(options?: { keepSessions?: boolean }): Promise<void>;
  /** Sizes of the server's in-memory state (every one of them is capped): for monitoring and the attack tests. */
  stats(): { sessions: number; completed: number; heldFiles: number; issued: number };
}

type Route = { name: 'upload-url' | 'signatures' } | { name: 'file-object'; id: string } | { name: 'stored'; wirePath: string };

function normalisePath(value: string | undefined, fallback: string, option: string): string {
  const path = (value ?? fallback).replace(/\/+$/, '');
  if (path !== '' && !/^(\/[A-Za-z0-9._~()!$&'*+,;=:@-]+)+$/.test(path))
    throw new TypeError(`${option} must be a URL path like "/uploads"`);
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) throw new TypeError(`${option} may not contain dot segments`);
  return path;
}

function resolveOptions(options: UploadServerOptions) {
  if (typeof options.key !== 'string' || options.key === '') throw new TypeError('key must be a non-empty string');
  if (typeof options.dir !== 'string' || options.dir === '') throw new TypeError('dir must be a folder path');
  const maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
  if (!(maxSize >= 0)) throw new TypeError('maxSize must be a number of bytes');
  let publicUrl: string | undefined;
  if (options.publicUrl !== undefined) {
    if (!URL.canParse(String(options.publicUrl))) throw new TypeError(`publicUrl must be an http(s) URL, not "${options.publicUrl}"`);
    const url = new URL(options.publicUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('publicUrl must be an http(s) URL');
    publicUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
  // Checked now: a bad value would otherwise fail every signing request with a 500 (expiresIn) or throw each
  // chunk session away before its next chunk (sessionTtl 0).
  const expiresIn = options.expiresIn ?? 3600;
  if (typeof expiresIn !== 'number' || !(expiresIn >= 1 && expiresIn < 1e11))
    throw new TypeError('expiresIn must be a number of seconds, at least 1');
  const sessionTtl = options.sessionTtl ?? 60 * 60 * 1000;
  if (typeof sessionTtl !== 'number' || !(sessionTtl >= 1)) throw new TypeError('sessionTtl must be a number of milliseconds, at least 1');
  const rate = options.minBodyRate ?? { bytes: 1024, ms: 30_000 };
  if (rate !== false && !(isRecordLike(rate) && rate.bytes >= 0 && rate.ms >= 1))
    throw new TypeError('minBodyRate must be { bytes, ms } or false');
  const minBodyRate = rate === false ? { bytes: 0, ms: 0 } : { bytes: rate.bytes, ms: rate.ms };
  const processing = options.processing;
  if (
    processing !== undefined &&
    !(isRecordLike(processing) && typeof processing.ms === 'number' && processing.ms >= 0 && processing.ms < 1e12)
  ) {
    throw new TypeError('processing must be { ms } with ms a number of milliseconds, 0 or more');
  }
  const maxSessions = options.maxSessions ?? 100;
  if (!Number.isSafeInteger(maxSessions) || maxSessions < 0) throw new TypeError('maxSessions must be a whole number, 0 or more');
  // Spelled as browsers send them: a trailing slash or a default port would otherwise never match.
  const listed = options.allowedOrigins ?? '*';
  // The publicUrl origin is the server's own, like the request's: behind a TLS-terminating proxy the request
  // looks like http://host while the app's own pages send Origin https://host.
  const own = publicUrl ? [new URL(publicUrl).origin] : [];
  const allowedOrigins: AllowedOrigins =
    listed === '*' ? '*' : [...(typeof listed === 'string' ? [listed] : listed).map(normaliseOrigin), ...own];
  const hosts = options.allowedHosts ?? '*';
  if (hosts !== '*' && (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string' || h === ''))) {
    throw new TypeError('allowedHosts must be a list of host names or "*"');
  }
  const allowedHosts =
    hosts === '*' || hosts.includes('*')
      ? ('*' as const)
      : new Set([...hosts.map((h) => h.toLowerCase()), ...(publicUrl ? [new URL(publicUrl).hostname.toLowerCase()] : [])]);
  return {
    root: resolve(options.dir),
    allowedHosts,
    basePath: normalisePath(options.basePath, '/', 'basePath'),
    signPath: normalisePath(options.signPath, '/upload-url', 'signPath') || '/upload-url',
    maxSize,
    publicUrl,
    allowedOrigins: allowedOrigins === '*' || allowedOrigins.includes('*') ? ('*' as const) : allowedOrigins,
    expiresIn,
    sessionTtl,
    maxSessions,
    minBodyRate,
    processingMs: processing?.ms ?? 0,
    now: options.now ?? Date.now,
  };
}

/**
 * Creates the ittybit-compatible upload server (SPEC §6) as a `(req, res, next?)` handler: for Vite's
 * `server.middlewares.use(handler)`, Connect/Express `app.use(handler)`, or `http.createServer(handler)`.
 * Requests it does not own go to `next()` (or get a 404 JSON without one), including GETs of files it does not have.
 */
export function createUploadServer(options: UploadServerOptions): UploadServerHandler {
  const resolved = resolveOptions(options);
  const internal = join(resolved.root, INTERNAL_DIR);
  const onError = options.onError ?? ((error: unknown) => console.error('itty-uploader server:', error));
  const store = new MetadataStore(internal, options.caseInsensitive === undefined ? {} : { caseInsensitive: options.caseInsensitive });
  // An injected expiry behaves as a real one: the URL's chunk session may then be continued by a re-signed URL.
  const faults = options.faults;
  const injectFault = faults
    ? createFaultInjector({
        ...faults,
        onFault: (fault) => {
          if (fault.kind === 'expired' && fault.route === 'put')
            ctx.sessions.expireOwner(uploadOwner({ query: fault.url.split('?')[1] ?? '' }).id);
          faults.onFault?.(fault);
        },
      })
    : undefined;
  let ready: Promise<string> | undefined;

  const ctx: ServerContext = {
    key: options.key,
    root: resolved.root,
    tmpDir: join(internal, 'tmp'),
    chunkDir: join(internal, 'chunks'),
    basePath: resolved.basePath,
    signPath: resolved.signPath,
    maxSize: resolved.maxSize,
    minBodyRate: resolved.minBodyRate,
    maxChunkedSize: Math.min(resolved.maxSize, DEFAULT_MAX_CHUNKED),
    allowedOrigins: resolved.allowedOrigins,
    expiresIn: resolved.expiresIn,
    ...(resolved.publicUrl ? { publicUrl: resolved.publicUrl } : {}),
    now: resolved.now,
    processingMs: resolved.processingMs,
    store,
    issued: new IssuedExpiries(),
    sessions: new ChunkSessions({
      dir: join(internal, 'chunks'),
      journalDir: join(internal, 'sessions'),
      completedDir: join(internal, 'completed'),
      leftoverDirs: [join(internal, 'records'), join(internal, 'ids')],
      tmpDir: join(internal, 'tmp'),
      ttl: resolved.sessionTtl,
      maxSessions: resolved.maxSessions,
      now: resolved.now,
    }),
    ready: () => {
      ready ??= (async () => {
        await mkdir(ctx.tmpDir, { recursive: true });
        await mkdir(ctx.chunkDir, { recursive: true });
        await mkdir(join(internal, 'sessions'), { recursive: true });
        await mkdir(join(internal, 'completed'), { recursive: true });
        await store.init();
        // Chunk sessions a previous process left continue; expired ones, and half-written record files, go.
        await ctx.sessions.load();
        // Temp and session files no session owns: the old ones go now, the rest once older than the TTL.
        await ctx.sessions.sweep();
        return realpath(ctx.root);
      })();
      ready.catch(() => (ready = undefined));
      return ready;
    },
  };

  function route(path: string): Route | undefined {
    if (path === ctx.signPath) return { name: 'upload-url' };
    if (path === '/signatures') return { name: 'signatures' };
    const fileObject = FILE_OBJECT.exec(path);
    if (fileObject) return { name: 'file-object', id: fileObject[1]! };
    const prefix = `${ctx.basePath}/`;
    if (path.startsWith(prefix) && path.length > prefix.length) return { name: 'stored', wirePath: path.slice(prefix.length) };
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, next: NextFunction | undefined): Promise<void> {
    const target = requestTarget(req);
    const method = req.method ?? 'GET';
    const found = route(target.path);
    const isRead = method === 'GET' || method === 'HEAD';
    const owned =
      found !== undefined &&
      (found.name !== 'stored' || isRead || method === 'PUT' || method === 'OPTIONS' || !next) &&
      (found.name !== 'file-object' || isRead || method === 'OPTIONS' || method === 'PATCH' || method === 'DELETE');
    if (!owned) return pass(res, next, []);

    if (resolved.allowedHosts !== '*' && !resolved.allowedHosts.has(hostName(req.headers.host))) {
      throw new HttpError(403, 'host_not_allowed', 'This server is not reachable under that host name.');
    }
    const corsHeaders = applyCors(req, res, ctx.allowedOrigins);
    if (!isRead && !isOriginAllowed(req, ctx.allowedOrigins)) {
      throw new HttpError(403, 'origin_not_allowed', `Origin ${req.headers.origin} is not allowed.`);
    }
    if (method === 'OPTIONS') return answerPreflight(req, res, ctx.allowedOrigins);
    const faultRoute =
      found.name === 'upload-url' && method === 'POST' ? 'sign' : found.name === 'stored' && method === 'PUT' ? 'put' : undefined;
    if (injectFault && faultRoute && injectFault(req, res, faultRoute)) return;

    switch (found.name) {
      case 'upload-url':
      case 'signatures':
        if (method !== 'POST') throw notAllowed('POST, OPTIONS');
        return found.name === 'upload-url' ? handleUploadUrl(ctx, req, res, target) : handleSignatures(ctx, req, res, target);
      case 'file-object':
        if (method === 'PATCH') return handlePatchFileObject(ctx, req, res, target, found.id);
        if (method === 'DELETE') return handleDeleteFileObject(ctx, req, res, found.id);
        return handleGetFileObject(ctx, req, res, target, found.id);
      case 'stored':
        if (method === 'PUT') return handlePut(ctx, req, res, target, found.wirePath);
        if (!isRead) throw notAllowed('GET, HEAD, PUT, OPTIONS');
        if (!(await handleGetStored(ctx, req, res, found.wirePath))) pass(res, next, corsHeaders);
    }
  }

  function handler(req: IncomingMessage, res: ServerResponse, next?: NextFunction): void {
    handle(req, res, next).catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error);
      // The client went away mid-request (e.g. while sending a JSON body): no one to answer, nothing to report.
      if (req.socket?.destroyed && (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET') return;
      const exhausted = resourceCode(error);
      if (exhausted) {
        // Out of file handles: a passing overload, said in one line (no stack), answered 503 with a time to retry.
        onError(new Error(`out of file handles (${exhausted}) on ${req.method} ${target(req)}; answered 503`));
        return sendError(
          res,
          new HttpError(503, 'service_unavailable', 'The upload server is busy; try again shortly.', {
            'Retry-After': '5',
            Connection: 'close',
          }),
        );
      }
      onError(error);
      sendError(res, new HttpError(500, 'internal_error', 'The upload server failed; see its log.'));
    });
  }

  const stats = () => ({
    sessions: ctx.sessions.size,
    completed: ctx.sessions.completedSize,
    heldFiles: ctx.sessions.heldFiles,
    issued: ctx.issued.size,
  });
  // Chunked uploads being completed commit through the store: the sessions close first.
  const close = async (options?: { keepSessions?: boolean }) => {
    await ctx.sessions.close(options);
    await ctx.store.close();
  };
  return Object.assign(handler, { close, stats });
}

/** `Example.com:8080` → `example.com`; `[::1]:80` → `[::1]`; '' when absent. */
function hostName(host: string | undefined): string {
  const text = (host ?? '').trim().toLowerCase();
  if (text.startsWith('[')) return text.slice(0, text.indexOf(']') + 1);
  return text.replace(/:\d*$/, '').replace(/\.$/, '');
}

/** EMFILE / ENFILE, on the error or its cause (a body write wraps it). */
function resourceCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; e = e.cause as typeof e, depth++) {
    if (e.code === 'EMFILE' || e.code === 'ENFILE') return e.code;
  }
  return undefined;
}

/** The request's path without the query (signatures stay out of logs). */
function target(req: IncomingMessage): string {
  return (req.url ?? '').split('?', 1)[0]!.slice(0, 200);
}

function isRecordLike(value: unknown): value is { bytes: number; ms: number } & Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function notAllowed(allow: string): HttpError {
  return new HttpError(405, 'method_not_allowed', `Use ${allow.replace(', OPTIONS', '')}.`, { Allow: allow });
}

/** Hands a request on: to `next()` (without our CORS headers), or 404 when running standalone. */
function pass(res: ServerResponse, next: NextFunction | undefined, setHeaders: string[]): void {
  if (next) {
    for (const name of setHeaders) res.removeHeader(name);
    return next();
  }
  sendError(res, new HttpError(404, 'not_found', 'Nothing here.'));
}
