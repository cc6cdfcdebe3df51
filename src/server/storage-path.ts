import { realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

/** The rules themselves are node-free (itty-uploader/testing applies them too); this module adds the file system. */
export { storagePath } from './wire-path.js';

/** Absolute file name for a storage path; undefined unless it lies strictly inside `root` after resolving. */
export function resolveInside(root: string, path: string): string | undefined {
  const full = resolve(root, ...path.split('/'));
  return full.startsWith(root + sep) ? full : undefined;
}

/** True when `file` (which must exist) is inside `realRoot` (or is it, with `allowRoot`) once symlinks are followed. */
export async function isReallyInside(realRoot: string, file: string, allowRoot = false): Promise<boolean> {
  try {
    const real = await realpath(file);
    return real.startsWith(realRoot + sep) || (allowRoot && real === realRoot);
  } catch {
    return false;
  }
}
