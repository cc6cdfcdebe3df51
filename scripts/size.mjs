// Size budget of what a page downloads. Run after scripts/build.mjs (`npm run size` does both).
//   dist/itty-uploader.js  the CDN bundle (both elements + Lit + @lit/task) as shipped: fails above BUDGET
//   dist/chunks/*.js       parts the bundle imports only when used (chunked sending, dropped folders)
//   /core, /uploader, /file  each entry's own cost: dist/<entry>.js bundled and minified by esbuild with Lit
//                            external, as an app's bundler would add it next to the Lit the app already has
//                            (one file: what the entry loads on demand is included)
// Brotli at quality 11 and gzip at level 9, from node:zlib. Prints a table and writes bench/size.json.
// `--inputs` also lists the largest inputs of the bundle (esbuild metafile, minified bytes before compression).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const KB = 1024;
// Issue #8 asks for ≤ 12 KB (goal 10 KB); the package is not there (see README, Performance: Lit and @lit/task
// are 5.1 KB of it, the two elements and the engine 11.9 KB). Until it is, this budget stops growth from what
// it measured (17.18 KB; 17.27 KB after the fixes of 2026-12-04: File objects with null fields or hostile urls,
// a long list that rendered every frame while idle) instead of failing every run.
const BUDGET = 17.6 * KB; // `npm test` fails above this
const GOAL = 10 * KB;
const LAZY_BUDGET = 1 * KB;
const LIT_EXTERNAL = ['lit', 'lit/*', '@lit/*'];

const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const measure = (bytes) => ({ raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotli(bytes) });

/** Bundles one dist/ entry the way an app's bundler would: minified, Lit left to the app. */
async function entryCost(entry) {
  const result = await build({
    entryPoints: [`${root}dist/${entry}`],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    external: LIT_EXTERNAL,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = Object.values(result.metafile.outputs);
  const imports = output.imports.filter((i) => i.external).map((i) => i.path);
  const inputs = Object.keys(result.metafile.inputs);
  return { ...measure(result.outputFiles[0].contents), imports, inputs };
}

const problems = [];
let bundle;
try {
  bundle = measure(readFileSync(`${root}dist/itty-uploader.js`));
} catch {
  console.error('dist/itty-uploader.js is missing: run node scripts/build.mjs first (or npm run size).');
  process.exit(1);
}
// Loaded on demand by the bundle: reported one by one, and each must stay small.
const lazy = Object.fromEntries(
  readdirSync(`${root}dist/chunks`)
    .filter((name) => name.endsWith('.js'))
    .map((name) => [name.replace(/-[\w-]{8}\.js$/, ''), measure(readFileSync(`${root}dist/chunks/${name}`))]),
);
for (const [name, size] of Object.entries(lazy)) {
  if (size.brotli > LAZY_BUDGET) problems.push(`the lazy part ${name} is ${size.brotli} B brotli, above ${LAZY_BUDGET} B`);
}
const entries = {};
for (const [name, file] of [['/core', 'core/index.js'], ['/uploader', 'uploader.js'], ['/file', 'file.js']]) {
  const { imports, inputs, ...size } = await entryCost(file);
  entries[name] = { ...size, imports: [...new Set(imports)].sort() };
  if (name === '/core') {
    const lit = [...imports, ...inputs].filter((path) => /(^|\/)(lit|lit-html|lit-element|@lit\/[\w-]+)(\/|$)/.test(path));
    if (lit.length) problems.push(`/core must not use Lit, but its bundle imports ${[...new Set(lit)].join(', ')}`);
  }
}
if (bundle.brotli > BUDGET) problems.push(`dist/itty-uploader.js is ${bundle.brotli} B brotli, above the ${BUDGET} B budget`);

const kb = (bytes) => `${(bytes / KB).toFixed(2)} KB`;
const rows = [
  ['dist/itty-uploader.js (Lit + @lit/task inside)', bundle],
  ...Object.entries(lazy).map(([name, size]) => [`  + dist/chunks/${name}-*.js, loaded when used`, size]),
  ...Object.entries(entries).map(([name, size]) => [`itty-uploader${name} (Lit external, lazy parts in)`, size]),
];
const width = Math.max(...rows.map(([label]) => label.length));
console.log(`${'artefact'.padEnd(width)}  ${'raw'.padStart(9)}  ${'gzip'.padStart(9)}  ${'brotli'.padStart(9)}`);
for (const [label, { raw, gzip, brotli: br }] of rows) {
  console.log(`${label.padEnd(width)}  ${kb(raw).padStart(9)}  ${kb(gzip).padStart(9)}  ${kb(br).padStart(9)}`);
}
console.log(
  `budget: ${kb(bundle.brotli)} brotli of ${kb(BUDGET)} allowed (goal ${kb(GOAL)}: ${bundle.brotli <= GOAL ? 'met' : 'not met'})`,
);

if (process.argv.includes('--inputs')) {
  const result = await build({
    entryPoints: [`${root}src/index.ts`],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    tsconfig: `${root}tsconfig.json`,
  });
  const [output] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(output.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
  console.log('\nlargest inputs of the bundle (esbuild: JS minified, css/html literal text as written; bytes before compression):');
  for (const [path, { bytesInOutput }] of inputs.slice(0, 25)) console.log(`${String(bytesInOutput).padStart(7)}  ${path}`);
}

mkdirSync(`${root}bench`, { recursive: true });
writeFileSync(
  `${root}bench/size.json`,
  `${JSON.stringify({ budget: { brotli: BUDGET, goal: GOAL, lazy: LAZY_BUDGET }, bundle: { file: 'dist/itty-uploader.js', ...bundle }, lazy, entries }, null, 2)}\n`,
);

for (const problem of problems) console.error(`✖ ${problem}`);
process.exit(problems.length ? 1 : 0);
