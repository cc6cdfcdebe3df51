// The browser side shared by sections: fresh pages, the CPU meter, and one timed upload of the source file.
import type { Browser, Page } from 'playwright';
import type { RunResult } from '../pages/throughput.js';
import { FILE_NAME, SIZE, log, sleep } from './config.js';
import { takeStored } from './files.js';
import { browserCpu, cpuDelta } from './process-cpu.js';

export async function freshPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => log('page error:', error.message));
  await page.goto(url);
  await page.waitForFunction(() => document.title.includes('(ready)'));
  return page;
}

/** Renderer main-thread time (CPU time of that thread, from CDP Performance metrics) spent while one upload ran. */
export interface MainThread {
  task: number;
  script: number;
  styleLayout: number;
  /** CPU ms of the browser's renderer and GPU processes (all their threads: compositing and raster too), Linux only. */
  rendererGpu: number;
  /** CPU ms of Chromium's network service (reads the file, sends the bytes), Linux only. */
  network: number;
}

export async function mainThreadMeter(page: Page) {
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
export type Meter = Awaited<ReturnType<typeof mainThreadMeter>>;

/** The ways the throughput page uploads the source file. */
export type Side =
  | 'rawSingle'
  | 'ittySingle'
  | 'ittySingleHidden'
  | 'ittySingleReducedMotion'
  | 'rawChunked'
  | 'ittyChunked'
  | 'ittyChunkedHidden';
export type Measured = RunResult & { mainThread: MainThread };

/**
 * One upload of the source file by `side`, after a forced GC and a 200 ms pause; checks the status, the bytes the page
 * reported and the size the server stored, then removes the stored file.
 */
export async function uploadOnce(page: Page, meter: Meter, store: string, side: Side, chunk: number, parallel: number): Promise<Measured> {
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
