// Makes a fresh clone runnable: installs npm packages when package-lock.json changed since the last
// install, and (with --browser) makes sure a Chromium exists for the browser tests.
// Uses only Node built-ins: it runs before node_modules exists.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampFile = `${root}node_modules/.itty-install-stamp`;
const lock = `${root}package-lock.json`;

const digest = () => createHash('sha256').update(readFileSync(lock)).digest('hex');

if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== digest()) {
  console.log('Installing npm packages (package-lock.json changed or first run)…');
  execSync('npm ci --no-audit --no-fund --loglevel=error', { cwd: root, stdio: 'inherit' });
  writeFileSync(stampFile, digest());
}

if (process.argv.includes('--browser')) {
  const { ensureChrome } = await import('./chrome.mjs');
  try {
    ensureChrome();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
