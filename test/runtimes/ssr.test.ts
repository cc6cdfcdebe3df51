// `import 'itty-uploader'` under workerd (edge SSR) does not throw (SPEC §1 v2): the Worker of
// test/helpers/worker-bundle.ts (every element entry from dist/, bundled with Lit's browser build, which touches
// HTMLElement and document as it loads, plus itty-uploader/server) served in workerd. test/package/ssr.test.ts
// checks in `npm test` that the same bundle builds with no warning.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { ensureDist } from '../helpers/dist.js';
import { bundleForWorker, ENTRIES_WORKER } from '../helpers/worker-bundle.js';
import { inWorkerd } from './runtimes.js';

before(ensureDist);

test('every element entry and itty-uploader/server import in workerd, bundled as for a Worker, and define nothing', async () => {
  const answer = (await inWorkerd((dir) => bundleForWorker(ENTRIES_WORKER, join(dir, 'worker.js')))) as {
    names: number[];
    globals: string[];
    registry: string;
    element: string;
    signed: string;
  };
  assert.ok(
    answer.names.every((count) => count > 0),
    JSON.stringify(answer.names),
  );
  assert.deepEqual(answer.globals, ['undefined', 'undefined']);
  assert.equal(answer.registry, 'undefined');
  assert.equal(answer.element, 'function');
  assert.equal(answer.signed, 'https://you.ittybit.net/a.png?expiry=3600&method=put&signature=x6N7C93F7TRCNIiMIoGpmJ5ClOeSbuvu9OfiwxktK4g');
});
