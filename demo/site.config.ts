// The demo site's Vite setup, shared by `npm start` (vite.config.ts) and the host tests (test/hosts), which
// build the same pages with `demoBuildConfig()`. The framework plugins live here, so the library bundle
// (`vite build`) never loads them.
import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Alias, InlineConfig, Plugin, PluginOption } from 'vite';

export const demoRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Pages Vite builds. `script-tag.html` is not among them: it is served as written, with no build step; nor is
 * `react18.html`, which has a build of its own (`react18BuildConfig()`).
 */
export const pages = ['index', 'react', 'react-wrappers', 'vue', 'svelte'] as const;

/**
 * The demo imports the package by name, as an app would. The dev server points the names at the sources
 * (edits reload at once); a build points them at the built package in dist/, so what is tested is what ships
 * (including package.json's `sideEffects`, which keeps `import 'itty-uploader'` from being tree-shaken).
 */
export function aliases(from: 'src' | 'dist'): Alias[] {
  const ext = from === 'src' ? 'ts' : 'js';
  return [
    { find: /^itty-uploader$/, replacement: `${repoRoot}${from}/index.${ext}` },
    { find: /^itty-uploader\/(uploader|file|react)$/, replacement: `${repoRoot}${from}/$1.${ext}` },
    { find: /^itty-uploader\/(core|server)$/, replacement: `${repoRoot}${from}/$1/index.${ext}` },
  ];
}

/** Vue's `compilerOptions.isCustomElement`: without it Vue tries to resolve `<itty-uploader>` as a Vue component. */
export const isCustomElement = (tag: string) => tag.startsWith('itty-');

/** React (TSX), Vue (SFC) and Svelte 5 compilers for the framework pages. */
export async function frameworkPlugins(): Promise<PluginOption[]> {
  const [{ default: react }, { default: vue }, { svelte }] = await Promise.all([
    import('@vitejs/plugin-react'),
    import('@vitejs/plugin-vue'),
    import('@sveltejs/vite-plugin-svelte'),
  ]);
  return [
    react({ include: /\.tsx$/ }),
    vue({ template: { compilerOptions: { isCustomElement } } }),
    svelte({ configFile: false }),
  ];
}

/** Where the script-tag page and the CDN bundle come from: files on disk, sent unchanged. */
export function rawFile(pathname: string): string | undefined {
  if (pathname === '/script-tag.html') return `${demoRoot}script-tag.html`;
  if (pathname === '/dist/itty-uploader.js' || pathname === '/dist/itty-uploader.js.map') return `${repoRoot}${pathname.slice(1)}`;
  // What the bundle loads on first use (chunked sending, dropped folders; the image worker in assets/): a plain name, no `..`.
  if (/^\/dist\/(chunks|assets)\/[\w-]+\.js(\.map)?$/.test(pathname)) return `${repoRoot}${pathname.slice(1)}`;
  return undefined;
}

/** Dev server: serves `script-tag.html`, `dist/itty-uploader.js` and its `dist/chunks/` untouched, like a static host or a CDN would. */
export function scriptTagPage(): Plugin {
  return {
    name: 'itty-script-tag-page',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = rawFile(new URL(req.url ?? '/', 'http://demo').pathname);
        if (!file) return next();
        if (!existsSync(file)) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end(`${file} is missing: run \`npm run build\`.`);
          return;
        }
        res.writeHead(200, { 'content-type': file.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8' });
        createReadStream(file).pipe(res);
      });
    },
  };
}

/** A production build of the pages into `outDir`, from the built package (what the host tests serve). */
export async function demoBuildConfig(outDir: string): Promise<InlineConfig> {
  return {
    configFile: false,
    root: demoRoot,
    publicDir: false,
    logLevel: 'warn',
    resolve: { alias: aliases('dist') },
    plugins: await frameworkPlugins(),
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      rolldownOptions: { input: Object.fromEntries(pages.map((page) => [page, `${demoRoot}${page}.html`])) },
    },
  };
}

/**
 * `react18.html` on real React 18: a build of that page alone, into the same `outDir` after
 * `demoBuildConfig()`'s (its scripts in their own folder), where `react` and `react-dom` (and their subpaths,
 * such as `react/jsx-runtime` and `react-dom/client`) are the `react18` and `react-dom18` dev dependencies,
 * for every importer: the page, `itty-uploader/react` and `@lit/react` alike. One build cannot do this for one
 * page only, since the modules the pages share are bundled once. (package.json's `overrides` lets
 * `react-dom18` take the root's React as its peer for npm; in this build its `react` is React 18 too.)
 */
export async function react18BuildConfig(outDir: string): Promise<InlineConfig> {
  const config = await demoBuildConfig(outDir);
  return {
    ...config,
    resolve: {
      alias: [
        ...aliases('dist'),
        { find: /^react(\/.*)?$/, replacement: 'react18$1' },
        { find: /^react-dom(\/.*)?$/, replacement: 'react-dom18$1' },
      ],
    },
    build: {
      ...config.build,
      emptyOutDir: false,
      assetsDir: 'react18-assets',
      rolldownOptions: { input: { react18: `${demoRoot}react18.html` } },
    },
  };
}
