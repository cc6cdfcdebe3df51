// Renders per frame under a storm of progress events (as WebKitGTK reports them): <itty-uploader> alone, with
// 1,000 more files queued in its list, and Uppy's Dashboard, a fresh page per run.
import { log, quick } from '../lib/config.js';
import { freshPage } from '../lib/browser.js';
import { section, type Row } from '../lib/section.js';
import { fixed, range, summarize } from '../lib/stats.js';

/** The most renders of the element in one frame in which no item's status changed. */
const RENDERS_PER_FRAME_GOAL = 1;
const PROGRESS_RUNS = quick ? 2 : 3;
const FILES = 3;
const SIZE_MIB = 16;
const LISTED = 1000;
// With a long list every render is slow, so that variant sends fewer events (it measures the cost of a render, not the rate).
const LISTED_SIZE_MIB = 2;

type Variant = 'itty' | 'uppy' | 'itty-listed';
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
export interface ProgressData {
  files: number;
  sizeMiB: number;
  listed: number;
  listedSizeMiB: number;
  runs: Record<Variant, ProgressResult[]>;
}

export default section<ProgressData>({
  name: 'progress',
  describe: () =>
    `progress: ${FILES} files × ${SIZE_MIB} MiB at once, one progress event per 8 KiB (${(FILES * SIZE_MIB * 128).toLocaleString('en-US')} events), ${PROGRESS_RUNS} runs each; itty also with ${LISTED.toLocaleString('en-US')} more files queued in the list (${FILES} × ${LISTED_SIZE_MIB} MiB uploading)`,
  async measure(context) {
    const browser = await context.browser();
    const site = await context.site();
    const collected: Record<Variant, ProgressResult[]> = { itty: [], uppy: [], 'itty-listed': [] };
    for (let run = 0; run < PROGRESS_RUNS; run += 1) {
      const variants: Variant[] = run % 2 ? ['itty-listed', 'uppy', 'itty'] : ['itty', 'uppy', 'itty-listed'];
      for (const variant of variants) {
        const page = await freshPage(browser, site.url(variant === 'uppy' ? 'render-uppy' : 'render-itty'));
        try {
          const result: ProgressResult = await page.evaluate(
            ([variant, files, size, listed]) =>
              (variant === 'uppy'
                ? window.uppyRender.progress(files, size)
                : window.ittyRender.progress(files, size, variant === 'itty-listed' ? listed : 0)) as Promise<ProgressResult>,
            [variant, FILES, variant === 'itty-listed' ? LISTED_SIZE_MIB : SIZE_MIB, LISTED] as const,
          );
          if (result.succeeded !== FILES) throw new Error(`${variant} progress: ${result.succeeded} of ${FILES} uploads succeeded`);
          collected[variant].push(result);
          log(
            `  ${variant}: ${result.renders} renders in ${result.frames} frames, at most ${result.maxRendersPerFrame} per frame (${result.maxRendersPerFrameNoStatusChange} without a status change), ${result.transportEvents} transport events, ${fixed(result.ms)} ms${result.renderMs ? `, a render takes ${fixed(result.renderMs.median, 1)} ms (max ${fixed(result.renderMs.max, 1)})` : ''}`,
          );
        } finally {
          await page.close();
        }
      }
    }
    return { files: FILES, sizeMiB: SIZE_MIB, listed: LISTED, listedSizeMiB: LISTED_SIZE_MIB, runs: collected };
  },
  rows(progress): Row[] {
    const rows: Row[] = [];
    for (const variant of ['itty', 'itty-listed', 'uppy'] as const) {
      const runs = progress.runs[variant];
      if (!runs.length) continue;
      const worst = Math.max(...runs.map((r) => r.maxRendersPerFrameNoStatusChange));
      const worstAll = Math.max(...runs.map((r) => r.maxRendersPerFrame));
      const renders = summarize(runs.map((r) => r.renders));
      const frames = summarize(runs.map((r) => r.frames));
      const name =
        variant === 'uppy'
          ? 'Uppy Dashboard'
          : variant === 'itty'
            ? '<itty-uploader>'
            : `<itty-uploader> + ${progress.listed.toLocaleString('en-US')} queued`;
      rows.push({
        section: 'progress',
        measure: `${name}: most renders in one frame without a status change (any frame)`,
        value: `${worst} (${worstAll}); ${range(renders)} renders in ${range(frames)} frames, ${runs[0]?.transportEvents} events`,
        ...(variant === 'uppy' ? {} : { goal: `≤ ${RENDERS_PER_FRAME_GOAL}`, met: worst <= RENDERS_PER_FRAME_GOAL }),
        ...(variant === 'itty' ? { history: 'renders / frame' } : {}),
      });
      if (variant !== 'uppy') {
        const perItem = Math.max(...runs.map((r) => r.maxProgressEventsPerItemPerFrame));
        rows.push({
          section: 'progress',
          measure: `${name}: most itty-upload-progress events per item in one frame`,
          value: String(perItem),
          goal: '≤ 1',
          met: perItem <= 1,
        });
        const renderMs = summarize(runs.map((r) => r.renderMs?.median ?? Number.NaN));
        rows.push({
          section: 'progress',
          measure: `${name}: one render (Lit update, ms; median per run, worst)`,
          value: `${range(renderMs, 1)}; ${fixed(Math.max(...runs.map((r) => r.renderMs?.max ?? 0)), 1)}`,
          ...(variant === 'itty-listed' ? { history: 'render ms, 1,000 queued' } : {}),
        });
      }
    }
    return rows;
  },
});
