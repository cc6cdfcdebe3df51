// Browser tests: real Chromium through Playwright, against the real upload server mounted as middleware.
// Run through scripts/test.mjs (node --import tsx), so this file can import the TypeScript server.
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { createUploadServer } from './src/server/index.ts';
import { findChrome } from './scripts/chrome.mjs';
import { cuttableNetwork, koaMiddleware, testRoutes } from './test/helpers/server-middleware.mjs';

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
  files: process.env.WTR_FILES?.split(',') ?? ['test/browser/**/*.test.ts', 'test/elements/**/*.test.ts'],
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
    testRoutes({ uploadsDir }),
    cuttableNetwork(),
    koaMiddleware(uploads),
  ],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: findChrome(),
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
          '--js-flags=--expose-gc',
        ],
      },
    }),
  ],
};
