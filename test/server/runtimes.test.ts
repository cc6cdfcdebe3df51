import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { signUploadUrl } from '../../src/server/signing.js';

// signing.ts promises any WebCrypto runtime: the same checks run under Bun, Deno and workerd
// (Cloudflare Workers' runtime), all three from npm, and must give what Node gives, byte for byte.
const root = fileURLToPath(new URL('../../', import.meta.url));
const script = fileURLToPath(new URL('./runtime-check.ts', import.meta.url));
const worker = fileURLToPath(new URL('./runtime-worker.ts', import.meta.url));
const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };

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
const lastLine = (output: string) => JSON.parse(output.trim().split('\n').at(-1)!);

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

async function runInWorkerd(): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'itty-workerd-'));
  const port = await freePort();
  await build({ entryPoints: [worker], bundle: true, format: 'esm', outfile: join(dir, 'worker.js'), logLevel: 'error' });
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
  const child = spawn(`${root}node_modules/.bin/workerd`, ['serve', join(dir, 'config.capnp')], { stdio: 'ignore', env });
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

describe('signing on other WebCrypto runtimes', () => {
  it('gives the protocol vectors and the same signed URL as Node under Bun', async () => {
    assert.deepEqual(
      lastLine(execFileSync(`${root}node_modules/.bin/bun`, [script], { cwd: root, encoding: 'utf8', env })),
      await expected(),
    );
  });

  it('gives the protocol vectors and the same signed URL as Node under Deno', async () => {
    const args = ['run', '--quiet', '--no-config', '--unstable-sloppy-imports', script];
    assert.deepEqual(lastLine(execFileSync(`${root}node_modules/.bin/deno`, args, { cwd: root, encoding: 'utf8', env })), await expected());
  });

  it('gives the protocol vectors and the same signed URL as Node in a Cloudflare Worker (workerd)', async () => {
    assert.deepEqual(await runInWorkerd(), await expected());
  });
});
