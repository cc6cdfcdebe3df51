// Builds docs/hosts.md's Angular and Astro examples for real and serves them with the real upload server.
// Angular and Astro come from .cache/frameworks (scripts/frameworks.mjs installs them, `npm run test:frameworks`),
// not from the project's node_modules: a build folder gets a node_modules of its own that links to theirs, plus
// `itty-uploader` linked to this repository, so the examples import the package as an app does (dist/, through
// package.json's exports).
import { execFile } from 'node:child_process';
import {
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright';
import { createUploadServer } from '../../src/server/node.js';
import { ensureDist } from '../helpers/dist.js';
// @ts-expect-error scripts/chrome.mjs is plain JavaScript without declarations.
import { CHROME_ARGS, findChrome } from '../../scripts/chrome.mjs';

const run = promisify(execFile);
export const root = fileURLToPath(new URL('../../', import.meta.url));
const modules = process.env['ITTY_FRAMEWORKS_MODULES'] ?? join(root, '.cache/frameworks/node_modules');

/** A build folder whose node_modules links every package of .cache/frameworks, and itty-uploader to this repository. */
export function workspace(): string {
  if (!existsSync(join(modules, '@angular/core')) || !existsSync(join(modules, 'astro')))
    throw new Error(`Angular and Astro are not in ${modules}: run \`npm run test:frameworks\`, which installs them`);
  ensureDist();
  const dir = mkdtempSync(join(tmpdir(), 'itty-frameworks-'));
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(modules)) if (!name.startsWith('.')) symlinkSync(join(modules, name), join(dir, 'node_modules', name));
  symlinkSync(root, join(dir, 'node_modules', 'itty-uploader'));
  return dir;
}

/** What a failed compile or build printed, for the assertion message. */
const printed = (error: unknown) => {
  const { stdout = '', stderr = '', message = '' } = error as { stdout?: string; stderr?: string; message?: string };
  return `${stdout}\n${stderr}`.trim() || message;
};

/**
 * Compiles demo/angular/ (with `replace` applied to app.component.ts, for the negative check) with Angular's AOT
 * compiler, strict templates on, into `<dir>/angular-out`. Resolves to '' when it compiled, or to what it printed.
 */
export async function compileAngular(dir: string, replace?: [string, string]): Promise<string> {
  const project = join(dir, replace ? 'angular-broken' : 'angular');
  cpSync(join(root, 'demo/angular'), join(project, 'src'), { recursive: true });
  if (replace) {
    const file = join(project, 'src/app.component.ts');
    const source = readFileSync(file, 'utf8');
    if (!source.includes(replace[0])) throw new Error(`app.component.ts no longer contains ${replace[0]}`);
    writeFileSync(file, source.replaceAll(replace[0], replace[1]));
  }
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ES2022',
        moduleResolution: 'bundler',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: [],
        strict: true,
        skipLibCheck: true,
        noEmitOnError: true,
        rootDir: 'src',
        outDir: join(dir, 'angular-out'),
      },
      files: ['src/main.ts'],
      // What `ng new` turns on: templates type-checked like TypeScript, $event typed from the element's event map.
      angularCompilerOptions: { strictTemplates: true, strictInjectionParameters: true, strictInputAccessModifiers: true },
    }),
  );
  try {
    await run(process.execPath, [join(modules, '@angular/compiler-cli/bundles/src/bin/ngc.js'), '-p', join(project, 'tsconfig.json')], {
      cwd: project,
    });
    return '';
  } catch (error) {
    return printed(error) || 'ngc failed';
  }
}

/**
 * Bundles the compiled Angular app for the browser into `<dir>/site/angular/` with a page that mounts it. Angular's
 * own packages ship partially compiled: as the Angular CLI does, the Angular linker (a Babel plugin from
 * @angular/compiler-cli) finishes them while they are bundled, so the page needs no JIT compiler.
 */
export async function bundleAngular(dir: string) {
  const out = join(dir, 'site/angular');
  const load = (path: string) => import(pathToFileURL(join(modules, path)).href);
  const { needsLinking } = await load('@angular/compiler-cli/bundles/linker/index.js');
  const { default: linker } = await load('@angular/compiler-cli/bundles/linker/babel/index.js');
  const babel = await load('@babel/core/lib/index.js');
  const link: Plugin = {
    name: 'angular-linker',
    setup(build) {
      build.onLoad({ filter: /[\\/]@angular[\\/].*\.m?js$/ }, async ({ path }) => {
        const code = readFileSync(path, 'utf8');
        if (!needsLinking(path, code)) return { contents: code, loader: 'js' };
        const linked = await babel.transformAsync(code, {
          filename: path,
          plugins: [linker],
          configFile: false,
          babelrc: false,
          compact: false,
        });
        return { contents: linked.code, loader: 'js' };
      });
    },
  };
  await build({
    entryPoints: [join(dir, 'angular-out/main.js')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile: join(out, 'main.js'),
    plugins: [link],
    logLevel: 'silent',
  });
  writeFileSync(
    join(out, 'index.html'),
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Angular</title></head>\n' +
      '<body><app-root></app-root><script type="module" src="/angular/main.js"></script></body></html>\n',
  );
}

/** Builds demo/astro/ (its pages/ and components/ as an Astro project's src/) with `astro build` into `<dir>/site/`. */
export async function buildAstro(dir: string) {
  const project = join(dir, 'astro');
  cpSync(join(root, 'demo/astro'), join(project, 'src'), { recursive: true });
  writeFileSync(join(project, 'astro.config.mjs'), `export default { outDir: ${JSON.stringify(join(dir, 'site'))}, logLevel: 'warn' };\n`);
  try {
    await run(process.execPath, [join(modules, 'astro/astro.js'), 'build'], {
      cwd: project,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
  } catch (error) {
    throw new Error(`astro build failed:\n${printed(error)}`);
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface Site {
  url: string;
  browser: Browser;
  /** A fresh page at `path` that collects page errors, console errors and failed requests into `problems`. */
  open(path: string): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

/** Serves `<dir>/site/` with the upload server (POST /upload-url signs, files under /uploads/), plus a Chromium. */
export async function serve(dir: string): Promise<Site> {
  const uploadsDir = join(dir, 'uploads');
  const uploads = createUploadServer({ key: 'frameworks-test-key', dir: uploadsDir, basePath: '/uploads' });
  const server = createServer((req: IncomingMessage, res: ServerResponse) =>
    uploads(req, res, () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://site').pathname);
      if (pathname === '/favicon.ico') return res.writeHead(204).end(); // what Chromium asks every site for
      const relative = normalize(pathname.endsWith('/') ? `${pathname}index.html` : pathname);
      const file = join(dir, 'site', relative);
      if (relative.startsWith('..') || !existsSync(file) || !statSync(file).isFile())
        return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS });
  return {
    url,
    browser,
    async open(path) {
      const page = await browser.newPage();
      page.setDefaultTimeout(15_000);
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
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
