// Importing any entry never throws where there is no DOM (SPEC §1 v2): Node, and edge runtimes (workerd) whose
// bundlers pick Lit's browser build, which touches HTMLElement and document as it loads. Each import runs in a
// process of its own, by package name, against the built dist/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureDist } from '../helpers/dist.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

before(ensureDist);

/** Imports `specifier` in a fresh Node; returns its export names and what the global scope holds afterwards. */
async function load(specifier: string, conditions: string[] = []) {
  const script = `const m = await import(${JSON.stringify(specifier)});
console.log(JSON.stringify({ names: Object.keys(m).sort(), globals: [typeof HTMLElement, typeof document, typeof customElements] }));`;
  const args = [...conditions.map((name) => `--conditions=${name}`), '--input-type=module', '-e', script];
  const { stdout, stderr } = await run(process.execPath, args, { cwd: root });
  assert.equal(stderr, '');
  return JSON.parse(stdout) as { names: string[]; globals: string[] };
}

const ENTRIES = ['itty-uploader', 'itty-uploader/uploader', 'itty-uploader/file', 'itty-uploader/elements', 'itty-uploader/browser', 'itty-uploader/react'];

describe('importing where there is no DOM', () => {
  for (const conditions of [[], ['worker', 'browser']]) {
    for (const entry of ENTRIES) {
      test(`import '${entry}'${conditions.length ? ` resolved as a Worker bundler does (${conditions.join(', ')}: Lit's browser build)` : ''}`, async () => {
        const { names, globals } = await load(entry, conditions);
        assert.ok(names.length > 0);
        // The stand-ins Lit needed while it loaded are gone again: no library is told it runs in a browser. (Lit's
        // Node build brings a customElements registry of its own for server rendering, with no HTMLElement.)
        assert.deepEqual(conditions.length ? globals : globals.slice(0, 2), conditions.length ? ['undefined', 'undefined', 'undefined'] : ['undefined', 'undefined']);
      });
    }
  }

  test('the CDN bundle (dist/itty-uploader.js, Lit inside) imports too, and exports both classes', async () => {
    const { names, globals } = await load('itty-uploader/dist/itty-uploader.js');
    assert.ok(names.includes('IttyUploaderElement') && names.includes('IttyFileElement'), names.join());
    assert.deepEqual(globals, ['undefined', 'undefined', 'undefined']);
  });

  test('itty-uploader/elements gives both classes and every event class; itty-uploader/browser the browser pieces', async () => {
    const elements = (await load('itty-uploader/elements')).names;
    for (const name of ['IttyUploaderElement', 'IttyFileElement', 'IttySelectEvent', 'IttyRejectEvent', 'IttyUploadStartEvent', 'IttyUploadProgressEvent', 'IttyUploadSuccessEvent', 'IttyUploadErrorEvent', 'IttyUploadCancelEvent', 'IttyQueueCompleteEvent', 'IttyFileLoadEvent', 'IttyFileErrorEvent']) {
      assert.ok(elements.includes(name), `itty-uploader/elements lacks ${name}`);
    }
    assert.deepEqual((await load('itty-uploader/browser')).names, ['measureImage', 'readDataTransfer', 'readFileList', 'whenOnline', 'xhrTransport']);
  });
});
