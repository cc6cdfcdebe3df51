// Bundle size: what a page downloads. Builds dist/ and measures it, as scripts/size.mjs does for the budget in
// `npm test` (brotli quality 11, gzip level 9; each entry bundled by esbuild with Lit external). The bench measures
// for itself so its figures stay comparable run to run whatever tool enforces the budget.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { root } from '../lib/config.js';
import { section, type Row } from '../lib/section.js';
import { fixed } from '../lib/stats.js';

const GOAL_KB = 15;
const BUDGET_KB = 17.6;
/** Each entry's own cost, as an app's bundler adds it next to the Lit the app already has. */
const ENTRIES = [
  ['/core', 'core/index.js'],
  ['/uploader', 'uploader.js'],
  ['/file', 'file.js'],
] as const;
const LIT_EXTERNAL = ['lit', 'lit/*', '@lit/*'];

interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}
export interface SizeData {
  /** dist/itty-uploader.js: both elements + Lit + @lit/task. */
  bundle: Size;
  /** dist/chunks/*.js by name without the hash: parts the bundle imports only when used. */
  lazy: Record<string, Size>;
  /** Package entry → minified bundle of it, Lit external, what it loads on demand included. */
  entries: Record<string, Size>;
}

const measureBytes = (bytes: Uint8Array): Size => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

async function entryCost(file: string): Promise<Size> {
  const result = await build({
    entryPoints: [`${root}dist/${file}`],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    external: LIT_EXTERNAL,
    write: false,
    logLevel: 'silent',
  });
  return measureBytes(result.outputFiles[0]!.contents);
}

export default section<SizeData>({
  name: 'size',
  describe: () => 'size: building dist/ and measuring it',
  async measure() {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
    const lazy = Object.fromEntries(
      readdirSync(`${root}dist/chunks`)
        .filter((name) => name.endsWith('.js'))
        .map((name) => [name.replace(/-[\w-]{8}\.js$/, ''), measureBytes(readFileSync(`${root}dist/chunks/${name}`))]),
    );
    const entries: Record<string, Size> = {};
    for (const [name, file] of ENTRIES) entries[name] = await entryCost(file);
    return { bundle: measureBytes(readFileSync(`${root}dist/itty-uploader.js`)), lazy, entries };
  },
  rows(size): Row[] {
    const kb = (bytes: number) => fixed(bytes / 1024, 2);
    return [
      {
        section: 'size',
        measure: 'dist/itty-uploader.js, both elements + Lit + @lit/task (KB brotli; gzip)',
        value: `${kb(size.bundle.brotli)}; ${kb(size.bundle.gzip)}`,
        goal: `≤ ${GOAL_KB} KB (budget ${BUDGET_KB})`,
        met: size.bundle.brotli <= GOAL_KB * 1024,
        history: 'bundle KB br',
      },
      ...Object.entries(size.lazy).map(([name, s]) => ({
        section: 'size',
        measure: `  + dist/chunks/${name}, loaded only when used (KB brotli)`,
        value: kb(s.brotli),
      })),
      ...Object.entries(size.entries).map(([name, s]) => ({
        section: 'size',
        measure: `itty-uploader${name}, Lit external, lazy parts included (KB brotli)`,
        value: kb(s.brotli),
      })),
    ];
  },
});
