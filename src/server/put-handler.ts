import { createHash, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { authorize } from './auth.js';
import { BEARER, copyInto, intersect, sameBytes, type ChunkSession, type ChunkWriter, type CompletedUpload } from './chunk-sessions.js';
import { commitUpload } from './commit-upload.js';
import { parseContentRange, type ChunkRange } from './content-range.js';
import { HttpError, invalid, sendEmpty, sendJson, shuttingDown, tooLarge } from './http.js';
import type { FileRecord } from './metadata-store.js';
import { BodyError, receiveBody } from './receive-body.js';
import type { RequestTarget } from './request-target.js';
import { publicBase, toIttyFile, type ServerContext } from './server-context.js';
import { canonicalSignature } from './signing.js';
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

  const rangeHeader = req.headers['content-range'];
  const owner = uploadOwner(target);
  const probe = rangeHeader === undefined ? undefined : PROBE.exec(rangeHeader.trim());
  if (probe) return answerProbe(ctx, req, res, path, owner, Number(probe[1]), base);
  const record =
    rangeHeader === undefined
      ? await receiveWhole(ctx, req, path, realRoot)
      : await receiveChunk(ctx, req, path, realRoot, rangeHeader, owner);
  if (!record) {
    // The client went away mid-body. 499 ("client closed request", as nginx logs it) only shows in logs.
    res.statusCode = 499;
    res.destroy();
    return;
  }
  if (record === 'accepted') return sendEmpty(res, 202, { 'Content-Length': '0' });
  const file = toIttyFile(record, base, ctx.now());
  sendJson(res, 201, file, { Location: file.url, ...(file.etag ? { ETag: file.etag } : {}) });
}

// `Content-Range: bytes */<total>`: the status probe (an itty-uploader server extension, after GCS).
const PROBE = /^bytes[ =]\*\/(\d{1,15})$/i;

// The status probe: an empty `PUT` with `Content-Range: bytes */<total>` asks what the server holds of this
// upload, so a client that lost track (a reload) sends only the rest. 308 with `Range: bytes=a-b,c-d` listing the
// ranges received (no `Range` when none), or 201 + the File object when this URL's upload of that size has just
// completed. A re-signed URL adopts the session of its expired predecessor here too, as a chunk would.
async function answerProbe(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  owner: Owner,
  total: number,
  base: string,
) {
  const declared = declaredLength(req);
  if ((declared !== undefined && declared !== 0) || req.headers['transfer-encoding'] !== undefined) {
    throw withClose(invalid('A status probe (Content-Range: bytes */<total>) has an empty body.'));
  }
  if (total < 1 || total > ctx.maxChunkedSize)
    throw invalid('The total of a status probe must be between 1 and the largest upload allowed.');
  const held =
    ctx.sessions.holding(path, owner.id, total) ??
    (ctx.sessions.adopt(path, owner.id, owner.expiry, total) ? ctx.sessions.holding(path, owner.id, total) : undefined);
  if (!held) {
    const done = ctx.sessions.completed(path, owner.id);
    const record = done && done.total === total ? await done.record.catch(() => undefined) : undefined;
    if (record) {
      const file = toIttyFile(record, base, ctx.now());
      return sendJson(res, 201, file, { Location: file.url, ...(file.etag ? { ETag: file.etag } : {}) });
    }
  }
  const headers: Record<string, string> = { 'Content-Length': '0', 'Cache-Control': 'no-store' };
  if (held && held.length > 0) headers['Range'] = `bytes=${held.map(([a, b]) => `${a}-${b}`).join(',')}`;
  sendEmpty(res, 308, headers);
}

/** Who an upload belongs to, and until when (unix seconds) its URL is valid. */
export interface Owner {
  id: string;
  expiry: number;
}

/**
 * Whose chunks these are: the signed URL, by a hash of its canonical signature (one URL, one identity, however
 * the signature is spelled; the hash is what the session journal on disk keeps), or the Bearer key's uploads.
 */
export function uploadOwner(target: Pick<RequestTarget, 'query'>): Owner {
  const params = new URLSearchParams(target.query);
  const signature = params.get('signature');
  const canonical = signature !== null && canonicalSignature(signature);
  if (!canonical) return { id: BEARER, expiry: Number.POSITIVE_INFINITY };
  const expiry = Number(params.get('expiry'));
  return { id: `sig:${createHash('sha256').update(canonical).digest('base64url')}`, expiry: Number.isSafeInteger(expiry) ? expiry : 0 };
}

/** Resolves undefined when the client went away (there is no one to answer). */
async function receiveWhole(ctx: ServerContext, req: IncomingMessage, path: string, realRoot: string): Promise<FileRecord | undefined> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > ctx.maxSize) throw withClose(tooLarge(ctx.maxSize));
  // A server being closed takes no new upload (one whose body is arriving is refused when it would be stored).
  if (ctx.store.closed) throw withClose(shuttingDown('send this file again'));
  const temp = join(ctx.tmpDir, `${randomUUID()}.part`);
  // A client may pause mid-body for longer than the TTL: the orphan sweep must not take the file from under it.
  const release = ctx.sessions.hold(temp);
  try {
    try {
      await receiveBody(req, temp, { flags: 'wx', limit: ctx.maxSize, minRate: ctx.minBodyRate });
    } catch (error) {
      await rm(temp, { force: true });
      if (!(error instanceof BodyError)) throw error;
      if (error.reason === 'client_gone') return undefined;
      if (error.reason === 'too_slow') throw tooSlow(ctx);
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
  owner: Owner,
): Promise<FileRecord | 'accepted' | undefined> {
  const range = parseContentRange(header);
  if (!range) throw withClose(invalid('Content-Range must be "bytes start-end/total" with start <= end < total.'));
  if (range.total > ctx.maxChunkedSize) throw withClose(tooLarge(ctx.maxChunkedSize));
  const length = range.end - range.start + 1;
  const declared = declaredLength(req);
  if (declared !== undefined && declared !== length) {
    throw withClose(invalid(`Content-Length ${declared} does not match Content-Range (${length} bytes).`));
  }

  let session = ctx.sessions.get(path, owner.id);
  if (session && session.total !== range.total) session = undefined;
  const done = session ? undefined : ctx.sessions.completed(path, owner.id);
  // Maybe the completing chunk of an upload already stored through this URL, sent again because its 201 was lost.
  // Only the same bytes get the same answer: anything else is a new upload through the same URL (an edited file).
  const replay = done && done.total === range.total && done.start === range.start && done.end === range.end ? done : undefined;
  // A URL signed again after the first one expired continues that upload (SPEC §3.6, protocol.md §5.3).
  if (!session && !replay) session = ctx.sessions.adopt(path, owner.id, owner.expiry, range.total);
  if (!session) session = await ctx.sessions.open(path, owner.id, range.total, owner.expiry);
  return writeChunk(ctx, req, path, realRoot, session, range, replay);
}

/**
 * Writes one chunk into its session. A chunk over bytes no one has written, with no earlier writer of those
 * bytes in flight, goes straight into the session file. Any other chunk (a retry, an overlap, a second upload
 * through the same URL) is received aside first, waits for the earlier writers of its bytes, and is taken only
 * if it agrees with every byte already received: a stored file is always one whole upload, never a mix.
 */
async function writeChunk(
  ctx: ServerContext,
  req: IncomingMessage,
  path: string,
  realRoot: string,
  session: ChunkSession,
  range: ChunkRange,
  replay: CompletedUpload | undefined,
): Promise<FileRecord | 'accepted' | undefined> {
  const length = range.end - range.start + 1;
  // Chunks sent at once share a session whose files the first of them is still creating.
  await session.ready.catch(() => {});
  // Replaced (a new total through this URL) or expired between opening and now: its file is gone.
  if (session.closed) throw withClose(session.failure ?? replaced());
  const earlier = [...session.writers].filter((w) => w.start <= range.end && w.end >= range.start);
  const direct = !replay && earlier.length === 0 && intersect(session.covered, range.start, range.end).length === 0;
  let finish!: () => void;
  const writer: ChunkWriter = {
    start: range.start,
    end: range.end,
    controller: new AbortController(),
    done: new Promise((resolve) => (finish = resolve)),
  };
  session.writers.add(writer);
  const scratch = direct ? undefined : join(ctx.tmpDir, `${randomUUID()}.part`);
  const release = scratch ? ctx.sessions.hold(scratch) : () => {};
  const digest = createHash('sha256');
  try {
    let received: number;
    try {
      received = await receiveBody(req, scratch ?? session.file, {
        flags: scratch ? 'wx' : 'r+',
        start: scratch ? 0 : range.start,
        limit: length,
        signal: writer.controller.signal,
        digest,
        minRate: ctx.minBodyRate,
        // Straight into the session file: fsync'ed before the range goes into the journal (and before its 202).
        sync: !scratch,
      });
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      if (error.reason === 'client_gone') return undefined;
      if (error.reason === 'too_slow') throw tooSlow(ctx);
      // The session completed while this chunk was arriving (it covered only bytes already there), or failed.
      if (error.reason === 'stopped') {
        if (session.failure) throw withClose(session.failure);
        return 'accepted';
      }
      if (error.reason === 'too_large') throw withClose(invalid(`The body is longer than Content-Range says (${length} bytes).`));
      if (!scratch && session.closed) throw withClose(session.failure ?? replaced());
      const full = storageFull(error);
      if (!full) throw error;
      if (!scratch) {
        // The session file cannot take these bytes: the upload can never complete.
        session.failure = full;
        session.writers.delete(writer);
        finish();
        await ctx.sessions.discard(session);
      }
      throw withClose(full);
    }
    if (received !== length) throw invalid(`The body has ${received} bytes; Content-Range says ${length}.`);
    const sum = digest.digest('hex');
    if (scratch) {
      if (replay && replay.digest === sum && session.covered.length === 0 && session.writers.size === 1) {
        // The lost 201, answered again; the session this request opened is not needed.
        session.writers.delete(writer);
        finish();
        await ctx.sessions.discard(session);
        return await replay.record;
      }
      await Promise.allSettled(earlier.map((w) => w.done));
      if (session.failure) throw withClose(session.failure);
      if (session.closed) return 'accepted';
      for (const [a, b] of intersect(session.covered, range.start, range.end)) {
        if (!(await sameBytes(scratch, a - range.start, session.file, a, b - a + 1))) {
          throw new HttpError(
            409,
            'upload_conflict',
            'These bytes differ from what this upload already sent for the same range: another upload is using this URL. Sign again and start over.',
          );
        }
      }
      try {
        await copyInto(scratch, session.file, range.start);
      } catch (error) {
        if (session.closed) throw withClose(session.failure ?? replaced());
        const full = storageFull(new BodyError('write_failed', error));
        if (full) throw withClose(full);
        throw error;
      }
    }
    // Durable before acknowledged: the range goes into the fsync'ed journal, unless it completes the upload now
    // (then the commit follows at once; a crash before it leaves the range to be sent again).
    if (!ctx.sessions.completes(session, range.start, range.end)) {
      try {
        await ctx.sessions.persist(session, range.start, range.end);
      } catch (error) {
        if (session.failure) throw withClose(session.failure);
        const full = storageFull(new BodyError('write_failed', error));
        if (full) throw withClose(full);
        throw error;
      }
    }
    if (!ctx.sessions.record(session, range.start, range.end)) {
      if (session.failure) throw withClose(session.failure);
      return 'accepted';
    }
    session.writers.delete(writer);
    finish();
    const committing = ctx.sessions.quiesce(session, writer).then(() => commitUpload(commitInput(ctx, req, session.file, path, realRoot)));
    // Answered once it is also written down: a restart after this 201 was lost still answers the retry with it.
    return await ctx.sessions.remember(session, { start: range.start, end: range.end, digest: sum }, committing);
  } finally {
    session.writers.delete(writer);
    finish();
    if (scratch) await rm(scratch, { force: true });
    release();
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
    processingMs: ctx.processingMs,
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

function replaced(): HttpError {
  return new HttpError(409, 'upload_conflict', 'A newer upload through this URL replaced this one; sign again and start over.');
}

/** 408, and the connection closes: the rest of a body that slow is not worth waiting for. */
function tooSlow(ctx: ServerContext): HttpError {
  const { bytes, ms } = ctx.minBodyRate;
  return withClose(new HttpError(408, 'request_timeout', `The body arrived slower than ${bytes} bytes in ${ms / 1000} s; send it again.`));
}

function withClose(error: HttpError): HttpError {
  return new HttpError(error.status, error.kind, error.message, { ...error.headers, ...CLOSE });
}
