// itty-uploader/testing runs where an app's tests run: a browser (MSW's worker), jsdom, happy-dom, plain Node.
// So its module graph holds no `node:*` import and nothing that needs a DOM to load.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompressSync } from 'node:zlib';
import { test } from 'node:test';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('bundles for the browser with msw external: no node:* anywhere in the graph', async () => {
  const result = await build({
    entryPoints: [`${root}src/testing/index.ts`],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: ['msw'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const [output] = Object.values(result.metafile.outputs);
  const imports = output!.imports.map((i) => i.path);
  assert.deepEqual([...new Set(imports)], ['msw']);
  assert.deepEqual(
    inputs.filter((path) => path.startsWith('node:') || path.includes('node_modules')),
    [],
  );
  // Only the pure parts of src/server are reused: signing, Content-Range parsing, media types, byte ranges,
  // error answers, the signing-body rules and the storage-path rules.
  assert.deepEqual(inputs.filter((path) => path.startsWith('src/server/')).sort(), [
    'src/server/byte-ranges.ts',
    'src/server/content-range.ts',
    'src/server/http-error.ts',
    'src/server/media-types.ts',
    'src/server/sign-body.ts',
    'src/server/signing.ts',
    'src/server/wire-path.ts',
  ]);
  const bytes = result.outputFiles[0]!.contents;
  console.log(`itty-uploader/testing: ${bytes.length} B minified, ${brotliCompressSync(bytes).length} B brotli (msw external)`);
});

test('imports in a process with no DOM', async () => {
  const script = [
    "const m = await import('./src/testing/index.ts');",
    "if (typeof HTMLElement !== 'undefined') throw new Error('a DOM appeared');",
    'console.log(Object.keys(m).join(","));',
  ].join('\n');
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
  });
  assert.equal(stderr, '');
  assert.equal(stdout.trim(), 'createUploadHandlers');
});
