import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { authorize } from './auth.js';
import type { ChunkSession } from './chunk-sessions.js';
import { commitUpload } from './commit-upload.js';
import { parseContentRange, type ChunkRange } from './content-range.js';
import { HttpError, invalid, sendEmpty, sendJson, tooLarge } from './http.js';
import type { FileRecord } from './metadata-store.js';
import { BodyError, receiveBody } from './receive-body.js';
import type { RequestTarget } from './request-target.js';
import { publicBase, toIttyFile, type ServerContext } from './server-context.js';
import { resolveInside, storagePath } from './storage-path.js';

/** The rest of an oversized body is not read: closing the connection is cheaper than draining it. */
const CLOSE = { Connection: 'close' };

function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/**
 * `PUT {basePath}/<path>`: a signed (or Bearer) upload. Without Content-Range the body is one whole file;
 * with it, one chunk of a resumable upload (202 until every byte has arrived, then 201 + File object).
 */
export async function handlePut(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, target: RequestTarget, wirePath: string) {
  const path = storagePath(wirePath);
  if (!path || !resolveInside(ctx.root, path)) throw invalid('The upload path is not allowed.');
  const url = target.query ? `${target.path}?${target.query}` : target.path;
  await authorize(req, url, { key: ctx.key, verb: 'PUT', basePath: ctx.basePath, now: ctx.now() });
  // Before any byte is stored: a malformed Host header is a 400 now, not after the upload.
  const base = publicBase(ctx, req, target);
  const realRoot = await ctx.ready();
  await ctx.sessions.sweep();

  const rangeHeader = req.headers['content-range'];
  const scope = new URLSearchParams(target.query).get('signature') ?? undefined;
  const record = rangeHeader === undefined
    ? await receiveWhole(ctx, req, path, realRoot)
    : await receiveChunk(ctx, req, path, realRoot, rangeHeader, scope);
  if (!record) {
    // The client went away mid-body. 499 ("client closed request", as nginx logs it) only shows in logs.
    res.statusCode = 499;
    res.destroy();
    return;
  }
  if (record === 'accepted') return sendEmpty(res, 202, { 'Content-Length': '0' });
  const file = toIttyFile(record, base);
  sendJson(res, 201, file, { Location: file.url, ...(file.etag ? { ETag: file.etag } : {}) });
}

/** Resolves undefined when the client went away (there is no one to answer). */
async function receiveWhole(ctx: ServerContext, req: IncomingMessage, path: string, realRoot: string): Promise<FileRecord | undefined> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > ctx.maxSize) throw withClose(tooLarge(ctx.maxSize));
  const temp = join(ctx.tmpDir, `${randomUUID()}.part`);
  // A client may pause mid-body for longer than the TTL: the orphan sweep must not take the file from under it.
  const release = ctx.sessions.hold(temp);
  try {
    try {
      await receiveBody(req, temp, { flags: 'wx', limit: ctx.maxSize });
    } catch (error) {
      await rm(temp, { force: true });
      if (!(error instanceof BodyError)) throw error;
      if (error.reason === 'client_gone') return undefined;
      if (error.reason === 'too_large') throw withClose(tooLarge(ctx.maxSize));
      const full = storageFull(error);
      throw full ? withClose(full) : error;
    }
    return await commitUpload(commitInput(ctx, req, temp, path, realRoot));
  } finally {
    release();
  }
}

async function receiveChunk(
  ctx: ServerContext,
  req: IncomingMessage,
  path: string,
  realRoot: string,
  header: string,
  scope: string | undefined,
): Promise<FileRecord | 'accepted' | undefined> {
  const range = parseContentRange(header);
  if (!range) throw withClose(invalid('Content-Range must be "bytes start-end/total" with start <= end < total.'));
  if (range.total > ctx.maxSize) throw withClose(tooLarge(ctx.maxSize));
  const length = range.end - range.start + 1;
  const declared = declaredLength(req);
  if (declared !== undefined && declared !== length) {
    throw withClose(invalid(`Content-Length ${declared} does not match Content-Range (${length} bytes).`));
  }

  const started = await startChunkWrite(ctx, req, path, range, scope);
  if ('completed' in started) {
    // A chunk of a file already completed through this URL: a retry whose answer was lost. Its bytes are not needed.
    req.resume();
    return started.completed;
  }
  const { session, controller, writing } = started;
  let received: number;
  try {
    received = await writing;
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    if (error.reason === 'client_gone') return undefined;
    // Another chunk completed the file while this one was arriving (its bytes are already there), or failed it.
    if (error.reason === 'stopped') {
      if (session.failure) throw withClose(session.failure);
      return 'accepted';
    }
    if (error.reason === 'too_large') throw withClose(invalid(`The body is longer than Content-Range says (${length} bytes).`));
    const full = storageFull(error);
    if (!full) throw error;
    // The session file cannot take these bytes: the upload can never complete.
    session.failure = full;
    await ctx.sessions.discard(session);
    throw withClose(full);
  } finally {
    session.writers.delete(controller);
  }
  if (received !== length) throw invalid(`The body has ${received} bytes; Content-Range says ${length}.`);
  if (!ctx.sessions.record(session, range.start, range.end)) return 'accepted';

  const committing = ctx.sessions.quiesce(session, controller).then(() => commitUpload(commitInput(ctx, req, session.file, path, realRoot)));
  ctx.sessions.remember(session, scope, committing);
  return committing;
}

/**
 * Joins the open session and registers the write in the same synchronous step as checking that the session
 * is still open, so a session that completes meanwhile can never have a writer it does not know about.
 */
async function startChunkWrite(ctx: ServerContext, req: IncomingMessage, path: string, range: ChunkRange, scope: string | undefined) {
  for (;;) {
    const completed = ctx.sessions.completed(path, range.total, scope);
    if (completed) return { completed };
    const session: ChunkSession = await ctx.sessions.open(path, range.total);
    if (session.closed) continue;
    const controller = new AbortController();
    const writing = receiveBody(req, session.file, {
      flags: 'r+',
      start: range.start,
      limit: range.end - range.start + 1,
      signal: controller.signal,
    });
    session.writers.set(controller, writing);
    return { session, controller, writing };
  }
}

function commitInput(ctx: ServerContext, req: IncomingMessage, source: string, path: string, realRoot: string) {
  const clientType = req.headers['content-type'];
  return {
    source,
    path,
    ...(clientType ? { clientType } : {}),
    root: ctx.root,
    realRoot,
    store: ctx.store,
    now: ctx.now(),
  };
}

/** A write the disk refused: 413 for an offset past the largest file it can hold, 507 when it is full. */
function storageFull(error: BodyError): HttpError | undefined {
  if (error.reason !== 'write_failed') return undefined;
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EFBIG') return new HttpError(413, 'file_too_large', 'The file is larger than the storage can hold.');
  if (code === 'ENOSPC' || code === 'EDQUOT') return new HttpError(507, 'insufficient_storage', 'The storage is full.');
  return undefined;
}

function withClose(error: HttpError): HttpError {
  return new HttpError(error.status, error.kind, error.message, { ...error.headers, ...CLOSE });
}
