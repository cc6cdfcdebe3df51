// docs/hosts.md shows code from the demo pages that hosts.test.ts runs: each fenced block preceded by
// `<!-- demo/… -->` must still be in that file (indentation and blank lines aside), so the README cannot drift from tested code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const doc = ['docs/hosts.md', 'README.md'].map((file) => readFileSync(`${root}${file}`, 'utf8')).join('\n');
const blocks = [...doc.matchAll(/<!-- (demo\/[\w./-]+) -->\n```\w*\n([\s\S]*?)\n```/g)].map(([, file, code]) => ({ file: file!, code: code! }));
const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean).join('\n');

test('docs/hosts.md and README.md quote demo code that exists', () => {
  assert.ok(blocks.length >= 10, `${blocks.length} quoted blocks`);
  for (const { file, code } of blocks) {
    const source = readFileSync(`${root}${file}`, 'utf8');
    assert.ok(lines(source).includes(lines(code)), `the docs quote ${file}, which no longer contains:\n${code}`);
  }
});
