import { isReservedName } from './signing.js';

/**
 * The storage-path rules: which URL paths name a file in the store. Imports nothing from `node:*`, so the
 * upload server (src/server/storage-path.ts) and `itty-uploader/testing` refuse exactly the same paths.
 */

const MAX_SEGMENT_BYTES = 255;
const MAX_PATH_LENGTH = 1024;
const MAX_DEPTH = 32;
/** Encoded separators and NUL are refused before decoding: decoding them would invent path structure. */
const ENCODED_FORBIDDEN = /%(?:2f|5c|00)/i;
/** Control characters, backslash, and characters Windows file systems give a meaning (`:` is a drive or stream). */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f\\:*?"<>|]/;
const encoder = new TextEncoder();

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
    // UTF-8 bytes: decodeURIComponent never yields a lone surrogate, so this equals Buffer.byteLength.
    if (encoder.encode(segment).length > MAX_SEGMENT_BYTES || segment.trim() === '') return undefined;
    // Windows hazards: a reserved device name (`CON`, `aux.txt`), a name Windows would trim (trailing dot or
    // space: `a.` is `a` there), or an 8.3 alias (`UPLOAD~1`) that may name another file or folder.
    if (/[. ]$/.test(segment) || isReservedName(segment) || /~\d/.test(segment)) return undefined;
    decoded.push(segment);
  }
  const path = decoded.join('/');
  return path.length > MAX_PATH_LENGTH ? undefined : path;
}

/** Encodes each segment of a storage path for use in a URL (sanitised names come out unchanged). */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
