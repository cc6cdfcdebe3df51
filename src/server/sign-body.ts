import { invalid, isRecord, tooLarge } from './http-error.js';
import { sanitizeFolder } from './signing.js';

/**
 * The signing endpoints' body rules (SPEC §5.1, protocol.md §3): which fields are taken, in which order they
 * are checked, and the 400/413 answers. Imports nothing from `node:*`, so the upload server
 * (src/server/sign-handlers.ts) and `itty-uploader/testing` refuse the same bodies with the same messages.
 */

/** What the app's signing endpoint takes from a valid body. */
export interface UploadUrlBody {
  filename: string;
  /** `folder` and the directories of `relativePath`, sanitised and joined; absent for none. */
  folder?: string;
  type?: string;
  size?: number;
}

/** A string field of at most 1024 characters, or undefined when absent or null. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 1024) throw invalid(`${field} must be a string of at most 1024 characters.`);
  return value;
}

/** `filename`: a string with something besides white space. */
export function requiredFilename(body: Record<string, unknown>): string {
  const filename = optionalString(body, 'filename');
  if (filename === undefined || filename.trim() === '') throw invalid('filename is required.');
  return filename;
}

/** The parts joined and sanitised as one folder (undefined for none); a refused folder is a 400. */
export function folderOf(...parts: Array<string | undefined>): string | undefined {
  try {
    return sanitizeFolder(parts.filter(Boolean).join('/')) || undefined;
  } catch (error) {
    throw invalid((error as Error).message);
  }
}

/** The folders of a dropped file's relative path (`photos/2024/a.png` → `photos/2024`). */
export function directoryOf(relativePath: string | undefined): string | undefined {
  if (!relativePath) return undefined;
  return (
    relativePath
      .split(/[/\\]+/)
      .slice(0, -1)
      .join('/') || undefined
  );
}

/**
 * `POST {signPath}`'s body `{ filename, folder?, relativePath?, type?, size? }`, checked field by field; a dropped
 * folder's structure (the directories of `relativePath`) goes under `folder`. A `size` over `maxSize` is a 413.
 */
export function parseUploadUrlBody(body: unknown, maxSize: number): UploadUrlBody {
  if (!isRecord(body)) throw invalid('Send a JSON object: { filename, folder?, relativePath?, type, size }.');
  const filename = requiredFilename(body);
  const folder = folderOf(optionalString(body, 'folder'), directoryOf(optionalString(body, 'relativePath')));
  const type = optionalString(body, 'type');
  const size = body['size'];
  if (size !== undefined && size !== null) {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw invalid('size must be a non-negative integer of bytes.');
    if (size > maxSize) throw tooLarge(maxSize);
  }
  return {
    filename,
    ...(folder ? { folder } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(typeof size === 'number' ? { size } : {}),
  };
}
