import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireKey } from './auth.js';
import { currentRecord } from './commit-upload.js';
import { HttpError, invalid, isRecord, readJson, sendEmpty, sendJson } from './http.js';
import type { FileRecord } from './metadata-store.js';
import { typeFromExtension } from './media-types.js';
import type { RequestTarget } from './request-target.js';
import { serveFile } from './serve-file.js';
import { isoSeconds } from './file-object.js';
import { publicBase, toIttyFile, type ServerContext } from './server-context.js';
import { resolveInside, storagePath } from './storage-path.js';

/** `GET|HEAD {basePath}/<path>`: the stored bytes. Resolves false when there is no such file (the caller passes it on). */
export async function handleGetStored(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, wirePath: string): Promise<boolean> {
  const path = storagePath(wirePath);
  const file = path && resolveInside(ctx.root, path);
  if (!path || !file) return false;
  const realRoot = await ctx.ready();
  const record = await currentRecord(ctx.store, ctx.root, path);
  const type = record?.file.type ?? typeFromExtension(path) ?? 'application/octet-stream';
  return serveFile(req, res, { file, realRoot, type, filename: path.slice(path.lastIndexOf('/') + 1) });
}

/** The record of file `id` while its file is still stored; 404 `file_not_found` otherwise. */
async function knownFile(ctx: ServerContext, id: string): Promise<FileRecord> {
  await ctx.ready();
  const known = await ctx.store.byId(id);
  const record = known && (await currentRecord(ctx.store, ctx.root, known.path));
  if (!record || record.file.id !== id) throw new HttpError(404, 'file_not_found', `There is no file with id "${id}".`);
  return record;
}

/** `GET|HEAD /files/<id>` (Bearer, as ittybit's API): the File object. */
export async function handleGetFileObject(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: RequestTarget,
  id: string,
) {
  requireKey(req, ctx.key);
  const record = await knownFile(ctx, id);
  sendJson(res, 200, toIttyFile(record, publicBase(ctx, req, target), ctx.now()));
}

const META_KEY = /^[A-Za-z0-9_]{1,32}$/;

/** ittybit's limits on `metadata`: at most 32 keys of `[A-Za-z0-9_]{1,32}`, string values of at most 2,048 characters. */
export function checkMetadata(value: unknown): Record<string, string> {
  if (!isRecord(value)) throw invalid('metadata must be an object of string values.');
  const entries = Object.entries(value);
  if (entries.length > 32) throw invalid(`metadata may have at most 32 keys (it has ${entries.length}).`);
  for (const [key, item] of entries) {
    if (!META_KEY.test(key)) throw invalid(`metadata key "${key.slice(0, 40)}" must be 1–32 characters of A–Z, a–z, 0–9 and _.`);
    if (typeof item !== 'string') throw invalid(`metadata.${key} must be a string.`);
    if (item.length > 2048) throw invalid(`metadata.${key} may be at most 2048 characters (it has ${item.length}).`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * `PATCH /files/<id>` (Bearer): body `{ metadata }` replaces the File's metadata (`{}` clears it); 200 + the
 * updated File object. Other fields are not editable on this server: 400 naming them.
 */
export async function handlePatchFileObject(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: RequestTarget,
  id: string,
) {
  requireKey(req, ctx.key);
  // 32 values of 2,048 characters, each up to 6 bytes as a JSON escape, and their keys.
  const body = await readJson(req, 512 * 1024);
  if (!isRecord(body)) throw invalid('Send a JSON object: { metadata }.');
  const other = Object.keys(body).filter((key) => key !== 'metadata');
  if (other.length > 0) throw invalid(`Only metadata can be changed on this server, not ${other.slice(0, 5).join(', ')}.`);
  if (!('metadata' in body)) throw invalid('Send { metadata: { key: "value" } }.');
  const metadata = checkMetadata(body['metadata']);
  const found = await knownFile(ctx, id);
  const updated = await ctx.store.withPathLock(found.path, async () => {
    // Read again under the lock: an upload to the path may have replaced the record meanwhile (same id, new bytes).
    const record = await ctx.store.byPath(found.path);
    if (!record || record.file.id !== id) throw new HttpError(404, 'file_not_found', `There is no file with id "${id}".`);
    const next: FileRecord = { ...record, file: { ...record.file, metadata, updated: isoSeconds(ctx.now()) } };
    await ctx.store.save(next);
    return next;
  });
  sendJson(res, 200, toIttyFile(updated, publicBase(ctx, req, target), ctx.now()));
}

/** `DELETE /files/<id>` (Bearer): removes the stored file and its record; 204. The path and the id then answer 404. */
export async function handleDeleteFileObject(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, id: string) {
  requireKey(req, ctx.key);
  const found = await knownFile(ctx, id);
  await ctx.store.withPathLock(found.path, async () => {
    const record = await ctx.store.byPath(found.path);
    if (!record || record.file.id !== id) throw new HttpError(404, 'file_not_found', `There is no file with id "${id}".`);
    const file = resolveInside(ctx.root, found.path);
    // The record first: a crash between the two leaves a file without a record (served, re-probed with a new id
    // when asked for), never a record whose bytes are gone.
    await ctx.store.remove(record);
    if (file) await rm(file, { force: true });
    // A lost 201 answered again, or a status probe, would otherwise describe the deleted file.
    ctx.sessions.forgetCompleted(found.path);
  });
  sendEmpty(res, 204);
}
