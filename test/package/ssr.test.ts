// Importing any entry never throws where there is no DOM (SPEC §1 v2): in Node (Lit's Node build, with its own DOM
// shim for server rendering), in workerd (Cloudflare Workers: bundlers pick Lit's browser build, which touches
// HTMLElement and document as it loads), and the CDN bundle anywhere. Each import runs in a process of its own,
// against the built dist/.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { ensureDist } from '../helpers/dist.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

before(ensureDist);

const ENTRIES = [
  'itty-uploader',
  'itty-uploader/uploader',
  'itty-uploader/file',
  'itty-uploader/elements',
  'itty-uploader/browser',
  'itty-uploader/react',
];
const GLOBALS = '[typeof HTMLElement, typeof document]';

/** Imports `specifier` in a fresh Node; returns its export names, the global scope afterwards, and `probe`'s value. */
async function load(specifier: string, probe = 'null') {
  const script = `const m = await import(${JSON.stringify(specifier)});
console.log(JSON.stringify({ names: Object.keys(m).sort(), globals: ${GLOBALS}, probe: ${probe} }));`;
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
  assert.equal(stderr, '');
  return JSON.parse(stdout) as { names: string[]; globals: string[]; probe: unknown };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** Bundles `code` as a Worker bundler does (conditions workerd, worker, browser), serves it in workerd, and fetches its answer. */
async function inWorkerd(code: string): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'itty-workerd-ssr-'));
  const port = await freePort();
  await build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    outfile: join(dir, 'worker.js'),
    logLevel: 'error',
  });
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (modules = [(name = "worker.js", esModule = embed "worker.js")], compatibilityDate = "2024-09-01");
`,
  );
  const child = spawn(join(root, 'node_modules/.bin/workerd'), ['serve', join(dir, 'config.capnp')], { stdio: 'ignore' });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        return await (await fetch(`http://127.0.0.1:${port}/`)).json();
      } catch (error) {
        if (attempt > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100)); // workerd is starting
      }
    }
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('importing where there is no DOM', () => {
  for (const entry of ENTRIES) {
    test(`import '${entry}' in Node`, async () => {
      const { names, globals } = await load(entry);
      assert.ok(names.length > 0);
      assert.deepEqual(globals, ['undefined', 'undefined']);
    });
  }

  test("in Node the elements extend Lit's own DOM shim, which Lit's server rendering needs", async () => {
    const { probe } = await load(
      'itty-uploader/elements',
      "typeof m.IttyUploaderElement.prototype.attachShadow + ' ' + typeof m.IttyFileElement.prototype.setAttribute",
    );
    assert.equal(probe, 'function function');
  });

  test('the CDN bundle (dist/itty-uploader.js, Lit inside) imports in Node too, and exports both classes', async () => {
    const { names, globals } = await load('itty-uploader/dist/itty-uploader.js');
    assert.ok(names.includes('IttyUploaderElement') && names.includes('IttyFileElement'), names.join());
    // The stand-ins Lit's browser build needed while it loaded are gone again: no library is told it runs in a browser.
    assert.deepEqual(globals, ['undefined', 'undefined']);
  });

  test("every element entry imports in workerd, bundled as for a Worker (Lit's browser build), and defines nothing", async () => {
    const code = [
      ...ENTRIES.map(
        (entry, i) =>
          `import * as m${i} from '${join(root, 'dist', entry === 'itty-uploader' ? 'index' : entry.slice('itty-uploader/'.length))}.js';`,
      ),
      `const names = [${ENTRIES.map((_, i) => `Object.keys(m${i}).length`).join(', ')}];`,
      `export default { fetch: () => Response.json({ names, globals: ${GLOBALS}, registry: typeof customElements, element: typeof m3.IttyUploaderElement }) };`,
    ].join('\n');
    const answer = (await inWorkerd(code)) as { names: number[]; globals: string[]; registry: string; element: string };
    assert.ok(
      answer.names.every((count) => count > 0),
      JSON.stringify(answer.names),
    );
    assert.deepEqual(answer.globals, ['undefined', 'undefined']);
    assert.equal(answer.registry, 'undefined');
    assert.equal(answer.element, 'function');
  });

  test('itty-uploader/elements gives both classes and every event class; itty-uploader/browser the browser pieces', async () => {
    const elements = (await load('itty-uploader/elements')).names;
    for (const name of [
      'IttyUploaderElement',
      'IttyFileElement',
      'IttySelectEvent',
      'IttyRejectEvent',
      'IttyUploadStartEvent',
      'IttyUploadProgressEvent',
      'IttyUploadSuccessEvent',
      'IttyUploadErrorEvent',
      'IttyUploadCancelEvent',
      'IttyQueueCompleteEvent',
      'IttyFileLoadEvent',
      'IttyFileErrorEvent',
    ]) {
      assert.ok(elements.includes(name), `itty-uploader/elements lacks ${name}`);
    }
    assert.deepEqual((await load('itty-uploader/browser')).names, [
      'RESUME_TTL',
      'fingerprintOf',
      'measureImage',
      'openResumeStore',
      'readDataTransfer',
      'readFileList',
      'recordId',
      'recordOf',
      'stateOf',
      'whenOnline',
      'xhrTransport',
    ]);
  });
});
