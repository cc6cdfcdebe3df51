// Browser tests: real Chromium through Playwright, against the real upload server mounted as middleware.
// Run through scripts/test.mjs (node --import tsx), so this file can import the TypeScript server.
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { createUploadServer } from './src/server/node.ts';
import { CHROME_ARGS, findChrome } from './scripts/chrome.mjs';
import { cuttableNetwork, koaMiddleware, testRoutes } from './test/helpers/server-middleware.mjs';
import { faultyUploads } from './test/helpers/faulty-server.mjs';
import { s3Storage } from './test/helpers/s3-server.mjs';
import { lifecycleServer } from './test/helpers/lifecycle-server.mjs';
import { s3Endpoint } from './test/helpers/s3-endpoint.ts';

// One folder per run, so runs side by side never see (or delete) each other's files.
const uploadsDir = new URL(`./.test-uploads/run-${process.pid}/`, import.meta.url).pathname;
rmSync(uploadsDir, { recursive: true, force: true });
process.once('exit', () => rmSync(uploadsDir, { recursive: true, force: true }));

const uploads = createUploadServer({
  key: 'test-key',
  dir: uploadsDir,
  basePath: '/uploads',
  maxSize: 1100 * 1024 * 1024,
});

// The load test's server: 10 % of signing requests and PUTs fail (5xx, 429, expired, reset mid-body).
// FAULT_SEED replays a run's draws; LOAD_FILES sets the load test's size (40 in `npm test`, 300 in `npm run test:load`).
const faulty = faultyUploads({ key: 'test-key', rate: Number(process.env.FAULT_RATE ?? 0.1), seed: Number(process.env.FAULT_SEED ?? 1) });
const loadFiles = Number(process.env.LOAD_FILES ?? 40);
// s3rver with SigV4 checks, started and stopped with the test server.
const s3 = s3Storage();
// Issue 20: a server whose files are `processing` for a while, an app's completion endpoint and its status endpoint.
const lifecycle = lifecycleServer({ key: 'test-key' });
// createS3Uploads on the page's origin, signing for s3rver behind a SigV4-verifying front (multipart, POST policies);
// its chaos route fails as the faulty server does (the load test's multipart files).
const s3Uploads = s3Endpoint({ chaos: { rate: Number(process.env.FAULT_RATE ?? 0.1), seed: Number(process.env.FAULT_SEED ?? 1) } });

// A free port rather than wtr's fixed 8000, so several runs (engines, benchmarks, a demo) can share the machine.
const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  port: Number(process.env.WTR_PORT) || (await freePort()),
  files: process.env.WTR_FILES?.split(',') ?? [
    'test/browser/**/*.test.ts',
    'test/elements/**/*.test.ts',
    'test/media/**/*.test.ts',
    'test/e2e/**/*.test.ts',
  ],
  nodeResolve: { browser: true },
  concurrency: 1,
  testFramework: { config: { timeout: 120000 } },
  testsFinishTimeout: 600000,
  browserStartTimeout: 120000,
  middleware: [
    (ctx, next) => {
      // MSW registers its worker with scope '/', above the script's own folder.
      if (ctx.path.endsWith('/mockServiceWorker.js')) ctx.set('Service-Worker-Allowed', '/');
      return next();
    },
    (ctx, next) => {
      // A module worker is started by URL (`new URL('./image-worker.js', import.meta.url)`), as in the built package:
      // serve the TypeScript source under the name the build gives it, so tests exercise the worker path too.
      if (ctx.path.startsWith('/src/') && ctx.path.endsWith('.js')) {
        const source = new URL(`.${ctx.path.slice(0, -3)}.ts`, import.meta.url);
        if (!existsSync(new URL(`.${ctx.path}`, import.meta.url)) && existsSync(source)) ctx.path = `${ctx.path.slice(0, -3)}.ts`;
      }
      return next();
    },
    testRoutes({ uploadsDir }),
    (ctx, next) => {
      if (ctx.path !== '/__test/load') return next();
      ctx.body = { files: loadFiles };
    },
    faulty.middleware,
    lifecycle.middleware,
    s3.middleware,
    s3Uploads.middleware,
    cuttableNetwork(),
    koaMiddleware(uploads),
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    s3.plugin,
    s3Uploads.plugin,
    {
      name: 'close-upload-servers',
      async serverStop() {
        await Promise.all([uploads.close(), faulty.close(), lifecycle.close()]);
      },
    },
    {
      // A browser may end an aborted upload by closing its side of the connection mid-body (WebKit always,
      // Chromium now and then), which Node reports as a parse error (HPE_INVALID_EOF_STATE) that the test
      // server would print; it already ignores resets. The upload server cleans up either way (tests check it).
      name: 'quiet-aborted-uploads',
      serverStart({ app }) {
        for (const listener of app.listeners('error')) {
          app.off('error', listener);
          app.on('error', (error, ...rest) => (error?.code === 'HPE_INVALID_EOF_STATE' ? undefined : listener(error, ...rest)));
        }
      },
    },
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: findChrome(),
        args: [...CHROME_ARGS, '--js-flags=--expose-gc'],
      },
    }),
  ],
};
