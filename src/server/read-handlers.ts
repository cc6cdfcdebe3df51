import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentRecord } from './commit-upload.js';
import { HttpError, sendJson } from './http.js';
import { typeFromExtension } from './media-types.js';
import type { RequestTarget } from './request-target.js';
import { serveFile } from './serve-file.js';
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

/** `GET|HEAD /files/<id>`: the File object, while its file is still stored; 404 `file_not_found` otherwise. */
export async function handleGetFileObject(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, target: RequestTarget, id: string) {
  await ctx.ready();
  const known = await ctx.store.byId(id);
  const record = known && (await currentRecord(ctx.store, ctx.root, known.path));
  if (!record || record.file.id !== id) throw new HttpError(404, 'file_not_found', `There is no file with id "${id}".`);
  sendJson(res, 200, toIttyFile(record, publicBase(ctx, req, target)));
}
