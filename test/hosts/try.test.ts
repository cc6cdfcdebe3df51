// The README's first examples, as a new user runs them, against `itty-uploader serve` (the CLI's own code, its
// default origins) in Chromium, with files picked through the element's real file input and stored by the server:
// - the try page the CLI serves at `/` (the package's own built bundle, same origin as the signing endpoint);
// - demo/try.html and demo/quickstart.html served over http from 127.0.0.1, as "in your own page" says;
// - demo/try.html opened from disk (file://, Origin `null`), which the CLI refuses by default: sandboxed iframes
//   on any website send `null` too.
// Only addresses change in the demo pages: the CDN URL points at this build's dist/ on a local "CDN" (with the
// CDN's `Access-Control-Allow-Origin: *`; there is no internet here), and the endpoint at the one the CLI printed.
import assert from 'node:assert/strict';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright';
import { main, type RunningServer } from '../../src/server/cli.js';
import { ensureDist } from '../helpers/dist.js';
import { fixture } from './site.js';
// @ts-expect-error scripts/chrome.mjs is plain JavaScript without declarations.
import { CHROME_ARGS, findChrome } from '../../scripts/chrome.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CDN = /https:\/\/cdn\.jsdelivr\.net\/npm\/itty-uploader@[\d.]+\/dist\//g;
/** The endpoint each demo page is written with. */
const WRITTEN: Record<string, string> = { 'try.html': 'http://127.0.0.1:8787/upload-url', 'quickstart.html': '/upload-url' };

let dir: string;
let uploads: string;
let cdn: Server;
let cdnOrigin: string;
let running: RunningServer | undefined;
let tryUrl: string;
let endpoint: string;
let browser: Browser;

/** A demo page with the CDN and endpoint addresses replaced. */
function demoPage(name: string): string {
  const page = readFileSync(join(root, 'demo', name), 'utf8');
  assert.match(page, CDN);
  const written = WRITTEN[name]!;
  assert.ok(page.includes(`endpoint="${written}"`), `${name} has endpoint="${written}"`);
  return page.replace(CDN, `${cdnOrigin}/dist/`).replace(`endpoint="${written}"`, `endpoint="${endpoint}"`);
}

before(async () => {
  ensureDist();
  dir = await mkdtemp(join(tmpdir(), 'itty-try-'));
  uploads = join(dir, 'uploads');
  // The CDN: dist/ as files, readable from any origin; and the demo pages, as a user's own localhost site.
  cdn = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://cdn').pathname));
    const demo = /^\/demo\/(try|quickstart)\.html$/.exec(path);
    if (path === '/favicon.ico') return res.writeHead(204).end();
    if (demo) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(demoPage(`${demo[1]}.html`));
    const file = join(root, path);
    if (!path.startsWith('/dist/') || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'access-control-allow-origin': '*' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  cdnOrigin = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
  const printed: string[] = [];
  running = await main(['serve', '--dir', uploads, '--port', '0'], { out: (text) => printed.push(text), env: {} });
  assert.ok(running);
  // The addresses the README tells users to open and copy are the ones the CLI prints.
  tryUrl = /try it\s+(\S+)/.exec(printed.join(''))?.[1] ?? '';
  assert.equal(tryUrl, `${running.url}/`);
  endpoint = /signing endpoint\s+POST (\S+)/.exec(printed.join(''))?.[1] ?? '';
  assert.equal(endpoint, `${running.url}/upload-url`);
  browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS });
});

after(async () => {
  await browser?.close();
  await running?.close();
  cdn?.closeAllConnections();
  await new Promise((resolve) => cdn?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Opens a page and collects page errors and console errors (CSP violations are console errors). */
async function open(url: string): Promise<{ tab: Page; problems: string[] }> {
  const tab = await browser.newPage();
  tab.setDefaultTimeout(15_000);
  const problems: string[] = [];
  tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  tab.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await tab.goto(url);
  await tab.waitForFunction(() => customElements.get('itty-uploader') && customElements.get('itty-file'));
  return { tab, problems };
}

/** Resolves with the File object of the next `itty-upload-success` on the page's uploader. */
async function watchSuccess(tab: Page): Promise<() => Promise<{ url: string } | undefined>> {
  await tab.evaluate(() => {
    document.querySelector('itty-uploader')!.addEventListener('itty-upload-success', (event) => {
      (window as unknown as { stored: unknown }).stored = event.detail.file;
    });
  });
  return async () => (await tab.waitForFunction(() => (window as unknown as { stored?: { url: string } }).stored)).jsonValue();
}

/** Waits until `img` has loaded and returns what it shows. */
async function shownImage(tab: Page, selector: string): Promise<{ src: string; width: number; height: number }> {
  const img = tab.locator(selector);
  await img.waitFor();
  await tab.waitForFunction(
    (element) => element instanceof HTMLImageElement && element.complete && element.naturalWidth > 0,
    await img.elementHandle(),
  );
  return img.evaluate((element: HTMLImageElement) => ({ src: element.src, width: element.naturalWidth, height: element.naturalHeight }));
}

test('the try page `itty-uploader serve` prints uploads a picked file and shows it in <itty-file>', async () => {
  const { tab, problems } = await open(tryUrl);
  try {
    assert.equal(await tab.title(), 'Try itty-uploader');
    assert.equal(await tab.locator('h1').textContent(), 'Try itty-uploader');
    await tab.locator('itty-uploader input[type=file]').setInputFiles([
      { name: 'image-3x2.png', mimeType: 'image/png', buffer: readFileSync(fixture('image-3x2.png')) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi\n') },
    ]);
    // Both files listed (newest first), the image shown by <itty-file> from where the server stored it.
    await tab.locator('#uploaded-files itty-file').nth(1).waitFor();
    const urls = await tab
      .locator('#uploaded-files itty-file')
      .evaluateAll((files) => files.map((file) => (file as HTMLElement & { file: { url: string } }).file.url).sort());
    assert.deepEqual(urls, [`${running!.url}/image-3x2.png`, `${running!.url}/notes.txt`]);
    assert.deepEqual(await shownImage(tab, '#uploaded-files itty-file img'), { src: `${running!.url}/image-3x2.png`, width: 3, height: 2 });
    assert.deepEqual(await readFile(join(uploads, 'image-3x2.png')), await readFile(fixture('image-3x2.png')));
    assert.equal(await readFile(join(uploads, 'notes.txt'), 'utf8'), 'hi\n');
    // Nothing the strict CSP refused, no script error.
    assert.deepEqual(problems, []);
    // Accessible in light and dark: no serious or critical axe violation (contrast included), shadow DOM included.
    await tab.evaluate(axeSource);
    for (const colorScheme of ['light', 'dark'] as const) {
      await tab.emulateMedia({ colorScheme });
      const serious = await tab.evaluate(async () => {
        // The elements' colours transition (0.15 s): check the switched colours, not a frame between them.
        document.documentElement.getBoundingClientRect();
        const roots: (Document | ShadowRoot)[] = [document];
        for (let i = 0; i < roots.length; i++) {
          for (const element of roots[i]!.querySelectorAll('*')) if (element.shadowRoot) roots.push(element.shadowRoot);
        }
        await Promise.all(roots.flatMap((node) => node.getAnimations()).map((animation) => animation.finished));
        const { violations } = await (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, {
          resultTypes: ['violations'],
        });
        return violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => `${n.html.slice(0, 80)} ${n.failureSummary}`).join('; ')}`);
      });
      assert.deepEqual(serious, [], colorScheme);
    }
  } finally {
    await tab.close();
  }
});

test('in your own page: demo/try.html served from 127.0.0.1 uploads to the CLI with its default origins', async () => {
  const { tab, problems } = await open(`${cdnOrigin}/demo/try.html`);
  try {
    const stored = await watchSuccess(tab);
    const bytes = 'hello from a page on localhost\n';
    await tab
      .locator('itty-uploader input[type=file]')
      .setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from(bytes) });
    assert.equal((await stored())?.url, `${running!.url}/hello.txt`);
    assert.equal(await readFile(join(uploads, 'hello.txt'), 'utf8'), bytes);
    assert.deepEqual(problems, []);
  } finally {
    await tab.close();
  }
});

test('quickstart served from 127.0.0.1: the uploaded image shows in <itty-file>', async () => {
  const { tab, problems } = await open(`${cdnOrigin}/demo/quickstart.html`);
  try {
    await tab.locator('itty-uploader input[type=file]').setInputFiles(fixture('image-2x1.png'));
    assert.deepEqual(await shownImage(tab, '#preview img'), { src: `${running!.url}/image-2x1.png`, width: 2, height: 1 });
    assert.deepEqual(problems, []);
  } finally {
    await tab.close();
  }
});

test('demo/try.html opened from disk (file://, Origin null) is refused by default, visibly, and nothing is stored', async () => {
  const pagePath = join(dir, 'try.html');
  await writeFile(pagePath, demoPage('try.html'));
  const { tab } = await open(pathToFileURL(pagePath).href);
  try {
    const refused: string[] = [];
    tab.on('requestfailed', (request) => refused.push(request.url()));
    await tab.evaluate(() => {
      const uploader = document.querySelector('itty-uploader')!;
      // Not waiting out the automatic retries of a network error: the first refusal is final here.
      uploader.retries = 0;
      uploader.addEventListener(
        'itty-upload-error',
        (event) => ((window as unknown as { failed: string }).failed = event.detail.error.code),
      );
    });
    const before = await readdir(uploads);
    await tab
      .locator('itty-uploader input[type=file]')
      .setInputFiles({ name: 'from-disk.txt', mimeType: 'text/plain', buffer: Buffer.from('nope\n') });
    assert.equal(await (await tab.waitForFunction(() => (window as unknown as { failed?: string }).failed)).jsonValue(), 'network');
    // The user sees it: the file's row is in its error state, with a retry button.
    await tab.locator('itty-uploader [part~="item-error"] [part="error"]').waitFor();
    await tab.locator('itty-uploader [part~="retry-button"]').waitFor();
    assert.deepEqual(refused, [endpoint]);
    assert.deepEqual(await readdir(uploads), before);
  } finally {
    await tab.close();
  }
});
