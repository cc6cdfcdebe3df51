// The chunk-size sweep: raw XHR chunked at each chunk size × parallelism, each compared with raw single PUTs run
// just before and after it. It chose the chunked settings the throughput section gives both sides (config.ts CHUNK).
import { MIB, SIZE, log, mbps, quick } from '../lib/config.js';
import { uploadOnce } from '../lib/browser.js';
import { section, type Row } from '../lib/section.js';
import { fixed, range, summarize, type Summary } from '../lib/stats.js';

const SWEEP_CHUNKS = [16, 32, 64].map((n) => n * MIB);
const SWEEP_PARALLEL = [2, 3, 4];
export const SWEEP_ROUNDS = Number(process.env.BENCH_SWEEP_ROUNDS ?? (quick ? 1 : 2));

export interface SweepData {
  /** The raw single PUTs around the settings. */
  single: Summary;
  configs: { key: string; chunk: number; parallel: number; speed: Summary; ratio: Summary }[];
  /** The setting with the best median ratio to its adjacent single PUTs. */
  best: string;
}

const CONFIGS = SWEEP_CHUNKS.flatMap((chunk) => SWEEP_PARALLEL.map((parallel) => ({ chunk, parallel })));
const keyOf = (config: { chunk: number; parallel: number }) => `${config.chunk / MIB} MiB × ${config.parallel}`;

export default section<SweepData>({
  name: 'sweep',
  usesThroughputPage: true,
  describe: () =>
    `sweep: raw XHR chunked, ${CONFIGS.length} settings × ${SWEEP_ROUNDS} rounds, a raw single PUT before and after every 3 settings`,
  /**
   * A raw single PUT comes before and after every three settings, and each setting is compared with the mean of the
   * two single PUTs around it.
   */
  async measure(context) {
    const { page, meter } = await context.throughputPage();
    const single: number[] = [];
    const speeds = new Map<string, number[]>();
    const ratios = new Map<string, number[]>();
    const runSingle = async () => {
      const speed = mbps(SIZE, (await uploadOnce(page, meter, context.store, 'rawSingle', 0, 0)).ms);
      single.push(speed);
      log(`  single PUT         ${fixed(speed).padStart(4)} MB/s`);
      return speed;
    };
    for (let round = 0; round < SWEEP_ROUNDS; round += 1) {
      // Rotates the order each round, so no setting always sits at the same place.
      const shift = (round * 4) % CONFIGS.length;
      const order = [...CONFIGS.slice(shift), ...CONFIGS.slice(0, shift)];
      let before = await runSingle();
      for (let i = 0; i < order.length; i += 3) {
        const group = order.slice(i, i + 3).map((config) => ({ config, speed: 0 }));
        for (const entry of group) {
          entry.speed = mbps(
            SIZE,
            (await uploadOnce(page, meter, context.store, 'rawChunked', entry.config.chunk, entry.config.parallel)).ms,
          );
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
    const configs = CONFIGS.map((config) => {
      const key = keyOf(config);
      return {
        key,
        chunk: config.chunk,
        parallel: config.parallel,
        speed: summarize(speeds.get(key) ?? []),
        ratio: summarize(ratios.get(key) ?? []),
      };
    });
    const best = [...configs].sort((a, b) => b.ratio.median - a.ratio.median)[0]!;
    return { single: summarize(single), configs, best: best.key };
  },
  rows(sweep): Row[] {
    return [
      ...sweep.configs.map((config) => ({
        section: 'sweep',
        measure: `raw XHR chunked ${config.key} (MB/s; / adjacent single PUTs)`,
        value: `${range(config.speed)}; ${range(config.ratio, 2)}${config.key === sweep.best ? '  ← fastest' : ''}`,
      })),
      { section: 'sweep', measure: 'raw XHR single PUT in the sweep rounds (MB/s)', value: range(sweep.single) },
    ];
  },
});
