// The demo site as the host tests see it: the pages built by Vite (from dist/, as an app would build them),
// served by node:http together with the real upload server (behind the demo's throttle), plus a Chromium.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { build } from 'vite';
import { demoBuildConfig, demoRoot, rawFile, react18BuildConfig } from '../../demo/site.config.js';
import { throttleUploads } from '../../demo/throttle.js';
import { editEndpoints } from '../../demo/edit-endpoints.js';
import { createUploadServer } from '../../src/server/node.js';
import { ensureDist } from '../helpers/dist.js';
// @ts-expect-error scripts/chrome.mjs is plain JavaScript without declarations.
import { CHROME_ARGS, findChrome } from '../../scripts/chrome.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', name);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** One PUT the upload server received, for assertions on how a file was sent. */
export interface PutRecord {
  path: string;
  contentRange?: string;
  throttled: boolean;
}

export interface Site {
  url: string;
  puts: PutRecord[];
  browser: Browser;
  /** A fresh page at `path` that collects page errors, console errors and failed requests into `problems`. */
  open(path: string, setup?: (page: Page) => void): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

function sendFile(res: ServerResponse, file: string) {
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

export async function startSite(): Promise<Site> {
  ensureDist();
  const outDir = await mkdtemp(join(tmpdir(), 'itty-hosts-site-'));
  const uploadsDir = await mkdtemp(join(tmpdir(), 'itty-hosts-uploads-'));
  await build(await demoBuildConfig(outDir));
  // After the other pages, into the same folder (it does not empty it): react18.html, built with React 18.
  await build(await react18BuildConfig(outDir));

  const puts: PutRecord[] = [];
  const uploads = createUploadServer({ key: 'hosts-test-key', dir: uploadsDir, basePath: '/uploads' });
  const throttled = throttleUploads(uploads);
  // The edit form's storage and the app's endpoints around it, as vite.config.ts mounts them (files processing 1.5 s).
  const editDir = await mkdtemp(join(tmpdir(), 'itty-hosts-edit-'));
  const edit = { key: 'hosts-test-key', dir: editDir };
  const editUploads = createUploadServer({ ...edit, basePath: '/uploads', processing: { ms: 1500 } });
  const editApi = editEndpoints(edit);
  const serveStatic = (req: IncomingMessage, res: ServerResponse) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://site').pathname);
    const raw = rawFile(pathname);
    if (raw) return sendFile(res, raw);
    const relative = normalize(pathname === '/' ? '/index.html' : pathname);
    const built = join(outDir, relative);
    if (!relative.startsWith('..') && existsSync(built) && statSync(built).isFile()) return sendFile(res, built);
    // The script-tag page's stylesheet is not part of the build: it is served as written, like the page.
    if (relative === '/demo.css') return sendFile(res, join(demoRoot, 'demo.css'));
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
  const server = createServer((req, res) => {
    if (req.method === 'PUT') {
      const url = new URL(req.url ?? '/', 'http://site');
      const contentRange = req.headers['content-range'];
      puts.push({ path: url.pathname, throttled: url.searchParams.has('throttle'), ...(contentRange ? { contentRange } : {}) });
    }
    if (req.url?.startsWith('/edit/')) {
      // Mounted the way Connect mounts a handler under a path: req.url without the prefix, originalUrl with it.
      Object.assign(req, { originalUrl: req.url, url: req.url.slice('/edit'.length) });
      return editUploads(req, res, () => res.writeHead(404).end());
    }
    editApi(req, res, () => throttled(req, res, () => serveStatic(req, res)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await chromium.launch({
    executablePath: findChrome(),
    args: CHROME_ARGS,
  });

  return {
    url,
    puts,
    browser,
    async open(path, setup) {
      const page = await browser.newPage();
      page.setDefaultTimeout(15_000);
      setup?.(page);
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
      });
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
      await page.goto(`${url}${path}`);
      return { page, problems };
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await uploads.close();
      await editUploads.close();
      await rm(editDir, { recursive: true, force: true });
      await rm(outDir, { recursive: true, force: true });
      await rm(uploadsDir, { recursive: true, force: true });
    },
  };
}

/**
 * Picks `file` in the uploader inside `scope` through its real `<input type=file>` (in the shadow root,
 * which Playwright's CSS locators pierce), as a user choosing a file in the dialog would.
 */
export async function pickFile(page: Page, scope: string, file: string) {
  await page.locator(`${scope} itty-uploader input[type=file]`).setInputFiles(file);
}

/** Waits until the `<itty-file>` in `scope` shows a loaded `<img>`, and returns its `src` and natural size. */
export async function renderedImage(page: Page, scope: string) {
  const img = page.locator(`${scope} itty-file img`);
  await img.waitFor();
  await page.waitForFunction(
    (element) => element instanceof HTMLImageElement && element.complete && element.naturalWidth > 0,
    await img.elementHandle(),
  );
  return img.evaluate((element: HTMLImageElement) => ({ src: element.src, width: element.naturalWidth, height: element.naturalHeight }));
}
