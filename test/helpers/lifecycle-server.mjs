// What the lifecycle tests (issue 20) talk to, over real HTTP:
// - a second upload server whose File objects are `processing` for `processingMs` after the upload (the real
//   `createUploadServer` with its `processing` option), mounted under /processing (signing endpoint
//   /processing/upload-url, files under /processing/uploads/, File objects at /processing/files/<id> with the Bearer key);
// - an app's completion endpoint, POST /__test/complete?mode=…, which records each call:
//     file (default): answers `{ file }` with the File object it got, `saved: true` and `metadata` = the call's meta
//     data: the same as `{ data }`; bare: the same, bare; empty: 204; text: 200 text/html; nofile: 200 `{ ok: true }`;
//     flaky: 503 on the first call for a file, then as `file`; fail: 503 always; bad: 422 with a message
//   GET /__test/complete/calls → { calls: [{ body, headers }] }; POST /__test/complete/reset forgets them;
// - an app's status endpoint, GET /__test/status/<id>, which asks the processing server for the File object with the
//   key (as an app's server asks ittybit) and passes it on; /__test/status-never/<id> always says `processing`.
//   GET /__test/status/count → { count } of status requests so far.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUploadServer } from '../../src/server/node.ts';
import { koaMiddleware } from './server-middleware.mjs';

const readBody = (req) =>
  new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });

export function lifecycleServer({ key, processingMs = 1500, mount = '/processing' }) {
  const dir = mkdtempSync(join(tmpdir(), 'itty-processing-'));
  const handler = createUploadServer({ key, dir, basePath: '/uploads', processing: { ms: processingMs } });
  const serve = koaMiddleware(handler);
  let calls = [];
  const seen = new Set();
  let statusCount = 0;

  const complete = async (ctx) => {
    const text = await readBody(ctx.req);
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    calls.push({ body, headers: ctx.headers });
    const mode = ctx.query.mode ?? 'file';
    const file = body?.file ? { ...body.file, saved: true, metadata: body.meta ?? {} } : undefined;
    const first = !seen.has(body?.file?.url);
    seen.add(body?.file?.url);
    if (mode === 'fail' || (mode === 'flaky' && first)) {
      ctx.status = 503;
      ctx.body = { message: 'The app is busy' };
    } else if (mode === 'bad') {
      ctx.status = 422;
      ctx.body = { message: 'Unknown upload' };
    } else if (mode === 'empty') ctx.status = 204;
    else if (mode === 'text') {
      ctx.type = 'text/html';
      ctx.body = '<p>saved</p>';
    } else if (mode === 'nofile') ctx.body = { ok: true };
    else ctx.body = mode === 'data' ? { data: file } : mode === 'bare' ? file : { file };
  };

  const status = async (ctx, id, never) => {
    statusCount += 1;
    const answer = await fetch(`${ctx.origin}${mount}/files/${encodeURIComponent(id)}`, { headers: { Authorization: `Bearer ${key}` } });
    ctx.status = answer.status;
    const object = await answer.json();
    ctx.body = never ? { ...object, status: 'processing' } : object;
  };

  const middleware = async (ctx, next) => {
    if (ctx.path === '/__test/complete' && ctx.method === 'POST') return complete(ctx);
    if (ctx.path === '/__test/complete/calls') {
      ctx.body = { calls };
      return;
    }
    if (ctx.path === '/__test/complete/reset') {
      calls = [];
      seen.clear();
      statusCount = 0;
      ctx.body = { ok: true };
      return;
    }
    if (ctx.path === '/__test/status/count') {
      ctx.body = { count: statusCount };
      return;
    }
    const poll = /^\/__test\/status(-never)?\/([^/]+)$/.exec(ctx.path);
    if (poll) return status(ctx, decodeURIComponent(poll[2]), !!poll[1]);
    if (!ctx.path.startsWith(`${mount}/`)) return next();
    // Mounted the way Connect/Express mount a handler: req.url without the prefix, originalUrl with it.
    const { req } = ctx;
    const url = req.url;
    req.originalUrl = url;
    req.url = url.slice(mount.length);
    try {
      await serve(ctx, async () => {
        req.url = url;
        await next();
      });
    } finally {
      req.url = url;
    }
  };

  return {
    middleware,
    async close() {
      await handler.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
