import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { etagFor } from './etag.js';
import { sendJson } from './http.js';
import { isInert } from './media-types.js';
import { isReallyInside } from './storage-path.js';

export interface ServeInput {
  /** Absolute file name, already checked to lie inside the root. */
  file: string;
  realRoot: string;
  type: string;
  /** Name offered for downloads of active types. */
  filename: string;
}

type ByteRange = { start: number; end: number } | 'unsatisfiable' | undefined;

/** A single `bytes=` range; multiple or malformed ranges give undefined (the whole file is sent, RFC 9110 §14.2). */
function parseRange(header: string | undefined, size: number): ByteRange {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Sends a stored file for GET or HEAD: Content-Type, Content-Length, ETag (If-None-Match → 304), one byte
 * range (206 / 416) and `nosniff`. Types that could run script are sent as attachments under a sandboxing CSP.
 * Reads through one open file descriptor, so a concurrent overwrite never mixes two versions in one answer.
 * Returns false when there is no regular file to send (nothing has been written).
 */
export async function serveFile(req: IncomingMessage, res: ServerResponse, input: ServeInput): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(input.file, 'r');
  } catch {
    return false;
  }
  let streaming = false;
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile() || !(await isReallyInside(input.realRoot, input.file))) return false;
    const size = Number(stats.size);
    const etag = etagFor(stats);
    const modified = new Date(Number(stats.mtimeMs));
    const headers: Record<string, string> = {
      ETag: etag,
      'Last-Modified': modified.toUTCString(),
      'Cache-Control': 'no-cache',
      'Accept-Ranges': 'bytes',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };

    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = Date.parse(req.headers['if-modified-since'] ?? '');
    const notModified =
      ifNoneMatch !== undefined
        ? etagMatches(ifNoneMatch, etag)
        : !Number.isNaN(ifModifiedSince) && Math.floor(modified.getTime() / 1000) <= Math.floor(ifModifiedSince / 1000);
    if (notModified) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }

    headers['Content-Type'] = /^text\/[^;]+$/.test(input.type) ? `${input.type}; charset=utf-8` : input.type;
    if (!isInert(input.type)) {
      headers['Content-Disposition'] = contentDisposition(input.filename);
      headers['Content-Security-Policy'] = "sandbox; default-src 'none'";
    }

    const ifRange = req.headers['if-range'];
    const rangeApplies = req.method === 'GET' && (ifRange === undefined || String(ifRange).trim() === etag);
    const range = rangeApplies ? parseRange(req.headers.range, size) : undefined;
    if (range === 'unsatisfiable') {
      sendJson(
        res,
        416,
        { kind: 'range_not_satisfiable', message: `The file has ${size} bytes.` },
        {
          ...headers,
          'Content-Range': `bytes */${size}`,
        },
      );
      return true;
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    headers['Content-Length'] = String(size === 0 ? 0 : end - start + 1);
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return true;
    }
    streaming = true;
    await pipeline(handle.createReadStream({ start, end }), res).catch(() => {
      // The client went away mid-download; there is nothing to answer.
    });
    return true;
  } finally {
    if (!streaming) await handle.close();
  }
}
