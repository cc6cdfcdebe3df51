import type { IncomingMessage, ServerResponse } from 'node:http';
import { signUploadUrl } from '../src/server/index.js';

/** POST /upload-url signing for a real ittybit project (demo only; the same shape as the local server's). */
export function ittybitSigningEndpoint({ key, domain }: { key: string; domain: string }) {
  return async (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/upload-url') return next();
    let raw = '';
    for await (const chunk of req) raw += chunk;
    try {
      const { filename, folder } = JSON.parse(raw) as { filename?: unknown; folder?: unknown };
      if (typeof filename !== 'string' || !filename) throw new Error('filename is required');
      const signature = await signUploadUrl({
        key,
        domain,
        filename,
        ...(typeof folder === 'string' && folder ? { folder } : {}),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(signature));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'request_invalid', message }));
    }
  };
}
