// A second, deliberately flaky upload server for the test runner: the real `createUploadServer` with
// `faults`, mounted under /faulty (signing endpoint /faulty/upload-url, files under /faulty/uploads/,
// File objects at /faulty/files/<id>), storing into its own temp folder. Test-only routes:
//   GET /__test/faulty/stored?path=p, /__test/faulty/files  (as for the main server)
//   GET /__test/faulty/report → { faults: { kind: count }, errors: [messages the server reported] }
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUploadServer } from '../../src/server/node.ts';
import { koaMiddleware, testRoutes } from './server-middleware.mjs';

/** mulberry32: seeded, so a run's sequence of draws can be replayed with the same FAULT_SEED. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function faultyUploads({ key, rate = 0.1, seed = 1, mount = '/faulty' }) {
  const dir = mkdtempSync(join(tmpdir(), 'itty-faulty-'));
  const faults = {};
  const errors = [];
  const handler = createUploadServer({
    key,
    dir,
    basePath: '/uploads',
    faults: { rate, random: seeded(seed), onFault: ({ kind }) => (faults[kind] = (faults[kind] ?? 0) + 1) },
    onError: (error) => errors.push(String(error)),
  });
  const routes = testRoutes({ uploadsDir: dir, prefix: '/__test/faulty' });
  const serve = koaMiddleware(handler);

  const middleware = async (ctx, next) => {
    if (ctx.path === '/__test/faulty/report') {
      ctx.body = { faults, errors };
      return;
    }
    if (!ctx.path.startsWith(`${mount}/`)) return routes(ctx, next);
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
    // A reset left no answer; say so, or the runner lists the request among its "404 network requests".
    if (!ctx.res.headersSent && ctx.res.destroyed) ctx.status = 499;
  };

  return {
    dir,
    middleware,
    async close() {
      await handler.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
