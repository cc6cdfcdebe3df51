// `npm run test:runtimes`: the tests that run the package on other JavaScript runtimes (test/runtimes/): the signing
// helpers and itty-uploader/server/s3 under Bun, Deno and workerd (Cloudflare Workers' runtime), and every element
// entry imported in workerd. The three runtimes are not devDependencies (about 350 MB that a plain `npm ci` would
// install for every contributor): this script installs them on first use, at the exact versions in
// scripts/runtimes/package-lock.json, into .cache/runtimes (git-ignored), and reuses that folder afterwards (offline
// too) until the lock file changes. Prints the time each step took and, last, one line "N passed, M failed".
//   node scripts/runtimes.mjs                       every runtime test
//   node scripts/runtimes.mjs test/runtimes/s3.test.ts   some files only
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pinned = join(root, 'scripts/runtimes');
const cache = join(root, '.cache/runtimes');
const bin = join(cache, 'node_modules/.bin');
const stamp = join(cache, 'node_modules/.itty-runtimes-stamp');
const RUNTIMES = ['bun', 'deno', 'workerd'];

const digest = () =>
  createHash('sha256')
    .update(readFileSync(join(pinned, 'package.json')))
    .update(readFileSync(join(pinned, 'package-lock.json')))
    .digest('hex');

/** Installs the pinned runtimes into .cache/runtimes unless the last install there was of the same lock file. */
function ensureRuntimes() {
  const current = existsSync(stamp) && readFileSync(stamp, 'utf8') === digest() && RUNTIMES.every((name) => existsSync(join(bin, name)));
  if (current) return;
  console.log(`Installing ${RUNTIMES.join(', ')} into .cache/runtimes (scripts/runtimes/package-lock.json changed, or first run)…`);
  mkdirSync(cache, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(pinned, file), join(cache, file));
  // npm ci, not install: exactly the lock's versions and integrity hashes. Each package's postinstall puts its
  // platform's binary in place (from the optional dependency npm picked for this OS and CPU).
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: cache, stdio: 'inherit' });
  const missing = RUNTIMES.filter((name) => !existsSync(join(bin, name)));
  if (missing.length) {
    console.error(`Still missing after the install: ${missing.map((name) => join(bin, name)).join(', ')}.`);
    process.exit(1);
  }
  writeFileSync(stamp, digest());
}

function run(command, args, env) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const started = Date.now();
let passed = 0;
let failed = 0;
try {
  ensureRuntimes();
} catch (error) {
  console.error(`Could not install the runtimes: ${error instanceof Error ? error.message : error}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const installed = Date.now();
for (const name of RUNTIMES) {
  const version = JSON.parse(readFileSync(join(cache, 'node_modules', name, 'package.json'), 'utf8')).version;
  console.log(`${name} ${version}`);
}

const asked = process.argv.slice(2);
const files = asked.length
  ? asked
  : readdirSync(join(root, 'test/runtimes'))
      .filter((name) => name.endsWith('.test.ts'))
      .sort()
      .map((name) => `test/runtimes/${name}`);
console.log(`\n▶ Runtime tests: Bun, Deno, workerd (${files.length} files)`);
const { code, output } = await run('node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { ITTY_RUNTIMES_BIN: bin });
passed += Number(/^ℹ pass (\d+)/m.exec(output)?.[1] ?? 0);
const fail = Number(/^ℹ fail (\d+)/m.exec(output)?.[1] ?? 0);
failed += fail;
if (code !== 0 && fail === 0) failed += 1; // the runner failed without a failing test
if (passed === 0 && failed === 0) failed += 1;

const seconds = (from, to = Date.now()) => `${((to - from) / 1000).toFixed(1)} s`;
console.log(`\nruntimes: install/check ${seconds(started, installed)}, tests ${seconds(installed)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
