// Issue 21: preparing images and previewing them, itty-uploader beside Uppy in the same run, a fresh page per run.
// - One 24 MP JPEG (made in the page) to 2048 px at 0.85, upright and with EXIF orientation 6: wall time, the longest
//   main-thread stall (a heartbeat loop in the page), output dimensions, size and PSNR (against the browser's own
//   high-quality downscale), and the renderer processes' memory growth (RSS from /proc, sampled every 50 ms).
// - 50 twelve-megapixel photos added at once: until every preview is made, with the JS heap's and the renderers'
//   memory growth, <itty-uploader> against Uppy's Dashboard (@uppy/thumbnail-generator).
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright';
import { freshPage } from '../lib/browser.js';
import { log } from '../lib/config.js';
import { section, type Row } from '../lib/section.js';
import { fixed, range, summarize, type Summary } from '../lib/stats.js';

const RUNS = Number(process.env.BENCH_MEDIA_RUNS ?? 3);
type Lib = 'itty' | 'uppy';
type Orientation = 'upright' | 'rotated';

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
  describe: () => `media: 24 MP JPEG → 2048 px (upright, EXIF 6) and 50 × 12 MP previews, ${RUNS} runs each, itty / Uppy alternating`,
  async measure(context) {
    const browser = await context.browser();
    const site = await context.site();
    const data: MediaData = { resize: {}, thumbnails: {} };
    const inPage = async <T>(fn: (page: Page) => Promise<T>) => {
      const page = await freshPage(browser, site.url('media'));
      try {
        return await fn(page);
      } finally {
        await page.close();
      }
    };
    for (const orientation of ['upright', 'rotated'] as Orientation[]) {
      const runs: Record<Lib, ResizeRun[]> = { itty: [], uppy: [] };
      for (let run = 0; run < RUNS; run++) {
        for (const lib of (run % 2 ? ['uppy', 'itty'] : ['itty', 'uppy']) as Lib[]) {
          const result = await inPage(async (page) => {
            // The photo is made (and the side warmed up) before memory is sampled.
            await page.evaluate(([l, o]) => window.mediaBench.warm(l, o), [lib, orientation] as const);
            return withMemory(browser, () => page.evaluate(([l, o]) => window.mediaBench.resize(l, o), [lib, orientation] as const));
          });
          runs[lib].push(result);
          log(
            `  ${lib} ${orientation}: ${fixed(result.ms)} ms, stall ${fixed(result.stall)} ms, ${result.width}×${result.height}, ` +
              `${mb(result.bytes)}, PSNR ${fixed(result.psnr, 2)} dB, renderer +${mb(result.rssGrowth)} (${result.decoder})`,
          );
        }
      }
      for (const lib of ['itty', 'uppy'] as Lib[]) {
        const list = runs[lib];
        data.resize[`${lib}-${orientation}`] = {
          runs: list,
          ms: summarize(list.map((r) => r.ms)),
          stall: summarize(list.map((r) => r.stall)),
          rss: summarize(list.map((r) => r.rssGrowth)),
        };
      }
    }
    const thumbs: Record<Lib, ThumbRun[]> = { itty: [], uppy: [] };
    for (let run = 0; run < Math.max(1, RUNS - 1); run++) {
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
    for (const orientation of ['upright', 'rotated'] as Orientation[]) {
      const itty = data.resize[`itty-${orientation}`]!;
      const uppy = data.resize[`uppy-${orientation}`]!;
      const ratio = itty.ms.median / uppy.ms.median;
      const goal = orientation === 'upright' ? 1 : 0.5;
      const first = (s: typeof itty) => s.runs[0]!;
      const sizeRatio = first(itty).bytes / first(uppy).bytes;
      const psnrGap = first(itty).psnr - first(uppy).psnr;
      const label = orientation === 'upright' ? '24 MP upright' : '24 MP EXIF 6';
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
          measure: `  longest main-thread stall, itty (Uppy)`,
          value: `${range(itty.stall)} ms (${range(uppy.stall)} ms)`,
          goal: '≤ 50 ms',
          met: itty.stall.max <= 50,
        },
        {
          section: 'media',
          measure: `  output itty (Uppy): size, bytes, PSNR`,
          value:
            `${first(itty).width}×${first(itty).height}, ${mb(first(itty).bytes)}, ${fixed(first(itty).psnr, 2)} dB ` +
            `(${first(uppy).width}×${first(uppy).height}, ${mb(first(uppy).bytes)}, ${fixed(first(uppy).psnr, 2)} dB)`,
          goal: 'same size, bytes ±10 %, PSNR ±0.5 dB',
          met:
            first(itty).width === first(uppy).width &&
            first(itty).height === first(uppy).height &&
            Math.abs(sizeRatio - 1) <= 0.1 &&
            Math.abs(psnrGap) <= 0.5,
        },
        {
          section: 'media',
          measure: `  renderer memory growth, itty (Uppy)`,
          value: `${mb(itty.rss.median)} (${mb(uppy.rss.median)})`,
          goal: '≤ 150 MB',
          met: itty.rss.median <= 150e6,
        },
      );
    }
    const itty = data.thumbnails['itty']!;
    const uppy = data.thumbnails['uppy']!;
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
