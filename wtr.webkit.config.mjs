// The browser suite in WebKitGTK (Debian's webkit2gtk-driver): MiniBrowser under WebKitWebDriver, over classic
// WebDriver. MiniBrowser has no headless mode, so this starts its own Xvfb (a display it picks) and
// WebKitWebDriver (a free port), and stops both when the run ends. Run by `npm run test:engines`.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import base from './web-test-runner.config.mjs';
import { MINIBROWSER, WEBKIT_DRIVER, XVFB } from './scripts/engine-paths.mjs';
import { engineRunOptions } from './scripts/wtr-events.mjs';

const children = [];
const stopChildren = () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGTERM');
};
process.once('exit', stopChildren);

/** Xvfb on the first free display: with -displayfd it writes the number it chose to that descriptor. */
function startXvfb() {
  return new Promise((resolve, reject) => {
    const xvfb = spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    children.push(xvfb);
    let text = '';
    xvfb.stdio[3].on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it chose a display`)));
  });
}

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

async function startDriver(display) {
  const port = await freePort();
  const driver = spawn(WEBKIT_DRIVER, [`--port=${port}`, '--host=127.0.0.1'], {
    env: { ...process.env, DISPLAY: display },
    stdio: 'ignore',
  });
  children.push(driver);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode})`);
    const ready = await fetch(`http://127.0.0.1:${port}/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return port;
    if (Date.now() > deadline) throw new Error('WebKitWebDriver did not answer /status within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const display = await startXvfb();
const driverPort = await startDriver(display);

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  ...base,
  ...engineRunOptions(),
  // Other values make the launcher run test files in iframes of one page.
  concurrency: 1,
  browsers: [
    webdriverLauncher({
      automationProtocol: 'webdriver',
      hostname: '127.0.0.1',
      port: driverPort,
      path: '/',
      logLevel: 'error',
      capabilities: {
        browserName: 'MiniBrowser',
        // Otherwise webdriverio 9 asks for BiDi (webSocketUrl), which WebKitWebDriver refuses.
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      },
    }),
  ],
};
