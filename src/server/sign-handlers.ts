import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireKey } from './auth.js';
import { invalid, isRecord, readJson, sendJson } from './http.js';
import type { RequestTarget } from './request-target.js';
import { FILE_OBJECT, publicBase, type ServerContext } from './server-context.js';
import { folderOf, optionalString, parseUploadUrlBody, requiredFilename } from './sign-body.js';
import { sanitizeFilename, signUploadUrl } from './signing.js';
import { encodePath, storagePath } from './wire-path.js';

/**
 * Makes every URL the signing endpoints hand out for a path different, even two asked for in the same
 * second: the expiry moves on by a second past the last one given for that path. An upload is told apart
 * by its URL (chunks of two uploads never mix), and no one can ask for a copy of someone else's URL.
 * Only paths signed within the last `expiresIn` need remembering; at most `max` are (oldest dropped first).
 */
export class IssuedExpiries {
  readonly #last = new Map<string, number>();
  constructor(readonly max = 10_000) {}

  get size(): number {
    return this.#last.size;
  }

  next(path: string, wanted: number): number {
    const last = this.#last.get(path);
    const expiry = last !== undefined && last >= wanted ? last + 1 : wanted;
    this.#last.delete(path);
    this.#last.set(path, expiry);
    // Oldest first: drop entries a new expiry has passed anyway, then the oldest if still too many.
    for (const [key, value] of this.#last) {
      if (this.#last.size <= this.max && value >= wanted) break;
      if (key === path) break;
      this.#last.delete(key);
    }
    return expiry;
  }
}

/** The longest lifetime `POST /signatures` signs for (or `expiresIn`, when that is longer): 7 days. */
export const MAX_EXPIRY_SECONDS = 7 * 86_400;

async function sign(
  ctx: ServerContext,
  req: IncomingMessage,
  target: RequestTarget,
  request: { filename: string; folder?: string; method: string; expiry?: number },
) {
  const names = { filename: sanitizeFilename(request.filename), ...(request.folder ? { folder: request.folder } : {}) };
  const path = names.folder ? `${names.folder}/${names.filename}` : names.filename;
  const expiry = request.expiry ?? ctx.issued.next(path, Math.floor(ctx.now() / 1000) + Math.floor(ctx.expiresIn));
  const signature = await signUploadUrl({ key: ctx.key, domain: publicBase(ctx, req, target), ...names, method: request.method, expiry });
  if (!storagePath(encodePath(path))) throw invalid('The folder and file name make a path that is too long.');
  const urlPath = `${ctx.basePath}/${encodePath(path)}`;
  if (urlPath === ctx.signPath || urlPath === '/signatures' || FILE_OBJECT.test(urlPath)) {
    throw invalid(`"${path}" is the path of one of the upload server's own routes; choose another file name or folder.`);
  }
  return signature;
}

/**
 * `POST {signPath}`: the app's own signing endpoint (SPEC §5.1). Body `{ filename, folder?, relativePath?, type?, size? }`;
 * a dropped folder's structure (the directories of `relativePath`) goes under `folder`. 200 + Signature (method put).
 */
export async function handleUploadUrl(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, target: RequestTarget) {
  const { filename, folder } = parseUploadUrlBody(await readJson(req), ctx.maxSize);
  sendJson(res, 200, await sign(ctx, req, target, { filename, ...(folder ? { folder } : {}), method: 'put' }));
}

/**
 * `POST /signatures`: ittybit's signatures API (protocol.md §3). Bearer key; body `{ filename, folder?, expiry?, method? }`
 * with `method` get (default) or put and `expiry` in unix seconds, in the future. 200 + Signature.
 */
export async function handleSignatures(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, target: RequestTarget) {
  requireKey(req, ctx.key);
  const body = await readJson(req);
  if (!isRecord(body)) throw invalid('Send a JSON object: { filename, folder?, expiry?, method? }.');
  const filename = requiredFilename(body);
  const folder = folderOf(optionalString(body, 'folder'));
  const method = (optionalString(body, 'method') ?? 'get').toLowerCase();
  if (method !== 'get' && method !== 'put') throw invalid('method must be "get" or "put".');
  const expiry = body['expiry'];
  if (expiry !== undefined && expiry !== null) {
    if (typeof expiry !== 'number' || !Number.isSafeInteger(expiry)) throw invalid('expiry must be an integer of unix seconds.');
    if (expiry > 999_999_999_999) throw invalid('expiry must be in seconds, not milliseconds.');
    if (expiry <= Math.floor(ctx.now() / 1000)) throw invalid('expiry must be in the future.');
    // As S3 and R2 cap presigned URLs: a URL valid for years is a standing key to the path.
    if (expiry - Math.floor(ctx.now() / 1000) > Math.max(MAX_EXPIRY_SECONDS, ctx.expiresIn)) {
      throw invalid(`expiry may be at most ${MAX_EXPIRY_SECONDS / 86_400} days from now.`);
    }
  }
  const request = { filename, ...(folder ? { folder } : {}), method, ...(typeof expiry === 'number' ? { expiry } : {}) };
  sendJson(res, 200, await sign(ctx, req, target, request));
}
