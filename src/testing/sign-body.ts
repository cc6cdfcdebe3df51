import { sanitizeFolder } from '../server/signing.js';
import { invalid, TestHttpError, tooLarge } from './errors.js';

/** What the signing endpoint takes from a valid body (SPEC §5.1). */
export interface SignBody {
  filename: string;
  /** `folder` and the directories of `relativePath`, sanitised and joined; absent for none. */
  folder?: string;
  type?: string;
  size?: number;
}

const JSON_LIMIT = 64 * 1024;
const encoder = new TextEncoder();

/** The body as JSON, refused as the upload server refuses it: over 64 KiB → 413, not JSON → 400. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? undefined);
  if (declared > JSON_LIMIT) throw largeBody();
  const text = await request.text();
  if (encoder.encode(text).length > JSON_LIMIT) throw largeBody();
  try {
    // A leading byte order mark is not JSON, but RFC 8259 lets a parser ignore it (and the upload server does).
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw invalid('The body is not valid JSON.');
  }
}

function largeBody(): TestHttpError {
  return new TestHttpError(413, 'request_too_large', 'The JSON body is larger than 64 KiB.');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 1024) throw invalid(`${field} must be a string of at most 1024 characters.`);
  return value;
}

function folderOf(...parts: Array<string | undefined>): string | undefined {
  try {
    return sanitizeFolder(parts.filter(Boolean).join('/')) || undefined;
  } catch (error) {
    throw invalid((error as Error).message);
  }
}

/** The folders of a dropped file's relative path (`photos/2024/a.png` → `photos/2024`). */
function directoryOf(relativePath: string | undefined): string | undefined {
  if (!relativePath) return undefined;
  return relativePath.split(/[/\\]+/).slice(0, -1).join('/') || undefined;
}

/**
 * Checks a signing request body field by field, in the upload server's order and with its messages
 * (src/server/sign-handlers.ts `handleUploadUrl`; test/testing/parity.test.ts holds the two together).
 */
export function parseSignBody(body: unknown, maxSize: number): SignBody {
  if (!isRecord(body)) throw invalid('Send a JSON object: { filename, folder?, relativePath?, type, size }.');
  const filename = optionalString(body, 'filename');
  if (filename === undefined || filename.trim() === '') throw invalid('filename is required.');
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
