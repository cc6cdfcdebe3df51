/** Storage-path rules of the upload server (src/server/storage-path.ts), without `node:*`. */

const MAX_SEGMENT_BYTES = 255;
const MAX_PATH_LENGTH = 1024;
const MAX_DEPTH = 32;
const ENCODED_FORBIDDEN = /%(?:2f|5c|00)/i;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f\\:*?"<>|]/;
const encoder = new TextEncoder();

/**
 * The decoded storage path of a URL path under the storage base (still percent-encoded, no leading slash),
 * or undefined for anything the upload server refuses: dot and hidden segments, empty segments, encoded
 * slashes, backslashes, control characters, overlong names.
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
    if (encoder.encode(segment).length > MAX_SEGMENT_BYTES || segment.trim() === '') return undefined;
    decoded.push(segment);
  }
  const path = decoded.join('/');
  return path.length > MAX_PATH_LENGTH ? undefined : path;
}

/** Encodes each segment of a storage path for a URL (sanitised names come out unchanged). */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
