// What `npm run test:engines` (scripts/engines.mjs) adds to Web Test Runner's config for Firefox ESR and WebKitGTK:
// a reporter that writes one JSON line per finished test file to the file named by WTR_EVENTS, so that the runner
// knows which files passed, which failed and how, and when the browser hung (its page stopped answering: a
// GStreamer deadlock in WebKitGTK was seen once). After a hang every later file of the run fails to start, each
// after the timeouts below, so the runner stops that run and runs what is left in a new browser.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { defaultReporter } from '@web/test-runner';

/** What Web Test Runner says of a page that stopped answering, or of a browser that no longer opens one. */
export const HUNG = /did not finish within|did not start after|Timed out stopping the browser page/;

/**
 * A whole engine run takes about 90 s and its longest file well under a minute: four minutes is a hang (the
 * shared config's ten minutes are for the Chromium run of `npm test`, whose runner does not stop a hung run).
 * WTR_FINISH_TIMEOUT (ms) sets another, for a slower machine.
 */
export const ENGINE_FINISH_TIMEOUT = Number(process.env.WTR_FINISH_TIMEOUT) || 240_000;

/** `reporters` and `testsFinishTimeout` for an engine config. */
export function engineRunOptions() {
  const path = process.env.WTR_EVENTS;
  return {
    testsFinishTimeout: ENGINE_FINISH_TIMEOUT,
    reporters: [defaultReporter(), ...(path ? [eventsReporter(path)] : [])],
  };
}

/**
 * `{ event: 'files', files }` when the run starts; then per finished file
 * `{ event: 'file', file, passed, failures: [{ test, error }], hung }` (paths relative to the working folder).
 */
export function eventsReporter(path) {
  const write = (event) => appendFileSync(path, `${JSON.stringify(event)}\n`);
  const name = (file) => relative(process.cwd(), file).split('\\').join('/');
  return {
    start({ testFiles }) {
      write({ event: 'files', files: testFiles.map(name) });
    },
    reportTestFileResults({ sessionsForTestFile, testFile }) {
      let passed = 0;
      const failures = [];
      const walk = (suite, path) => {
        if (!suite) return;
        for (const test of suite.tests ?? []) {
          if (test.skipped) continue;
          if (test.passed) passed += 1;
          else failures.push({ test: [...path, test.name].join(' > '), error: firstLine(test.error?.message) });
        }
        for (const child of suite.suites ?? []) walk(child, [...path, child.name]);
      };
      let hung = false;
      for (const session of sessionsForTestFile) {
        walk(session.testResults, []);
        for (const error of session.errors ?? []) {
          const message = firstLine(error.message);
          if (HUNG.test(message)) hung = true;
          failures.push({ test: message, error: '' });
        }
      }
      write({ event: 'file', file: name(testFile), passed, failures, hung });
    },
  };
}

function firstLine(text) {
  return String(text ?? '')
    .split('\n')[0]
    .trim();
}
