// Tools the project tests with but does not list as devDependencies, because a plain `npm ci` would install them for
// every contributor: each set is a folder here (scripts/<set>/package.json and its package-lock.json, exact
// versions and integrity hashes) installed on first use into .cache/<set> (git-ignored), then reused, offline too,
// until the lock file changes. Used by scripts/runtimes.mjs (Bun, Deno, workerd) and scripts/frameworks.mjs
// (Angular, Astro). Node built-ins only.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Installs the set `name` into .cache/<name> unless the last install there was of the same lock file and every path
 * in `needs` (relative to .cache/<name>/node_modules) exists. Returns that node_modules folder.
 */
export function ensurePinned(name, needs) {
  const pinned = join(root, 'scripts', name);
  const cache = join(root, '.cache', name);
  const modules = join(cache, 'node_modules');
  const stamp = join(modules, '.itty-pinned-stamp');
  const digest = createHash('sha256')
    .update(readFileSync(join(pinned, 'package.json')))
    .update(readFileSync(join(pinned, 'package-lock.json')))
    .digest('hex');
  const present = () => needs.every((path) => existsSync(join(modules, path)));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && present()) return modules;
  console.log(`Installing scripts/${name}/package-lock.json into .cache/${name} (first run, or the lock file changed)…`);
  mkdirSync(cache, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(pinned, file), join(cache, file));
  // npm ci, not install: exactly the lock's versions and integrity hashes. Postinstall scripts put native binaries in
  // place (from the optional dependency npm picked for this OS and CPU).
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: cache, stdio: 'inherit' });
  const missing = needs.filter((path) => !existsSync(join(modules, path)));
  if (missing.length) throw new Error(`still missing after the install: ${missing.map((path) => join(modules, path)).join(', ')}`);
  writeFileSync(stamp, digest);
  return modules;
}

/** Runs Node test files (node --import tsx --test) with `env` added; returns the passed and failed counts. */
export function runNodeTests(files, env) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn('node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const echo = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code) => {
      const passed = Number(/^ℹ pass (\d+)/m.exec(output)?.[1] ?? 0);
      let failed = Number(/^ℹ fail (\d+)/m.exec(output)?.[1] ?? 0);
      if (code !== 0 && failed === 0) failed = 1; // the runner failed without a failing test
      if (passed === 0 && failed === 0) failed = 1;
      resolve({ passed, failed });
    });
  });
}

/** The test files of `dir`, or the files named on the command line. */
export function testFiles(dir, asked) {
  if (asked.length) return asked;
  return readdirSync(join(root, dir))
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => `${dir}/${name}`);
}
