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
}

/**
 * Moves a complete upload into place and records its File object. The type and size are read from the
 * source before the rename; the rename and the record write run under the path's lock, so with two uploads
 * to one path the last rename wins and its record is the one kept.
 *
 * Overwriting a path keeps its `id`, `media_id` and `created` and moves `updated`: the File is identified by
 * its URL, and links to `/files/<id>` keep working after a re-upload.
 */
export async function commitUpload(input: CommitInput): Promise<FileRecord> {
  const { source, path, store } = input;
  try {
    const target = resolveInside(input.root, path);
    if (!target) throw new HttpError(400, 'request_invalid', 'The path is not inside the upload folder.');
    const { size } = await stat(source);
    const probe = await probeFile(source, size, path, input.clientType);
    return await store.withPathLock(path, async () => {
      await makeParent(target, input.realRoot);
      try {
        await rename(source, target);
      } catch (error) {
        throw pathConflict(error);
      }
      const previous = await store.byPath(path);
      const identity = previous
        ? { id: previous.file.id!, media_id: previous.file.media_id!, created: previous.file.created! }
        : { id: randomId('file_'), media_id: randomId('med_'), created: isoSeconds(input.now) };
      const etag = etagFor(await stat(target, { bigint: true }));
      const record: FileRecord = { path, file: { ...fileObject(path, probe, identity, isoSeconds(input.now)), etag } };
      await store.save(record);
      return record;
    });
  } finally {
    await rm(source, { force: true });
  }
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
