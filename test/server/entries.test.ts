// SPEC §1 (v2): `itty-uploader/server` is signing only and bundles for Workers, Deno, Bun and edge functions,
// so nothing in its import graph may import `node:*` (or a Node-only package); `/server/node` has the server.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module a source file imports at run time (type-only imports are erased and left out), transitively. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specifiers: string[] = [];
    for (const match of text.matchAll(IMPORT)) {
      if (/^\s*;?\s*(?:import|export)\s+type\s/.test(match[0])) continue;
      specifiers.push((match[1] ?? match[2])!);
    }
    graph.set(file, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), file.endsWith('.ts') ? specifier.replace(/\.js$/, '.ts') : specifier));
    }
  };
  visit(entry);
  return graph;
}

describe('package entries', () => {
  it('itty-uploader/server imports nothing from node:* and no Node-only package, however deep', () => {
    const graph = importGraph(join(root, 'src/server/index.ts'));
    const offending = [...graph].flatMap(([file, specifiers]) =>
      specifiers.filter((s) => !s.startsWith('.')).map((s) => `${file.slice(root.length + 1)} → ${s}`),
    );
    assert.deepEqual(offending, []);
    assert.ok(graph.has(join(root, 'src/server/signing.ts')), 'the walk found the signing module');
  });

  it('the built dist/server/index.js imports nothing from node:* either (when dist/ is built)', (t) => {
    const built = join(root, 'dist/server/index.js');
    if (!existsSync(built)) return t.skip('dist/ is not built');
    const graph = importGraph(built);
    const offending = [...graph].flatMap(([file, specifiers]) => specifiers.filter((s) => !s.startsWith('.')).map((s) => `${file} → ${s}`));
    assert.deepEqual(offending, []);
  });

  it('the walk does see a node: import (so the test above can fail)', () => {
    const graph = importGraph(join(root, 'src/server/node.ts'));
    const all = [...graph.values()].flat();
    assert.ok(all.includes('node:http'), 'the /server/node graph imports node:http');
  });

  it('package.json exports both entries, and /server/node has the upload server and the CLI', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    assert.ok(pkg.exports['./server']);
    assert.deepEqual(pkg.exports['./server/node'], { types: './dist/server/node.d.ts', default: './dist/server/node.js' });
    const signing = await import('../../src/server/index.js');
    assert.equal('createUploadServer' in signing, false);
    const node = await import('../../src/server/node.js');
    for (const name of ['createUploadServer', 'main', 'CliError', 'FAULT_KINDS', 'signUploadUrl', 'verifySignedUrl']) {
      assert.ok(name in node, name);
    }
  });
});
