// Streams 1 GiB through the upload server and reports throughput and memory growth.
// Run: node --import tsx bench/server-memory.ts [--size-mib 1024] [--chunk-mib 16]
// The client and server share this process, so RSS covers both; the client reuses two 1 MiB buffers.
// `npm run bench` measures the server's throughput with the client in a process of its own (bench/server-client.ts).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createUploadServer } from '../src/server/upload-server.js';
import { putChunked, putSingle } from './lib/node-client.js';

const { values } = parseArgs({
  options: { 'size-mib': { type: 'string', default: '1024' }, 'chunk-mib': { type: 'string', default: '16' } },
});
const MIB = 1024 * 1024;
const TOTAL = Number(values['size-mib']) * MIB;
const CHUNK = Number(values['chunk-mib']) * MIB;
const KEY = 'bench-key';

interface Sample {
  rss: number;
  heapUsed: number;
  external: number;
}

function sampler() {
  const base: Sample = { ...process.memoryUsage() };
  const peak: Sample = { ...base };
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
    peak.external = Math.max(peak.external, now.external);
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      const mib = (n: number) => `${(n / MIB).toFixed(1)} MiB`;
      return (
        `RSS ${mib(base.rss)} → peak ${mib(peak.rss)} (+${mib(peak.rss - base.rss)}); ` +
        `heap ${mib(base.heapUsed)} → peak ${mib(peak.heapUsed)} (+${mib(peak.heapUsed - base.heapUsed)}); ` +
        `external +${mib(peak.external - base.external)}`
      );
    },
  };
}

async function run(label: string, _port: number, dir: string, upload: () => Promise<number>, file: string) {
  global.gc?.();
  const memory = sampler();
  const started = performance.now();
  const status = await upload();
  const seconds = (performance.now() - started) / 1000;
  const report = memory.stop();
  const size = (await stat(join(dir, file))).size;
  if (status !== 201 || size !== TOTAL) throw new Error(`${label}: status ${status}, stored ${size} bytes`);
  console.log(
    `${label}: ${(TOTAL / MIB).toFixed(0)} MiB in ${seconds.toFixed(2)} s = ${(TOTAL / 1e6 / seconds).toFixed(0)} MB/s (${(TOTAL / MIB / seconds).toFixed(0)} MiB/s)`,
  );
  console.log(`  ${report}`);
  await rm(join(dir, file));
}

const dir = await mkdtemp(join(tmpdir(), 'itty-bench-'));
const handler = createUploadServer({ key: KEY, dir });
const server = createServer(handler);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const auth = { Authorization: `Bearer ${KEY}` };
try {
  await run('single PUT', port, dir, () => putSingle(port, '/single.bin', TOTAL, auth), 'single.bin');
  await run(
    `chunked PUT (${CHUNK / MIB} MiB chunks, 3 in flight)`,
    port,
    dir,
    () => putChunked(port, '/chunked.bin', TOTAL, CHUNK, 3, auth),
    'chunked.bin',
  );
} finally {
  server.closeAllConnections();
  server.close();
  await handler.close();
  await rm(dir, { recursive: true, force: true });
}
