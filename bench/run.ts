// `npm run bench`: throughput, memory and rendering of <itty-uploader> in Debian's Chromium, each against a
// baseline measured in the same run (raw XHR, the upload server alone, Uppy's Dashboard), alternating sides.
// Prints a table (median and range of several runs, ratios, goals) and writes bench/results.json and bench/RESULTS.md.
//
//   node --import tsx bench/run.ts
// Environment:
//   BENCH_QUICK=1          256 MiB instead of 1 GiB, fewer runs (a smoke run of a few minutes)
//   BENCH_SIZE=512MiB      size of the uploaded file (default 1GiB)
//   BENCH_RUNS=5           runs per throughput side; BENCH_RENDER_RUNS=5 runs per rendering measurement
//   BENCH_CHUNK=64MiB      chunk size given to <itty-uploader chunk-size> and to the raw chunked baseline
//   BENCH_PARALLEL=4       parallel-chunks for both
//   BENCH_ONLY=size,server,throughput,sweep,render,progress   run only these sections
//   BENCH_SIDES=rawSingle,rawChunked,ittyChunked   throughput: run only these sides (for quick experiments)
//   BENCH_NO_WRITE=1       do not write bench/results.json, bench/RESULTS.md and docs/performance.md's table
// `node --import tsx bench/run.ts --report` prints the last results.json again and rewrites RESULTS.md and docs/performance.md.
//
// Nothing here asserts: goals that are missed are printed as MISSED and the exit code stays 0.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { parseSize } from '../src/core/units.js';
// @ts-expect-error scripts/chrome.mjs is plain JavaScript without types
import { CHROME_ARGS, findChrome } from '../scripts/chrome.mjs';
import type { RunResult } from './pages/throughput.js';
import { browserCpu, cpuDelta } from './lib/process-cpu.js';
import { startSite } from './lib/site.js';
import { markdownTable, range, summarize, table, fixed, type Summary } from './lib/stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const MIB = 1024 * 1024;
const env = process.env;
const quick = env.BENCH_QUICK === '1';
const SIZE = parseSize(env.BENCH_SIZE) ?? (quick ? 256 * MIB : 1024 * MIB);
const RUNS = Number(env.BENCH_RUNS ?? (quick ? 2 : 5));
const RENDER_RUNS = Number(env.BENCH_RENDER_RUNS ?? (quick ? 3 : 5));
const PROGRESS_RUNS = quick ? 2 : 3;
/**
 * The chunk size and parallelism the benchmark gives the element and the raw chunked baseline alike (the element has
 * no default chunk size: unset = one PUT). Chosen by the sweep below: 64 MiB × 4 was the fastest raw XHR setting
 * in four of the five full runs recorded in bench/RESULTS.md's history (64 MiB × 3 in the other). The element's
 * own default, `parallel-chunks` 3, is the SPEC's.
 */
const CHUNK = parseSize(env.BENCH_CHUNK) ?? 64 * MIB;
const PARALLEL = Number(env.BENCH_PARALLEL ?? 4);
const SWEEP_CHUNKS = [16, 32, 64].map((n) => n * MIB);
const SWEEP_PARALLEL = [2, 3, 4];
const SWEEP_ROUNDS = Number(env.BENCH_SWEEP_ROUNDS ?? (quick ? 1 : 2));
const ONLY = new Set((env.BENCH_ONLY ?? 'size,server,throughput,sweep,render,progress').split(',').map((s) => s.trim()));
const SIDES = env.BENCH_SIDES ? new Set(env.BENCH_SIDES.split(',').map((s) => s.trim())) : undefined;
const KEY = 'bench-key';
const FILE_NAME = 'itty-bench.bin';
const BENCH_CHROME_ARGS = [
  ...CHROME_ARGS,
  '--js-flags=--expose-gc',
  // performance.memory in exact bytes instead of coarse buckets (the heap goal is 8 MB).
  '--enable-precise-memory-info',
];

const GOALS = {
  bundleKB: 10,
  bundleBudgetKB: 12,
  singleRatio: 0.97,
  chunkedRatio: 0.9,
  heapBytes: 8e6,
  render1k: 60,
  render5k: 300,
  rendersPerFrame: 1,
};

const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
const mib = (bytes: number) => `${fixed(bytes / MIB, bytes % MIB ? 1 : 0)} MiB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');
const log = (...args: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)} load ${load()}]`, ...args);

interface Row {
  section: string;
  measure: string;
  value: string;
  goal?: string;
  met?: boolean;
  /** Shown in docs/performance.md's short table too. */
  key?: boolean;
}
const rows: Row[] = [];
const results: Record<string, unknown> = {};
const loads: { at: string; section: string; load: number[] }[] = [];
const noteLoad = (section: string) => loads.push({ at: new Date().toISOString(), section, load: loadavg() });

function gitState() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).trim();
    return { head, srcDirty: dirty !== '' };
  } catch {
    return { head: 'unknown', srcDirty: false };
  }
}

/** Writes the source file: SIZE bytes alternating a zero MiB and a random MiB (the server sniffs no type from it). */
async function writeSource(path: string) {
  const blocks = [Buffer.alloc(MIB), randomBytes(MIB)];
  const handle = await open(path, 'w');
  try {
    for (let offset = 0, i = 0; offset < SIZE; offset += MIB, i += 1) {
      const block = blocks[i % 2]!.subarray(0, Math.min(MIB, SIZE - offset));
      await handle.write(block);
    }
  } finally {
    await handle.close();
  }
}

/** Removes what the uploads stored (not the server's internal folder), checking the stored size first. */
async function takeStored(store: string, name: string): Promise<number> {
  const file = join(store, name);
  const size = (await stat(file)).size;
  await rm(file, { force: true });
  return size;
}

// ---------------------------------------------------------------------------------------------------------
// 1. The server alone, with a Node client in a process of its own.

function clientUpload(port: number, path: string, chunk?: number, parallel?: number): Promise<{ ms: number; status: number }> {
  const args = ['--import', 'tsx', join(root, 'bench/server-client.ts'), String(port), path, String(SIZE)];
  if (chunk) args.push(String(chunk), String(parallel ?? 3));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...env, BENCH_KEY: KEY }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`server-client exited ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
}

async function benchServer(port: number, store: string, parallel: number) {
  log(`server alone: ${mib(SIZE)} single and ${mib(CHUNK)} × ${parallel} chunked, ${RUNS} runs each, Node client in its own process`);
  noteLoad('server');
  const single: number[] = [];
  const chunked: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const order = run % 2 ? ['chunked', 'single'] : ['single', 'chunked'];
    for (const side of order) {
      const result = await clientUpload(port, `/${FILE_NAME}`, side === 'chunked' ? CHUNK : undefined, parallel);
      const stored = await takeStored(store, FILE_NAME);
      if (result.status !== 201 || stored !== SIZE) throw new Error(`server ${side}: status ${result.status}, stored ${stored}`);
      (side === 'single' ? single : chunked).push(mbps(SIZE, result.ms));
      log(`  ${side}: ${fixed(mbps(SIZE, result.ms))} MB/s`);
    }
  }
  return { single: summarize(single), chunked: summarize(chunked) };
}

// ---------------------------------------------------------------------------------------------------------
// 2. Throughput and heap in the browser: raw XHR vs <itty-uploader>, alternating.

type Side = 'rawSingle' | 'ittySingle' | 'ittySingleHidden' | 'ittySingleReducedMotion' | 'rawChunked' | 'ittyChunked' | 'ittyChunkedHidden';

/** Renderer main-thread time (CPU time of that thread, from CDP Performance metrics) spent while one upload ran. */
interface MainThread {
  task: number;
  script: number;
  styleLayout: number;
  /** CPU ms of the browser's renderer and GPU processes (all their threads: compositing and raster too), Linux only. */
  rendererGpu: number;
  /** CPU ms of Chromium's network service (reads the file, sends the bytes), Linux only. */
  network: number;
}
type Measured = RunResult & { mainThread: MainThread };

async function mainThreadMeter(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  // threadTicks: the thread's CPU time, so a loaded machine does not inflate it.
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const read = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  return async <T>(work: () => Promise<T>): Promise<{ result: T; mainThread: MainThread }> => {
    const before = await read();
    const cpuBefore = browserCpu();
    const result = await work();
    const cpu = cpuDelta(cpuBefore, browserCpu());
    const after = await read();
    const ms = (name: string) => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
    const cpuOf = (match: (type: string) => boolean) =>
      cpu ? Object.entries(cpu).reduce((sum, [type, value]) => sum + (match(type) ? value : 0), 0) : Number.NaN;
    return {
      result,
      mainThread: {
        task: ms('TaskDuration'),
        script: ms('ScriptDuration'),
        styleLayout: ms('LayoutDuration') + ms('RecalcStyleDuration'),
        rendererGpu: cpuOf((type) => type === 'renderer' || type === 'gpu-process'),
        network: cpuOf((type) => type.includes('NetworkService')),
      },
    };
  };
}
type Meter = Awaited<ReturnType<typeof mainThreadMeter>>;

async function uploadOnce(page: Page, meter: Meter, store: string, side: Side, chunk: number, parallel: number): Promise<Measured> {
  await page.evaluate(() => window.throughputBench.gc());
  await sleep(200);
  // The element honours prefers-reduced-motion (no transition on its progress bar).
  if (side === 'ittySingleReducedMotion') await page.emulateMedia({ reducedMotion: 'reduce' });
  const { result, mainThread } = await meter(() =>
    page.evaluate(
      ([side, chunk, parallel]) => {
        const bench = window.throughputBench;
        if (side === 'rawSingle') return bench.rawSingle();
        if (side === 'ittySingle') return bench.ittySingle();
        if (side === 'ittySingleHidden') return bench.ittySingleHidden();
        if (side === 'ittySingleReducedMotion') return bench.ittySingle();
        if (side === 'rawChunked') return bench.rawChunked(chunk, parallel);
        if (side === 'ittyChunkedHidden') return bench.ittyChunkedHidden(chunk, parallel);
        return bench.ittyChunked(chunk, parallel);
      },
      [side, chunk, parallel] as const,
    ),
  );
  if (side === 'ittySingleReducedMotion') await page.emulateMedia({ reducedMotion: null });
  const stored = await takeStored(store, FILE_NAME);
  if (result.status !== 201 || result.bytes !== SIZE || stored !== SIZE) {
    throw new Error(`${side}: status ${result.status}, reported ${result.bytes} bytes, stored ${stored}`);
  }
  return { ...result, mainThread };
}

async function benchThroughput(page: Page, meter: Meter, store: string, parallel: number) {
  log(`throughput: ${mib(SIZE)}, ${RUNS} runs per side; chunked = ${mib(CHUNK)} × ${parallel} in flight`);
  noteLoad('throughput');
  // Warm-up, not counted: the first upload of a page pays for compiling code and opening connections.
  for (const side of ['ittyChunked', 'rawSingle'] as Side[]) await uploadOnce(page, meter, store, side, CHUNK, parallel);
  const runs: Record<Side, Measured[]> = { rawSingle: [], ittySingle: [], ittySingleHidden: [], ittySingleReducedMotion: [], rawChunked: [], ittyChunked: [], ittyChunkedHidden: [] };
  const singles: Side[] = ['rawSingle', 'ittySingle', 'ittySingleHidden', 'ittySingleReducedMotion'];
  const chunked: Side[] = ['rawChunked', 'ittyChunked', 'ittyChunkedHidden'];
  for (let run = 0; run < RUNS; run += 1) {
    // The order within each group changes every run (rotation), so a drifting load favours no side.
    const rotate = (group: Side[]) => [...group.slice(run % group.length), ...group.slice(0, run % group.length)];
    const groups = [rotate(singles), rotate(chunked)];
    for (const side of groups.flat().filter((side) => !SIDES || SIDES.has(side))) {
      const result = await uploadOnce(page, meter, store, side, CHUNK, parallel);
      runs[side].push(result);
      log(`  ${side.padEnd(23)} ${fixed(mbps(SIZE, result.ms)).padStart(4)} MB/s  heap +${fixed(result.heap.growth / 1e6, 2)} MB  main thread ${fixed(result.mainThread.task)} ms, renderer+GPU ${fixed(result.mainThread.rendererGpu)} ms, network service ${fixed(result.mainThread.network)} ms CPU  ${result.progressEvents} progress events`);
    }
  }
  const speed = (side: Side) => summarize(runs[side].map((r) => mbps(SIZE, r.ms)));
  const paired = (a: Side, b: Side) => summarize(runs[a].map((r, i) => mbps(SIZE, r.ms) / (runs[b][i] ? mbps(SIZE, runs[b][i].ms) : Number.NaN)));
  const perGiB = (side: Side, key: keyof MainThread) => summarize(runs[side].map((r) => (r.mainThread[key] * 1024 * MIB) / SIZE));
  const sides = Object.keys(runs) as Side[];
  return {
    runs,
    speed: Object.fromEntries(sides.map((side) => [side, speed(side)])) as Record<Side, Summary>,
    ratios: {
      single: paired('ittySingle', 'rawSingle'),
      singleHidden: paired('ittySingleHidden', 'rawSingle'),
      singleReducedMotion: paired('ittySingleReducedMotion', 'rawSingle'),
      chunkedVsRawSingle: paired('ittyChunked', 'rawSingle'),
      chunkedVsRawChunked: paired('ittyChunked', 'rawChunked'),
      chunkedHiddenVsRawChunked: paired('ittyChunkedHidden', 'rawChunked'),
      rawChunkedVsRawSingle: paired('rawChunked', 'rawSingle'),
    },
    heap: Object.fromEntries(sides.map((side) => [side, summarize(runs[side].map((r) => r.heap.growth))])) as Record<Side, Summary>,
    mainThreadPerGiB: Object.fromEntries(
      sides.map((side) => [side, Object.fromEntries((['task', 'script', 'styleLayout', 'rendererGpu', 'network'] as const).map((key) => [key, perGiB(side, key)]))]),
    ) as Record<Side, Record<keyof MainThread, Summary>>,
  };
}

/**
 * Raw XHR chunked at each chunk size × parallelism. A raw single PUT comes before and after every three
 * settings, and each setting is compared with the mean of the two single PUTs around it.
 */
async function benchSweep(page: Page, meter: Meter, store: string) {
  const configs = SWEEP_CHUNKS.flatMap((chunk) => SWEEP_PARALLEL.map((parallel) => ({ chunk, parallel })));
  log(`sweep: raw XHR chunked, ${configs.length} settings × ${SWEEP_ROUNDS} rounds, a raw single PUT before and after every 3 settings`);
  noteLoad('sweep');
  const single: number[] = [];
  const speeds = new Map<string, number[]>();
  const ratios = new Map<string, number[]>();
  const keyOf = (config: { chunk: number; parallel: number }) => `${config.chunk / MIB} MiB × ${config.parallel}`;
  const runSingle = async () => {
    const speed = mbps(SIZE, (await uploadOnce(page, meter, store, 'rawSingle', 0, 0)).ms);
    single.push(speed);
    log(`  single PUT         ${fixed(speed).padStart(4)} MB/s`);
    return speed;
  };
  for (let round = 0; round < SWEEP_ROUNDS; round += 1) {
    // Rotates the order each round, so no setting always sits at the same place.
    const shift = (round * 4) % configs.length;
    const order = [...configs.slice(shift), ...configs.slice(0, shift)];
    let before = await runSingle();
    for (let i = 0; i < order.length; i += 3) {
      const group = order.slice(i, i + 3).map((config) => ({ config, speed: 0 }));
      for (const entry of group) {
        entry.speed = mbps(SIZE, (await uploadOnce(page, meter, store, 'rawChunked', entry.config.chunk, entry.config.parallel)).ms);
        log(`  ${keyOf(entry.config).padEnd(18)} ${fixed(entry.speed).padStart(4)} MB/s`);
      }
      const after = await runSingle();
      for (const { config, speed } of group) {
        const key = keyOf(config);
        speeds.set(key, [...(speeds.get(key) ?? []), speed]);
        ratios.set(key, [...(ratios.get(key) ?? []), speed / ((before + after) / 2)]);
      }
      before = after;
    }
  }
  const table = configs.map((config) => {
    const key = keyOf(config);
    return { key, chunk: config.chunk, parallel: config.parallel, speed: summarize(speeds.get(key) ?? []), ratio: summarize(ratios.get(key) ?? []) };
  });
  const best = [...table].sort((a, b) => b.ratio.median - a.ratio.median)[0]!;
  return { single: summarize(single), configs: table, best: best.key };
}

// ---------------------------------------------------------------------------------------------------------
// 3. Rendering: N files added at once; renders per frame under a progress-event storm.

type Lib = 'itty' | 'uppy';

async function freshPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => log('page error:', error.message));
  await page.goto(url);
  await page.waitForFunction(() => document.title.includes('(ready)'));
  return page;
}

async function benchRender(browser: Browser, site: { url(name: 'render-itty' | 'render-uppy'): string }) {
  log(`render: 1,000 and 5,000 files added at once, ${RENDER_RUNS} runs each, a fresh page per run, alternating itty / Uppy`);
  noteLoad('render');
  const out: Record<string, { runs: Record<string, unknown>[]; painted: Summary; untilFrame: Summary; styleLayoutPaint: Summary }> = {};
  for (const n of [1000, 5000]) {
    const collected: Record<Lib, Record<string, number | string>[]> = { itty: [], uppy: [] };
    for (let run = 0; run < RENDER_RUNS; run += 1) {
      for (const lib of (run % 2 ? ['uppy', 'itty'] : ['itty', 'uppy']) as Lib[]) {
        const page = await freshPage(browser, site.url(`render-${lib}`));
        try {
          const result: { ms: number; rows: number } & Record<string, number | string> = await page.evaluate(
            ([lib, n]) => (lib === 'itty' ? window.ittyRender.render(n) : window.uppyRender.render(n)) as Promise<{ ms: number; rows: number } & Record<string, number | string>>,
            [lib, n] as const,
          );
          collected[lib].push(result);
          log(`  ${lib} ${n}: painted after ${fixed(result.ms)} ms (${result.rows} rows in the DOM)`);
        } finally {
          await page.close();
        }
      }
    }
    for (const lib of ['itty', 'uppy'] as Lib[]) {
      const runs = collected[lib];
      out[`${lib}-${n}`] = {
        runs,
        painted: summarize(runs.map((r) => Number(r.ms))),
        untilFrame: summarize(runs.map((r) => Number(r.untilFrame))),
        styleLayoutPaint: summarize(runs.map((r) => Number(r.styleLayoutPaint))),
      };
    }
  }
  return out;
}

interface ProgressResult {
  ms: number;
  succeeded: number;
  transportEvents: number;
  frames: number;
  renders: number;
  maxRendersPerFrame: number;
  maxRendersPerFrameNoStatusChange: number;
  maxProgressEventsPerItemPerFrame: number;
  listed: number;
  renderMs: { median: number; max: number } | null;
}

async function benchProgress(browser: Browser, site: { url(name: 'render-itty' | 'render-uppy'): string }) {
  const files = 3;
  const sizeMiB = 16;
  const listed = 1000;
  // With a long list every render is slow, so that variant sends fewer events (it measures the cost of a render, not the rate).
  const listedSizeMiB = 2;
  log(`progress: ${files} files × ${sizeMiB} MiB at once, one progress event per 8 KiB (${(files * sizeMiB * 128).toLocaleString('en-US')} events), ${PROGRESS_RUNS} runs each; itty also with ${listed.toLocaleString('en-US')} more files queued in the list (${files} × ${listedSizeMiB} MiB uploading)`);
  noteLoad('progress');
  type Variant = 'itty' | 'uppy' | 'itty-listed';
  const collected: Record<Variant, ProgressResult[]> = { itty: [], uppy: [], 'itty-listed': [] };
  for (let run = 0; run < PROGRESS_RUNS; run += 1) {
    const variants: Variant[] = run % 2 ? ['itty-listed', 'uppy', 'itty'] : ['itty', 'uppy', 'itty-listed'];
    for (const variant of variants) {
      const lib: Lib = variant === 'uppy' ? 'uppy' : 'itty';
      const page = await freshPage(browser, site.url(`render-${lib}`));
      try {
        const result: ProgressResult = await page.evaluate(
          ([variant, files, size, listed]) =>
            (variant === 'uppy'
              ? window.uppyRender.progress(files, size)
              : window.ittyRender.progress(files, size, variant === 'itty-listed' ? listed : 0)) as Promise<ProgressResult>,
          [variant, files, variant === 'itty-listed' ? listedSizeMiB : sizeMiB, listed] as const,
        );
        if (result.succeeded !== files) throw new Error(`${variant} progress: ${result.succeeded} of ${files} uploads succeeded`);
        collected[variant].push(result);
        log(`  ${variant}: ${result.renders} renders in ${result.frames} frames, at most ${result.maxRendersPerFrame} per frame (${result.maxRendersPerFrameNoStatusChange} without a status change), ${result.transportEvents} transport events, ${fixed(result.ms)} ms${result.renderMs ? `, a render takes ${fixed(result.renderMs.median, 1)} ms (max ${fixed(result.renderMs.max, 1)})` : ''}`);
      } finally {
        await page.close();
      }
    }
  }
  return { files, sizeMiB, listed, listedSizeMiB, runs: collected };
}

// ---------------------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const git = gitState();
  const machine = {
    date: new Date().toISOString(),
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${process.platform} ${release()}`,
    node: process.version,
    loadAtStart: loadavg(),
    git,
  };
  const work = await mkdtemp(join(tmpdir(), 'itty-bench-'));
  const store = join(work, 'store');
  const sourcePath = join(work, 'source', FILE_NAME);
  let browser: Browser | undefined;
  let site: Awaited<ReturnType<typeof startSite>> | undefined;
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await site?.close().catch(() => {});
    await rm(work, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await mkdir(join(work, 'source'), { recursive: true });
    log(`itty-uploader bench (${quick ? 'quick' : 'full'}): file ${mib(SIZE)}, git ${git.head}${git.srcDirty ? ' + uncommitted src changes' : ''}`);
    log(`machine: ${machine.cpu}, ${machine.memory}, ${machine.os}, Node ${machine.node}`);
    const writing = performance.now();
    await writeSource(sourcePath);
    log(`wrote the ${mib(SIZE)} source file in ${fixed((performance.now() - writing) / 1000, 1)} s`);

    site = await startSite({ dir: store, key: KEY });
    const port = Number(new URL(site.origin).port);
    log(`site and upload server at ${site.origin}; page scripts ${Object.entries(site.scriptBytes).map(([k, v]) => `${k} ${fixed(v / 1000)} kB`).join(', ')}`);

    const executablePath = findChrome() as string | undefined;
    if (!executablePath) throw new Error('No Chromium found: run `node scripts/setup.mjs --browser` or set CHROME_PATH.');
    browser = await chromium.launch({ executablePath, args: BENCH_CHROME_ARGS });
    const browserVersion = browser.version();
    log(`Chromium ${browserVersion} (${executablePath})`);
    Object.assign(machine, { chromium: browserVersion });

    // The element's defaults, read from the page, so the benchmark follows src.
    const throughputPage = await freshPage(browser, site.url('throughput'));
    await throughputPage.setInputFiles('#source', sourcePath);
    const meter = await mainThreadMeter(throughputPage);
    const defaults = await throughputPage.evaluate(() => window.throughputBench.defaults());
    const parallel = PARALLEL;
    results.config = { size: SIZE, runs: RUNS, chunkSize: CHUNK, parallelChunks: parallel, elementDefaults: defaults, renderRuns: RENDER_RUNS, sweepRounds: SWEEP_ROUNDS, quick, chromeArgs: BENCH_CHROME_ARGS };

    if (ONLY.has('size')) results.size = benchSize();
    if (ONLY.has('server')) results.server = await benchServer(port, store, parallel);
    if (ONLY.has('throughput')) results.throughput = await benchThroughput(throughputPage, meter, store, parallel);
    if (ONLY.has('sweep')) results.sweep = await benchSweep(throughputPage, meter, store);
    await throughputPage.close();
    if (ONLY.has('render')) results.render = await benchRender(browser, site);
    if (ONLY.has('progress')) results.progress = await benchProgress(browser, site);
    noteLoad('end');
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  results.machine = machine;
  results.loads = loads;
  results.seconds = Math.round((Date.now() - started) / 1000);
  await report();
}

// ---------------------------------------------------------------------------------------------------------
// The report.

type ThroughputResults = Awaited<ReturnType<typeof benchThroughput>>;
type SweepResults = Awaited<ReturnType<typeof benchSweep>>;
type ServerResults = Awaited<ReturnType<typeof benchServer>>;
type RenderResults = Awaited<ReturnType<typeof benchRender>>;
type Size = { raw: number; gzip: number; brotli: number };
type SizeResults = { bundle: Size; lazy: Record<string, Size>; entries: Record<string, Size> };

/** Builds dist/ and reads what scripts/size.mjs measured (it exits non-zero above the budget; the numbers are written anyway). */
function benchSize(): SizeResults {
  log('size: building dist/ and measuring it (scripts/size.mjs)');
  execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
  try {
    execFileSync('node', ['scripts/size.mjs'], { cwd: root, stdio: 'ignore' });
  } catch {
    // Above the budget: reported as MISSED below.
  }
  return JSON.parse(readFileSync(join(root, 'bench/size.json'), 'utf8')) as SizeResults;
}
type ProgressResults = Awaited<ReturnType<typeof benchProgress>>;

async function report() {
  const config = results.config as { chunkSize: number; parallelChunks: number; size: number; runs: number; renderRuns: number };
  const chunkLabel = `${mib(config.chunkSize)} × ${config.parallelChunks}`;
  const server = results.server as ServerResults | undefined;
  const tp = results.throughput as ThroughputResults | undefined;
  const sweep = results.sweep as SweepResults | undefined;
  const render = results.render as RenderResults | undefined;
  const progress = results.progress as ProgressResults | undefined;
  const goal = (met: boolean) => (met ? 'met' : 'MISSED');
  const size = results.size as SizeResults | undefined;

  if (size) {
    const kb = (bytes: number) => fixed(bytes / 1024, 2);
    const lazy = Object.entries(size.lazy);
    rows.push(
      { section: 'size', measure: 'dist/itty-uploader.js, both elements + Lit + @lit/task (KB brotli; gzip)', value: `${kb(size.bundle.brotli)}; ${kb(size.bundle.gzip)}`, goal: `≤ ${GOALS.bundleKB} KB (budget ${GOALS.bundleBudgetKB})`, met: size.bundle.brotli <= GOALS.bundleKB * 1024 },
      ...lazy.map(([name, s]) => ({ section: 'size', measure: `  + dist/chunks/${name}, loaded only when used (KB brotli)`, value: kb(s.brotli) })),
      ...Object.entries(size.entries).map(([name, s]) => ({ section: 'size', measure: `itty-uploader${name}, Lit external, lazy parts included (KB brotli)`, value: kb(s.brotli) })),
    );
  }

  if (tp) {
    // A results.json from before a side existed (`--report`) shows a dash for it.
    const perGiB = (side: Side, key: keyof MainThread = 'task') => (tp.mainThreadPerGiB[side] ? range(tp.mainThreadPerGiB[side][key]) : '–');
    rows.push(
      { section: 'throughput', measure: `raw XHR, single PUT (MB/s)`, value: range(tp.speed.rawSingle) },
      { section: 'throughput', measure: `<itty-uploader>, single PUT (MB/s)`, value: range(tp.speed.ittySingle) },
      { section: 'throughput', measure: `  ratio itty / raw, single (paired runs)`, value: range(tp.ratios.single, 3), goal: `≥ ${GOALS.singleRatio}`, met: tp.ratios.single.median >= GOALS.singleRatio },
      { section: 'throughput', measure: `<itty-uploader> not displayed, single PUT (MB/s)`, value: range(tp.speed.ittySingleHidden) },
      { section: 'throughput', measure: `  ratio itty not displayed / raw, single`, value: range(tp.ratios.singleHidden, 3) },
      { section: 'throughput', measure: `<itty-uploader>, prefers-reduced-motion, single PUT (MB/s)`, value: range(tp.speed.ittySingleReducedMotion) },
      { section: 'throughput', measure: `  ratio itty reduced motion / raw, single`, value: range(tp.ratios.singleReducedMotion, 3) },
      { section: 'throughput', measure: `raw XHR, chunked ${chunkLabel} (MB/s)`, value: range(tp.speed.rawChunked) },
      { section: 'throughput', measure: `<itty-uploader>, chunked ${chunkLabel} (MB/s)`, value: range(tp.speed.ittyChunked) },
      { section: 'throughput', measure: `  ratio itty chunked / raw single PUT`, value: range(tp.ratios.chunkedVsRawSingle, 3), goal: `≥ ${GOALS.chunkedRatio}`, met: tp.ratios.chunkedVsRawSingle.median >= GOALS.chunkedRatio },
      { section: 'throughput', measure: `  ratio itty chunked / raw chunked (same settings)`, value: range(tp.ratios.chunkedVsRawChunked, 3) },
      { section: 'throughput', measure: `  ratio raw chunked / raw single PUT`, value: range(tp.ratios.rawChunkedVsRawSingle, 3) },
      { section: 'throughput', measure: `<itty-uploader> not displayed, chunked ${chunkLabel} (MB/s)`, value: tp.speed.ittyChunkedHidden ? range(tp.speed.ittyChunkedHidden) : '–' },
      { section: 'throughput', measure: `  ratio itty chunked not displayed / raw chunked`, value: tp.ratios.chunkedHiddenVsRawChunked ? range(tp.ratios.chunkedHiddenVsRawChunked, 3) : '–' },
      { section: 'cpu', measure: `page main thread per GiB (ms), single: raw / itty / not displayed / reduced motion`, value: `${perGiB('rawSingle')} / ${perGiB('ittySingle')} / ${perGiB('ittySingleHidden')} / ${perGiB('ittySingleReducedMotion')}` },
      { section: 'cpu', measure: `renderer + GPU processes per GiB (ms), single: raw / itty / not displayed / reduced motion`, value: `${perGiB('rawSingle', 'rendererGpu')} / ${perGiB('ittySingle', 'rendererGpu')} / ${perGiB('ittySingleHidden', 'rendererGpu')} / ${perGiB('ittySingleReducedMotion', 'rendererGpu')}` },
      { section: 'cpu', measure: `network service per GiB (ms), single: raw / itty`, value: `${perGiB('rawSingle', 'network')} / ${perGiB('ittySingle', 'network')}` },
      { section: 'cpu', measure: `page main thread per GiB (ms), chunked: raw / itty / not displayed`, value: `${perGiB('rawChunked')} / ${perGiB('ittyChunked')} / ${perGiB('ittyChunkedHidden')}` },
      { section: 'cpu', measure: `renderer + GPU processes per GiB (ms), chunked: raw / itty / not displayed`, value: `${perGiB('rawChunked', 'rendererGpu')} / ${perGiB('ittyChunked', 'rendererGpu')} / ${perGiB('ittyChunkedHidden', 'rendererGpu')}` },
    );
    const heapMax = Math.max(tp.heap.ittySingle.max, tp.heap.ittyChunked.max);
    rows.push(
      { section: 'memory', measure: 'JS heap growth, <itty-uploader> single (MB)', value: range(scale(tp.heap.ittySingle, 1e-6), 2) },
      { section: 'memory', measure: 'JS heap growth, <itty-uploader> chunked (MB)', value: range(scale(tp.heap.ittyChunked, 1e-6), 2) },
      { section: 'memory', measure: '  JS heap growth during a 1 GiB upload, worst of single and chunked', value: `${fixed(heapMax / 1e6, 2)} MB`, goal: `≤ ${GOALS.heapBytes / 1e6} MB`, met: heapMax <= GOALS.heapBytes },
      { section: 'memory', measure: 'JS heap growth, raw XHR single / chunked (MB)', value: `${range(scale(tp.heap.rawSingle, 1e-6), 2)} / ${range(scale(tp.heap.rawChunked, 1e-6), 2)}` },
    );
  }
  if (server) {
    rows.push(
      { section: 'server', measure: 'server alone, Node client, single PUT (MB/s)', value: range(server.single) },
      { section: 'server', measure: `server alone, Node client, chunked ${chunkLabel} (MB/s)`, value: range(server.chunked) },
    );
    if (tp) {
      rows.push({ section: 'server', measure: '  server alone / browser raw XHR single', value: `${fixed(server.single.median / tp.speed.rawSingle.median, 2)}×` });
    }
  }
  if (sweep) {
    for (const config of sweep.configs) {
      rows.push({ section: 'sweep', measure: `raw XHR chunked ${config.key} (MB/s; / adjacent single PUTs)`, value: `${range(config.speed)}; ${range(config.ratio, 2)}${config.key === sweep.best ? '  ← fastest' : ''}` });
    }
    rows.push({ section: 'sweep', measure: 'raw XHR single PUT in the sweep rounds (MB/s)', value: range(sweep.single) });
  }
  if (render) {
    for (const n of [1000, 5000]) {
      const itty = render[`itty-${n}`]!;
      const uppy = render[`uppy-${n}`]!;
      const limit = n === 1000 ? GOALS.render1k : GOALS.render5k;
      const rowsInDom = (runs: Record<string, unknown>[]) => runs[0]?.rows ?? '?';
      rows.push(
        { section: 'render', measure: `${n.toLocaleString('en-US')} files → painted, <itty-uploader> (ms)`, value: `${range(itty.painted)} [${rowsInDom(itty.runs)} rows in DOM]`, goal: `≤ ${limit} ms`, met: itty.painted.median <= limit },
        { section: 'render', measure: `  of which the painting frame's style+layout+paint (ms)`, value: range(itty.styleLayoutPaint) },
        { section: 'render', measure: `${n.toLocaleString('en-US')} files → painted, Uppy Dashboard (ms)`, value: `${range(uppy.painted)} [${rowsInDom(uppy.runs)} rows in DOM]` },
        { section: 'render', measure: `  ratio itty / Uppy`, value: `${fixed(itty.painted.median / uppy.painted.median, 2)}×` },
      );
    }
  }
  if (progress) {
    for (const variant of ['itty', 'itty-listed', 'uppy'] as const) {
      const runs = progress.runs[variant];
      if (!runs.length) continue;
      const worst = Math.max(...runs.map((r) => r.maxRendersPerFrameNoStatusChange));
      const worstAll = Math.max(...runs.map((r) => r.maxRendersPerFrame));
      const renders = summarize(runs.map((r) => r.renders));
      const frames = summarize(runs.map((r) => r.frames));
      const name = variant === 'uppy' ? 'Uppy Dashboard' : variant === 'itty' ? '<itty-uploader>' : `<itty-uploader> + ${progress.listed.toLocaleString('en-US')} queued`;
      rows.push({
        section: 'progress',
        measure: `${name}: most renders in one frame without a status change (any frame)`,
        value: `${worst} (${worstAll}); ${range(renders)} renders in ${range(frames)} frames, ${runs[0]?.transportEvents} events`,
        ...(variant === 'uppy' ? {} : { goal: `≤ ${GOALS.rendersPerFrame}`, met: worst <= GOALS.rendersPerFrame }),
      });
      if (variant !== 'uppy') {
        const perItem = Math.max(...runs.map((r) => r.maxProgressEventsPerItemPerFrame));
        rows.push({ section: 'progress', measure: `${name}: most itty-upload-progress events per item in one frame`, value: String(perItem), goal: '≤ 1', met: perItem <= 1 });
        const renderMs = summarize(runs.map((r) => r.renderMs?.median ?? Number.NaN));
        rows.push({ section: 'progress', measure: `${name}: one render (Lit update, ms; median per run, worst)`, value: `${range(renderMs, 1)}; ${fixed(Math.max(...runs.map((r) => r.renderMs?.max ?? 0)), 1)}` });
      }
    }
  }

  const KEY_ROWS = [
    /^raw XHR, single PUT/, /^<itty-uploader>, single PUT/, /ratio itty \/ raw, single/, /ratio itty not displayed/,
    /^raw XHR, chunked/, /^<itty-uploader>, chunked/, /ratio itty chunked \//, /ratio raw chunked/, /ratio itty chunked not displayed/, /renderer \+ GPU processes per GiB \(ms\), single/,
    /worst of single and chunked/, /server alone, Node client, single/, /files → painted/, /most renders in one frame/, /one render/,
    /^\+ dist\/chunks/, /Lit external/,
  ];
  for (const row of rows) row.key = row.goal !== undefined || KEY_ROWS.some((pattern) => pattern.test(row.measure.trim()));
  const head = ['section', 'measure', 'median (range)', 'goal', ''];
  const cells = rows.map((row) => [row.section, row.measure, row.value, row.goal ?? '', row.met === undefined ? '' : goal(row.met)]);
  const machine = results.machine as { date: string; cpu: string; memory: string; node: string; chromium?: string; loadAtStart: number[]; git: { head: string; srcDirty: boolean } };
  const loadLine = (results.loads as { section: string; load: number[] }[]).map((l) => `${l.section} ${l.load.map((n) => n.toFixed(1)).join('/')}`).join(', ');
  console.log('');
  console.log(table(head, cells));
  console.log('');
  console.log(`load average (1/5/15 min) at each section: ${loadLine}`);
  const missed = rows.filter((row) => row.met === false);
  console.log(missed.length ? `goals missed: ${missed.map((row) => row.measure.trim()).join('; ')}` : 'all goals met');
  console.log(`took ${results.seconds} s`);
  results.table = rows;

  if (env.BENCH_NO_WRITE === '1') return;
  if (!reportOnly) await writeFile(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const full = !(results.config as { quick: boolean }).quick && config.size === 1024 * MIB && ['server', 'throughput', 'sweep', 'render', 'progress'].every((key) => key in results);
  if (!full) {
    console.log('wrote bench/results.json (bench/RESULTS.md and docs/performance.md keep the last full run: all sections, 1 GiB, not quick)');
    return;
  }
  const about =
    `Measured by \`npm run bench\` on ${machine.date.slice(0, 10)}: ${machine.cpu}, ${machine.memory} RAM, Node ${machine.node}, ` +
    `Chromium ${machine.chromium ?? '?'} headless (Playwright), git ${machine.git.head}${machine.git.srcDirty ? ' with uncommitted src changes' : ''}. ` +
    `A ${mib(config.size)} file on disk (given to the page with setInputFiles, never read into memory); ${config.runs} runs per throughput side and ` +
    `${config.renderRuns} per render measurement, sides alternating; load average (1/5/15 min) at each section: ${loadLine}. ` +
    'The machine was shared with other jobs, so absolute MB/s and ms swing between runs: the ratios, measured side by side, are what to compare.';
  const verdict = missed.length ? `Goals missed: ${missed.map((row) => row.measure.trim().replace(/<([a-z][a-z0-9-]*)>/g, '`<$1>`')).join('; ')}.` : 'All goals met.';
  const md = markdownTable(['section', 'measure', 'median (range)', 'goal', ''], cells);
  const keyRows = rows.filter((row) => row.key);
  if (sweep) keyRows.push({ section: 'sweep', measure: 'fastest raw XHR chunked setting (of 16/32/64 MiB × 2/3/4)', value: sweep.best });
  const shortMd = markdownTable(['section', 'measure', 'median (range)', 'goal', ''], keyRows.map((row) => [row.section, row.measure.trim(), row.value, row.goal ?? '', row.met === undefined ? '' : goal(row.met)]));
  await writeFile(join(root, 'bench/RESULTS.md'), ['# Benchmark results', '', about, '', md, '', verdict, '', METHOD, ''].join('\n'));
  // docs/performance.md's table is generated between its markers.
  const readmePath = join(root, 'docs/performance.md');
  const readme = await readFile(readmePath, 'utf8').catch(() => '');
  const start = '<!-- performance:start -->';
  const end = '<!-- performance:end -->';
  if (readme.includes(start) && readme.includes(end)) {
    const section = [start, '', `Reproduce with \`npm run bench\` (about ${Math.ceil((results.seconds as number) / 60)} minutes; \`BENCH_QUICK=1 npm run bench\` for a 256 MiB smoke run). ${about}`, '', shortMd, '', verdict, '', 'Every number of that run (CPU per side, the chunk-size sweep, the server alone), and how each is measured: [bench/RESULTS.md](../bench/RESULTS.md).', end].join('\n');
    await writeFile(readmePath, readme.slice(0, readme.indexOf(start)) + section + readme.slice(readme.indexOf(end) + end.length));
    console.log('wrote bench/results.json, bench/RESULTS.md and the table in docs/performance.md');
  } else {
    console.log('wrote bench/results.json and bench/RESULTS.md (docs/performance.md has no performance markers)');
  }
}

const METHOD = `## How it is measured

- **Throughput.** Node writes the file to a temp folder and Playwright sets it on an \`<input type=file>\` (\`setInputFiles\`), so
  the page holds a disk-backed \`File\`: nothing is read into memory and Chromium's ~500 MB live-Blob cap does not apply.
  *Raw XHR* = \`POST /upload-url\` for a signed URL, then \`xhr.send(file)\` with an upload progress listener. *Element* =
  \`<itty-uploader endpoint="/upload-url">\` (+ \`chunk-size\`), \`addFiles([file])\` until \`itty-upload-success\`. Both are timed
  in the page (\`performance.now()\`) and both include their signing request. *Chunked* raw XHR sends the same
  \`Content-Range\` slices as the element, with as many in flight, the final-position slice last and alone. No request is
  intercepted (no \`page.route\`). A forced GC and 200 ms pause precede every upload; after it the stored file's size is
  checked and the file deleted. Sides alternate (rotation) and ratios are medians of ratios of runs taken side by side.
  *Not displayed* (single and chunked) = the same element with \`display: none\`: its engine and its renders without
  style, layout and paint, which tells the element's frames apart from its engine. *Reduced motion* =
  \`prefers-reduced-motion: reduce\` emulated (the element then has no transitions).
- **CPU.** Page main thread: CDP \`Performance.getMetrics\` (TaskDuration, thread time) around each upload. Renderer + GPU
  and network-service processes: user + system time from \`/proc\` (Linux) around each upload. CPU time hardly depends on
  the machine's load, so it shows what each side costs when MB/s swing.
- **Sweep.** Raw XHR chunked at 16/32/64 MiB × 2/3/4 in flight; a raw single PUT runs before and after every three settings
  and each setting is compared with the mean of the two around it.
- **Memory.** \`performance.memory.usedJSHeapSize\` (exact with \`--enable-precise-memory-info\`) sampled every 20 ms from a
  forced GC before the upload to its end; growth = peak − start.
- **Server alone.** The same upload server, a Node client in a separate process PUTting generated bytes (single, and
  chunked with the same settings), so it can be told apart from the browser.
- **Render.** A fresh page per run. N small text \`File\`s are made first and the page is left idle twice
  (\`requestIdleCallback\`), so the browser has registered them, as it has files a user picked. (Until 2026-12-03 the
  clock started right after \`new File()\` × N and timed that registration too: 40–50 ms more for 1,000 files, on
  both sides, on a 2-core machine.) The clock starts before \`addFiles(files)\`
  (\`<itty-uploader manual multiple>\`) or \`uppy.addFiles(…)\` (Dashboard inline) and stops when the first frame that shows
  the list has been painted: a rAF callback checks that the list is in the DOM (itty: N rows; Uppy: the header counts N
  files and rows are shown), and a message posted from it is handled right after that frame's style, layout and paint.
  The time includes waiting for that frame (up to one vsync). Uppy's Dashboard renders a virtual list (only visible rows).
- **Progress renders.** An \`XMLHttpRequest\` subclass really uploads to the server but reports upload progress as WebKitGTK
  does: one event per 8 KiB, each in a task of its own (6,144 events for 3 × 16 MiB); the browser's own progress events
  are hidden and load is held back until every byte was reported. It is used by the element's transport and by
  @uppy/xhr-upload alike. Renders are Lit \`update()\` calls of the element / \`render()\` calls of Uppy's Dashboard,
  counted between consecutive animation frames; frames in which an item's status changed (queued → signing → uploading →
  done render at once, by design) are reported apart.`;

function scale(s: Summary, factor: number): Summary {
  return { ...s, median: s.median * factor, min: s.min * factor, max: s.max * factor, values: s.values.map((v) => v * factor) };
}

/** `--report`: prints the table again and rewrites RESULTS.md and docs/performance.md from bench/results.json, without measuring. */
const reportOnly = process.argv.includes('--report');
if (reportOnly) {
  Object.assign(results, JSON.parse(await readFile(join(root, 'bench/results.json'), 'utf8')) as Record<string, unknown>);
  await report();
} else {
  await main();
}
