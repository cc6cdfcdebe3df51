// `npm run test:frameworks`: docs/hosts.md's Angular and Astro examples (demo/angular/, demo/astro/) built for real,
// with Angular's AOT compiler (strict templates) and `astro build`, then driven in Chromium against the real upload
// server (test/frameworks/). Angular and Astro are not devDependencies: Angular's compiler needs TypeScript 6 where
// the project has 7, Astro 6+ needs Node 22, and together they are about 250 MB that a plain `npm ci` would install
// for every contributor. scripts/pinned.mjs installs them on first use, at the exact versions in
// scripts/frameworks/package-lock.json, into .cache/frameworks, and reuses that folder afterwards (offline too)
// until the lock file changes. Needs a Chromium, as `npm test` does. Last line: "N passed, M failed".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePinned, runNodeTests, testFiles } from './pinned.mjs';

const PACKAGES = ['@angular/core', '@angular/compiler-cli', 'astro'];
const started = Date.now();
let modules;
try {
  modules = ensurePinned(
    'frameworks',
    PACKAGES.map((name) => `${name}/package.json`),
  );
} catch (error) {
  console.error(`Could not install Angular and Astro: ${error instanceof Error ? error.message : error}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const installed = Date.now();
for (const name of PACKAGES) console.log(`${name} ${JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version}`);

const files = testFiles('test/frameworks', process.argv.slice(2));
console.log(`\n▶ Framework hosts: Angular, Astro (${files.length} files)`);
const { passed, failed } = await runNodeTests(files, { ITTY_FRAMEWORKS_MODULES: modules });

const seconds = (from, to = Date.now()) => `${((to - from) / 1000).toFixed(1)} s`;
console.log(`\nframeworks: install/check ${seconds(started, installed)}, tests ${seconds(installed)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
