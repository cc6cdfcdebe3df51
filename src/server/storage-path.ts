import { realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { isReservedName } from './signing.js';

const MAX_SEGMENT_BYTES = 255;
const MAX_PATH_LENGTH = 1024;
const MAX_DEPTH = 32;
/** Encoded separators and NUL are refused before decoding: decoding them would invent path structure. */
const ENCODED_FORBIDDEN = /%(?:2f|5c|00)/i;
/** Control characters, backslash, and characters Windows file systems give a meaning (`:` is a drive or stream). */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f\\:*?"<>|]/;

/**
 * Turns the URL path under the base path (still percent-encoded, no leading slash) into a storage path:
 * decoded segments joined by `/`. Returns undefined for anything that could name a place other than a plain
 * file inside the store: `.`/`..` (in any encoding), hidden segments (where temp files and metadata live),
 * empty segments (absolute paths, trailing slashes), encoded slashes, backslashes, NUL, overlong names, and
 * Windows hazards (reserved device names, trailing dots and spaces, 8.3 aliases).
 */
export function storagePath(wirePath: string): string | undefined {
  if (wirePath === '' || wirePath.length > MAX_PATH_LENGTH * 3 || ENCODED_FORBIDDEN.test(wirePath)) return undefined;
  const segments = wirePath.split('/');
  if (segments.length > MAX_DEPTH) return undefined;
  const decoded: string[] = [];
  for (const raw of segments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '' || segment.startsWith('.') || FORBIDDEN_CHARS.test(segment)) return undefined;
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES || segment.trim() === '') return undefined;
    // Windows hazards: a reserved device name (`CON`, `aux.txt`), a name Windows would trim (trailing dot or
    // space: `a.` is `a` there), or an 8.3 alias (`UPLOAD~1`) that may name another file or folder.
    if (/[. ]$/.test(segment) || isReservedName(segment) || /~\d/.test(segment)) return undefined;
    decoded.push(segment);
  }
  const path = decoded.join('/');
  return path.length > MAX_PATH_LENGTH ? undefined : path;
}

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
