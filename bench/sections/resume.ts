// `persist` (issue 18): a page reloaded at about half of a 1 GiB chunked upload, the same file chosen again: the bytes
// sent again (goal ≤ (parallel chunks + 1) × chunk size); and the JS heap's growth during a 4 GiB chunked upload with
// `persist` on (goal ≤ 8 MB). Both files are made on disk for the run (the 4 GiB one sparse) and removed after it.
import { mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { freshPage } from '../lib/browser.js';
import { CHUNK, MIB, PARALLEL, log, mib, quick, sleep } from '../lib/config.js';
import { writeSource } from '../lib/files.js';
import { section, type Row } from '../lib/section.js';
import { fixed } from '../lib/stats.js';

const RELOAD_SIZE = (quick ? 256 : 1024) * MIB;
const HEAP_SIZE = (quick ? 1024 : 4096) * MIB;
const HEAP_GOAL = 8 * 1e6;

export interface ResumeData {
  size: number;
  chunkSize: number;
  parallel: number;
  /** Bytes acknowledged when the page was reloaded. */
  reloadedAt: number;
  /** Bytes of ranges sent after the reload that had been sent before it. */
  sentAgain: number;
  sentAfter: number;
  heapSize: number;
  heapStart: number;
  heapMax: number;
  heapSeconds: number;
}

type Range = [number, number];
const covered = (ranges: Range[]) => {
  let total = 0;
  let until = -1;
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    if (b <= until) continue;
    total += b - Math.max(a, until + 1) + 1;
    until = b;
  }
  return total;
};

/** Creates `<itty-uploader persist>` in the throughput page and chooses the file on #source. */
async function upload(page: Page, key: string, path: string) {
  await page.setInputFiles('#source', path);
  await page.evaluate(
    async ([key, chunk, parallel]) => {
      document.querySelector('itty-uploader[persist]')?.remove();
      const el = document.createElement('itty-uploader');
      el.setAttribute('endpoint', '/upload-url');
      el.setAttribute('persist', key);
      el.setAttribute('chunk-size', String(chunk));
      el.setAttribute('parallel-chunks', String(parallel));
      document.body.append(el);
      // The resume chunk joins the element's queue on its first update; then the interrupted row of an earlier visit,
      // if there is one (read from IndexedDB). No named functions here: the page has no `__name` helper.
      for (let waited = 0; !Object.hasOwn(el, 'items') && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      for (let waited = 0; !el.items.length && waited < 1000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      el.addFiles((document.getElementById('source') as HTMLInputElement).files!);
    },
    [key, CHUNK, PARALLEL] as const,
  );
}

const state = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('itty-uploader[persist]') as (HTMLElement & { items: { status: string; loaded: number }[] }) | null;
    const item = el?.items[0];
    return { status: item?.status ?? 'none', loaded: item?.loaded ?? 0 };
  });

export default section<ResumeData>({
  name: 'resume',
  describe: () =>
    `resume: reload at half of a ${mib(RELOAD_SIZE)} chunked upload (chunks of ${mib(CHUNK)}, ${PARALLEL} at once), then the heap during a ${mib(HEAP_SIZE)} one`,
  async measure(context) {
    const site = await context.site();
    const browser = await context.browser();
    const dir = join(context.store, '..', 'resume-source');
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'resume.bin');
    await writeSource(path, RELOAD_SIZE);
    const page = await freshPage(browser, site.url('throughput'));
    const sent: Range[][] = [[]];
    page.on('request', (request) => {
      const range = /^bytes (\d+)-(\d+)\//.exec(request.headers()['content-range'] ?? '');
      if (request.method() === 'PUT' && range) sent.at(-1)!.push([Number(range[1]), Number(range[2])]);
    });
    const key = `bench-${Date.now()}`;
    try {
      await upload(page, key, path);
      let now = await state(page);
      while (now.loaded < RELOAD_SIZE / 2 && now.status !== 'done') {
        await sleep(50);
        now = await state(page);
      }
      const reloadedAt = now.loaded;
      log(`  reloading at ${mib(reloadedAt)} of ${mib(RELOAD_SIZE)}`);
      await page.reload();
      await page.waitForFunction(() => document.title.includes('(ready)'));
      sent.push([]);
      await upload(page, key, path);
      while ((await state(page)).status !== 'done') await sleep(100);
      const before = sent[0]!;
      const after = sent[1]!;
      const sentAgain = covered(before) + covered(after) - covered([...before, ...after]);
      const sentAfter = covered(after);
      sent.push([]);
      log(
        `  sent again after the reload: ${mib(sentAgain)} (${after.length} chunks, ${mib(sentAfter)}, after it; ${before.length} before)`,
      );
      await rm(join(context.store, 'resume.bin'), { force: true });

      // The heap: a sparse 4 GiB file, uploaded in chunks with persist on; the heap after a GC every second.
      await rm(path, { force: true });
      const big = join(dir, 'resume-4g.bin');
      await writeFile(big, '');
      await truncate(big, HEAP_SIZE);
      const cdp = await page.context().newCDPSession(page);
      const heap = async () => {
        await cdp.send('HeapProfiler.collectGarbage');
        return (await cdp.send('Runtime.getHeapUsage')).usedSize;
      };
      await page.reload();
      await page.waitForFunction(() => document.title.includes('(ready)'));
      const heapStart = await heap();
      const started = performance.now();
      await upload(page, `${key}-4g`, big);
      let heapMax = heapStart;
      while ((await state(page)).status !== 'done') {
        heapMax = Math.max(heapMax, await heap());
        await sleep(1000);
      }
      heapMax = Math.max(heapMax, await heap());
      const heapSeconds = (performance.now() - started) / 1000;
      log(`  heap ${fixed(heapStart / 1e6, 1)} MB → at most ${fixed(heapMax / 1e6, 1)} MB in ${fixed(heapSeconds)} s`);
      await rm(join(context.store, 'resume-4g.bin'), { force: true });
      return {
        size: RELOAD_SIZE,
        chunkSize: CHUNK,
        parallel: PARALLEL,
        reloadedAt,
        sentAgain,
        sentAfter,
        heapSize: HEAP_SIZE,
        heapStart,
        heapMax,
        heapSeconds,
      };
    } finally {
      await page.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
  rows(data): Row[] {
    const bound = (data.parallel + 1) * data.chunkSize;
    const growth = data.heapMax - data.heapStart;
    return [
      {
        section: 'resume',
        measure: `bytes sent again after a reload at ${mib(data.reloadedAt)} of a ${mib(data.size)} chunked upload (${mib(data.chunkSize)} chunks, ${data.parallel} at once)`,
        value: `${mib(data.sentAgain)} (${mib(data.sentAfter)} sent after the reload)`,
        goal: `≤ ${mib(bound)}`,
        met: data.sentAgain <= bound,
        history: 'resent MiB',
      },
      {
        section: 'resume',
        measure: `JS heap growth during a ${mib(data.heapSize)} chunked upload with persist (after GC, sampled every second)`,
        value: `${fixed(growth / 1e6, 2)} MB (${fixed(data.heapStart / 1e6, 1)} → ${fixed(data.heapMax / 1e6, 1)} MB, ${fixed(data.heapSeconds)} s)`,
        goal: `≤ ${HEAP_GOAL / 1e6} MB`,
        met: growth <= HEAP_GOAL,
      },
    ];
  },
});
