// The package as a user gets it: every `exports` entry points at a built file with its types; every entry
// but the browser bundle imports in plain Node (what Next.js, Nuxt and SvelteKit do on the server); and a
// separate TypeScript project that installs the package type-checks against dist/ (our .d.ts checked in full),
// with the React, Vue and Svelte types enabled the documented way.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureDist } from '../helpers/dist.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | { types?: string; default: string }>;
};
/** For `<script type="module">` only: Lit's browser build defines classes over `HTMLElement` as it loads. */
const BROWSER_ONLY = new Set(['./dist/itty-uploader.js']);

const targets = (value: string | { types?: string; default: string }) => (typeof value === 'string' ? { default: value } : value);
const jsEntries = Object.entries(pkg.exports).filter(([, value]) => targets(value).default.endsWith('.js'));

// A full `npm test` has just built dist/; alone, this file builds it.
before(ensureDist);

// Whether every `exports` target exists with its types is publint's and attw's job, on the packed tarball
// (scripts/package-check.mjs, in npm test). What they cannot see is checked here.
describe('package.json exports', () => {
  test('the framework types ship: React JSX through the element entries, Vue and Svelte as subpaths', () => {
    const dts = (file: string) => readFileSync(join(root, 'dist', file), 'utf8');
    for (const entry of ['uploader.d.ts', 'file.d.ts']) assert.match(dts(entry), /from '\.\/types\/jsx\.js'/);
    assert.match(dts('types/jsx.d.ts'), /interface IntrinsicElements extends IttyJsxElements/);
    assert.match(dts('types/vue.d.ts'), /declare module 'vue'[\s\S]*interface GlobalComponents/);
    assert.match(dts('types/svelte.d.ts'), /declare module 'svelte\/elements'[\s\S]*interface SvelteHTMLElements/);
  });
});

describe('SSR: every entry imports in plain Node', () => {
  for (const [name] of jsEntries.filter(([name]) => !BROWSER_ONLY.has(name))) {
    const specifier = name === '.' ? pkg.name : `${pkg.name}/${name.slice(2)}`;
    test(`import '${specifier}'`, async () => {
      // A process of its own per entry, by package name (Node resolves a package's own name through
      // `exports`), so no other import or loader can have prepared globals for it.
      const script = `const m = await import(${JSON.stringify(specifier)}); console.log(Object.keys(m).length);`;
      const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
      assert.equal(stderr, '');
      assert.match(stdout, /^\d+\n$/);
    });
  }
});

describe('a TypeScript project that installs the package', () => {
  let project: string;
  const tsc = (config: string) =>
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: project }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
  const link = async (name: string, target = join(root, 'node_modules', name)) => {
    await mkdir(join(project, 'node_modules', name, '..'), { recursive: true });
    await symlink(target, join(project, 'node_modules', name), 'dir');
  };
  const compilerOptions = {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    strict: true,
    noEmit: true,
    types: ['node'],
    jsx: 'react-jsx',
  };

  before(async () => {
    project = await mkdtemp(join(tmpdir(), 'itty-consumer-'));
    await link('itty-uploader', root);
    await link('@types/node');
    await writeFile(
      join(project, 'plain.ts'),
      [
        "import 'itty-uploader';",
        "import type { IttyFile } from 'itty-uploader';",
        "import { createUploadServer } from 'itty-uploader/server/node';",
        "import { parseSize } from 'itty-uploader/core';",
        "document.querySelector('itty-uploader')!.addEventListener('itty-upload-success', (event) => {",
        '  const file: IttyFile = event.detail.file;',
        '  return file.url;',
        '});',
        'export { createUploadServer, parseSize };',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(project, 'react.tsx'),
      [
        "import 'itty-uploader';",
        "import { IttyUploader } from 'itty-uploader/react';",
        "import type { IttyFile } from 'itty-uploader';",
        'let file: IttyFile | undefined;',
        'export const tags = <>',
        '  <itty-uploader endpoint="/upload-url" multiple onitty-upload-success={(event) => (file = event.detail.file)} />',
        '  <itty-file file={file} />',
        '</>;',
        'export const wrapper = <IttyUploader endpoint="/upload-url" onIttyUploadSuccess={(event) => event.detail.file.url} />;',
        '// @ts-expect-error `detail.fiel` is not a field.',
        'export const wrong = <itty-uploader onitty-upload-success={(event) => event.detail.fiel} />;',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(project, 'vue.ts'),
      [
        "import type { GlobalComponents } from 'vue';",
        "import type {} from 'itty-uploader/vue';",
        "type Props = NonNullable<InstanceType<GlobalComponents['itty-uploader']>['$props']>;",
        'export const ok: Props = { maxSize: "10MB", onIttyUploadSuccess: (event) => event.detail.file.url };',
        '// @ts-expect-error `detail.fiel` is not a field.',
        'export const wrong: Props = { onIttyUploadSuccess: (event) => event.detail.fiel };',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(project, 'svelte.ts'),
      [
        "import type { SvelteHTMLElements } from 'svelte/elements';",
        "import type {} from 'itty-uploader/svelte';",
        "type Props = SvelteHTMLElements['itty-uploader'];",
        "export const ok: Props = { 'max-size': '10MB', 'onitty-upload-success': (event) => event.detail.file.url };",
        '// @ts-expect-error `detail.fiel` is not a field.',
        "export const wrong: Props = { 'onitty-upload-success': (event) => event.detail.fiel };",
        '',
      ].join('\n'),
    );
    const config = (files: string[], skipLibCheck: boolean) =>
      JSON.stringify({ compilerOptions: { ...compilerOptions, skipLibCheck }, files });
    // Our declarations are checked in full here; the frameworks' own (large) ones need not be checked again
    // with them: our framework declarations are checked as sources by the project's typecheck.
    await writeFile(join(project, 'tsconfig.plain.json'), config(['plain.ts'], false));
    await writeFile(join(project, 'tsconfig.frameworks.json'), config(['react.tsx', 'vue.ts', 'svelte.ts'], true));
  });
  after(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  test('without React, Vue or Svelte installed, the package types need none of them', async () => {
    assert.equal(await tsc('tsconfig.plain.json'), '');
  });

  test('with them installed, the JSX, Vue and Svelte types apply as documented', async () => {
    for (const name of ['react', '@types/react', 'vue', 'svelte']) await link(name);
    assert.equal(await tsc('tsconfig.frameworks.json'), '');
  });
});
