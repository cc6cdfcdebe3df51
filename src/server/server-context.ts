import type { IncomingMessage } from 'node:http';
import type { IttyFile } from '../core/types.js';
import type { ChunkSessions } from './chunk-sessions.js';
import type { AllowedOrigins } from './cors.js';
import type { FileRecord, MetadataStore } from './metadata-store.js';
import type { MinBodyRate } from './receive-body.js';
import type { IssuedExpiries } from './sign-handlers.js';
import { encodePath, requestOrigin, type RequestTarget } from './request-target.js';

/** Folder inside `dir` for temp files, chunk sessions and metadata. Hidden segments are never served. */
export const INTERNAL_DIR = '.itty-uploader';

/** The route of a File object, `/files/<id>`: it comes before stored files. */
export const FILE_OBJECT = /^\/files\/(file_[a-z0-9]{12})$/;

/** The resolved options and shared state every route handler works with. */
export interface ServerContext {
  key: string;
  /** Absolute upload folder. */
  root: string;
  tmpDir: string;
  chunkDir: string;
  /** '' or a path like '/uploads' (no trailing slash). */
  basePath: string;
  signPath: string;
  maxSize: number;
  /** Largest `Content-Range` total: `maxSize`, or 64 GiB when that is unlimited (a session file is sparse until filled). */
  maxChunkedSize: number;
  allowedOrigins: AllowedOrigins;
  expiresIn: number;
  publicUrl?: string;
  now: () => number;
  store: MetadataStore;
  sessions: ChunkSessions;
  /** A request body slower than this is cut off with 408. */
  minBodyRate: MinBodyRate;
  /** The last expiry handed out per path, so no two signed URLs are the same. */
  issued: IssuedExpiries;
  /** Milliseconds a new File object answers `status: "processing"` (the `processing` option); 0 for none. */
  processingMs: number;
  /** Creates the folders on first use; resolves with the real path of `root`. */
  ready: () => Promise<string>;
}

/** Public URL of the storage root for this request: `publicUrl` (or the request's origin) + mount + base path. */
export function publicBase(ctx: ServerContext, req: IncomingMessage, target: RequestTarget): string {
  return `${ctx.publicUrl ?? requestOrigin(req)}${target.mountPrefix}${ctx.basePath}`;
}

/**
 * The File object as sent: the stored fields plus the `url` of the stored path, in ittybit's field order; `status`
 * is `processing` until the record's `readyAt` (the `processing` option), then the stored one.
 */
export function toIttyFile(record: FileRecord, base: string, now: number): IttyFile {
  const { created, updated, status, ...rest } = record.file;
  const current = record.readyAt !== undefined && now < record.readyAt ? 'processing' : status;
  return { ...rest, url: `${base}/${encodePath(record.path)}`, created, updated, status: current };
}
