// App tests (issue 17): Vitest under jsdom and under happy-dom, importing `itty-uploader` and
// `itty-uploader/testing` from the packed tarball, as an app that installed the package does.
//
// A scratch folder gets: app/node_modules/itty-uploader (the tarball unpacked), app/ (this folder's tests and
// configs, and a package.json), and node_modules → the repository's node_modules, so that vitest, msw, jsdom,
// happy-dom and the package's own dependencies (lit, …) resolve from there without a network or an install.
// Prints "app tests: N passed, M failed" last (scripts/test.mjs counts it); exits 1 on any failure.
//   node --import tsx test/app/run.ts            both environments
//   node --import tsx test/app/run.ts jsdom      one (jsdom or happy-dom)
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDist } from '../helpers/dist.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const environments = ['jsdom', 'happy-dom'].filter((name) => !process.argv[2] || process.argv[2] === name);
if (environments.length === 0) throw new Error(`Unknown environment "${process.argv[2]}": use jsdom or happy-dom`);

ensureDist();
const scratch = mkdtempSync(join(tmpdir(), 'itty-app-'));
let passed = 0;
let failed = 0;
try {
  const app = join(scratch, 'app');
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', scratch], {
    cwd: root,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .at(-1)!;
  execFileSync('tar', ['-xzf', join(scratch, tarball), '-C', join(app, 'node_modules')]);
  renameSync(join(app, 'node_modules', 'package'), join(app, 'node_modules', 'itty-uploader'));
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  for (const name of readdirSync(here)) if (/\.(test|config)\.ts$/.test(name)) copyFileSync(join(here, name), join(app, name));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));

  for (const environment of environments) {
    console.log(`\n▶ App tests under ${environment} (itty-uploader from ${tarball})`);
    const report = join(scratch, `${environment}.json`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          join(root, 'node_modules/vitest/vitest.mjs'),
          'run',
          '--config',
          `vitest.${environment}.config.ts`,
          '--reporter=default',
          '--reporter=json',
          `--outputFile.json=${report}`,
        ],
        { cwd: app, stdio: 'inherit', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      );
      child.on('close', (status) => resolve(status ?? 1));
    });
    let counts = { pass: 0, fail: 0 };
    try {
      const result = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number };
      counts = { pass: result.numPassedTests, fail: result.numFailedTests };
    } catch {
      // No report: vitest failed before running (a config or an import error), counted below.
    }
    if (code !== 0 && counts.fail === 0) counts.fail = 1;
    if (counts.pass + counts.fail === 0) counts.fail = 1;
    console.log(`${environment}: ${counts.pass} passed, ${counts.fail} failed`);
    passed += counts.pass;
    failed += counts.fail;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`app tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
