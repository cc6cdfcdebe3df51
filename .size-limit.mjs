// The size budget (`npm test`, `npm run size`): what a page downloads, measured by size-limit on what
// `npm run build` just made. Brotli at quality 11 throughout.
//   dist/itty-uploader.js   the CDN bundle (both elements, Lit and @lit/task inside) as shipped. Issue 16: it may not
//                           grow past today's 17.6 KB; every new capability loads on demand or lives in its own entry.
//   dist/chunks/<name>-*.js each part the bundle loads on demand, with its own budget.
//   itty-uploader/<entry>   each entry's own cost: bundled and minified by esbuild as an app's bundler would, Lit left
//                           to the app (it has its own), what the entry loads on demand included (one file).
//                           /core must not use Lit at all: resolving Lit fails its build.
// Every chunk in dist/chunks/ and every `exports` entry of package.json must have a budget here (or be listed as not
// measured, with the reason): a new one fails the check until it gets one. Budgets for chunks and entries that do
// not exist yet are slots, skipped until their file does.
import { readdirSync, readFileSync } from 'node:fs';

const KB = 1024;

/** Parts the CDN bundle loads on demand (dist/chunks/<name>-<hash>.js), by name. */
const CHUNKS = {
  // ittybit chunked sending and the switch to the multipart chunk; +0.35 KB (issue 18, persist): the status probe of a
  // restored upload and `onAck`; +0.05 KB: a probe that finds the storage down is asked again after a backoff.
  chunked: 1.55 * KB,
  folders: 1 * KB, // dropped folders read whole
  'list-window': 1 * KB, // the window of lists over 100 rows
  'image-size': 0.3 * KB, // an image's size, for storages that answer no File object
  // The signing request and its answer's parsing, loaded when the first file is queued (+14 B: `meta`, issue 20). +0.4 KB
  // issue 18: multipart and presigned POST answers, the multipart actions' requests, the `Date` header's clock offset;
  // +0.15 KB a signing request canceled under way is let finish and the multipart upload it names aborted.
  signing: 2.1 * KB,
  // Reading answers and what follows a failure: the storage's answer to an upload, error bodies (the server's message,
  // `Retry-After`, the code) and the retry policy with its backoff. Loaded with the signing step (today 1.35 KB).
  failure: 1.6 * KB,
  // Every word `<itty-uploader>` says once files are in the list (the whole English table, rows, rejections,
  // announcements, plural forms, sizes and percents for the language, `strings` merging) and the list's styles: loaded
  // when the element connects (today 2.7 KB). The drop zone's words and a few row words stay in the first load.
  // +2 KB the summary of issue 19 (elements/summary.ts: the whole list's progress meter, itty-queue-progress, the
  // summary's template and styles, row pause/resume buttons, durations for the language): today 4.8 KB.
  words: 5 * KB,
  packs: 1 * KB, // which string pack a `lang` gets and loading it: only for a language other than English
  // The string packs, loaded by `lang` (today 1.3-1.6 KB each).
  ar: 1.8 * KB,
  de: 1.8 * KB,
  es: 1.8 * KB,
  fr: 1.8 * KB,
  he: 1.8 * KB,
  it: 1.8 * KB,
  ja: 1.8 * KB,
  ko: 1.8 * KB,
  nl: 1.8 * KB,
  pl: 1.8 * KB,
  'pt-BR': 1.8 * KB,
  sv: 1.8 * KB,
  'zh-CN': 1.8 * KB,
  // Slots for the capabilities of issues 16-19: each loads on demand, never in the first load.
  multipart: 2.2 * KB, // S3 multipart (parts, list, complete, abort) and presigned POST (issue 18; today 2.05 KB)
  // `persist` (issue 18): the IndexedDB resume store, interrupted rows, matching a chosen file, the tab locks (2.05
  // KB); +0.2 KB multipart records and the `abort` of an interrupted multipart row removed or canceled (2.22 KB).
  resume: 2.3 * KB,
  // prepareImage (issue 21); +0.13 KB: the page fallback scales in slices so that no task holds the page over 50 ms (3.04 KB);
  // +0.1 KB: a worker without a canvas decodes for the page, which then only draws and encodes (3.2 KB).
  transform: 3.25 * KB,
  // Issue 20: the completion call and the status polling, loaded only with `complete-endpoint` or `status-endpoint`.
  lifecycle: 1.5 * KB,
  'page-drop': 1 * KB, // drop-target="page": the page-wide overlay, its styles and the document's drag listeners
  'file-media': 1.5 * KB, // <itty-file>'s Media objects and fresh URLs of private files: loaded when `media` or `getFileUrl` is set
  sortable: 1.2 * KB, // moving rows by their handles (pointer drag, arrow keys): loaded when `sortable` is first set
  // Issue 21: the rules that read inside files (`min-width` … `max-duration`, `validate`), loaded when one is set.
  'media-rules': 1.7 * KB,
  // The image header reader, shared by the rules, the preparation (`transform`) and the row previews.
  'media-header': 3 * KB,
  // The rows' previews (decoded at thumbnail size, a frame for video), loaded with the first image or video row.
  'row-thumbnails': 1.5 * KB,
  // The decoders' wrappers (ImageDecoder at a reduced size, createImageBitmap), shared by previews and preparation.
  decoding: 1 * KB,
  'file-view': 1.7 * KB, // what <itty-file> shows and its styles: loaded when an <itty-file> first renders
  'file-src': 1.2 * KB, // <itty-file src>: the fetch of a File object JSON and @lit/task's Task: loaded when `src` is first set
};

/**
 * `exports` entries, as an app bundles them (Lit external, every lazy part counted in: an upper bound of what an
 * app ships, not its first load). Re-baselined on 2026-12-07 after issue 16's renovation and issue 22's hardening:
 * the element split (+0.6 KB), the hardened answers (+0.4 KB) and the loaders of the parts that now load on demand
 * (signing, the list window) grew these totals while the CDN first load fell from 17.55 to 17.07 KB. Lower them as
 * code is freed, never raise them without naming the feature in the commit.
 */
const ENTRIES = {
  // +0.5 KB pause/resume and resumable retry (issue 18); +3.7 KB the words of issue 19 (the whole English table,
  // plural forms, rejected rows, lang and dir; loaded on connect by the CDN bundle) and the failure chunk's loader.
  // Issue 20 (edit forms and the lifecycle): +1.75 KB on the element entries, of which 1.3 KB is the lifecycle chunk
  // (completion call, status polling) and the rest the first-load part; +0.15 KB on /core (the queue's finish hook,
  // adopt, setFile). Issue 19: +0.7 KB drop-target="page" (its overlay, styles and document listeners: a chunk of
  // 0.9 KB) and the forms (min-files, manual's "Upload the selected files first"). Issue 20's order and media: +1.9 KB
  // (the sortable and file-media chunks, ~1 KB each, and their hooks); +0.03 KB on /core, the queue's move().
  // Issue 18: +2.4 KB `persist` (the resume chunk, 2.05 KB, and the status probe in the chunked chunk, both lazy); +2.3 KB S3 multipart and presigned POST (the multipart chunk and the signing step's part of it).
  '.': 39.35 * KB,
  './uploader': 36.65 * KB, // +0.05 KB issue 21: a canvas-less worker decodes for the page (prepareImage)
  './file': 4.45 * KB,
  './core': 10.55 * KB,
  './react': 39.5 * KB,
  './elements': 39.4 * KB,
  // Issue 21: +8.3 KB the media parts, all loaded on demand (the rules that read inside files, the preparation with
  // its worker's loader, the row previews, the image header reader they share); +0.1 KB in /core (max-total-size, the
  // queue's prepare hook).
  // <itty-file>'s view (rendering and styles) and its `src` fetch became chunks (file-view, file-src) to free the CDN
  // first load (-1.37 KB): +0.3-0.5 KB here, the loaders and the helpers handed to the chunks.
  // Issue 19: +1.9 KB the summary (in the words chunk for the CDN bundle).
  './browser': 2.2 * KB, // +0.9 KB issue 18: the resume store (IndexedDB, Web Locks); +0.04 KB its multipart records
  './server': 2.5 * KB, // signing only, on WebCrypto: what an edge function bundles
  './server/s3': 8.1 * KB, // the S3 endpoint with aws4fetch inside
  // Each string pack (`itty-uploader/locales/de` …: 1.1-1.6 KB). The packs are listed one by one in `exports`: a
  // `./locales/*` pattern would also export (and measure) the modules beside them that load every pack.
  ...Object.fromEntries(
    ['en', 'ar', 'de', 'es', 'fr', 'he', 'it', 'ja', 'ko', 'nl', 'pl', 'pt-BR', 'sv', 'zh-CN'].map((lang) => [`./locales/${lang}`, 2 * KB]),
  ),
};

/** Entries whose size a page never pays, or that hold no code. */
const NOT_MEASURED = {
  './dist/itty-uploader.js': 'the CDN bundle, measured as a file above',
  './server/node': 'Node only (the upload server and CLI)',
  './testing': 'test helpers, never in a production page',
  './vue': 'types only',
  './svelte': 'types only',
  './custom-elements.json': 'data',
  './package.json': 'data',
};

const LIT = /^(lit|lit-html|lit-element|@lit\/[\w-]+)(\/|$)/;
const litExternal = ['lit', 'lit/*', 'lit-html', 'lit-html/*', 'lit-element', 'lit-element/*', '@lit/*'];

/** An esbuild plugin that fails the build when anything resolves Lit. */
const noLit = {
  name: 'no-lit',
  setup(build) {
    build.onResolve({ filter: LIT }, (args) => ({
      errors: [{ text: `${args.path} imported by ${args.importer}: /core must not use Lit` }],
    }));
  },
};

/**
 * An esbuild plugin that leaves the string packs out of an entry's check: a page loads the one pack its `lang` asks
 * for, never all 13, and each pack has its own budget (CHUNKS, and the `./locales/…` entries).
 */
const packsApart = {
  name: 'packs-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/(ar|de|es|fr|he|it|ja|ko|nl|pl|pt-BR|sv|zh-CN)\.js$/ }, (args) =>
      /[\\/]locales$/.test(args.resolveDir) ? { path: args.path, external: true } : undefined,
    );
  },
};

const pkg = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));
const problems = [];

let chunkFiles = [];
try {
  chunkFiles = readdirSync(new URL('dist/chunks/', import.meta.url)).filter((name) => name.endsWith('.js'));
} catch {
  throw new Error('.size-limit.mjs: dist/ is missing: run `npm run build` first (`npm run size` does both).');
}
const chunkChecks = chunkFiles.map((file) => {
  const name = file.replace(/-[\w-]{8}\.js$/, '');
  if (!(name in CHUNKS)) problems.push(`dist/chunks/${file} has no budget in .size-limit.mjs (CHUNKS)`);
  return {
    name: `dist/chunks/${name}-*.js, loaded when used`,
    path: `dist/chunks/${file}`,
    limit: `${Math.ceil(CHUNKS[name] ?? 0)} B`,
    disablePlugins: ['@size-limit/esbuild'],
  };
});

/** `[subpath, file]` for an export, or for each file a subpath pattern matches. */
function expand(entry, file) {
  if (!file.includes('*')) return [[entry, file]];
  const [before, after] = file.split('*');
  const dir = before.slice(0, before.lastIndexOf('/') + 1);
  const prefix = before.slice(dir.length);
  return readdirSync(new URL(dir, import.meta.url))
    .filter((name) => name.startsWith(prefix) && name.endsWith(after))
    .map((name) => {
      const star = name.slice(prefix.length, name.length - after.length);
      return [entry.replace('*', star), `${dir}${name}`];
    });
}

const entryChecks = [];
for (const [entry, target] of Object.entries(pkg.exports)) {
  if (entry in NOT_MEASURED) continue;
  if (!(entry in ENTRIES)) {
    problems.push(`the export ${entry} has no budget in .size-limit.mjs (ENTRIES or NOT_MEASURED)`);
    continue;
  }
  const pattern = typeof target === 'string' ? target : target.default;
  const core = entry === './core';
  // A subpath pattern (`./locales/*` → `./dist/locales/*.js`) gets one check per file, each with the pattern's budget.
  for (const [subpath, file] of expand(entry, pattern)) {
    entryChecks.push({
      name: `${pkg.name}${subpath.slice(1)}${core ? ' (no Lit)' : ' (Lit external, lazy parts in)'}`,
      path: file,
      limit: `${Math.ceil(ENTRIES[entry])} B`,
      ignore: core ? undefined : entry === './react' ? [...litExternal, 'react', 'react-dom'] : litExternal,
      modifyEsbuildConfig: (config) => ({
        ...config,
        format: 'esm',
        target: 'es2022',
        platform: 'browser',
        plugins: core ? [noLit] : [packsApart],
      }),
    });
  }
}
if (problems.length) throw new Error(problems.join('\n'));

export default [
  {
    name: 'dist/itty-uploader.js (Lit + @lit/task inside)',
    path: 'dist/itty-uploader.js',
    // Issue 16's budget: 17.6 KB (18,022 B), what it was when version 2 began; nothing may grow it. Every capability of
    // version 2 loads on demand; what stays in the first load (property declarations, hooks, loaders) was paid for by
    // moving <itty-file>'s view and its `src` fetch (with @lit/task) to chunks: 17,722 B before issues 18-21 landed,
    // 17,786 B with them all. The goal stays 15 KB.
    limit: '18022 B',
    disablePlugins: ['@size-limit/esbuild'],
  },
  ...chunkChecks,
  ...entryChecks,
];
