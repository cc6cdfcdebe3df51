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
  chunked: 1 * KB, // ittybit chunked sending
  folders: 1 * KB, // dropped folders read whole
  'list-window': 1 * KB, // the window of lists over 100 rows
  'image-size': 0.3 * KB, // an image's size, for storages that answer no File object
  signing: 1.5 * KB, // the signing request and its answer's parsing, loaded when the first file is queued
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
  multipart: 2 * KB,
  resume: 2 * KB,
  transform: 3 * KB,
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
  // +1.9 KB the summary of issue 19 (in the words chunk for the CDN bundle).
  '.': 21.6 * KB,
  './uploader': 20.2 * KB,
  './file': 2.9 * KB,
  './core': 7.6 * KB,
  './react': 21.7 * KB,
  './elements': 21.5 * KB,
  './browser': 1.2 * KB,
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
    limit: `${Math.ceil(17.6 * KB)} B`,
    disablePlugins: ['@size-limit/esbuild'],
  },
  ...chunkChecks,
  ...entryChecks,
];
