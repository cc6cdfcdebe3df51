import type { IncomingMessage, ServerResponse } from 'node:http';

import { HttpError, invalid } from './http-error.js';

/** The error answers live in a module without `node:*` (itty-uploader/testing uses them too). */
export { HttpError, invalid, isRecord, shuttingDown, tooLarge, type ErrorKind } from './http-error.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(res.req?.method === 'HEAD' ? undefined : text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { kind: error.kind, message: error.message }, error.headers);
}

/** Answers with no body (202 for an accepted chunk). */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, headers);
  res.end();
}

/** The `Bearer` token of the Authorization header, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

const JSON_LIMIT = 64 * 1024;

/**
 * Reads a small JSON body (at most `limit`, 64 KiB by default). Accepts a body a framework already parsed (`req.body` after
 * the stream ended), so the handler also works behind `express.json()`.
 */
export async function readJson(req: IncomingMessage, limit = JSON_LIMIT): Promise<unknown> {
  const preParsed = (req as IncomingMessage & { body?: unknown }).body;
  if (req.readableEnded && preParsed !== undefined) {
    if (typeof preParsed === 'string' || Buffer.isBuffer(preParsed)) return parseJson(preParsed.toString());
    return preParsed;
  }
  const declared = Number(req.headers['content-length']);
  const tooLong = () => new HttpError(413, 'request_too_large', `The JSON body is larger than ${limit / 1024} KiB.`);
  if (declared > limit) throw tooLong();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLong();
    chunks.push(chunk);
  }
  return parseJson(Buffer.concat(chunks).toString('utf8'));
}

function parseJson(text: string): unknown {
  try {
    // A leading byte order mark is not JSON, but RFC 8259 lets a parser ignore it (and Express's does).
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw invalid('The body is not valid JSON.');
  }
}
