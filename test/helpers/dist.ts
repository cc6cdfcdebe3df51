// Node tests that need the built package call `ensureDist()`. A full `npm test` builds before its Node tests;
// `npm run test:node` alone may find no dist/, and then the first test process to get here builds it while
// the others (node --test runs files in parallel on several cores) wait for that build instead of racing it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Files the last step of scripts/build.mjs writes, or that tests import. */
const BUILT = ['dist/index.js', 'dist/react.js', 'dist/types/vue.d.ts', 'dist/itty-uploader.js'];
const LOCK = join(root, 'node_modules', '.cache', 'itty-build.lock');
/** A lock older than this was left by a killed build. */
const STALE_MS = 120_000;

const built = () => BUILT.every((file) => existsSync(join(root, file)));
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export function ensureDist(): void {
  if (built()) return;
  mkdirSync(join(LOCK, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another test process holds the lock: wait for its build, unless the lock is stale.
      const age = existsSync(LOCK) ? Date.now() - statSync(LOCK).mtimeMs : 0;
      if (age > STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      else pause(200);
    }
  }
  try {
    if (!built()) execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
