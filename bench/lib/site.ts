// The benchmark's web site: a few pages and their scripts (bundled by esbuild, in memory) on the same
// origin as the real upload server, so nothing is cross-origin and no request is intercepted.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createUploadServer, type UploadServerHandler } from '../../src/server/node.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Page name → script entry (relative to the repository). */
const PAGES = {
  throughput: 'bench/pages/throughput.ts',
  'render-itty': 'bench/pages/render-itty.ts',
  'render-uppy': 'bench/pages/render-uppy.ts',
  // Issue 21: image preparation and previews, itty-uploader beside Uppy's Compressor and Dashboard.
  media: 'bench/pages/media.ts',
  'image-worker': 'src/browser/media/image-worker.ts',
  // The same worker behind bench/pages/media-hide.ts, for the media section's fallback rows.
  'media-worker': 'bench/pages/media-worker.ts',
} as const;
export type PageName = keyof typeof PAGES;

const UPPY_CSS = ['node_modules/@uppy/core/dist/style.min.css', 'node_modules/@uppy/dashboard/dist/style.min.css'];

export interface Site {
  origin: string;
  url(page: PageName): string;
  /** Bytes of each page's script (minified), for the report. */
  scriptBytes: Record<PageName, number>;
  close(): Promise<void>;
}

async function bundle(): Promise<Record<PageName, string>> {
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(PAGES).map(([name, entry]) => [name, `${root}${entry}`])),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: process.env.BENCH_MINIFY !== '0',
    write: false,
    outdir: '/bench-out',
    tsconfig: `${root}tsconfig.json`,
    logLevel: 'error',
    // Production builds of Lit and Preact, as an app would ship them.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const scripts = {} as Record<PageName, string>;
  for (const file of result.outputFiles) {
    const name = file.path.replace(/^.*\//, '').replace(/\.js$/, '') as PageName;
    if (name in PAGES) scripts[name] = file.text;
  }
  return scripts;
}

const page = (name: PageName) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>itty-uploader bench: ${name}</title>
${name === 'render-uppy' || name === 'media' ? '<link rel="stylesheet" href="/bench/uppy.css">' : ''}
<style>body { font: 14px system-ui, sans-serif; margin: 16px; }</style>
</head><body>
<input type="file" id="source">
<div id="mount"></div>
<script type="module" src="/bench/${name}.js"></script>
</body></html>`;

/** Starts the site and the upload server (storing into `dir`) on 127.0.0.1 at a free port. */
export async function startSite(options: { dir: string; key: string }): Promise<Site & { handler: UploadServerHandler }> {
  const scripts = await bundle();
  const css = (await Promise.all(UPPY_CSS.map((file) => readFile(`${root}${file}`, 'utf8')))).join('\n');
  const handler = createUploadServer({ key: options.key, dir: options.dir });

  const send = (res: ServerResponse, type: string, body: string) => {
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const match = /^\/bench\/([a-z-]+)\.(html|js)$/.exec(path);
    if (req.method === 'GET' && match && match[1]! in PAGES) {
      const name = match[1] as PageName;
      return match[2] === 'html' ? send(res, 'text/html; charset=utf-8', page(name)) : send(res, 'text/javascript', scripts[name]);
    }
    if (req.method === 'GET' && path === '/bench/uppy.css') return send(res, 'text/css', css);
    if (req.method === 'GET' && path === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    handler(req, res, () => {
      res.writeHead(404);
      res.end();
    });
  });
  // Uploads of 1 GiB can take a while on a loaded machine: no request timeout.
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    handler,
    url: (name) => `${origin}/bench/${name}.html`,
    scriptBytes: Object.fromEntries(Object.entries(scripts).map(([name, text]) => [name, Buffer.byteLength(text)])) as Record<
      PageName,
      number
    >,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handler.close();
    },
  };
}
