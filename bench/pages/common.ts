// Helpers shared by the benchmark pages.

// `gc()` is there with `--js-flags=--expose-gc` (typed as a global by @types/node).

interface MemoryInfo {
  usedJSHeapSize: number;
}

const memory = () => (performance as Performance & { memory?: MemoryInfo }).memory;

export interface HeapReport {
  /** Used JS heap right after a forced GC, before the measured work. */
  base: number;
  /** Highest used JS heap seen while the work ran. */
  peak: number;
  growth: number;
  samples: number;
}

/**
 * Samples the used JS heap (Chromium's `performance.memory`, precise with `--enable-precise-memory-info`)
 * every `every` ms from a forced GC until `stop()`. Returns undefined numbers where the API is missing.
 */
export function heapSampler(every = 20) {
  globalThis.gc?.();
  const info = memory();
  const base = info?.usedJSHeapSize ?? 0;
  let peak = base;
  let samples = 0;
  const sample = () => {
    samples += 1;
    peak = Math.max(peak, memory()?.usedJSHeapSize ?? 0);
  };
  const timer = setInterval(sample, every);
  return {
    stop(): HeapReport {
      clearInterval(timer);
      sample();
      return { base, peak, growth: peak - base, samples };
    },
  };
}

/**
 * Resolves once the page has been idle twice (requestIdleCallback). Files made with `new File()` are registered
 * with the browser in tasks that run after the constructor returned: a measurement that starts right after
 * making 1,000 of them would time that work too, which files picked by a user have done long before.
 */
export async function whenIdle(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 }));
}

/** Resolves once the frame after the current one has started (rAF, then a task after that frame). */
export function afterFrame(): Promise<number> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(0);
    });
  });
}

/**
 * Waits until a frame whose rendering began with `ready()` true has been painted, and returns the time then.
 * `ready()` is checked in the frame's rAF callback, after the app's scripts and before style, layout and paint;
 * a message posted from there is handled right after that frame's rendering task, so the time includes paint.
 */
export function paintedWhen(ready: () => boolean): Promise<{ at: number; frameStart: number; frames: number }> {
  let frames = 0;
  return new Promise((resolve) => {
    const tick = () =>
      requestAnimationFrame(() => {
        frames += 1;
        const frameStart = performance.now();
        const ok = ready();
        const channel = new MessageChannel();
        channel.port1.onmessage = () => (ok ? resolve({ at: performance.now(), frameStart, frames }) : tick());
        channel.port2.postMessage(0);
      });
    tick();
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks the upload server's signing endpoint for a signed PUT URL, as the element does. */
export async function sign(source: File): Promise<string> {
  const response = await fetch('/upload-url', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ filename: source.name, type: source.type || 'application/octet-stream', size: source.size }),
  });
  if (!response.ok) throw new Error(`sign: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { url: string };
  return body.url;
}

/** `n` small distinct text files. */
export function makeFiles(n: number, prefix = 'file'): File[] {
  const now = Date.now();
  return Array.from(
    { length: n },
    (_, i) => new File([`file ${i}\n`], `${prefix}-${i}.txt`, { type: 'text/plain', lastModified: now - i }),
  );
}

/**
 * Counts things (renders, events) per animation frame: a frame is the span between two consecutive rAF
 * callbacks while the counter runs. `stop()` returns one record per frame, the partial first and last included.
 */
export function frameCounter() {
  const frames: Record<string, number>[] = [];
  let current: Record<string, number> = {};
  let running = true;
  let handle = 0;
  const loop = () => {
    frames.push(current);
    current = {};
    if (running) handle = requestAnimationFrame(loop);
  };
  handle = requestAnimationFrame(loop);
  return {
    mark(key: string) {
      current[key] = (current[key] ?? 0) + 1;
    },
    stop(): Record<string, number>[] {
      running = false;
      cancelAnimationFrame(handle);
      frames.push(current);
      return frames;
    },
  };
}

/** Most `key` counted in one frame, and frames with any `key` at all. */
export function perFrame(frames: Record<string, number>[], key: string) {
  const counts = frames.map((frame) => frame[key] ?? 0);
  return { max: Math.max(0, ...counts), total: counts.reduce((a, b) => a + b, 0), framesWith: counts.filter((n) => n > 0).length };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return n === 0 ? 0 : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}
