// `npm run bench`: picks sections, runs them, prints the report and writes bench/results.json and bench/RESULTS.md.
// Each section (bench/sections/*.ts) measures and turns its figures into report rows; how and why: bench/README.md.
//
//   node --import tsx bench/run.ts [section …]        e.g. `npm run bench -- size render`
//   node --import tsx bench/run.ts --report           print the last results.json again and rewrite RESULTS.md from it
// Environment:
//   BENCH_SECTIONS=size,render   run only these sections (the same as naming them as arguments; BENCH_ONLY is an alias)
//   BENCH_QUICK=1          256 MiB instead of 1 GiB, fewer runs (a smoke run of a few minutes)
//   BENCH_SIZE=512MiB      size of the uploaded file (default 1GiB)
//   BENCH_RUNS=5           runs per throughput side; BENCH_RENDER_RUNS=5 runs per rendering measurement
//   BENCH_CHUNK=64MiB      chunk size given to <itty-uploader chunk-size> and to the raw chunked baseline
//   BENCH_PARALLEL=4       parallel-chunks for both
//   BENCH_SWEEP_ROUNDS=2   rounds of the chunk-size sweep
//   BENCH_SIDES=rawSingle,rawChunked,ittyChunked   throughput: run only these sides (for quick experiments)
//   BENCH_NO_WRITE=1       do not write bench/results.json and bench/RESULTS.md
// RESULTS.md is rewritten only after a full run (every section, 1 GiB, not quick, all sides); results.json after any run.
// Nothing here asserts: goals that are missed are printed as MISSED and the exit code stays 0.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright';
// @ts-expect-error scripts/chrome.mjs is plain JavaScript without types
import { findChrome } from '../scripts/chrome.mjs';
import { freshPage, mainThreadMeter } from './lib/browser.js';
import { BENCH_CHROME_ARGS, CHUNK, FILE_NAME, KEY, MIB, PARALLEL, RENDER_RUNS, RUNS, SIZE, log, mib, quick, root } from './lib/config.js';
import { writeSource } from './lib/files.js';
import { HISTORY_BASE, historyTable, historyValue, readHistory, resultsMarkdown } from './lib/results-md.js';
import type { BenchConfig, Context, Row, Section, ThroughputPage } from './lib/section.js';
import { verdict } from './lib/section.js';
import { startSite, type Site } from './lib/site.js';
import { fixed, markdownTable, table } from './lib/stats.js';
import multipart from './sections/multipart.js';
import progress from './sections/progress.js';
import resume from './sections/resume.js';
import media from './sections/media.js';
import render from './sections/render.js';
import server from './sections/server.js';
import size from './sections/size.js';
import sweep, { SWEEP_ROUNDS } from './sections/sweep.js';
import throughput from './sections/throughput.js';

/** The share of the host's CPU time that was idle over the next `ms`. */
async function idleShare(ms: number): Promise<number> {
  const total = () =>
    cpus().reduce((sum, { times }) => ({ idle: sum.idle + times.idle, all: sum.all + Object.values(times).reduce((a, b) => a + b, 0) }), {
      idle: 0,
      all: 0,
    });
  const before = total();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = total();
  return (after.idle - before.idle) / Math.max(1, after.all - before.all);
}

/**
 * Waits (at most 60 s) until the host is quiet: a section that follows a 4 GiB upload otherwise measures the
 * kernel writing it back. The wall-time ratios of the media section moved by up to 20 % with it.
 */
async function settle(): Promise<void> {
  const started = Date.now();
  let idle = await idleShare(1000);
  while (idle < 0.85 && Date.now() - started < 60_000) idle = await idleShare(1000);
  const waited = Math.round((Date.now() - started) / 1000);
  if (waited > 1) log(`  waited ${waited} s for a quiet host (CPU ${Math.round(idle * 100)} % idle)`);
}

/** In the order they run: the server alone before the browser loads the machine; the throughput page's sections together. */
const SECTIONS: Section[] = [size, server, throughput, sweep, render, progress, multipart, resume, media];
/** The order of the report (and of RESULTS.md). */
const REPORT_ORDER = ['size', 'throughput', 'server', 'sweep', 'render', 'progress', 'multipart', 'resume', 'media'];
const RESULTS_JSON = join(root, 'bench/results.json');
const RESULTS_MD = join(root, 'bench/RESULTS.md');

interface Machine {
  date: string;
  cpu: string;
  memory: string;
  os: string;
  node: string;
  chromium?: string;
  loadAtStart: number[];
  git: { head: string; srcDirty: boolean };
}
type Load = { at: string; section: string; load: number[] };
type Results = Record<string, unknown> & { config: BenchConfig; machine: Machine; loads: Load[]; seconds: number; sides?: string[] };

function gitState() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).trim();
    return { head, srcDirty: dirty !== '' };
  } catch {
    return { head: 'unknown', srcDirty: false };
  }
}

/** Sections named as arguments, else in BENCH_SECTIONS (or BENCH_ONLY), else all. */
function selectSections(): Section[] {
  const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const list = args.length ? args.join(',') : (process.env.BENCH_SECTIONS ?? process.env.BENCH_ONLY);
  if (!list) return SECTIONS;
  const names = new Set(
    list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const unknown = [...names].filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length) {
    console.error(`unknown bench section ${unknown.join(', ')}; the sections are ${SECTIONS.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  return SECTIONS.filter((s) => names.has(s.name));
}

async function measure(selected: Section[]): Promise<Results> {
  const started = Date.now();
  const git = gitState();
  const machine: Machine = {
    date: new Date().toISOString(),
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${process.platform} ${release()}`,
    node: process.version,
    loadAtStart: loadavg(),
    git,
  };
  const config: BenchConfig = {
    size: SIZE,
    runs: RUNS,
    chunkSize: CHUNK,
    parallelChunks: PARALLEL,
    renderRuns: RENDER_RUNS,
    sweepRounds: SWEEP_ROUNDS,
    quick,
    chromeArgs: BENCH_CHROME_ARGS,
  };
  const results: Results = { config, machine, loads: [], seconds: 0 };
  if (process.env.BENCH_SIDES) results.sides = process.env.BENCH_SIDES.split(',').map((s) => s.trim());

  const work = await mkdtemp(join(tmpdir(), 'itty-bench-'));
  let site: Promise<Site> | undefined;
  let browser: Promise<Browser> | undefined;
  let throughputPage: Promise<ThroughputPage> | undefined;
  const context: Context = {
    store: join(work, 'store'),
    site: () =>
      (site ??= startSite({ dir: join(work, 'store'), key: KEY }).then((s) => {
        log(
          `site and upload server at ${s.origin}; page scripts ${Object.entries(s.scriptBytes)
            .map(([k, v]) => `${k} ${fixed(v / 1000)} kB`)
            .join(', ')}`,
        );
        return s;
      })),
    browser: () =>
      (browser ??= (async () => {
        const executablePath = findChrome() as string | undefined;
        if (!executablePath) throw new Error('No Chromium found: run `node scripts/setup.mjs --browser` or set CHROME_PATH.');
        const launched = await chromium.launch({ executablePath, args: BENCH_CHROME_ARGS });
        machine.chromium = launched.version();
        log(`Chromium ${machine.chromium} (${executablePath})`);
        return launched;
      })()),
    throughputPage: () =>
      (throughputPage ??= (async () => {
        const sourcePath = join(work, 'source', FILE_NAME);
        await mkdir(join(work, 'source'), { recursive: true });
        const writing = performance.now();
        await writeSource(sourcePath, SIZE);
        log(`wrote the ${mib(SIZE)} source file in ${fixed((performance.now() - writing) / 1000, 1)} s`);
        const page = await freshPage(await context.browser(), (await context.site()).url('throughput'));
        await page.setInputFiles('#source', sourcePath);
        const meter = await mainThreadMeter(page);
        // The element's defaults, read from the page, so the record follows src.
        config.elementDefaults = await page.evaluate(() => window.throughputBench.defaults());
        return { page, meter };
      })()),
  };
  const cleanup = async () => {
    await (await browser?.catch(() => undefined))?.close().catch(() => {});
    await (await site?.catch(() => undefined))?.close().catch(() => {});
    await rm(work, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    log(
      `itty-uploader bench (${quick ? 'quick' : 'full'}): ${selected.map((s) => s.name).join(', ')}; file ${mib(SIZE)}, git ${git.head}${git.srcDirty ? ' + uncommitted src changes' : ''}`,
    );
    log(`machine: ${machine.cpu}, ${machine.memory}, ${machine.os}, Node ${machine.node}`);
    // The source file is written, and the page that uploads it opened, before any section runs (so writing 1 GiB
    // does not overlap a measurement).
    if (selected.some((s) => s.usesThroughputPage)) await context.throughputPage();
    for (const [i, s] of selected.entries()) {
      log(s.describe());
      await settle();
      results.loads.push({ at: new Date().toISOString(), section: s.name, load: loadavg() });
      results[s.name] = await s.measure(context);
      if (throughputPage && !selected.slice(i + 1).some((next) => next.usesThroughputPage)) {
        await (await throughputPage).page.close();
        throughputPage = undefined;
      }
    }
    results.loads.push({ at: new Date().toISOString(), section: 'end', load: loadavg() });
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  results.seconds = Math.round((Date.now() - started) / 1000);
  return results;
}

async function report(results: Results, { fromFile }: { fromFile: boolean }) {
  const { config, machine } = results;
  const rows: Row[] = REPORT_ORDER.flatMap((name) => {
    const s = SECTIONS.find((candidate) => candidate.name === name)!;
    return name in results ? s.rows(results[name], { config, results }) : [];
  });
  const cells = rows.map((row) => [row.section, row.measure, row.value, row.goal ?? '', row.met === undefined ? '' : verdict(row.met)]);
  const head = ['section', 'measure', 'median (range)', 'goal', ''];
  const loadLine = results.loads.map((l) => `${l.section} ${l.load.map((n) => n.toFixed(1)).join('/')}`).join(', ');
  const missed = rows.filter((row) => row.met === false);
  console.log('');
  console.log(table(head, cells));
  console.log('');
  console.log(`load average (1/5/15 min) at each section: ${loadLine}`);
  console.log(missed.length ? `goals missed: ${missed.map((row) => row.measure.trim()).join('; ')}` : 'all goals met');
  console.log(`took ${results.seconds} s`);
  results.table = rows;

  if (process.env.BENCH_NO_WRITE === '1') return;
  if (!fromFile) await writeFile(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
  const full = !config.quick && config.size === 1024 * MIB && !results.sides && SECTIONS.every((s) => s.name in results);
  if (!full) {
    console.log('wrote bench/results.json (bench/RESULTS.md keeps the last full run: every section, 1 GiB, not quick, all sides)');
    return;
  }
  const about =
    `Measured by \`npm run bench\` on ${machine.date.slice(0, 10)}: ${machine.cpu}, ${machine.memory} RAM, Node ${machine.node}, ` +
    `Chromium ${machine.chromium ?? '?'} headless (Playwright), git ${machine.git.head}${machine.git.srcDirty ? ' with uncommitted src changes' : ''}; ` +
    `the run took ${Math.ceil(results.seconds / 60)} min. ` +
    `A ${mib(config.size)} file on disk (given to the page with setInputFiles, never read into memory); ${config.runs} runs per throughput side and ` +
    `${config.renderRuns} per render measurement, sides alternating; load average (1/5/15 min) at each section: ${loadLine}. ` +
    'The machine was shared with other jobs, so absolute MB/s and ms swing between runs: the ratios, measured side by side, are what to compare.';
  const verdictLine = missed.length
    ? `Goals missed: ${missed.map((row) => row.measure.trim().replace(/<([a-z][a-z0-9-]*)>/g, '`<$1>`')).join('; ')}.`
    : 'All goals met.';
  const previous = await readFile(RESULTS_MD, 'utf8').catch(() => '');
  const older = readHistory(previous);
  const ones = results.loads.map((l) => l.load[0]!);
  const line: Record<string, string> = {
    [HISTORY_BASE[0]!]: machine.date.slice(0, 10),
    [HISTORY_BASE[1]!]: `${machine.git.head}${machine.git.srcDirty ? '+' : ''}`,
    [HISTORY_BASE[2]!]: machine.cpu,
    [HISTORY_BASE[3]!]: `${fixed(Math.min(...ones), 1)}–${fixed(Math.max(...ones), 1)}`,
    ...Object.fromEntries(rows.filter((row) => row.history).map((row) => [row.history!, historyValue(row.value)])),
  };
  // `--report` on the run that is already the history's newest line replaces that line instead of adding it again.
  const newest = older.lines[0];
  if (fromFile && newest?.date === line.date && newest.git === line.git) older.lines.shift();
  await writeFile(
    RESULTS_MD,
    resultsMarkdown({ about, table: markdownTable(head, cells), verdict: verdictLine, history: historyTable(line, older) }),
  );
  console.log(`wrote ${fromFile ? '' : 'bench/results.json and '}bench/RESULTS.md`);
}

if (process.argv.includes('--report')) {
  await report(JSON.parse(await readFile(RESULTS_JSON, 'utf8')) as Results, { fromFile: true });
} else {
  await report(await measure(selectSections()), { fromFile: false });
}
