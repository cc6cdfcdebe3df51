// One timed upload from a separate Node process (so client and server each get a core, as browser and server do).
// Run: node --import tsx bench/server-client.ts <port> <path> <total bytes> [chunk bytes] [parallel]
// Env BENCH_KEY: the server's key (sent as Bearer). Prints one JSON line: { ms, status }.
import { putChunked, putSingle } from './lib/node-client.js';

const [port, path, total, chunk, parallel] = process.argv.slice(2);
const headers = { Authorization: `Bearer ${process.env.BENCH_KEY ?? ''}` };
const started = performance.now();
const status = chunk
  ? await putChunked(Number(port), path!, Number(total), Number(chunk), Number(parallel ?? 3), headers)
  : await putSingle(Number(port), path!, Number(total), headers);
console.log(JSON.stringify({ ms: performance.now() - started, status }));
