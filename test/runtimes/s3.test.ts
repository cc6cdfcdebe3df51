// `itty-uploader/server/s3` on Bun, Deno and workerd: each runs the same round trip (s3-check.ts) against the
// s3rver this test starts (test/helpers/s3-node.ts, which verifies every SigV4 signature), and the objects each
// left in the store are read back here.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AwsClient } from 'aws4fetch';
import { build } from 'esbuild';
import { ACCESS_KEY, SECRET_KEY, type S3Node, startS3Node } from '../helpers/s3-node.js';
import { env, inWorkerd, lastLine, root, runtime } from './runtimes.js';

const MiB = 1024 * 1024;
const script = fileURLToPath(new URL('./s3-check.ts', import.meta.url));
const worker = fileURLToPath(new URL('./s3-worker.ts', import.meta.url));
const run = promisify(execFile);
let store: S3Node;

before(async () => {
  store = await startS3Node();
});
after(async () => {
  await store.close();
});

/** Reads an object back through a header-signed GET (verified by the store's front like every other request). */
async function getObject(key: string) {
  const client = new AwsClient({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, service: 's3', region: 'us-east-1', retries: 0 });
  const url = `${store.endpoint}/${store.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const response = await client.fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), body: new Uint8Array(await response.arrayBuffer()) };
}

/** What every runtime must report, and the objects it must have left in the store. */
async function check(name: string, report: unknown) {
  const big = `multipart from ${name} `.repeat(100);
  assert.deepEqual(report, {
    signed: 200,
    put: 200,
    created: 64 * MiB,
    part: 200,
    complete: [200, big.length, `runtimes/${name}/big.txt`],
    forged: [403, 'signature_invalid'],
  });
  const small = await getObject(`runtimes/${name}/small.txt`);
  assert.equal(new TextDecoder().decode(small.body), `single PUT from ${name}`);
  assert.equal(small.type, 'text/plain');
  assert.equal(new TextDecoder().decode((await getObject(`runtimes/${name}/big.txt`)).body), big);
}

describe('itty-uploader/server/s3 on Bun, Deno and workerd', () => {
  it('runs under Bun', async () => {
    const { stdout } = await run(runtime('bun'), [script], {
      cwd: root,
      env: { ...env, S3_ENDPOINT: store.endpoint, S3_RUNTIME: 'bun' },
    });
    await check('bun', lastLine(stdout));
  });

  it('runs under Deno', async () => {
    const args = [
      'run',
      '--quiet',
      '--node-modules-dir=manual',
      '--unstable-sloppy-imports',
      '--allow-net=127.0.0.1',
      '--allow-env',
      '--allow-read',
      script,
    ];
    const { stdout } = await run(runtime('deno'), args, {
      cwd: root,
      env: { ...env, S3_ENDPOINT: store.endpoint, S3_RUNTIME: 'deno' },
    });
    await check('deno', lastLine(stdout));
  });

  it('runs in a Cloudflare Worker (workerd)', async () => {
    const report = await inWorkerd(
      (dir) =>
        build({
          entryPoints: [worker],
          bundle: true,
          format: 'esm',
          conditions: ['worker'],
          outfile: join(dir, 'worker.js'),
          logLevel: 'error',
        }),
      { path: `/?endpoint=${encodeURIComponent(store.endpoint)}`, localNetwork: true },
    );
    await check('workerd', report);
  });
});
