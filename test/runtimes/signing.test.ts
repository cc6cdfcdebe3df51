import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { signUploadUrl } from '../../src/server/signing.js';
import { env, inWorkerd, lastLine, root, runtime } from './runtimes.js';

// signing.ts promises any WebCrypto runtime: the same checks run under Bun, Deno and workerd
// (Cloudflare Workers' runtime), all three from npm, and must give what Node gives, byte for byte.
const script = fileURLToPath(new URL('./signing-check.ts', import.meta.url));
const worker = fileURLToPath(new URL('./signing-worker.ts', import.meta.url));

const expected = async () => ({
  vectors: true,
  url: (
    await signUploadUrl({
      key: 'ittybit_test_key_123',
      domain: 'you.ittybit.net',
      filename: 'my photo.png',
      folder: 'a/b',
      now: 1_700_000_000_000,
    })
  ).url,
  verified: true,
  forged: 'bad_signature',
});

describe('signing on other WebCrypto runtimes', () => {
  it('gives the protocol vectors and the same signed URL as Node under Bun', async () => {
    assert.deepEqual(lastLine(execFileSync(runtime('bun'), [script], { cwd: root, encoding: 'utf8', env })), await expected());
  });

  it('gives the protocol vectors and the same signed URL as Node under Deno', async () => {
    const args = ['run', '--quiet', '--no-config', '--unstable-sloppy-imports', script];
    assert.deepEqual(lastLine(execFileSync(runtime('deno'), args, { cwd: root, encoding: 'utf8', env })), await expected());
  });

  it('gives the protocol vectors and the same signed URL as Node in a Cloudflare Worker (workerd)', async () => {
    const answer = await inWorkerd((dir) =>
      build({ entryPoints: [worker], bundle: true, format: 'esm', outfile: join(dir, 'worker.js'), logLevel: 'error' }),
    );
    assert.deepEqual(answer, await expected());
  });
});
