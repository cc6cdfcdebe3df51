import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { etagFor } from './etag.js';
import { fileObject, isoSeconds, probeFile, randomId } from './file-object.js';
import { HttpError } from './http.js';
import type { FileRecord, MetadataStore } from './metadata-store.js';
import { isReallyInside, resolveInside } from './storage-path.js';

export interface CommitInput {
  /** A complete file in the internal folder (single-PUT temp file or chunk-session file). */
  source: string;
  /** Storage path, already validated. */
  path: string;
  /** The request's Content-Type: the last fallback for the file's type. */
  clientType?: string;
  root: string;
  realRoot: string;
  store: MetadataStore;
  now: number;
  /** The `processing` option: the new File object answers `processing` for this long. */
  processingMs?: number;
}

/**
 * Moves a complete upload into place and records its File object, so that from the outside the two are one step:
 * the record (with the ETag the file will have: a rename keeps its inode and mtime) is written first, then the
 * file is renamed over the old one. A crash between the two leaves a record whose ETag no stored file has, and
 * `currentRecord` re-reads the file when it is asked for; a full disk while writing the record is 507 with
 * nothing published. Both run under the path's lock, so with two uploads to one path the last one wins whole.
 *
 * Overwriting a path keeps its `id`, `media_id` and `created` and moves `updated`: the File is identified by
 * its URL, and links to `/files/<id>` keep working after a re-upload.
 */
export async function commitUpload(input: CommitInput): Promise<FileRecord> {
  const { source, path, store } = input;
  try {
    const target = resolveInside(input.root, path);
    if (!target) throw new HttpError(400, 'request_invalid', 'The path is not inside the upload folder.');
    const stats = await stat(source, { bigint: true });
    const probe = await probeFile(source, Number(stats.size), path, input.clientType);
    return await store.withPathLock(path, async () => {
      await makeParent(target, input.realRoot);
      const previous = await store.byPath(path);
      const identity = previous
        ? { id: previous.file.id!, media_id: previous.file.media_id!, created: previous.file.created! }
        : { id: randomId('file_'), media_id: randomId('med_'), created: isoSeconds(input.now) };
      // Metadata belongs to the File (its id), which a re-upload to the path keeps.
      const metadata = previous?.file.metadata;
      const record: FileRecord = {
        path,
        file: { ...fileObject(path, probe, identity, isoSeconds(input.now)), ...(metadata ? { metadata } : {}), etag: etagFor(stats) },
        ...(input.processingMs ? { readyAt: input.now + input.processingMs } : {}),
      };
      try {
        await store.save(record);
      } catch (error) {
        // Nothing is published: the old file (and its record, or none) stays.
        if (previous) await store.save(previous).catch(() => {});
        throw storageError(error);
      }
      try {
        await rename(source, target);
      } catch (error) {
        if (previous) await store.save(previous).catch(() => {});
        throw pathConflict(error);
      }
      return record;
    });
  } finally {
    await rm(source, { force: true });
  }
}

/**
 * The record of a stored file, made to describe the bytes there now: when its ETag is not the file's (a process
 * stopped between writing a record and renaming, or the file was changed behind the server's back), the file
 * is probed again and the record rewritten, keeping its identity. Undefined when the file is not there.
 */
export async function currentRecord(store: MetadataStore, root: string, path: string): Promise<FileRecord | undefined> {
  const file = resolveInside(root, path);
  if (!file) return undefined;
  const record = await store.byPath(path);
  const stats = await stat(file, { bigint: true }).catch(() => undefined);
  if (!stats?.isFile()) return undefined;
  const etag = etagFor(stats);
  if (!record || record.file.etag === etag) return record;
  return store.withPathLock(path, async () => {
    const again = await store.byPath(path);
    const now = await stat(file, { bigint: true }).catch(() => undefined);
    if (!again || !now?.isFile()) return again;
    if (again.file.etag === etagFor(now)) return again;
    const probe = await probeFile(file, Number(now.size), path);
    const identity = { id: again.file.id!, media_id: again.file.media_id!, created: again.file.created! };
    const metadata = again.file.metadata;
    const fresh: FileRecord = {
      path,
      file: {
        ...fileObject(path, probe, identity, isoSeconds(Number(now.mtimeMs))),
        ...(metadata ? { metadata } : {}),
        etag: etagFor(now),
      },
    };
    await store.save(fresh).catch(() => {});
    return fresh;
  });
}

/** ENOSPC / EDQUOT while writing metadata: 507, as for the bytes themselves. */
function storageError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new HttpError(507, 'insufficient_storage', 'The storage is full.');
  return error;
}

async function makeParent(target: string, realRoot: string): Promise<void> {
  const parent = dirname(target);
  try {
    await mkdir(parent, { recursive: true });
  } catch (error) {
    throw pathConflict(error);
  }
  if (!(await isReallyInside(realRoot, parent, true))) {
    throw new HttpError(400, 'request_invalid', 'The path is not inside the upload folder.');
  }
}

function pathConflict(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST' || code === 'ENOTEMPTY') {
    return new HttpError(400, 'request_invalid', 'A folder and a file cannot share a path.');
  }
  return error;
}
