// The whole list's progress (SPEC §3: `progress`, `itty-queue-progress`, the summary): which files count, their
// bytes, the speed smoothed over the last seconds and the time left. Plain data in, plain data out; the clock is
// passed in. Self-contained (no import of the queue's modules): it ships in the element's words chunk, and a
// module the first load also uses would tie that chunk to the bundle's file.

/** The whole list's progress, as `progress` and `itty-queue-progress` give it. */
export interface QueueProgress {
  /** Bytes sent of the files that count (see `createProgressMeter`). */
  readonly loaded: number;
  /** Bytes of the files that count: those still to be sent and those sent. */
  readonly total: number;
  /** Bytes per second, smoothed over the last few seconds; 0 while unknown (nothing sent yet, paused, offline, idle). */
  readonly bytesPerSecond: number;
  /** Seconds until the rest is sent at that speed; `null` while unknown; 0 when nothing is left to send. */
  readonly secondsLeft: number | null;
}

/** What the meter reads of an item: any upload item has these. */
export interface MeteredItem {
  readonly id: string;
  readonly status: string;
  readonly loaded: number;
  readonly total: number;
}

/** The files of the current batch, by what they are doing, and what the list holds besides. */
export interface BatchCounts {
  /** Files of the batch: unfinished, uploaded or failed in it (canceled ones leave it). */
  files: number;
  /** Files of the batch uploaded. */
  done: number;
  /** Files of the batch that failed (after their retries). */
  failed: number;
  /** Files waiting for their turn (or, with `manual`, for `upload()`). */
  queued: number;
  /** Files paused by the user. */
  paused: number;
  /** Files signing, sending or being finished: they hold a slot of the queue. */
  active: number;
  /** Files that failed, in the batch or before it: what `Retry failed` retries. */
  errors: number;
  /** Rows `Clear finished` removes: uploaded, canceled and rejected ones. */
  finished: number;
}

export interface ProgressSnapshot {
  progress: QueueProgress;
  counts: BatchCounts;
}

/** The clock the meter reads: milliseconds, monotonic. */
export interface MeterClock {
  now(): number;
}

/** Statuses of an item that will send no more bytes (until a retry or a new choice of its file). */
const ENDED = new Set(['done', 'error', 'canceled', 'rejected', 'interrupted']);

/** Half-life of the smoothed speed: a speed measured 2 s ago weighs half, 5 s ago under a fifth. */
export const SPEED_HALF_LIFE = 2000;
/** Bytes must flow this long (ms) before a speed and a time left are reported: the first moments are noise. */
export const SPEED_WARM_UP = 1000;
/** Samples closer than this (ms) add their bytes to the next one: a tick and a render of the same moment. */
const MIN_INTERVAL = 20;

export const idleProgress: QueueProgress = { loaded: 0, total: 0, bytesPerSecond: 0, secondsLeft: null };

/**
 * A meter of the whole list's progress. Call `sample(items, offline)` whenever the list may have moved (each progress
 * tick, each render): it returns the progress and the batch's counts at the clock's time.
 *
 * Which files count — the **batch**: a batch opens when a file becomes unfinished (queued, signing, uploading, paused,
 * finalizing, or any other status that is not an outcome) while none was, and holds every file that is unfinished
 * while it is open. It stays open until every file has an outcome (the last state is kept for display), and the next
 * unfinished file opens a new one. `loaded` and `total` sum the batch's unfinished and uploaded files; a failed or
 * canceled file leaves the sums (it sends nothing more) and comes back if it is retried. Files shown as `done` from
 * `value`, rejected and interrupted rows never count.
 *
 * Speed: the bytes sent between samples over the time between them, smoothed exponentially with a half-life of 2 s
 * (as Uppy's status bar does). It is known once bytes have flowed for a second; it is reset, and unknown again,
 * whenever nothing is being sent (all paused, between batches, `manual` before `upload()`) or the browser is offline.
 * `secondsLeft` is what is left over that speed; `null` while it is unknown, 0 when nothing is left.
 */
export function createProgressMeter(clock: MeterClock) {
  const batch = new Set<string>();
  let open = false;
  /** Each counted item's `loaded` at the last sample: bytes sent since are the differences (never negative). */
  let seen = new Map<string, number>();
  /** Bytes per ms, smoothed; undefined while unknown. */
  let speed: number | undefined;
  /** When bytes started flowing in this run; when the last interval ended; bytes sent since then. */
  let flowing: number | undefined;
  let last = 0;
  let pending = 0;

  const stop = () => {
    speed = flowing = undefined;
    pending = 0;
  };

  function sample(items: readonly MeteredItem[], offline = false): ProgressSnapshot {
    const now = clock.now();
    const counts: BatchCounts = { files: 0, done: 0, failed: 0, queued: 0, paused: 0, active: 0, errors: 0, finished: 0 };
    let unfinished = false;
    for (const { status } of items) if (!ENDED.has(status)) unfinished = true;
    if (unfinished && !open) {
      batch.clear();
      open = true;
      stop();
    }
    if (!unfinished) open = false;
    let loaded = 0;
    let total = 0;
    let sent = 0;
    const next = new Map<string, number>();
    for (const item of items) {
      const { id, status } = item;
      const ended = ENDED.has(status);
      if (!ended) batch.add(id);
      if (status === 'done' || status === 'canceled' || status === 'rejected') counts.finished += 1;
      if (status === 'error') counts.errors += 1;
      if (status === 'queued') counts.queued += 1;
      else if (status === 'paused') counts.paused += 1;
      else if (!ended) counts.active += 1;
      if (!batch.has(id)) continue;
      if (status === 'error') counts.failed += 1;
      if (ended && status !== 'done') continue;
      if (status === 'done') counts.done += 1;
      const bytes = Math.max(0, Math.min(item.loaded, item.total));
      loaded += bytes;
      total += item.total;
      next.set(id, bytes);
      sent += Math.max(0, bytes - (seen.get(id) ?? bytes));
    }
    counts.files = next.size + counts.failed;
    seen = next;
    if (!counts.active || offline) stop();
    else if (flowing === undefined) {
      // The run's first bytes start the clock; the time before them (signing) is no measure of the network.
      if (sent > 0) flowing = last = now;
    } else {
      pending += sent;
      const dt = now - last;
      if (dt >= MIN_INTERVAL) {
        const current = pending / dt;
        speed = speed === undefined ? current : current + (speed - current) * 2 ** (-dt / SPEED_HALF_LIFE);
        pending = 0;
        last = now;
      }
    }
    const known = speed !== undefined && flowing !== undefined && now - flowing >= SPEED_WARM_UP && speed > 0;
    const bytesPerSecond = known ? speed! * 1000 : 0;
    const left = total - loaded;
    return {
      progress: { loaded, total, bytesPerSecond, secondsLeft: left <= 0 ? 0 : known ? left / bytesPerSecond : null },
      counts,
    };
  }

  return { sample };
}

export type ProgressMeter = ReturnType<typeof createProgressMeter>;
