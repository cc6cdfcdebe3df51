// Express (or node:http): the fetch-style handler of s3-uploads.ts behind a Node request handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Express } from 'express';
import type { S3UploadsHandler } from 'itty-uploader/server/s3';
import { uploads } from './s3-uploads.js';

/** Sends a Node request to a fetch-style handler and its Response back. Works for Express's req and res too. */
export async function sendTo(handler: S3UploadsHandler, req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) for (const item of [value ?? []].flat()) headers.append(name, item);
  const response = await handler(
    new Request(new URL(req.originalUrl ?? req.url ?? '/', `http://${req.headers.host}`), {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream),
      duplex: 'half', // Node's fetch needs it for a streamed body, and DOM's RequestInit type lacks it
    } as RequestInit),
  );
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.end(Buffer.from(await response.arrayBuffer()));
}

export function mountUploads(app: Express) {
  app.post('/api/upload', (req, res, next) => sendTo(uploads, req, res).catch(next)); // before express.json()
}
