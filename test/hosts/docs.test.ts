// The docs show code from files that tests build, run or typecheck: each fenced block preceded by
// `<!-- demo/… -->` or `<!-- test/… -->` must still be in that file (indentation and blank lines aside), and
// every code block must have such a source, so the README and docs/ cannot drift from tested code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docsIn = (dir: string): string[] =>
  readdirSync(`${root}${dir}`, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? docsIn(`${dir}/${entry.name}`) : entry.name.endsWith('.md') ? [`${dir}/${entry.name}`] : [],
  );
const files = ['README.md', 'CONTRIBUTING.md', ...docsIn('docs')];
const docs = files.map((file) => ({ file, text: readFileSync(`${root}${file}`, 'utf8') }));
const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
/** Blocks that are not code a reader copies into an app: shell commands, printed output, JSON data. */
const UNQUOTED = new Set(['sh', 'text', 'json']);
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };

test('the docs quote demo and test code that exists', () => {
  let quoted = 0;
  for (const { file, text } of docs) {
    for (const [, source, code] of text.matchAll(/<!-- ((?:demo|test)\/[\w./-]+) -->\n```\w*\n([\s\S]*?)\n```/g)) {
      const contents = readFileSync(`${root}${source}`, 'utf8');
      assert.ok(lines(contents).includes(lines(code!)), `${file} quotes ${source}, which no longer contains:\n${code}`);
      quoted++;
    }
  }
  assert.ok(quoted >= 30, `${quoted} quoted blocks`);
});

test('every code block in the docs has a source file', () => {
  const unsourced: string[] = [];
  for (const { file, text } of docs) {
    // Opening fences only: a fence line with a language, or a bare fence that follows a closed block.
    const blocks = [...text.matchAll(/(^|\n)(.*)\n```(\w*)\n[\s\S]*?\n```/g)];
    for (const [, , before, language] of blocks) {
      if (UNQUOTED.has(language!)) continue;
      if (!/^<!-- (demo|test)\/[\w./-]+ -->$/.test(before!))
        unsourced.push(`${file}: a \`${language || 'plain'}\` block after "${before}"`);
    }
  }
  assert.deepEqual(unsourced, []);
});

test(`every CDN URL in the docs is pinned to this version (${version})`, () => {
  const texts = [...docs, { file: 'demo/try.html', text: readFileSync(`${root}demo/try.html`, 'utf8') }];
  let found = 0;
  for (const { file, text } of texts) {
    for (const [url] of text.matchAll(/https:\/\/(?:cdn\.jsdelivr\.net\/npm|unpkg\.com|esm\.sh)\/itty-uploader[^\s"'`)]*/g)) {
      assert.ok(
        url.startsWith(`https://cdn.jsdelivr.net/npm/itty-uploader@${version}/`) || url.includes(`/itty-uploader@${version}/`),
        `${file}: ${url}`,
      );
      found++;
    }
  }
  assert.ok(found >= 3, `${found} CDN URLs`);
});
