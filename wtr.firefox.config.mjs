// The browser suite in Firefox ESR (Debian's firefox-esr), driven over WebDriver BiDi by Puppeteer; headless,
// no display needed. Run by `npm run test:engines` (scripts/engines.mjs) through node --import tsx.
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import base from './web-test-runner.config.mjs';
import { FIREFOX } from './scripts/engine-paths.mjs';
import { engineRunOptions } from './scripts/wtr-events.mjs';

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  ...base,
  ...engineRunOptions(),
  browsers: [puppeteerLauncher({ launchOptions: { browser: 'firefox', executablePath: FIREFOX, headless: true } })],
};
