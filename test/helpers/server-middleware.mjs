// Joins Node-style (req, res, next) handlers to the test runner's Koa middleware chain.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export function koaMiddleware(handler) {
  return (ctx, next) =>
    new Promise((done, fail) => {
      ctx.respond = false;
      ctx.res.once('close', () => done());
      ctx.res.once('finish', () => done());
      handler(ctx.req, ctx.res, (error) => {
        ctx.respond = true;
        if (error) fail(error);
        else next().then(done, fail);
      });
    });
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => statSync(join(dir, name)).isFile());
}

/**
 * A network the tests can cut: `POST /__test/network?down=1` drops every upload request in flight
 * and every new one (the socket is destroyed, as when a connection dies) until `?down=0`.
 */
export function cuttableNetwork() {
  let down = false;
  const inFlight = new Set();
  return async (ctx, next) => {
    if (ctx.path === '/__test/network') {
      down = ctx.query.down === '1';
      if (down) for (const req of inFlight) req.socket.destroy();
      ctx.body = { down };
      return;
    }
    if (!ctx.path.startsWith('/uploads/') && ctx.path !== '/upload-url') return next();
    if (down) {
      ctx.req.socket.destroy();
      return;
    }
    inFlight.add(ctx.req);
    try {
      await next();
    } finally {
      inFlight.delete(ctx.req);
    }
  };
}

/**
 * Routes only the tests use, to look at the server's disk the way an operator would:
 * GET {prefix}/stored?path=p → { exists, size, sha256 } of the stored file;
 * GET {prefix}/files → every file under the upload folder (temp files included).
 * `prefix` is `/__test` by default (a second server's routes need another one).
 */
export function testRoutes({ uploadsDir, prefix = '/__test' }) {
  return async (ctx, next) => {
    if (ctx.path === `${prefix}/files`) {
      ctx.body = { files: listFiles(uploadsDir) };
      return;
    }
    if (ctx.path === `${prefix}/stored`) {
      const path = resolve(uploadsDir, String(ctx.query.path ?? ''));
      if (relative(uploadsDir, path).startsWith('..') || !existsSync(path) || !statSync(path).isFile()) {
        ctx.body = { exists: false };
        return;
      }
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path)) hash.update(chunk);
      ctx.body = { exists: true, size: statSync(path).size, sha256: hash.digest('hex') };
      return;
    }
    return next();
  };
}
