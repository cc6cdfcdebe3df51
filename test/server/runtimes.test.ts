import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { signUploadUrl } from '../../src/server/signing.js';

// signing.ts promises any WebCrypto runtime: run the same checks under Bun and Deno (both from npm).
const root = fileURLToPath(new URL('../../', import.meta.url));
const script = fileURLToPath(new URL('./runtime-check.ts', import.meta.url));
const runtimes = {
  Bun: [`${root}node_modules/.bin/bun`, script],
  Deno: [`${root}node_modules/.bin/deno`, 'run', '--quiet', '--no-config', '--unstable-sloppy-imports', script],
};

describe('signing on other WebCrypto runtimes', () => {
  for (const [name, [command, ...args]] of Object.entries(runtimes)) {
    it(`signs with the protocol's test vectors, exactly as Node does, and verifies under ${name}`, async () => {
      const output = execFileSync(command!, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } });
      // The same call under Node: both runtimes must produce the same URL, byte for byte.
      const node = await signUploadUrl({ key: 'ittybit_test_key_123', domain: 'you.ittybit.net', filename: 'my photo.png', folder: 'a/b', now: 1_700_000_000_000 });
      assert.match(node.url, /^https:\/\/you\.ittybit\.net\/a\/b\/my-photo\.png\?expiry=1700003600&method=put&signature=[\w-]{43}$/);
      assert.deepEqual(JSON.parse(output.trim().split('\n').at(-1)!), { vectors: true, url: node.url, verified: true, forged: 'bad_signature' });
    });
  }
});
