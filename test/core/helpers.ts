import { UploadError } from '../../src/core/errors.js';
import type { Clock, Source, Transport, TransportIO, TransportRequest, TransportResponse } from '../../src/core/types.js';
import { uploadSource } from '../../src/core/upload.js';
import { loadFailure } from '../../src/core/failure-loader.js';

/** Lets every pending promise callback run (one macrotask turn); waits on no timer. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface FakeClock extends Clock {
  /** Every delay passed to setTimeout, in order. */
  readonly delays: number[];
  readonly pending: number;
  /** Moves time forward by `ms`, running due timers in order and flushing promises between them. */
  advance(ms: number): Promise<void>;
  /** Runs timers until none is left (or `maxSteps`), flushing promises between them. */
  runAll(maxSteps?: number): Promise<void>;
}

export function createClock(start = 1_700_000_000_000): FakeClock {
  let now = start;
  let sequence = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const delays: number[] = [];
  const nextTimer = () => {
    let best: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of timers) if (!best || entry[1].at < best[1].at) best = entry;
    return best;
  };
  const runNext = (until: number) => {
    const next = nextTimer();
    if (!next || next[1].at > until) return false;
    timers.delete(next[0]);
    now = Math.max(now, next[1].at);
    next[1].fn();
    return true;
  };
  return {
    delays,
    now: () => now,
    setTimeout(fn, ms) {
      delays.push(ms);
      sequence += 1;
      timers.set(sequence, { at: now + Math.max(0, ms), fn });
      return sequence;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    get pending() {
      return timers.size;
    },
    async advance(ms) {
      const until = now + ms;
      await flush();
      while (runNext(until)) await flush();
      now = until;
      await flush();
    },
    async runAll(maxSteps = 100_000) {
      await flush();
      for (let step = 0; step < maxSteps && runNext(Infinity); step += 1) await flush();
    },
  };
}

/** A Blob-like source over bytes: `slice` is a view, with Blob's `type` rules ('' unless given). */
export interface TestSource extends Source {
  readonly bytes: Uint8Array;
  slice(start?: number, end?: number, contentType?: string): TestSource;
}

export function makeSource(name: string, content: string | number | Uint8Array, type = '', lastModified = 1): TestSource {
  const bytes =
    typeof content === 'string'
      ? new TextEncoder().encode(content)
      : typeof content === 'number'
        ? Uint8Array.from({ length: content }, (_, i) => (i * 7 + name.length) % 256)
        : content;
  return {
    name,
    type,
    lastModified,
    bytes,
    size: bytes.length,
    slice(start = 0, end = bytes.length, contentType = '') {
      return makeSource(name, bytes.subarray(start, end), contentType, lastModified);
    },
  };
}

export interface FakeRequest {
  readonly request: TransportRequest;
  readonly io: TransportIO;
  readonly settled: boolean;
  respond(status: number, text?: string, headers?: Record<string, string>): void;
  fail(code?: 'network' | 'aborted'): void;
  progress(sent: number): void;
}

export interface FakeTransport {
  transport: Transport;
  readonly requests: FakeRequest[];
  /** Requests not settled yet. */
  pending(): FakeRequest[];
  readonly maxInFlight: number;
}

export const response = (status: number, text = '', headers: Record<string, string> = {}): TransportResponse => {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { status, text, header: (name) => lower[name.toLowerCase()] ?? null };
};

/** A transport whose requests wait until the test (or `onRequest`) settles them. An abort rejects at once. */
export function createTransport(onRequest?: (request: FakeRequest) => void): FakeTransport {
  const requests: FakeRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: Transport = {
    send(request, io) {
      return new Promise((resolve, reject) => {
        let settled = false;
        const settle = () => {
          if (settled) return false;
          settled = true;
          inFlight -= 1;
          io.signal.removeEventListener('abort', onAbort);
          return true;
        };
        const onAbort = () => settle() && reject(new UploadError('aborted', 'Upload canceled'));
        const fake: FakeRequest = {
          request,
          io,
          get settled() {
            return settled;
          },
          respond(status, text = '', headers = {}) {
            if (settle()) resolve(response(status, text, headers));
          },
          fail(code = 'network') {
            if (settle()) reject(new UploadError(code, code === 'network' ? 'Network error' : 'Upload canceled'));
          },
          progress(sent) {
            if (!settled) io.progress(sent, sizeOf(request.body));
          },
        };
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        requests.push(fake);
        if (io.signal.aborted) return onAbort();
        io.signal.addEventListener('abort', onAbort);
        onRequest?.(fake);
      });
    },
  };
  return {
    transport,
    requests,
    pending: () => requests.filter((request) => !request.settled),
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

export const sizeOf = (body: unknown) => (body as { size?: number }).size ?? 0;

/** Deterministic `random` for jitter: always the same value. */
export const fixedRandom =
  (value = 0.5) =>
  () =>
    value;

export const ittybitTarget = (path = 'a.bin', expiry = 1_900_000_000) => ({
  url: `https://you.ittybit.net/${path}?expiry=${expiry}&method=put&signature=abc`,
  resumable: true,
  expiry,
});

/**
 * The answers' reading and the retry policy (failure.ts) load on demand, with the first upload answer or failure
 * (failure-loader.ts). That import takes several event-loop turns, which a test counting turns with `flush()` would
 * see as a late outcome: every test that uses these helpers starts with it loaded, as a page that queued a file has
 * it (the elements load it with the signing step).
 */
await loadFailure();

/**
 * Loads the chunked upload path, which upload.ts imports the first time a file is sent in chunks. That
 * import takes several event-loop turns (module loading), which a test counting turns with `flush()`
 * would see as late requests; later chunked uploads start at once. Call it in `before()`.
 */
export async function loadChunkedPath() {
  const file = await uploadSource(ittybitTarget(), makeSource('warm-up', 2), {
    transport: { send: async (request) => response(request.headers['Content-Range'] === 'bytes 1-1/2' ? 201 : 202) },
    clock: createClock(),
    random: fixedRandom(),
    signal: new AbortController().signal,
    chunkSize: 1,
  });
  if (file.filesize !== 2) throw new Error('the chunked path did not load');
}
