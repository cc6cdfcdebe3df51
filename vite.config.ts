// `npm start` serves demo/ with the real upload server mounted; `vite build` makes the CDN bundle.
import { defineConfig, parseSync, Visitor, type Plugin } from 'vite';
import { transform as transformCss } from 'lightningcss';
import MagicString from 'magic-string';
import { fileURLToPath } from 'node:url';
import { createUploadServer } from './src/server/node.js';
import { ittybitSigningEndpoint } from './demo/ittybit-endpoint.js';
import { throttleUploads } from './demo/throttle.js';
import { editEndpoints } from './demo/edit-endpoints.js';
import { aliases, frameworkPlugins, scriptTagPage } from './demo/site.config.js';

const root = fileURLToPath(new URL('.', import.meta.url));

function uploadServer(): Plugin {
  return {
    name: 'itty-upload-server',
    configureServer(server) {
      const { ITTYBIT_API_KEY: key, ITTYBIT_DOMAIN: domain } = process.env;
      // With a real ittybit project configured, the demo's signing endpoint signs for it instead.
      if (key && domain) server.middlewares.use(ittybitSigningEndpoint({ key, domain }));
      // `throttle=2mb` on an upload URL slows that upload down, so its progress can be watched (demo/throttle.ts).
      server.middlewares.use(throttleUploads(createUploadServer({ key: key ?? 'dev-key', dir: `${root}.uploads`, basePath: '/uploads' })));
      // The edit form's storage (demo/edit-endpoints.ts): a second local server whose new files are `processing` for
      // 5 seconds, as ittybit's are while it analyses them, and the app's endpoints around it.
      const edit = { key: key ?? 'dev-key', dir: `${root}.uploads/edit` };
      server.middlewares.use('/edit', createUploadServer({ ...edit, basePath: '/uploads', processing: { ms: 5000 } }));
      server.middlewares.use(editEndpoints(edit));
    },
  };
}

/**
 * package.json's `sideEffects` names only dist/ files, so to the bundler the sources are side-effect free and
 * the entries' `define()` calls would be dropped from the bundle: a script tag would load it and get no element.
 */
function entriesDefineElements(): Plugin {
  // elements/ssr: the HTMLElement stand-in that Lit's browser build needs where there is none (server rendering).
  const entries = new Set(['index', 'uploader', 'file', 'elements/ssr'].map((name) => `${root}src/${name}.ts`));
  return {
    name: 'itty-entries-define-elements',
    transform(code, id) {
      if (entries.has(id)) return { code, map: null, moduleSideEffects: true };
    },
  };
}

/**
 * Minifies the `css` and `html` tagged literals of src/ in the CDN bundle, whose JS minifier keeps string contents
 * as they are. CSS goes through Lightning CSS (Vite's own CSS minifier). In HTML, each whitespace run that holds a
 * line break becomes one space, which renders the same outside `<pre>` and `<textarea>` (a literal holding either
 * is left alone); attribute bindings keep the space before `/>` that ends an unquoted value.
 */
function minifyLiterals(): Plugin {
  return {
    name: 'itty-minify-literals',
    transform(code, id) {
      if (!id.startsWith(`${root}src/`) || !/\b(css|html)`/.test(code)) return;
      const out = new MagicString(code);
      new Visitor({
        TaggedTemplateExpression({ tag, quasi }) {
          const kind = tag.type === 'Identifier' ? tag.name : '';
          const parts = quasi.quasis.map((part) => {
            // A template element's span starts at the backtick or `}` before its text.
            const start = part.start + 1;
            return { start, end: start + part.value.raw.length, raw: part.value.raw, cooked: part.value.cooked };
          });
          const [first] = parts;
          // A `css` literal with bindings is left alone: there are none in src/.
          if (kind === 'css' && first && parts.length === 1 && typeof first.cooked === 'string') {
            const css = transformCss({ filename: id, code: Buffer.from(first.cooked), minify: true }).code.toString();
            out.overwrite(
              first.start,
              first.end,
              css.replace(/\\|`|\$\{/g, (match) => `\\${match}`),
            );
          } else if (kind === 'html' && !parts.some(({ raw }) => /<(pre|textarea)\b/i.test(raw))) {
            for (const { start, end, raw } of parts) {
              const html = raw.replace(/\s*\n\s*/g, ' ');
              if (html !== raw && start < end) out.overwrite(start, end, html);
            }
          }
        },
      }).visit(parseSync(id, code).program);
      if (!out.hasChanged()) return;
      return { code: out.toString(), map: out.generateMap({ hires: 'boundary', source: id, includeContent: true }) };
    },
  };
}

/**
 * @lit/task's one import from Lit, `notEqual`, as its own copy: @lit/task is only in chunks/file-src-*.js, and chunks
 * import nothing (a module shared by the first load and a chunk would become a third file, loaded at once).
 */
function taskStandsAlone(): Plugin {
  const id = '\0itty-task-not-equal';
  return {
    name: 'itty-task-stands-alone',
    enforce: 'pre',
    resolveId: (source, importer) => (source === '@lit/reactive-element' && importer?.includes('/@lit/task/') ? id : undefined),
    load: (module) => (module === id ? 'export const notEqual = (value, old) => !Object.is(value, old);' : undefined),
  };
}

export default defineConfig(async ({ command }) =>
  command === 'build'
    ? {
        publicDir: false,
        // Relative URLs for what the chunks start by URL (the image worker): the bundle works from any folder or CDN.
        base: './',
        plugins: [minifyLiterals(), entriesDefineElements(), taskStandsAlone()],
        // The bundle holds Lit's browser build, which needs the DOM stand-ins of src/elements/ssr.ts in any runtime.
        define: { __ITTY_BUNDLE__: 'true' },
        build: {
          target: 'es2022',
          outDir: 'dist',
          emptyOutDir: false,
          sourcemap: true,
          lib: { entry: `${root}src/index.ts`, formats: ['es'], fileName: () => 'itty-uploader.js' },
          rolldownOptions: {
            output: {
              minify: true,
              // Parts loaded only when used (chunked sending, dropped folders), beside the bundle.
              chunkFileNames: 'chunks/[name]-[hash].js',
              // No comments: `/* @__PURE__ */` marks are for bundlers, and Lit's licence notices ship beside the
              // bundle in dist/THIRD-PARTY-LICENSES.txt (scripts/build.mjs).
              comments: false,
            },
          },
        },
      }
    : {
        root: 'demo',
        server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 5173) },
        resolve: { alias: aliases('src') },
        // The framework pages' compilers load only for the demo, never for the library bundle.
        plugins: [...(await frameworkPlugins()), scriptTagPage(), uploadServer()],
      },
);
