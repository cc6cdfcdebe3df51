// `npm run test:runtimes`: the tests that run the package on other JavaScript runtimes (test/runtimes/): the signing
// helpers and itty-uploader/server/s3 under Bun, Deno and workerd (Cloudflare Workers' runtime), and every element
// entry imported in workerd. The three runtimes are not devDependencies (about 350 MB that a plain `npm ci` would
// install for every contributor): scripts/pinned.mjs installs them on first use, at the exact versions in
// scripts/runtimes/package-lock.json, into .cache/runtimes, and reuses that folder afterwards (offline too) until the
// lock file changes. Prints the time each step took and, last, one line "N passed, M failed".
//   node scripts/runtimes.mjs                            every runtime test
//   node scripts/runtimes.mjs test/runtimes/s3.test.ts   some files only
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePinned, runNodeTests, testFiles } from './pinned.mjs';

const RUNTIMES = ['bun', 'deno', 'workerd'];
const started = Date.now();
let modules;
try {
  modules = ensurePinned(
    'runtimes',
    RUNTIMES.map((name) => `.bin/${name}`),
  );
} catch (error) {
  console.error(`Could not install the runtimes: ${error instanceof Error ? error.message : error}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const installed = Date.now();
for (const name of RUNTIMES) console.log(`${name} ${JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version}`);

const files = testFiles('test/runtimes', process.argv.slice(2));
console.log(`\n▶ Runtime tests: Bun, Deno, workerd (${files.length} files)`);
const { passed, failed } = await runNodeTests(files, { ITTY_RUNTIMES_BIN: join(modules, '.bin') });

const seconds = (from, to = Date.now()) => `${((to - from) / 1000).toFixed(1)} s`;
console.log(`\nruntimes: install/check ${seconds(started, installed)}, tests ${seconds(installed)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
