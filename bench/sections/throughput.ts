// Throughput in the browser: raw XHR against <itty-uploader> uploading the same file on disk, single PUT and chunked,
// sides alternating. The same runs give the CPU each side costs and the element's JS heap growth.
import { CHUNK, MIB, PARALLEL, RUNS, SIZE, mbps, mib, log } from '../lib/config.js';
import { uploadOnce, type MainThread, type Measured, type Side } from '../lib/browser.js';
import { section, type Row } from '../lib/section.js';
import { fixed, range, summarize, type Summary } from '../lib/stats.js';

const GOALS = {
  /** Median of paired ratios <itty-uploader> single PUT / raw XHR single PUT. */
  singleRatio: 0.97,
  /** Median of paired ratios <itty-uploader> chunked / raw XHR single PUT. */
  chunkedRatio: 0.9,
  /** Worst JS heap growth of the element during a 1 GiB upload, single or chunked. */
  heapBytes: 8e6,
};
const SIDES = process.env.BENCH_SIDES ? new Set(process.env.BENCH_SIDES.split(',').map((s) => s.trim())) : undefined;
const SINGLES: Side[] = ['rawSingle', 'ittySingle', 'ittySingleHidden', 'ittySingleReducedMotion'];
const CHUNKED: Side[] = ['rawChunked', 'ittyChunked', 'ittyChunkedHidden'];

export interface ThroughputData {
  runs: Record<Side, Measured[]>;
  speed: Record<Side, Summary>;
  ratios: Record<
    | 'single'
    | 'singleHidden'
    | 'singleReducedMotion'
    | 'chunkedVsRawSingle'
    | 'chunkedVsRawChunked'
    | 'chunkedHiddenVsRawChunked'
    | 'rawChunkedVsRawSingle',
    Summary
  >;
  heap: Record<Side, Summary>;
  mainThreadPerGiB: Record<Side, Record<keyof MainThread, Summary>>;
}

export default section<ThroughputData>({
  name: 'throughput',
  usesThroughputPage: true,
  describe: () =>
    `throughput: ${mib(SIZE)}, ${RUNS} runs per side; chunked = ${mib(CHUNK)} × ${PARALLEL} in flight${SIDES ? `; only ${[...SIDES].join(', ')} (BENCH_SIDES)` : ''}`,
  async measure(context) {
    const { page, meter } = await context.throughputPage();
    const upload = (side: Side) => uploadOnce(page, meter, context.store, side, CHUNK, PARALLEL);
    // Warm-up, not counted: the first upload of a page pays for compiling code and opening connections.
    for (const side of ['ittyChunked', 'rawSingle'] as Side[]) await upload(side);
    const runs = Object.fromEntries([...SINGLES, ...CHUNKED].map((side) => [side, []])) as unknown as Record<Side, Measured[]>;
    for (let run = 0; run < RUNS; run += 1) {
      // The order within each group changes every run (rotation), so a drifting load favours no side.
      const rotate = (group: Side[]) => [...group.slice(run % group.length), ...group.slice(0, run % group.length)];
      for (const side of [...rotate(SINGLES), ...rotate(CHUNKED)].filter((side) => !SIDES || SIDES.has(side))) {
        const result = await upload(side);
        runs[side].push(result);
        log(
          `  ${side.padEnd(23)} ${fixed(mbps(SIZE, result.ms)).padStart(4)} MB/s  heap +${fixed(result.heap.growth / 1e6, 2)} MB  main thread ${fixed(result.mainThread.task)} ms, renderer+GPU ${fixed(result.mainThread.rendererGpu)} ms, network service ${fixed(result.mainThread.network)} ms CPU  ${result.progressEvents} progress events`,
        );
      }
    }
    const speed = (side: Side) => summarize(runs[side].map((r) => mbps(SIZE, r.ms)));
    // Ratios of runs taken side by side (run i of one side with run i of the other).
    const paired = (a: Side, b: Side) =>
      summarize(runs[a].map((r, i) => mbps(SIZE, r.ms) / (runs[b][i] ? mbps(SIZE, runs[b][i].ms) : Number.NaN)));
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
        sides.map((side) => [
          side,
          Object.fromEntries((['task', 'script', 'styleLayout', 'rendererGpu', 'network'] as const).map((key) => [key, perGiB(side, key)])),
        ]),
      ) as Record<Side, Record<keyof MainThread, Summary>>,
    };
  },
  rows(tp, { config }): Row[] {
    const chunkLabel = `${mib(config.chunkSize)} × ${config.parallelChunks}`;
    // A results.json from before a side existed (`--report`) shows a dash for it.
    const perGiB = (side: Side, key: keyof MainThread = 'task') =>
      tp.mainThreadPerGiB[side] ? range(tp.mainThreadPerGiB[side][key]) : '–';
    const heapMax = Math.max(tp.heap.ittySingle.max, tp.heap.ittyChunked.max);
    return [
      { section: 'throughput', measure: `raw XHR, single PUT (MB/s)`, value: range(tp.speed.rawSingle), history: 'raw XHR MB/s' },
      { section: 'throughput', measure: `<itty-uploader>, single PUT (MB/s)`, value: range(tp.speed.ittySingle) },
      {
        section: 'throughput',
        measure: `  ratio itty / raw, single (paired runs)`,
        value: range(tp.ratios.single, 3),
        goal: `≥ ${GOALS.singleRatio}`,
        met: tp.ratios.single.median >= GOALS.singleRatio,
        history: 'itty / raw, single',
      },
      { section: 'throughput', measure: `<itty-uploader> not displayed, single PUT (MB/s)`, value: range(tp.speed.ittySingleHidden) },
      { section: 'throughput', measure: `  ratio itty not displayed / raw, single`, value: range(tp.ratios.singleHidden, 3) },
      {
        section: 'throughput',
        measure: `<itty-uploader>, prefers-reduced-motion, single PUT (MB/s)`,
        value: range(tp.speed.ittySingleReducedMotion),
      },
      { section: 'throughput', measure: `  ratio itty reduced motion / raw, single`, value: range(tp.ratios.singleReducedMotion, 3) },
      { section: 'throughput', measure: `raw XHR, chunked ${chunkLabel} (MB/s)`, value: range(tp.speed.rawChunked) },
      { section: 'throughput', measure: `<itty-uploader>, chunked ${chunkLabel} (MB/s)`, value: range(tp.speed.ittyChunked) },
      {
        section: 'throughput',
        measure: `  ratio itty chunked / raw single PUT`,
        value: range(tp.ratios.chunkedVsRawSingle, 3),
        goal: `≥ ${GOALS.chunkedRatio}`,
        met: tp.ratios.chunkedVsRawSingle.median >= GOALS.chunkedRatio,
        history: 'itty chunked / raw single',
      },
      {
        section: 'throughput',
        measure: `  ratio itty chunked / raw chunked (same settings)`,
        value: range(tp.ratios.chunkedVsRawChunked, 3),
        history: 'itty chunked / raw chunked',
      },
      { section: 'throughput', measure: `  ratio raw chunked / raw single PUT`, value: range(tp.ratios.rawChunkedVsRawSingle, 3) },
      {
        section: 'throughput',
        measure: `<itty-uploader> not displayed, chunked ${chunkLabel} (MB/s)`,
        value: tp.speed.ittyChunkedHidden ? range(tp.speed.ittyChunkedHidden) : '–',
      },
      {
        section: 'throughput',
        measure: `  ratio itty chunked not displayed / raw chunked`,
        value: tp.ratios.chunkedHiddenVsRawChunked ? range(tp.ratios.chunkedHiddenVsRawChunked, 3) : '–',
      },
      {
        section: 'cpu',
        measure: `page main thread per GiB (ms), single: raw / itty / not displayed / reduced motion`,
        value: `${perGiB('rawSingle')} / ${perGiB('ittySingle')} / ${perGiB('ittySingleHidden')} / ${perGiB('ittySingleReducedMotion')}`,
      },
      {
        section: 'cpu',
        measure: `renderer + GPU processes per GiB (ms), single: raw / itty / not displayed / reduced motion`,
        value: `${perGiB('rawSingle', 'rendererGpu')} / ${perGiB('ittySingle', 'rendererGpu')} / ${perGiB('ittySingleHidden', 'rendererGpu')} / ${perGiB('ittySingleReducedMotion', 'rendererGpu')}`,
      },
      {
        section: 'cpu',
        measure: `network service per GiB (ms), single: raw / itty`,
        value: `${perGiB('rawSingle', 'network')} / ${perGiB('ittySingle', 'network')}`,
      },
      {
        section: 'cpu',
        measure: `page main thread per GiB (ms), chunked: raw / itty / not displayed`,
        value: `${perGiB('rawChunked')} / ${perGiB('ittyChunked')} / ${perGiB('ittyChunkedHidden')}`,
      },
      {
        section: 'cpu',
        measure: `renderer + GPU processes per GiB (ms), chunked: raw / itty / not displayed`,
        value: `${perGiB('rawChunked', 'rendererGpu')} / ${perGiB('ittyChunked', 'rendererGpu')} / ${perGiB('ittyChunkedHidden', 'rendererGpu')}`,
      },
      { section: 'memory', measure: 'JS heap growth, <itty-uploader> single (MB)', value: range(scale(tp.heap.ittySingle, 1e-6), 2) },
      { section: 'memory', measure: 'JS heap growth, <itty-uploader> chunked (MB)', value: range(scale(tp.heap.ittyChunked, 1e-6), 2) },
      {
        section: 'memory',
        measure: '  JS heap growth during a 1 GiB upload, worst of single and chunked',
        value: `${fixed(heapMax / 1e6, 2)} MB`,
        goal: `≤ ${GOALS.heapBytes / 1e6} MB`,
        met: heapMax <= GOALS.heapBytes,
        history: 'heap MB',
      },
      {
        section: 'memory',
        measure: 'JS heap growth, raw XHR single / chunked (MB)',
        value: `${range(scale(tp.heap.rawSingle, 1e-6), 2)} / ${range(scale(tp.heap.rawChunked, 1e-6), 2)}`,
      },
    ];
  },
});

function scale(s: Summary, factor: number): Summary {
  return { ...s, median: s.median * factor, min: s.min * factor, max: s.max * factor, values: s.values.map((v) => v * factor) };
}
