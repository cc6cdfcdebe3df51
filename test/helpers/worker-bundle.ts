// A Worker as a Cloudflare bundler makes it: esbuild with the conditions workerd, worker and browser (so Lit's
// browser build, and no Node built-ins). test/package/ssr.test.ts bundles the package's entries this way in
// `npm test` (no warning allowed); test/runtimes/ssr.test.ts serves the same bundle in workerd.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The element entries, each imported by the Worker below. */
export const ELEMENT_ENTRIES = [
  'itty-uploader',
  'itty-uploader/uploader',
  'itty-uploader/file',
  'itty-uploader/elements',
  'itty-uploader/browser',
  'itty-uploader/react',
];
export const GLOBALS = '[typeof HTMLElement, typeof document]';

/**
 * A Worker that imports every element entry from dist/ and `itty-uploader/server`, and answers what it found: the
 * number of exports of each, the DOM globals, the registry, the element class, and a signed URL.
 */
export const ENTRIES_WORKER = [
  ...ELEMENT_ENTRIES.map(
    (entry, i) =>
      `import * as m${i} from '${join(root, 'dist', entry === 'itty-uploader' ? 'index' : entry.slice('itty-uploader/'.length))}.js';`,
  ),
  `import { signUploadUrl } from 'itty-uploader/server';`,
  `const names = [${ELEMENT_ENTRIES.map((_, i) => `Object.keys(m${i}).length`).join(', ')}];`,
  `export default { fetch: async () => Response.json({ names, globals: ${GLOBALS}, registry: typeof customElements, element: typeof m3.IttyUploaderElement,`,
  `  signed: (await signUploadUrl({ key: 'k', domain: 'you.ittybit.net', filename: 'a.png', now: 0 })).url }) };`,
].join('\n');

/** Bundles `code` (resolved from the repository's root) for a Worker; `outfile` writes it, else it stays in memory. */
export function bundleForWorker(code: string, outfile?: string) {
  return build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    ...(outfile ? { outfile } : { write: false }),
    logLevel: 'silent',
  });
}
