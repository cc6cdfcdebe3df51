// `npm test`: every check, in order, each counted; ends with one line "N passed, M failed".
//   node scripts/test.mjs            everything
//   node scripts/test.mjs node       Node-side tests only (core, locales, server, package, framework hosts)
//   node scripts/test.mjs browser    browser tests only
//   node scripts/test.mjs checks     the checks only (typecheck, lint, format, generated files, build, size, package)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeFailures, failuresIn } from './wtr-failures.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv[2];
let passed = 0;
let failed = 0;

function run(command, args, { env } = {}) {
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

/** A check with no test count of its own (typecheck, manifest, build) counts as one test. */
async function check(name, command, args) {
  console.log(`\n▶ ${name}`);
  const start = Date.now();
  const { code } = await run(command, args);
  console.log(`  (${((Date.now() - start) / 1000).toFixed(1)} s)`);
  if (code === 0) passed += 1;
  else {
    failed += 1;
    console.error(`✖ ${name} failed (exit ${code})`);
  }
  return code === 0;
}

function testFiles(dir) {
  const full = join(root, dir);
  try {
    statSync(full);
  } catch {
    return [];
  }
  return readdirSync(full, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(dir, name))
    .sort();
}

async function nodeTests() {
  const files = ['test/core', 'test/locales', 'test/server', 'test/package', 'test/hosts', 'test/testing'].flatMap(testFiles);
  if (files.length === 0) {
    failed += 1;
    console.error('✖ no Node test files found');
    return;
  }
  console.log(`\n▶ Node tests (${files.length} files)`);
  const { code, output } = await run('node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
  const pass = Number(/^ℹ pass (\d+)/m.exec(output)?.[1] ?? 0);
  const fail = Number(/^ℹ fail (\d+)/m.exec(output)?.[1] ?? 0);
  passed += pass;
  failed += fail;
  if (code !== 0 && fail === 0) {
    failed += 1;
    console.error(`✖ Node tests exited ${code}`);
  }
  if (pass === 0) {
    failed += 1;
    console.error('✖ Node tests ran no test');
  }
}

/** Vitest under jsdom and happy-dom against the packed tarball (test/app/run.ts prints "app tests: N passed, M failed"). */
async function appTests() {
  console.log('\n▶ App tests (Vitest with jsdom and happy-dom, the packed tarball)');
  const { code, output } = await run('node', ['--import', 'tsx', 'test/app/run.ts']);
  const counts = /^app tests: (\d+) passed, (\d+) failed$/m.exec(output);
  passed += Number(counts?.[1] ?? 0);
  failed += Number(counts?.[2] ?? 0);
  if (!counts || (code !== 0 && Number(counts[2]) === 0)) {
    failed += 1;
    console.error(`✖ app tests exited ${code}`);
  }
}

/** Failed browser tests, listed again at the very end (logs are often read from their tail). */
const browserFailures = [];

async function browserTests() {
  console.log('\n▶ Browser tests (Chromium)');
  const { code, output } = await run('node', [
    '--import',
    'tsx',
    'node_modules/@web/test-runner/dist/bin.js',
    '--config',
    'web-test-runner.config.mjs',
  ]);
  // wtr prints "Chromium: |███| 3/3 test files | 8 passed, 0 failed"
  const counts = [...output.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  const pass = Number(counts?.[1] ?? 0);
  const fail = Number(counts?.[2] ?? 0);
  passed += pass;
  failed += fail;
  browserFailures.push(...failuresIn(output));
  if (code !== 0 && fail === 0) {
    failed += 1;
    console.error(`✖ browser tests exited ${code}`);
  }
  if (pass === 0) {
    failed += 1;
    console.error('✖ browser tests ran no test');
  }
}

const started = Date.now();
if (!only || only === 'checks') {
  await check('Typecheck (tsc)', 'node', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
  await check('Lint (biome lint)', 'node', ['node_modules/@biomejs/biome/bin/biome', 'lint', '--error-on-warnings', '.']);
  await check('Formatting (biome format; `npm run format` fixes it and regenerates what quotes the sources)', 'node', [
    'node_modules/@biomejs/biome/bin/biome',
    'format',
    '.',
  ]);
  await check('custom-elements.json is current', 'node', ['scripts/manifest.mjs', '--check']);
  await check('README reference is current', 'node', ['scripts/readme-reference.mjs', '--check']);
  await check('Framework types (src/types/) are current', 'node', ['scripts/framework-types.mjs', '--check']);
  // Both measure what the build just made: the size budget (.size-limit.mjs) and the packed tarball.
  if (await check('Build (dist/)', 'node', ['scripts/build.mjs'])) {
    await check('Size budget (size-limit)', 'node', ['node_modules/size-limit/bin.js']);
    await check('Package: publint, attw, tarball contents (scripts/package-check.mjs)', 'node', ['scripts/package-check.mjs']);
  }
}
if (!only || only === 'node') await nodeTests();
if (!only || only === 'node') await appTests();
if (!only || only === 'browser') await browserTests();

if (browserFailures.length) console.log(`\nFailed browser tests:\n${describeFailures(browserFailures).join('\n')}`);
console.log(`\nnpm test finished in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
