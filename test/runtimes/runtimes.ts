// Where the runtime tests (`npm run test:runtimes`) find Bun, Deno and workerd, and how they serve a Worker.
// scripts/runtimes.mjs installs the three at the versions pinned in scripts/runtimes/package-lock.json into
// .cache/runtimes (not the project's devDependencies, so that `npm ci` stays lean) and passes that folder's
// bin directory as ITTY_RUNTIMES_BIN.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = process.env['ITTY_RUNTIMES_BIN'] ?? join(root, '.cache/runtimes/node_modules/.bin');

/** The path of `name` (bun, deno, workerd); throws, naming the script that installs it, when it is missing. */
export function runtime(name: 'bun' | 'deno' | 'workerd'): string {
  const path = join(bin, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run the runtime tests with \`npm run test:runtimes\`, which installs it`);
  return path;
}

/** What Bun and Deno inherit: no colours in their output, no update check. */
export const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };

/** The last line a runtime printed, as JSON. */
export const lastLine = (output: string) => JSON.parse(output.trim().split('\n').at(-1)!);

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/**
 * Serves a bundled Worker (`write` puts worker.js into the folder it is given) in workerd on a free loopback port,
 * fetches `path` from it once it answers, and returns the JSON answer. `localNetwork` lets the Worker reach
 * loopback addresses (a Worker reaches only public ones by default), for a store the Node test started.
 */
export async function inWorkerd(
  write: (dir: string) => Promise<unknown>,
  { path = '/', localNetwork = false }: { path?: string; localNetwork?: boolean } = {},
): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'itty-workerd-'));
  const port = await freePort();
  try {
    await write(dir);
    writeFileSync(
      join(dir, 'config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)${localNetwork ? ', (name = "net", network = (allow = ["public", "local", "private"]))' : ''}],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2024-09-01",${localNetwork ? '\n  globalOutbound = "net",' : ''}
);
`,
    );
    const child = spawn(runtime('workerd'), ['serve', join(dir, 'config.capnp')], { stdio: 'ignore', env });
    const exited = new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`workerd exited (${code})`))));
    exited.catch(() => {});
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await Promise.race([exited, fetch(`http://127.0.0.1:${port}${path}`).then((response) => response.json())]);
        } catch (error) {
          if (attempt > 100 || child.exitCode !== null) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100)); // workerd is starting: nothing to await but its socket
        }
      }
    } finally {
      child.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
