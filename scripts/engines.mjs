// `npm run test:engines`: the whole browser suite in Firefox ESR and WebKitGTK (`npm test` runs it in Chromium).
// Installs Debian's packages for them when missing (on Debian, as root), runs each engine, prints the time each
// took and, last, one line "N passed, M failed".
// A file with failed tests is run once more, alone: these engines' media and worker stacks (GStreamer in WebKitGTK)
// stall now and then under load. A test that fails twice fails the run; one that passes the second time is listed
// as flaky at the end, with its first error, so that it is seen and fixed rather than hidden. A browser that hangs
// (scripts/wtr-events.mjs) stops its run, and the hung file and those after it run once more in a new browser.
//   node scripts/engines.mjs                 both engines
//   node scripts/engines.mjs webkit          one engine
//   WTR_FILES=test/e2e/load.test.ts node scripts/engines.mjs   some files only
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES } from './engine-paths.mjs';
import { describeFailures } from './wtr-failures.mjs';

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

/**
 * One Web Test Runner run of `files` (all without), in its own process group. Resolves with its exit code, its
 * output, the files it was to run and what each finished file reported (scripts/wtr-events.mjs). When a file
 * reports a hung browser, the run is stopped there (the whole group: runner, driver, browser, display).
 */
function run(config, files) {
  return new Promise((resolve) => {
    const events = join(tmpdir(), `itty-wtr-events-${process.pid}-${Date.now()}.jsonl`);
    let output = '';
    const child = spawn('node', ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', config], {
      cwd: root,
      env: { ...process.env, WTR_EVENTS: events, ...(files ? { WTR_FILES: files.join(',') } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running = child;
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    const read = () => {
      const lines = existsSync(events) ? readFileSync(events, 'utf8').split('\n').filter(Boolean) : [];
      return lines.map((line) => JSON.parse(line));
    };
    let hung;
    const watch = setInterval(() => {
      hung ??= read().find((event) => event.event === 'file' && event.hung)?.file;
      if (hung && !child.killed) {
        console.log(`\n▶ The browser hung in ${hung}: this run stops here; what is left runs in a new browser.`);
        stopGroup(child);
      }
    }, 500);
    child.on('close', (code) => {
      clearInterval(watch);
      running = undefined;
      const all = read();
      rmSync(events, { force: true });
      const planned = all.find((event) => event.event === 'files')?.files ?? [];
      const results = new Map(all.filter((event) => event.event === 'file').map((event) => [event.file, event]));
      resolve({ code: code ?? 1, output, planned, results, hung: hung ?? [...results.values()].find((result) => result.hung)?.file });
    });
  });
}

/** SIGTERM to the run's process group, SIGKILL to what is left of it five seconds later. */
function stopGroup(child) {
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  setTimeout(() => signal('SIGKILL'), 5000).unref();
}

let running;
for (const name of ['SIGINT', 'SIGTERM']) {
  process.once(name, () => {
    if (running) stopGroup(running);
    process.exit(130);
  });
}

/** Passed and failed tests of the files in `results`; a run that ended badly with no failure reported counts one. */
function countsOf(results, endedBadly) {
  let pass = 0;
  let fail = 0;
  for (const result of results.values()) {
    pass += result.passed;
    fail += result.failures.length;
  }
  if (fail === 0 && (endedBadly || pass === 0)) fail = 1;
  return { pass, fail };
}

/** The failures of `results` as `{ file, test, error }`. */
const failuresOf = (results) =>
  [...results.values()].flatMap((result) => result.failures.map((failure) => ({ file: result.file, ...failure })));

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
  const results = new Map(first.results);
  const failedFiles = [...results.values()].filter((result) => result.failures.length > 0).map((result) => result.file);
  // After a hang: the hung file and every file the stopped run did not finish. Otherwise failed tests in at most
  // three files (a run that crashed without reporting is not run again).
  const again = first.hung
    ? first.planned.filter((file) => !results.get(file) || results.get(file).failures.length > 0)
    : failedFiles.length <= 3
      ? failedFiles
      : [];
  if (again.length) {
    const before = failuresOf(new Map(again.filter((file) => results.has(file)).map((file) => [file, results.get(file)])));
    console.log(`\n▶ ${engine.name}: ${again.length > 3 ? `${again.length} files` : again.join(', ')} again, once`);
    const retry = await run(engine.config, again);
    for (const file of again) {
      const result = retry.results.get(file);
      if (result) results.set(file, result);
      else results.delete(file);
    }
    const stillFailing = new Set(failuresOf(retry.results).map((failure) => failure.file));
    flaky.push(
      ...before
        .filter((failure) => retry.results.has(failure.file) && !stillFailing.has(failure.file))
        .map((failure) => ({ ...failure, file: `${engine.name}: ${failure.file}` })),
    );
    // A file neither run reported on (the retry crashed, or hung again before it): a failure.
    for (const file of again) {
      if (!results.has(file)) results.set(file, { file, passed: 0, failures: [{ test: 'did not run to its end', error: '' }] });
    }
  }
  // A run that crashed or found no file, with nothing to run again (a run stopped at a hang exits non-zero).
  const { pass, fail } = countsOf(results, !again.length && (first.code !== 0 || first.planned.length === 0));
  failures.push(...failuresOf(results).map((failure) => ({ ...failure, file: `${engine.name}: ${failure.file}` })));
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
