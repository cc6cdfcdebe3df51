// `npm run test:engines`: the whole browser suite in Firefox ESR and WebKitGTK (`npm test` runs it in Chromium).
// Installs Debian's packages for them when missing (on Debian, as root), runs each engine, prints the time each
// took and, last, one line "N passed, M failed".
// A file with failed tests is run once more, alone: these engines' media and worker stacks (GStreamer in WebKitGTK)
// stall now and then under load. A test that fails twice fails the run; one that passes the second time is listed
// as flaky at the end, with its first error, so that it is seen and fixed rather than hidden.
//   node scripts/engines.mjs                 both engines
//   node scripts/engines.mjs webkit          one engine
//   WTR_FILES=test/e2e/load.test.ts node scripts/engines.mjs   some files only
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ENGINES } from './engine-paths.mjs';
import { describeFailures, failuresIn } from './wtr-failures.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in ENGINES));
if (unknown.length) {
  console.error(`Unknown engine ${unknown.join(', ')}: choose from ${Object.keys(ENGINES).join(', ')}.`);
  process.exit(2);
}
const engines = (asked.length ? asked : Object.keys(ENGINES)).map((key) => ({ key, ...ENGINES[key] }));

const isDebian = () => existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function ensureBrowsers() {
  const missing = engines.filter((engine) => engine.needs.some((path) => !existsSync(path)));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((engine) => engine.packages))];
  if (!isDebian() || !isRoot()) {
    const distro = existsSync('/etc/os-release')
      ? readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1]
      : process.platform;
    console.error(
      `${missing.map((engine) => engine.name).join(' and ')} not found on ${distro}: install Debian's ${packages.join(' ')} as root ` +
        '(or set FIREFOX_PATH, WEBKIT_DRIVER_PATH, MINIBROWSER_PATH, XVFB_PATH), then run this again.',
    );
    process.exit(1);
  }
  console.log(`Installing Debian's ${packages.join(' ')} (once)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
  const still = engines.flatMap((engine) => engine.needs).filter((path) => !existsSync(path));
  if (still.length) {
    console.error(`Still missing after the install: ${still.join(', ')}.`);
    process.exit(1);
  }
}

function run(config, files) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn('node', ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', config], {
      cwd: root,
      env: files ? { ...process.env, WTR_FILES: files.join(',') } : process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

/** "N passed, M failed" of one wtr run; a runner that failed without a failing test (a crash, no browser) counts one. */
function countsOf({ code, output }) {
  // wtr prints "Firefox: |███| 11/11 test files | 110 passed, 0 failed"
  const counts = [...output.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  const pass = Number(counts?.[1] ?? 0);
  let fail = Number(counts?.[2] ?? 0);
  if (code !== 0 && fail === 0) fail = 1;
  if (pass === 0 && fail === 0) fail = 1;
  return { pass, fail };
}

ensureBrowsers();
let passed = 0;
let failed = 0;
const lines = [];
const flaky = [];
const failures = [];
for (const engine of engines) {
  console.log(`\n▶ Browser tests (${engine.name})`);
  const started = Date.now();
  const first = await run(engine.config);
  let { pass, fail } = countsOf(first);
  let failedNow = failuresIn(first.output);
  const files = [...new Set(failedNow.map((failure) => failure.file))];
  // Only failed tests the output names (a crashed runner is not retried), in at most three files.
  if (fail > 0 && failedNow.length === fail && files.length <= 3) {
    console.log(`\n▶ ${engine.name}: ${files.join(', ')} again, once (${fail} failed)`);
    const again = await run(engine.config, files);
    const retried = countsOf(again);
    const still = failuresIn(again.output);
    const key = (failure) => `${failure.file} › ${failure.test}`;
    const stillKeys = new Set(still.map(key));
    flaky.push(
      ...failedNow
        .filter((failure) => !stillKeys.has(key(failure)))
        .map((failure) => ({ ...failure, file: `${engine.name}: ${failure.file}` })),
    );
    pass += fail - retried.fail;
    fail = retried.fail;
    failedNow = still;
  }
  failures.push(...failedNow.map((failure) => ({ ...failure, file: `${engine.name}: ${failure.file}` })));
  const seconds = Math.round((Date.now() - started) / 1000);
  passed += pass;
  failed += fail;
  lines.push(`${engine.name}: ${pass} passed, ${fail} failed in ${seconds} s`);
}
console.log(`\n${lines.join('\n')}`);
if (flaky.length) console.log(`Flaky (failed, then passed when run again):\n${describeFailures(flaky, '⚠').join('\n')}`);
if (failures.length) console.log(`Failed:\n${describeFailures(failures).join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
