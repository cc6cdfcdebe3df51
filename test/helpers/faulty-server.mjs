// A second, deliberately flaky upload server for the test runner: the real `createUploadServer` with
// `faults`, mounted under /faulty (signing endpoint /faulty/upload-url, files under /faulty/uploads/,
// File objects at /faulty/files/<id>), storing into its own temp folder. Test-only routes:
//   GET /__test/faulty/stored?path=p, /__test/faulty/files  (as for the main server)
//   GET /__test/faulty/report → { faults: { kind: count }, errors: [messages the server reported], restarts }
//   POST /__test/faulty/restart → the server stops (requests in flight cut) and starts again on its folder
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUploadServer } from '../../src/server/node.ts';
import { koaMiddleware, testRoutes } from './server-middleware.mjs';
import { seeded } from './seeded.ts';

export function faultyUploads({ key, rate = 0.1, seed = 1, mount = '/faulty' }) {
  const dir = mkdtempSync(join(tmpdir(), 'itty-faulty-'));
  const faults = {};
  const errors = [];
  const random = seeded(seed);
  const start = () =>
    createUploadServer({
      key,
      dir,
      basePath: '/uploads',
      faults: { rate, random, onFault: ({ kind }) => (faults[kind] = (faults[kind] ?? 0) + 1) },
      onError: (error) => errors.push(String(error)),
    });
  let handler = start();
  const routes = testRoutes({ uploadsDir: dir, prefix: '/__test/faulty' });
  let serve = koaMiddleware(handler);
  // Requests the server is handling: a restart cuts them, as a killed process would.
  const inFlight = new Set();
  let restarts = 0;
  let down = false;

  const middleware = async (ctx, next) => {
    if (ctx.path === '/__test/faulty/report') {
      ctx.body = { faults, errors, restarts };
      return;
    }
    // POST /__test/faulty/restart: the upload server stops (every request in flight cut, chunk sessions left on
    // disk) and a new one starts on the same folder, as after `kill` and a restart.
    if (ctx.path === '/__test/faulty/restart' && ctx.method === 'POST') {
      const old = handler;
      // From now until the new server is up, nothing reaches the old one: as for a killed process, a request is
      // refused (its connection closed) rather than served by a server that is going down.
      down = true;
      for (const req of inFlight) req.socket.destroy();
      await old.close();
      handler = start();
      serve = koaMiddleware(handler);
      down = false;
      restarts += 1;
      ctx.body = { restarts };
      return;
    }
    if (!ctx.path.startsWith(`${mount}/`)) return routes(ctx, next);
    // Mounted the way Connect/Express mount a handler: req.url without the prefix, originalUrl with it.
    const { req } = ctx;
    if (down) {
      req.socket.destroy();
      ctx.status = 499;
      return;
    }
    const url = req.url;
    req.originalUrl = url;
    req.url = url.slice(mount.length);
    inFlight.add(req);
    try {
      await serve(ctx, async () => {
        req.url = url;
        await next();
      });
    } finally {
      inFlight.delete(req);
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
