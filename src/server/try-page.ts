import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * The try page `itty-uploader serve` answers at `GET /`: the element, served by the same server as the signing
 * endpoint (same origin, so no CORS and no allowed-origin list to get right), and the uploaded files shown in
 * `<itty-file>`. Its scripts are the package's own built bundle, under `/.itty/`: a path no upload can take
 * (storage paths never have a segment starting with a dot), so a stored file never hides behind them.
 */
export const TRY_PREFIX = '/.itty/';

export interface TryPageOptions {
  /** Path of the signing endpoint the page's element posts to. */
  signPath: string;
  /** Host names requests may use (as the upload server checks them), or '*'. */
  allowedHosts: readonly string[] | '*';
  /** Origin the signed URLs and stored files are on, when it is not the page's own. */
  publicOrigin?: string;
  /** The built dist/ folder; by default found next to this module (see `findDist`). */
  distDir?: string;
}

/** Answers the try page's own requests and returns true; returns false for every other request. */
export type TryPageHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * dist/, found from this module's own place: `dist/server/try-page.js` in the installed package (dist/ is one
 * up), or `src/server/try-page.ts` run from the repository with tsx (dist/ is beside src/).
 */
async function findDist(): Promise<string | undefined> {
  for (const candidate of ['../', '../../dist/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (await isFile(`${dir}itty-uploader.js`)) return dir;
  }
  return undefined;
}

async function isFile(file: string): Promise<Stats | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info : undefined;
  } catch {
    return undefined;
  }
}

/** The page's own script: each uploaded file joins the list, newest first, shown by `<itty-file>`. */
const TRY_SCRIPT = `const list = document.getElementById('uploaded-files');
document.querySelector('itty-uploader').addEventListener('itty-upload-success', (event) => {
  const { file } = event.detail;
  const item = document.createElement('li');
  const preview = document.createElement('itty-file');
  preview.file = file;
  item.append(preview);
  // Media shows no name: link it (other files get a card with the name and a download link already).
  if (['image', 'video', 'audio'].includes(file.kind) && /^https?:/i.test(file.url)) {
    const link = document.createElement('a');
    link.textContent = file.filename || file.url;
    link.href = file.url;
    item.append(link);
  }
  list.prepend(item);
  list.hidden = false;
  document.getElementById('none-yet')?.remove();
});
`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

function page(signPath: string, built: boolean): string {
  const body = built
    ? `<itty-uploader endpoint="${escapeHtml(signPath)}" multiple></itty-uploader>
  <section aria-labelledby="uploaded-heading">
    <h2 id="uploaded-heading">Uploaded</h2>
    <p id="none-yet">Nothing yet: files you upload show here, and land in the server's folder.</p>
    <ul id="uploaded-files" aria-labelledby="uploaded-heading" hidden></ul>
  </section>`
    : `<p role="alert">The browser bundle is not built yet: run <code>npm run build</code> in the itty-uploader folder, then reload this page.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Try itty-uploader</title>
<link rel="icon" href="data:,">
<style>
  :root { color-scheme: light dark; background: Canvas; color: CanvasText; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
  #uploaded-files { list-style: none; padding: 0; display: grid; gap: 1.5rem; }
  #uploaded-files li { display: grid; gap: 0.25rem; justify-items: start; }
  #uploaded-files itty-file { justify-self: stretch; }
</style>
${built ? `<script type="module" src="${TRY_PREFIX}itty-uploader.js"></script>\n<script type="module" src="${TRY_PREFIX}try.js"></script>\n` : ''}</head>
<body>
<main>
  <h1>Try itty-uploader</h1>
  <p>Drop files here, paste them, or choose them. This page is served by <code>itty-uploader serve</code>, which signs and stores each upload.</p>
  ${body}
  <p>To use the element in your own page, see the <a href="https://github.com/ittybit/itty-uploader#readme">README</a>.</p>
</main>
</body>
</html>
`;
}

/** Strict headers for everything the try page serves: its own scripts only, no sniffing, no framing. */
function headers(contentType: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': contentType,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    ...extra,
  };
}

function pageHeaders(publicOrigin: string | undefined): Record<string, string> {
  // Uploads (fetch/PUT), previews and stored files may be on the public origin when the page is opened under
  // another name (localhost instead of 127.0.0.1). Thumbnails of picked files are blob: URLs; the element's
  // progress bars set style attributes, hence 'unsafe-inline' for styles (never for scripts).
  const other = publicOrigin ? ` ${publicOrigin}` : '';
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' blob: data:${other}`,
    `media-src 'self' blob:${other}`,
    `connect-src 'self'${other}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return headers('text/html; charset=utf-8', { 'Content-Security-Policy': csp, 'X-Frame-Options': 'DENY' });
}

/** `Example.com:8080` → `example.com`; `[::1]:80` → `[::1]`; '' when absent (as the upload server reads Host). */
function hostName(host: string | undefined): string {
  const text = (host ?? '').trim().toLowerCase();
  if (text.startsWith('[')) return text.slice(0, text.indexOf(']') + 1);
  return text.replace(/:\d*$/, '').replace(/\.$/, '');
}

/** A built file the page may load: the bundle, its chunks, and their source maps. Nothing else under dist/. */
const BUILT_FILE = /^(itty-uploader\.js|chunks\/[A-Za-z0-9_-]+\.js)(\.map)?$/;

/**
 * Creates the try page's handler. It owns exactly `/`, `/.itty/try.js`, `/.itty/itty-uploader.js` and
 * `/.itty/chunks/<name>.js` (and the bundle's `.map` files), matched on the raw request path: no decoding, no
 * dot segments, no directory listing, nothing else from dist/. Only GET and HEAD (405 otherwise).
 */
export function createTryPage(options: TryPageOptions): TryPageHandler {
  const allowedHosts = options.allowedHosts === '*' ? '*' : new Set(options.allowedHosts.map((host) => host.toLowerCase()));
  const dist = options.distDir !== undefined ? Promise.resolve(options.distDir) : undefined;

  async function answer(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (allowedHosts !== '*' && !allowedHosts.has(hostName(req.headers.host))) {
      res.writeHead(403, headers('text/plain; charset=utf-8')).end('This server is not reachable under that host name.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers('text/plain; charset=utf-8', { Allow: 'GET, HEAD' })).end('Use GET.\n');
      return;
    }
    // Looked up per request: a `npm run build` while the server runs makes the page work on reload.
    const distDir = (await (dist ?? findDist())) ?? '';
    const built = distDir !== '' && (await isFile(`${distDir}itty-uploader.js`)) !== undefined;
    if (path === '/') return send(req, res, pageHeaders(options.publicOrigin), page(options.signPath, built));
    if (path === `${TRY_PREFIX}try.js`) return send(req, res, headers('text/javascript; charset=utf-8'), TRY_SCRIPT);
    const name = path.slice(TRY_PREFIX.length);
    const info = built ? await isFile(`${distDir}${name}`) : undefined;
    if (!info) {
      res.writeHead(404, headers('text/plain; charset=utf-8')).end(built ? 'Not found.\n' : 'Not built: run npm run build.\n');
      return;
    }
    const type = name.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8';
    res.writeHead(200, headers(type, { 'Content-Length': String(info.size) }));
    if (req.method === 'HEAD') return void res.end();
    createReadStream(`${distDir}${name}`)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  return (req, res) => {
    // The raw path, query aside: `/%2e%2e/`, `/.itty/../x` or `/.itty//x` are simply not one of these paths.
    const path = (req.url ?? '').split('?', 1)[0]!;
    const owned =
      path === '/' || path === `${TRY_PREFIX}try.js` || (path.startsWith(TRY_PREFIX) && BUILT_FILE.test(path.slice(TRY_PREFIX.length)));
    if (!owned) return false;
    answer(req, res, path).catch(() => {
      if (!res.headersSent) res.writeHead(500, headers('text/plain; charset=utf-8')).end('The try page failed.\n');
      else res.destroy();
    });
    return true;
  };
}

function send(req: IncomingMessage, res: ServerResponse, head: Record<string, string>, text: string): void {
  res.writeHead(200, { ...head, 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(req.method === 'HEAD' ? undefined : text);
}
