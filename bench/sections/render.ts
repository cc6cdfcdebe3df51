// Paint of a long list: 1,000 and 5,000 files added at once, until the first frame that shows them is painted,
// <itty-uploader> against Uppy's Dashboard, a fresh page per run, sides alternating.
import { RENDER_RUNS, log } from '../lib/config.js';
import { freshPage } from '../lib/browser.js';
import { section, type Row } from '../lib/section.js';
import { fixed, range, summarize, type Summary } from '../lib/stats.js';

/** Files added at once → the most ms until <itty-uploader> has painted them (median of the runs). */
const GOALS: Record<number, number> = { 1000: 60, 5000: 300 };
/** The windowed list with `sortable` on (move handles on every rendered row): this many files, the same goal. */
const SORTABLE = 5000;
const COUNTS = [1000, 5000];
type Lib = 'itty' | 'uppy';

export type RenderData = Record<
  string,
  { runs: Record<string, unknown>[]; painted: Summary; untilFrame: Summary; styleLayoutPaint: Summary }
>;

export default section<RenderData>({
  name: 'render',
  describe: () => `render: 1,000 and 5,000 files added at once, ${RENDER_RUNS} runs each, a fresh page per run, alternating itty / Uppy`,
  async measure(context) {
    const browser = await context.browser();
    const site = await context.site();
    const out: RenderData = {};
    for (const n of COUNTS) {
      const collected: Record<Lib, Record<string, number | string>[]> & { sortable?: Record<string, number | string>[] } = {
        itty: [],
        uppy: [],
      };
      for (let run = 0; run < RENDER_RUNS; run += 1) {
        for (const lib of (run % 2 ? ['uppy', 'itty'] : ['itty', 'uppy']) as Lib[]) {
          const page = await freshPage(browser, site.url(`render-${lib}`));
          try {
            const result: { ms: number; rows: number } & Record<string, number | string> = await page.evaluate(
              ([lib, n]) =>
                (lib === 'itty' ? window.ittyRender.render(n) : window.uppyRender.render(n)) as Promise<
                  { ms: number; rows: number } & Record<string, number | string>
                >,
              [lib, n] as const,
            );
            collected[lib].push(result);
            log(`  ${lib} ${n}: painted after ${fixed(result.ms)} ms (${result.rows} rows in the DOM)`);
          } finally {
            await page.close();
          }
        }
        if (n === SORTABLE) {
          const page = await freshPage(browser, site.url('render-itty'));
          try {
            const result: { ms: number; rows: number } & Record<string, number | string> = await page.evaluate(
              (n) => window.ittyRender.render(n, true) as Promise<{ ms: number; rows: number } & Record<string, number | string>>,
              n,
            );
            (collected.sortable ??= []).push(result);
            log(`  itty sortable ${n}: painted after ${fixed(result.ms)} ms (${result.rows} rows in the DOM)`);
          } finally {
            await page.close();
          }
        }
      }
      for (const lib of ['itty', 'uppy', ...(collected.sortable ? ['sortable'] : [])] as (Lib | 'sortable')[]) {
        const runs = collected[lib]!;
        out[`${lib}-${n}`] = {
          runs,
          painted: summarize(runs.map((r) => Number(r.ms))),
          untilFrame: summarize(runs.map((r) => Number(r.untilFrame))),
          styleLayoutPaint: summarize(runs.map((r) => Number(r.styleLayoutPaint))),
        };
      }
    }
    return out;
  },
  rows(render): Row[] {
    return COUNTS.flatMap((n): Row[] => {
      const itty = render[`itty-${n}`]!;
      const uppy = render[`uppy-${n}`]!;
      const limit = GOALS[n]!;
      const count = n.toLocaleString('en-US');
      const rowsInDom = (runs: Record<string, unknown>[]) => runs[0]?.rows ?? '?';
      return [
        {
          section: 'render',
          measure: `${count} files → painted, <itty-uploader> (ms)`,
          value: `${range(itty.painted)} [${rowsInDom(itty.runs)} rows in DOM]`,
          goal: `≤ ${limit} ms`,
          met: itty.painted.median <= limit,
          history: `${count} painted ms`,
        },
        { section: 'render', measure: `  of which the painting frame's style+layout+paint (ms)`, value: range(itty.styleLayoutPaint) },
        {
          section: 'render',
          measure: `${count} files → painted, Uppy Dashboard (ms)`,
          value: `${range(uppy.painted)} [${rowsInDom(uppy.runs)} rows in DOM]`,
        },
        {
          section: 'render',
          measure: `  ratio itty / Uppy`,
          value: `${fixed(itty.painted.median / uppy.painted.median, 2)}×`,
          history: `${count} itty / Uppy`,
        },
        ...(render[`sortable-${n}`]
          ? [
              {
                section: 'render',
                measure: `${count} files → painted, <itty-uploader sortable> (ms)`,
                value: `${range(render[`sortable-${n}`]!.painted)} [${rowsInDom(render[`sortable-${n}`]!.runs)} rows in DOM]`,
                goal: `≤ ${limit} ms`,
                met: render[`sortable-${n}`]!.painted.median <= limit,
                history: `${count} sortable painted ms`,
              },
            ]
          : []),
      ];
    });
  },
});
