// Where Debian's packages put the browsers of `npm run test:engines`; each can be overridden by an env variable.
import { existsSync, readdirSync } from 'node:fs';

/** MiniBrowser lives under the multiarch folder (/usr/lib/x86_64-linux-gnu/…, /usr/lib/aarch64-linux-gnu/…). */
function findMiniBrowser() {
  const dirs = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((name) => name.includes('-linux-gnu')) : [];
  const found = dirs.map((dir) => `/usr/lib/${dir}/webkit2gtk-4.1/MiniBrowser`).find((path) => existsSync(path));
  return found ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
}

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.MINIBROWSER_PATH ?? findMiniBrowser();
export const XVFB = process.env.XVFB_PATH ?? '/usr/bin/Xvfb';

/** Each engine: its test-runner config, the executables it needs, and the Debian packages that bring them. */
export const ENGINES = {
  firefox: { name: 'Firefox ESR', config: 'wtr.firefox.config.mjs', needs: [FIREFOX], packages: ['firefox-esr'] },
  webkit: {
    name: 'WebKitGTK',
    config: 'wtr.webkit.config.mjs',
    needs: [WEBKIT_DRIVER, MINIBROWSER, XVFB],
    packages: ['webkit2gtk-driver', 'xvfb'],
  },
};
