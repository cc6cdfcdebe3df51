// Imports point one way (SPEC §2): core ← browser ← events ← controllers ← elements ← entries. Every file under src/
// is read, each of its imports (static, dynamic, type-only and re-exports alike) resolved, and an import of a layer
// above the file's own fails the test.
//
//   core         src/core/**          the DOM-free engine: imports nothing but itself
//   browser      src/browser/**       DOM and network pieces over the core (xhr, drop/paste reading, images)
//   events       src/events.ts,       what the controllers and the elements say: the event classes and their
//                src/strings.ts       map entries, and the string table (its type and English defaults)
//   controllers  src/controllers/**   Lit reactive controllers joining the core and the browser pieces to a host
//   elements     src/elements/**      the custom elements, their styles and row templates
//   entries      src/*.ts, src/types/**  what package.json exports (and the framework types the entries carry)
//   server       src/server/**        beside the others: imports only the core and itself
//   testing      src/testing/**       the /testing entry: plays the signing endpoint and the storage, so it may use
//                                     the core and the (WebCrypto) server code, and nothing imports it
// src/locales/** (the string packs and their formatters) counts as core: data and Intl, no DOM.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ORDER = ['core', 'browser', 'events', 'controllers', 'elements', 'entries'] as const;
type Layer = (typeof ORDER)[number] | 'server' | 'testing';

/** The layer of a file, by its path relative to the repository (`src/…`). */
function layerOf(path: string): Layer {
  const [, top, ...rest] = path.split('/');
  if (top === 'core' || top === 'browser' || top === 'controllers' || top === 'elements' || top === 'server' || top === 'testing')
    return top;
  if (top === 'locales') return 'core';
  if (rest.length === 0 && (top === 'events.ts' || top === 'strings.ts')) return 'events';
  return 'entries';
}

/** May a file of layer `from` import one of layer `to`? */
function allowed(from: Layer, to: Layer): boolean {
  if (from === 'testing' || to === 'testing') return from === 'testing' && (to === 'testing' || to === 'server' || to === 'core');
  if (from === 'server' || to === 'server') return from === to || (from === 'server' && to === 'core');
  return ORDER.indexOf(to) <= ORDER.indexOf(from);
}

/** Every module specifier a source file names: `import … from`, `export … from`, `import '…'` and `import('…')`. */
function specifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = [
    ...code.matchAll(/\b(?:import|export)\s[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...code.matchAll(/\bimport\s*(?:\(\s*)?['"]([^'"]+)['"]/g),
  ];
  return found.map((match) => match[1]!);
}

/** The violations in `files` (path → source): `a → b` for each import of a higher layer, or of a lower layer's Lit. */
function violations(files: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [path, source] of Object.entries(files)) {
    const from = layerOf(path);
    for (const specifier of specifiers(source)) {
      if (!specifier.startsWith('.')) {
        // Only what renders or controls a host may use Lit: the core, the browser pieces and the events know none of it.
        if (/^(lit|@lit)(\/|$)/.test(specifier) && ORDER.indexOf(from as never) < ORDER.indexOf('controllers'))
          out.push(`${path} → ${specifier}`);
        continue;
      }
      const target = join(dirname(path), specifier).replace(/\.js$/, '.ts');
      const to = layerOf(target);
      if (!allowed(from, to)) out.push(`${path} (${from}) → ${target} (${to})`);
    }
  }
  return out;
}

const sources = () =>
  Object.fromEntries(
    readdirSync(join(root, 'src'), { recursive: true })
      .map(String)
      .filter((name) => /\.tsx?$/.test(name))
      .map((name) => {
        const path = relative(root, join(root, 'src', name))
          .split('\\')
          .join('/');
        return [path, readFileSync(join(root, path), 'utf8')];
      }),
  );

describe('layers', () => {
  test('every import in src/ points to its own layer or one below', () => {
    const files = sources();
    assert.ok(Object.keys(files).length > 40, `${Object.keys(files).length} source files`);
    assert.deepEqual(violations(files), []);
  });

  test('each layer is where this file says', () => {
    assert.deepEqual(
      [
        'src/core/queue.ts',
        'src/browser/network.ts',
        'src/events.ts',
        'src/strings.ts',
        'src/controllers/drop-controller.ts',
        'src/elements/rows.ts',
        'src/index.ts',
        'src/types/jsx.ts',
        'src/server/cli.ts',
      ].map(layerOf),
      ['core', 'browser', 'events', 'events', 'controllers', 'elements', 'entries', 'entries', 'server'],
    );
  });

  test('finds an import of a higher layer in every form it can take', () => {
    const bad = {
      'src/core/a.ts': "import { x } from '../browser/b.js';",
      'src/browser/a.ts': "import type { Y } from '../events.js';",
      'src/events.ts': "export * from './controllers/c.js';",
      'src/controllers/a.ts': "const m = await import('../elements/e.js');",
      'src/elements/a.ts': "import '../index.js';",
      'src/server/a.ts': "import { z } from '../browser/b.js';",
      'src/core/lit.ts': "import { html } from 'lit';",
    };
    assert.equal(violations(bad).length, Object.keys(bad).length);
    const good = {
      'src/elements/a.ts': "import { x } from '../controllers/c.js';\nimport { html } from 'lit';",
      'src/controllers/a.ts': "// import '../elements/e.js' in a comment\nimport { y } from '../events.js';",
      'src/server/a.ts': "import type { IttyFile } from '../core/types.js';",
    };
    assert.deepEqual(violations(good), []);
  });
});
