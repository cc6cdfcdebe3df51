// Issue 21: preparing images and previewing them, itty-uploader beside Uppy in the same run, a fresh page per run.
// - One 24 MP JPEG (made in the page) to 2048 px at 0.85, upright and with EXIF orientation 6: wall time, the longest
//   main-thread stall (a 4 ms heartbeat timer in the page), output dimensions, size and PSNR (against the browser's own
//   high-quality downscale), and the renderer processes' memory growth (RSS from /proc, sampled every 50 ms).
// - 50 twelve-megapixel photos added at once: until every preview is made, with the JS heap's and the renderers'
//   memory growth, <itty-uploader> against Uppy's Dashboard (@uppy/thumbnail-generator).
// - The resize for prepareImage's fallback roads too, in this Chromium with features hidden before the page's modules
//   run (bench/pages/media-hide.ts, `?hide=` on the page's and the worker script's URL): without ImageDecoder
//   (createImageBitmap with resize options in the worker), without ImageDecoder and OffscreenCanvas (the worker
//   decodes, the page draws and encodes), and without workers at all (the page does everything in small steps).
//   Each side its own fresh page, in turn.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright';
import { freshPage } from '../lib/browser.js';
import { log } from '../lib/config.js';
import { section, type Row } from '../lib/section.js';
import { fixed, range, summarize, type Summary } from '../lib/stats.js';

const RUNS = Number(process.env.BENCH_MEDIA_RUNS ?? 5);
type Lib = 'itty' | 'uppy';
type Orientation = 'upright' | 'rotated';

/** The resize sides: which library runs, and what the page and its worker are made to lack. */
const SIDES = {
  itty: { lib: 'itty', hide: '', label: 'itty' },
  uppy: { lib: 'uppy', hide: '', label: 'Uppy Compressor' },
  bitmap: { lib: 'itty', hide: 'ImageDecoder', label: 'itty without ImageDecoder (createImageBitmap, worker)' },
  split: { lib: 'itty', hide: 'ImageDecoder,OffscreenCanvas', label: 'itty without worker canvas (worker decodes, page encodes)' },
  page: { lib: 'itty', hide: 'ImageDecoder,OffscreenCanvas,Worker', label: 'itty without workers (page, small steps)' },
} as const satisfies Record<string, { lib: Lib; hide: string; label: string }>;
type Side = keyof typeof SIDES;
/** `BENCH_MEDIA_SIDES=itty,page` runs only those resize sides (and Uppy's: every ratio is against it). */
const RESIZE_SIDES: Side[] = (() => {
  const asked = process.env.BENCH_MEDIA_SIDES?.split(',').filter((name): name is Side => name in SIDES);
  return asked?.length ? [...new Set<Side>(['uppy', ...asked])] : (Object.keys(SIDES) as Side[]);
})();
/** `BENCH_MEDIA_THUMBNAILS=0` skips the 50 previews (the slowest part) when only the resize rows are wanted. */
const THUMBNAILS = process.env.BENCH_MEDIA_THUMBNAILS !== '0';

interface ResizeRun {
  ms: number;
  stall: number;
  bytes: number;
  sourceBytes: number;
  width: number;
  height: number;
  psnr: number;
  decoder?: string;
  rssGrowth: number;
}
interface ThumbRun {
  ms: number;
  stall: number;
  shown: number;
  heapGrowth: number;
  sourceBytes: number;
  rssGrowth: number;
}

export type MediaData = {
  resize: Record<string, { runs: ResizeRun[]; ms: Summary; stall: Summary; rss: Summary }>;
  thumbnails: Record<string, { runs: ThumbRun[]; ms: Summary; heap: Summary; rss: Summary }>;
  /** The resize sides that ran (results before 2026-12-08 have only itty and Uppy). */
  sides?: string[];
};

/** The resident memory of every renderer process (bytes), from /proc: Linux only, 0 elsewhere. */
async function rendererRss(browser: Browser): Promise<number> {
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo' as never)) as { processInfo: { type: string; id: number }[] };
    await cdp.detach();
    let total = 0;
    for (const { type, id } of processInfo) {
      if (type !== 'renderer') continue;
      const status = await readFile(`/proc/${id}/status`, 'utf8').catch(() => '');
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    }
    return total;
  } catch {
    return 0;
  }
}

/** Runs `work` while sampling the renderers' memory; returns its result and the peak growth over the start. */
async function withMemory<T>(browser: Browser, work: () => Promise<T>): Promise<T & { rssGrowth: number }> {
  const before = await rendererRss(browser);
  let peak = before;
  let on = true;
  const sampling = (async () => {
    while (on) {
      peak = Math.max(peak, await rendererRss(browser));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    const result = await work();
    return { ...result, rssGrowth: peak - before };
  } finally {
    on = false;
    await sampling;
  }
}

const mb = (bytes: number) => `${fixed(bytes / 1e6, 1)} MB`;

export default section<MediaData>({
  name: 'media',
  describe: () =>
    `media: 24 MP JPEG → 2048 px (upright, EXIF 6; ${RESIZE_SIDES.join(', ')})` +
    `${THUMBNAILS ? ' and 50 × 12 MP previews' : ''}, ${RUNS} runs each, sides in turn`,
  async measure(context) {
    const browser = await context.browser();
    const site = await context.site();
    const data: MediaData = { resize: {}, thumbnails: {}, sides: RESIZE_SIDES };
    const inPage = async <T>(fn: (page: Page) => Promise<T>, hide = '') => {
      const page = await freshPage(browser, site.url('media') + (hide ? `?hide=${hide}` : ''));
      try {
        return await fn(page);
      } finally {
        await page.close();
      }
    };
    for (const orientation of ['upright', 'rotated'] as Orientation[]) {
      const runs = Object.fromEntries(RESIZE_SIDES.map((side) => [side, [] as ResizeRun[]])) as Record<Side, ResizeRun[]>;
      for (let run = 0; run < RUNS; run++) {
        // Each run starts with the next side, so a drifting load favours none.
        const order = RESIZE_SIDES.map((_, i) => RESIZE_SIDES[(i + run) % RESIZE_SIDES.length]!);
        for (const side of order) {
          const { lib, hide } = SIDES[side];
          const result = await inPage(async (page) => {
            // The photo is made (and the side warmed up: codecs, the worker module) before memory is sampled.
            await page.evaluate(([l, o]) => window.mediaBench.warm(l, o), [lib, orientation] as const);
            return withMemory(browser, () => page.evaluate(([l, o]) => window.mediaBench.resize(l, o), [lib, orientation] as const));
          }, hide);
          runs[side].push(result);
          log(
            `  ${side} ${orientation}: ${fixed(result.ms)} ms, stall ${fixed(result.stall)} ms, ${result.width}×${result.height}, ` +
              `${mb(result.bytes)}, PSNR ${fixed(result.psnr, 2)} dB, renderer +${mb(result.rssGrowth)} (${result.decoder})`,
          );
        }
      }
      for (const side of RESIZE_SIDES) {
        const list = runs[side];
        data.resize[`${side}-${orientation}`] = {
          runs: list,
          ms: summarize(list.map((r) => r.ms)),
          stall: summarize(list.map((r) => r.stall)),
          rss: summarize(list.map((r) => r.rssGrowth)),
        };
      }
    }
    if (!THUMBNAILS) return data;
    const thumbs: Record<Lib, ThumbRun[]> = { itty: [], uppy: [] };
    for (let run = 0; run < Math.max(1, Math.min(3, RUNS - 1)); run++) {
      for (const lib of (run % 2 ? ['uppy', 'itty'] : ['itty', 'uppy']) as Lib[]) {
        const result = await inPage((page) => withMemory(browser, () => page.evaluate((l) => window.mediaBench.thumbnails(l), lib)));
        thumbs[lib].push(result);
        log(
          `  ${lib} 50 × 12 MP previews: ${fixed(result.ms)} ms (${result.shown} shown), stall ${fixed(result.stall)} ms, ` +
            `JS heap +${mb(result.heapGrowth)}, renderer +${mb(result.rssGrowth)}`,
        );
      }
    }
    for (const lib of ['itty', 'uppy'] as Lib[]) {
      const list = thumbs[lib];
      data.thumbnails[lib] = {
        runs: list,
        ms: summarize(list.map((r) => r.ms)),
        heap: summarize(list.map((r) => r.heapGrowth)),
        rss: summarize(list.map((r) => r.rssGrowth)),
      };
    }
    return data;
  },
  rows(data): Row[] {
    const rows: Row[] = [];
    const first = (s: { runs: ResizeRun[] }) => s.runs[0]!;
    /** Output dimensions, bytes and PSNR of one side next to Uppy's (the same source, the same target). */
    const output = (side: { runs: ResizeRun[] }, uppy: { runs: ResizeRun[] }, measure: string): Row => {
      const a = first(side);
      const b = first(uppy);
      return {
        section: 'media',
        measure,
        value: `${a.width}×${a.height}, ${mb(a.bytes)}, ${fixed(a.psnr, 2)} dB (${b.width}×${b.height}, ${mb(b.bytes)}, ${fixed(b.psnr, 2)} dB)`,
        goal: 'same size, bytes ±10 %, PSNR ±0.5 dB',
        met: a.width === b.width && a.height === b.height && Math.abs(a.bytes / b.bytes - 1) <= 0.1 && Math.abs(a.psnr - b.psnr) <= 0.5,
      };
    };
    for (const orientation of ['upright', 'rotated'] as Orientation[]) {
      const itty = data.resize[`itty-${orientation}`];
      const uppy = data.resize[`uppy-${orientation}`]!;
      const label = orientation === 'upright' ? '24 MP upright' : '24 MP EXIF 6';
      if (itty) {
        const ratio = itty.ms.median / uppy.ms.median;
        const goal = orientation === 'upright' ? 1 : 0.5;
        rows.push(
          {
            section: 'media',
            measure: `${label} → 2048 px, itty / Uppy Compressor wall time`,
            value: `${fixed(ratio, 2)}× (${range(itty.ms)} ms vs ${range(uppy.ms)} ms)`,
            goal: `≤ ${goal}×`,
            met: ratio <= goal,
            history: `${label} ratio`,
          },
          {
            section: 'media',
            measure: '  longest main-thread stall, itty (Uppy)',
            value: `${range(itty.stall)} ms (${range(uppy.stall)} ms)`,
            goal: '≤ 50 ms',
            met: itty.stall.max <= 50,
          },
          output(itty, uppy, '  output itty (Uppy): size, bytes, PSNR'),
          {
            section: 'media',
            measure: '  renderer memory growth, itty (Uppy)',
            value: `${mb(itty.rss.median)} (${mb(uppy.rss.median)})`,
            goal: '≤ 150 MB',
            met: itty.rss.median <= 150e6,
          },
        );
      }
      // The fallback roads. Issue 21's "≤ 1.6× on the fallback" is for the road it names: no ImageDecoder,
      // createImageBitmap and OffscreenCanvas in a worker, upright (no ratio on the EXIF 6 photo). The roads past it,
      // a worker without a canvas and no worker at all, are held to the stall and memory goals, and their ratios shown.
      for (const side of ['bitmap', 'split', 'page'] as const) {
        const fallback = data.resize[`${side}-${orientation}`];
        if (!fallback) continue;
        const ratio = fallback.ms.median / uppy.ms.median;
        rows.push(
          {
            section: 'media',
            measure: `${label} → 2048 px, ${SIDES[side].label} / Uppy`,
            value: `${fixed(ratio, 2)}× (${range(fallback.ms)} ms vs ${range(uppy.ms)} ms)`,
            ...(orientation === 'upright' && side === 'bitmap' ? { goal: '≤ 1.6×', met: ratio <= 1.6 } : {}),
          },
          {
            section: 'media',
            measure: '  longest main-thread stall (Uppy)',
            value: `${range(fallback.stall)} ms (${range(uppy.stall)} ms)`,
            goal: '≤ 50 ms',
            met: fallback.stall.max <= 50,
          },
          output(fallback, uppy, '  output (Uppy): size, bytes, PSNR'),
          {
            section: 'media',
            measure: '  renderer memory growth (Uppy)',
            value: `${mb(fallback.rss.median)} (${mb(uppy.rss.median)})`,
            goal: '≤ 150 MB',
            met: fallback.rss.median <= 150e6,
          },
        );
      }
    }
    const itty = data.thumbnails['itty'];
    const uppy = data.thumbnails['uppy'];
    if (!itty || !uppy) return rows;
    rows.push(
      {
        section: 'media',
        measure: '50 × 12 MP previews made, itty (Uppy Dashboard)',
        value: `${range(itty.ms)} ms (${range(uppy.ms)} ms)`,
        history: '50 previews ms',
      },
      {
        section: 'media',
        measure: '  JS heap growth, itty (Uppy)',
        value: `${mb(itty.heap.median)} (${mb(uppy.heap.median)})`,
      },
      {
        section: 'media',
        measure: '  renderer memory growth, itty (Uppy)',
        value: `${mb(itty.rss.median)} (${mb(uppy.rss.median)})`,
      },
    );
    return rows;
  },
});
