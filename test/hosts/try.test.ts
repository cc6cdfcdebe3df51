// The README's "Try it in 30 seconds", as a new user does it: `itty-uploader serve` (the CLI's own code),
// then demo/try.html opened from a file:// URL in Chromium, a file picked through the element's real file
// input, and the file stored by the server. Only two addresses change: the CDN URL points at this build's
// dist/ (served with the CDN's `Access-Control-Allow-Origin: *`; there is no internet here), and the port is
// a free one instead of 8787.
import assert from 'node:assert/strict';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright';
import { main } from '../../src/server/cli.js';
import { ensureDist } from '../helpers/dist.js';
// @ts-expect-error scripts/chrome.mjs is plain JavaScript without declarations.
import { CHROME_ARGS, findChrome } from '../../scripts/chrome.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CDN = /https:\/\/cdn\.jsdelivr\.net\/npm\/itty-uploader@[\d.]+\/dist\//g;

test('README try-it: a file:// page with the CDN script uploads to `itty-uploader serve`', async () => {
  ensureDist();
  const dir = await mkdtemp(join(tmpdir(), 'itty-try-'));
  // The CDN: dist/ as files, readable from any origin.
  const cdn = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://cdn').pathname));
    const file = join(root, path);
    if (!path.startsWith('/dist/') || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'access-control-allow-origin': '*' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  const cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/dist/`;
  const printed: string[] = [];
  const running = await main(['serve', '--dir', join(dir, 'uploads'), '--port', '0'], { out: (text) => printed.push(text), env: {} });
  const browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS });
  try {
    assert.ok(running);
    // The endpoint the README tells users to copy is the one the CLI prints.
    const endpoint = /signing endpoint\s+POST (\S+)/.exec(printed.join(''))?.[1];
    assert.equal(endpoint, `${running.url}/upload-url`);
    const page = readFileSync(join(root, 'demo/try.html'), 'utf8');
    assert.match(page, CDN);
    assert.ok(page.includes('endpoint="http://127.0.0.1:8787/upload-url"'));
    const pagePath = join(dir, 'try.html');
    await writeFile(pagePath, page.replace(CDN, cdnUrl).replace('http://127.0.0.1:8787/upload-url', endpoint));

    const tab = await browser.newPage();
    tab.setDefaultTimeout(15_000);
    const problems: string[] = [];
    tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    tab.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    await tab.goto(pathToFileURL(pagePath).href);
    await tab.waitForFunction(() => customElements.get('itty-uploader'));
    await tab.evaluate(() => {
      const uploader = document.querySelector('itty-uploader')!;
      uploader.addEventListener('itty-upload-success', (event) => ((window as unknown as { stored: string }).stored = event.detail.file.url));
    });
    const bytes = 'hello from a file:// page\n';
    await tab.locator('itty-uploader input[type=file]').setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from(bytes) });
    const stored = await (await tab.waitForFunction(() => (window as unknown as { stored?: string }).stored)).jsonValue();
    assert.equal(stored, `${running.url}/hello.txt`);
    assert.equal(await readFile(join(dir, 'uploads', 'hello.txt'), 'utf8'), bytes);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await running?.close();
    cdn.closeAllConnections();
    await new Promise((resolve) => cdn.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
});
