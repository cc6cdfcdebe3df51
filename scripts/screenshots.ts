// `npm run screenshots`: pictures of both elements in every state, light and dark, in screenshots/.
// Real uploads against the real upload server; an upload is held mid-body by a slow reader so the
// "uploading" state can be photographed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright';
import { createUploadServer } from '../src/server/node.js';
// @ts-expect-error: plain ESM helper without types
import { CHROME_ARGS, findChrome } from './chrome.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'screenshots');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'itty-shots-'));
const uploads = createUploadServer({ key: 'shots', dir, basePath: '/uploads' });

const bundle = await build({
  entryPoints: [join(root, 'src/index.ts')],
  bundle: true,
  format: 'esm',
  write: false,
  target: 'es2022',
  tsconfig: join(root, 'tsconfig.json'),
});
const script = bundle.outputFiles[0]!.text;
const png = readFileSync(join(root, 'test/fixtures/image-2x1.png'));

const page = `<!doctype html><html><head><meta charset="utf-8"><style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; background: light-dark(#fafafa, #09090b); color: light-dark(#18181b, #f4f4f5); }
  body { margin: 0; padding: 24px; width: 560px; }
  h2 { font-size: 13px; font-weight: 600; margin: 20px 0 8px; color: light-dark(#52525b, #a1a1aa); }
  .files { display: flex; gap: 12px; flex-wrap: wrap; align-items: flex-start; }
  itty-file { width: 170px; }
  .invalid { margin: 6px 0 0; font-size: 13px; color: light-dark(#b91c1c, #fca5a5); }
</style><script>/* tsx compiles page.evaluate callbacks with esbuild's keepNames helper */ window.__name = (f) => f;</script><script type="module" src="/app.js"></script></head><body>
  <h2>Idle</h2><itty-uploader id="idle" endpoint="/upload-url" multiple></itty-uploader>
  <h2>Uploading</h2><itty-uploader id="uploading" endpoint="/upload-url" multiple></itty-uploader>
  <h2>Error</h2><itty-uploader id="error" endpoint="/no-such-endpoint" retries="0"></itty-uploader>
  <h2>Done</h2><itty-uploader id="done" endpoint="/upload-url" multiple></itty-uploader>
  <h2>Edit form: stored, processing, finalizing</h2><itty-uploader id="edit" endpoint="/upload-url" complete-endpoint="/hang" multiple></itty-uploader>
  <h2>itty-file</h2><div class="files" id="files"></div>
  <h2>Rejected (accept="image/*", max-size="1MB")</h2><itty-uploader id="rejected" endpoint="/upload-url" accept="image/*" max-size="1MB" multiple></itty-uploader>
  <h2>Several files uploading</h2><itty-uploader id="several" endpoint="/upload-url" multiple></itty-uploader>
  <h2>Paused</h2><itty-uploader id="paused" endpoint="/upload-url" multiple></itty-uploader>
  <h2>Failed, with the server's message</h2><itty-uploader id="failed" endpoint="/upload-url" folder="../outside" retries="0" multiple></itty-uploader>
  <h2>Right to left (lang="ar")</h2><div lang="ar"><itty-uploader id="rtl" endpoint="/upload-url" accept="image/*,application/pdf" multiple></itty-uploader></div>
  <h2>German (lang="de")</h2><div lang="de"><itty-uploader id="de" endpoint="/upload-url" accept="image/*,application/pdf" max-size="10MB" multiple></itty-uploader></div>
  <h2>min-files="3", one uploaded</h2><form id="minfiles"><itty-uploader name="photos" endpoint="/upload-url" min-files="3" multiple></itty-uploader><p class="invalid" id="minfiles-message"></p></form>
  <h2>Offline</h2><itty-uploader id="offline" endpoint="/upload-url" multiple></itty-uploader>
  <h2>drop-target="page"</h2><itty-uploader id="page-drop" endpoint="/upload-url" drop-target="page" accept="image/*" multiple></itty-uploader>
</body></html>`;

// A storage that takes bytes at a trickle and never answers, so an upload stays in flight for the picture.
function trickle(req: IncomingMessage, res: ServerResponse) {
  res.setHeader('access-control-allow-origin', '*');
  req.pause();
  const timer = setInterval(() => req.read(64 * 1024), 50);
  req.once('close', () => clearInterval(timer));
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
  if (req.url === '/pixel.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(png);
  if (req.url?.startsWith('/trickle/')) return trickle(req, res);
  // A completion endpoint that never answers: the edit form's new file stays "Finalizing" for the picture.
  if (req.url === '/hang') return;
  uploads(req, res);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

const browser = await chromium.launch({
  executablePath: findChrome(),
  args: CHROME_ARGS,
});
try {
  for (const colorScheme of ['light', 'dark'] as const) {
    const tab = await browser.newPage({ viewport: { width: 608, height: 400 }, deviceScaleFactor: 2, colorScheme });
    await tab.goto(`http://127.0.0.1:${port}/`);
    await tab.evaluate(async () => {
      const get = (id: string) => document.getElementById(id) as HTMLElementTagNameMap['itty-uploader'];
      const pixel = await (await fetch('/pixel.png')).blob();
      const text = (name: string, size: number) => new File([new Uint8Array(size)], name, { type: 'application/pdf' });
      const settle = (el: HTMLElementTagNameMap['itty-uploader']) =>
        new Promise((resolve) => el.addEventListener('itty-queue-complete', resolve, { once: true }));

      const done = get('done');
      const finished = settle(done);
      done.addFiles([new File([pixel], 'holiday.png', { type: 'image/png' }), text('invoice-2026.pdf', 183_000)]);
      const error = get('error');
      const failed = settle(error);
      error.addFiles([text('contract.pdf', 52_000)]);

      const uploading = get('uploading');
      uploading.getUploadUrl = async (file) => `${location.origin}/trickle/${file.name}`;
      uploading.addFiles([text('presentation.pdf', 24_000_000), new File([pixel], 'team.png', { type: 'image/png' })]);
      // An edit form: two stored files set through `value`, one still processing, and a new one being finalized.
      const edit = get('edit');
      edit.value = [
        { url: '/pixel.png', kind: 'image', type: 'image/png', filesize: 48_000, filename: 'cover.png', status: 'ready' },
        { url: '/files/terms.pdf', kind: 'other', type: 'application/pdf', filesize: 310_000, filename: 'terms.pdf' },
        { url: '/pixel.png', kind: 'image', type: 'image/png', filesize: 52_000, filename: 'new-cover.png', status: 'processing' },
      ];
      edit.addFiles([new File([pixel], 'back-cover.png', { type: 'image/png' })]);
      await Promise.all([finished, failed]);
      await new Promise((resolve) => setTimeout(resolve, 2500));

      const files = document.getElementById('files')!;
      const image = done.value.find((file) => file.kind === 'image')!;
      const examples = [
        { ...image, width: 170, height: 85 },
        { url: '/files/report.pdf', kind: 'other', type: 'application/pdf', filesize: 2_400_000, filename: 'quarterly-report.pdf' },
        { url: '/video.mp4', kind: 'video', type: 'video/mp4', filesize: 9_000_000, filename: 'intro.mp4', status: 'processing' },
      ];
      for (const file of examples) {
        const view = document.createElement('itty-file');
        view.file = file;
        files.append(view);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    // The states of v2 (issue 19): rejected rows, several uploads, paused, failed, right to left, German, min-files.
    await tab.evaluate(async () => {
      const get = (id: string) => document.getElementById(id) as HTMLElementTagNameMap['itty-uploader'];
      const pixel = await (await fetch('/pixel.png')).blob();
      const pdf = (name: string, size: number) => new File([new Uint8Array(size)], name, { type: 'application/pdf' });
      const png = (name: string) => new File([pixel], name, { type: 'image/png' });
      const trickle = (el: HTMLElementTagNameMap['itty-uploader']) => {
        el.getUploadUrl = async (file) => `${location.origin}/trickle/${file.name}`;
      };
      const settle = (el: HTMLElementTagNameMap['itty-uploader']) =>
        new Promise((resolve) => el.addEventListener('itty-queue-complete', resolve, { once: true }));
      const languages = () =>
        new Promise<void>((resolve) => {
          const check = () =>
            get('de').shadowRoot!.querySelector('[part=browse-button]')!.textContent!.includes('Browse')
              ? setTimeout(check, 50)
              : resolve();
          check();
        });
      await languages();

      get('rejected').addFiles([
        pdf('notes.pdf', 40_000),
        png('holiday.png'),
        new File([pixel, new Uint8Array(3_000_000)], 'panorama.png', { type: 'image/png' }),
      ]);

      const several = get('several');
      trickle(several);
      several.addFiles([
        pdf('chapter-1.pdf', 18_000_000),
        pdf('chapter-2.pdf', 22_000_000),
        pdf('chapter-3.pdf', 9_000_000),
        png('cover.png'),
      ]);

      const paused = get('paused');
      trickle(paused);
      paused.addFiles([pdf('recording.pdf', 30_000_000)]);

      const failed = get('failed');
      const failing = settle(failed);
      failed.addFiles([pdf('contract.pdf', 52_000)]);

      const rtl = get('rtl');
      const rtlDone = settle(rtl);
      rtl.addFiles([png('صورة.png'), pdf('تقرير.pdf', 120_000)]);
      const de = get('de');
      const deDone = settle(de);
      de.addFiles([png('urlaub.png'), pdf('rechnung.pdf', 183_000)]);

      const min = document.querySelector<HTMLElementTagNameMap['itty-uploader']>('#minfiles itty-uploader')!;
      const minDone = settle(min);
      min.addFiles([png('one-of-three.png')]);

      const offline = get('offline');
      trickle(offline);
      offline.addFiles([pdf('draft.pdf', 12_000_000), pdf('notes.pdf', 4_000_000)]);

      await Promise.all([failing, rtlDone, deDone, minDone]);
      // Rows that are uploading, rejected and failed in the two languages too (the next selection replaces rejected rows).
      trickle(rtl);
      rtl.addFiles([pdf('عرض.pdf', 20_000_000), new File(['x'], 'برنامج.exe')]);
      trickle(de);
      de.addFiles([pdf('vortrag.pdf', 20_000_000), new File(['x'], 'programm.exe'), pdf('archiv.pdf', 40_000_000)]);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      paused.pause();
      document.getElementById('minfiles-message')!.textContent = min.validationMessage;
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    for (const id of [
      'idle',
      'uploading',
      'error',
      'done',
      'edit',
      'files',
      'rejected',
      'several',
      'paused',
      'failed',
      'rtl',
      'de',
      'minfiles',
    ]) {
      await tab.locator(`#${id}`).screenshot({ path: join(out, `${id}-${colorScheme}.png`) });
    }
    await tab.screenshot({ path: join(out, `all-${colorScheme}.png`), fullPage: true });

    // The page overlay of drop-target="page", over the whole viewport: accepted files, then refused ones.
    for (const [name, type] of [
      ['page-drop', 'image/png'],
      ['page-drop-refused', 'text/plain'],
    ] as const) {
      await tab.locator('#page-drop').scrollIntoViewIfNeeded();
      await tab.evaluate(async (type) => {
        const el = document.getElementById('page-drop') as HTMLElementTagNameMap['itty-uploader'];
        const data = new DataTransfer();
        data.items.add(new File(['x'], 'file', { type }));
        const drag = (target: EventTarget, kind: string) =>
          target.dispatchEvent(new DragEvent(kind, { dataTransfer: data, bubbles: true, cancelable: true, composed: true }));
        const overlay = () => el.shadowRoot!.querySelector('[part=page-drop-overlay]');
        while (!overlay()) {
          drag(document.body, 'dragenter');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        drag(overlay()!, 'dragenter');
        await el.updateComplete;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }, type);
      await tab.screenshot({ path: join(out, `${name}-${colorScheme}.png`) });
      await tab.keyboard.press('Escape');
      await tab.evaluate(() => {
        const el = document.getElementById('page-drop')!;
        el.shadowRoot!.querySelector('[part=page-drop-overlay]')?.dispatchEvent(
          new DragEvent('dragleave', { bubbles: true, composed: true }),
        );
      });
    }

    // Offline last: the whole page hears it.
    await tab.evaluate(async () => {
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
      dispatchEvent(new Event('offline'));
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await tab.locator('#offline').screenshot({ path: join(out, `offline-${colorScheme}.png`) });
    await tab.close();
  }
  console.log(`Screenshots written to ${out}`);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
  await uploads.close();
  rmSync(dir, { recursive: true, force: true });
}
