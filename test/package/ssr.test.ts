// Importing any entry never throws where there is no DOM (SPEC §1 v2): in Node (Lit's Node build, with its own DOM
// shim for server rendering), in workerd (Cloudflare Workers: bundlers pick Lit's browser build, which touches
// HTMLElement and document as it loads), and the CDN bundle anywhere. Each import runs in a process of its own,
// against the built dist/. Here the entries are bundled as for a Worker (no warning allowed); running that bundle in
// workerd is test/runtimes/ssr.test.ts (`npm run test:runtimes`, which installs workerd).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureDist } from '../helpers/dist.js';
import { bundleForWorker, ELEMENT_ENTRIES as ENTRIES, ENTRIES_WORKER, GLOBALS } from '../helpers/worker-bundle.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

before(ensureDist);

/** Imports `specifier` in a fresh Node; returns its export names, the global scope afterwards, and `probe`'s value. */
async function load(specifier: string, probe = 'null') {
  const script = `const m = await import(${JSON.stringify(specifier)});
console.log(JSON.stringify({ names: Object.keys(m).sort(), globals: ${GLOBALS}, probe: ${probe} }));`;
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
  assert.equal(stderr, '');
  return JSON.parse(stdout) as { names: string[]; globals: string[]; probe: unknown };
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

  test("every element entry and itty-uploader/server bundle for a Worker (Lit's browser build) with no warning", async () => {
    const { warnings, errors, outputFiles } = await bundleForWorker(ENTRIES_WORKER);
    assert.deepEqual([...warnings, ...errors], []);
    assert.doesNotMatch(outputFiles![0]!.text, /\bfrom\s*["']node:|\brequire\(/);
  });

  test('the same bundle refuses itty-uploader/server/node, the one entry that needs Node (so the check above can fail)', async () => {
    const failure = await bundleForWorker("import 'itty-uploader/server/node';").then(
      () => undefined,
      (error: { errors: { text: string }[] }) => error,
    );
    assert.ok(
      failure?.errors.some((error) => /node:/.test(error.text)),
      'bundled without complaint',
    );
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
