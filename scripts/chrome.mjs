// Finds a Chromium for the browser tests, in this order: CHROME_PATH, Playwright's own browser,
// a system Chromium/Chrome. `ensureChrome()` installs Debian's `chromium` when none is found and we may.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/**
 * Flags for every headless Chromium the project starts. The network ones matter here: without them
 * Chromium keeps dialling Google's services, which this machine's closed network refuses.
 */
export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function playwrightChromium() {
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require('playwright');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export function findChrome() {
  if (process.env.CHROME_PATH) {
    if (existsSync(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
    throw new Error(`CHROME_PATH is set to ${process.env.CHROME_PATH}, which does not exist.`);
  }
  return playwrightChromium() ?? SYSTEM_PATHS.find((path) => existsSync(path));
}

const isDebian = () => existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export function ensureChrome() {
  const found = findChrome();
  if (found) return found;
  if (isDebian() && isRoot()) {
    console.log("No Chromium found: installing Debian's chromium package (once)…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    const installed = findChrome();
    if (installed) return installed;
  }
  const distro = existsSync('/etc/os-release')
    ? readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1]
    : process.platform;
  throw new Error(
    `No Chromium or Chrome found on ${distro}: install one (e.g. "apt-get install chromium" as root on Debian, or Google Chrome) or set CHROME_PATH to its executable.`,
  );
}
