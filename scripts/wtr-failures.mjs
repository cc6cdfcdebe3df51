// The failed tests in Web Test Runner's printed output, for a short list at the end of a long run (CI logs are
// often read from their tail). The engines' runner gets them from its own reporter (scripts/wtr-events.mjs).

/** `[{ file, test, error }]` from wtr's default reporter: a "test/x.test.ts:" header, then " ❌ suite > test" lines. */
export function failuresIn(output) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour and cursor codes.
  const lines = output.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split('\n');
  const failures = [];
  let file = '';
  for (let i = 0; i < lines.length; i++) {
    const header = /^(\S+\.test\.[jt]s):\s*$/.exec(lines[i]);
    if (header) file = header[1];
    const failure = /^\s*❌\s+(.*)$/.exec(lines[i]);
    if (!failure) continue;
    const error =
      lines
        .slice(i + 1, i + 4)
        .find((line) => line.trim())
        ?.trim() ?? '';
    failures.push({ file, test: failure[1].trim(), error });
  }
  return failures;
}

/** The failures as lines to print last. */
export function describeFailures(failures, prefix = '✖') {
  return failures.map(({ file, test, error }) => `${prefix} ${file} › ${test}${error ? `: ${error.slice(0, 200)}` : ''}`);
}
