// The README's first two examples, as a new user runs them: `itty-uploader serve` (the CLI's own code), then
// demo/try.html and demo/quickstart.html opened from file:// URLs in Chromium, a file picked through the
// element's real file input, and the file stored by the server. Only addresses change: the CDN URL points
// at this build's dist/ (served with the CDN's `Access-Control-Allow-Origin: *`; there is no internet here),
// the port is a free one instead of 8787, and the quickstart's `/upload-url` is the one the CLI printed.
import assert from 'node:assert/strict';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { main, type RunningServer } from '../../src/server/cli.js';
import { ensureDist } from '../helpers/dist.js';
import { fixture } from './site.js';
// @ts-expect-error scripts/chrome.mjs is plain JavaScript without declarations.
import { CHROME_ARGS, findChrome } from '../../scripts/chrome.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CDN = /https:\/\/cdn\.jsdelivr\.net\/npm\/itty-uploader@[\d.]+\/dist\//g;

let dir: string;
let cdn: Server;
let cdnUrl: string;
let running: RunningServer | undefined;
let endpoint: string;
let browser: Browser;

before(async () => {
  ensureDist();
  dir = await mkdtemp(join(tmpdir(), 'itty-try-'));
  // The CDN: dist/ as files, readable from any origin.
  cdn = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://cdn').pathname));
    const file = join(root, path);
    if (!path.startsWith('/dist/') || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'access-control-allow-origin': '*' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/dist/`;
  const printed: string[] = [];
  running = await main(['serve', '--dir', join(dir, 'uploads'), '--port', '0'], { out: (text) => printed.push(text), env: {} });
  assert.ok(running);
  // The endpoint the README tells users to copy is the one the CLI prints.
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

/** Writes the demo page with the CDN and endpoint addresses replaced, and opens it from a file:// URL. */
async function openFromDisk(name: string, endpointAsWritten: string): Promise<{ tab: Page; problems: string[] }> {
  const page = readFileSync(join(root, 'demo', name), 'utf8');
  assert.match(page, CDN);
  assert.ok(page.includes(`endpoint="${endpointAsWritten}"`), `${name} has endpoint="${endpointAsWritten}"`);
  const pagePath = join(dir, name);
  await writeFile(pagePath, page.replace(CDN, cdnUrl).replace(`endpoint="${endpointAsWritten}"`, `endpoint="${endpoint}"`));
  const tab = await browser.newPage();
  tab.setDefaultTimeout(15_000);
  const problems: string[] = [];
  tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  tab.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await tab.goto(pathToFileURL(pagePath).href);
  await tab.waitForFunction(() => customElements.get('itty-uploader'));
  return { tab, problems };
}

test('try-it: a file:// page with the CDN script uploads to `itty-uploader serve`', async () => {
  const { tab, problems } = await openFromDisk('try.html', 'http://127.0.0.1:8787/upload-url');
  try {
    await tab.evaluate(() => {
      const uploader = document.querySelector('itty-uploader')!;
      uploader.addEventListener('itty-upload-success', (event) => ((window as unknown as { stored: string }).stored = event.detail.file.url));
    });
    const bytes = 'hello from a file:// page\n';
    await tab.locator('itty-uploader input[type=file]').setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from(bytes) });
    const stored = await (await tab.waitForFunction(() => (window as unknown as { stored?: string }).stored)).jsonValue();
    assert.equal(stored, `${running!.url}/hello.txt`);
    assert.equal(await readFile(join(dir, 'uploads', 'hello.txt'), 'utf8'), bytes);
    assert.deepEqual(problems, []);
  } finally {
    await tab.close();
  }
});

test('quickstart: the uploaded image shows in <itty-file>', async () => {
  const { tab, problems } = await openFromDisk('quickstart.html', '/upload-url');
  try {
    await tab.locator('itty-uploader input[type=file]').setInputFiles(fixture('image-3x2.png'));
    const img = tab.locator('#preview img');
    await img.waitFor();
    await tab.waitForFunction((element) => element instanceof HTMLImageElement && element.complete && element.naturalWidth > 0, await img.elementHandle());
    const shown = await img.evaluate((element: HTMLImageElement) => ({ src: element.src, width: element.naturalWidth, height: element.naturalHeight }));
    assert.deepEqual(shown, { src: `${running!.url}/image-3x2.png`, width: 3, height: 2 });
    assert.deepEqual(problems, []);
  } finally {
    await tab.close();
  }
});
