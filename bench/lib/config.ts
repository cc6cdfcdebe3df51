// What every section shares: the run's settings (from the environment), small units and the log.
// A setting that only one section uses lives in that section's module.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseSize } from '../../src/core/units.js';
// @ts-expect-error scripts/chrome.mjs is plain JavaScript without types
import { CHROME_ARGS } from '../../scripts/chrome.mjs';
import { fixed } from './stats.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const MIB = 1024 * 1024;
const env = process.env;

export const quick = env.BENCH_QUICK === '1';
/** Size of the uploaded file (throughput, sweep, server). */
export const SIZE = parseSize(env.BENCH_SIZE) ?? (quick ? 256 * MIB : 1024 * MIB);
/** Runs per throughput side (and per server side). */
export const RUNS = Number(env.BENCH_RUNS ?? (quick ? 2 : 5));
/** Runs per rendering measurement. */
export const RENDER_RUNS = Number(env.BENCH_RENDER_RUNS ?? (quick ? 3 : 5));
/**
 * The chunk size and parallelism the benchmark gives the element and the raw chunked baseline alike (the element has
 * no default chunk size: unset = one PUT). Chosen by the sweep: 64 MiB × 4 was the fastest raw XHR setting
 * in four of the five full runs recorded in bench/RESULTS.md's history (64 MiB × 3 in the other). The element's
 * own default, `parallel-chunks` 3, is the SPEC's.
 */
export const CHUNK = parseSize(env.BENCH_CHUNK) ?? 64 * MIB;
export const PARALLEL = Number(env.BENCH_PARALLEL ?? 4);
/** The upload server's key, and the name every upload is stored under. */
export const KEY = 'bench-key';
export const FILE_NAME = 'itty-bench.bin';
export const BENCH_CHROME_ARGS: string[] = [
  ...(CHROME_ARGS as string[]),
  '--js-flags=--expose-gc',
  // performance.memory in exact bytes instead of coarse buckets (the heap goal is 8 MB).
  '--enable-precise-memory-info',
];

export const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
export const mib = (bytes: number) => `${fixed(bytes / MIB, bytes % MIB ? 1 : 0)} MiB`;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
export const log = (...args: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)} load ${load()}]`, ...args);
