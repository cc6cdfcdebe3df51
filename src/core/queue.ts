import { abortError, toUploadError, type UploadError } from './errors.js';
import { lazyRetryPolicy } from './failure-loader.js';
import { systemClock, withStallTimer, type Activity } from './stall.js';
import { checkTarget } from './shared.js';
import type { LazySigner } from './sign-loader.js';
import { isRetryable, isUnfinished } from './items.js';
import { parseSize } from './units.js';
import { uploadSource, type ResumeState } from './upload.js';
import type { Clock, IttyFile, SignFunction, Source, Transport, UploadItem, UploadTarget } from './types.js';

export interface QueueOptions<S extends Source = Source> {
  /** Returns where to upload one file; called right before its upload, never when it is added. */
  sign: SignFunction<S>;
  transport: Transport;
  /** Default: the real clock. */
  clock?: Clock;
  /** Returns a number in [0, 1), for backoff jitter. Default `Math.random`. */
  random?: () => number;
  /** Returns a new unique item id. Default: a counter plus a random suffix. */
  createId?: () => string;
  /** Files signing or uploading at once: at least 1. Default 3. */
  concurrency?: number | null;
  /** Automatic retries of a transient failure (network, timeout, 408, 429, 5xx) per file, and per chunk. Default 3. */
  retries?: number | null;
  /** Bytes per chunk for resumable targets, or text with a unit (`64MiB`); unset or 0 = one PUT. */
  chunkSize?: number | string | null;
  /** Chunks of one file in flight at once: at least 1. Default 3. */
  parallelChunks?: number | null;
  /**
   * ms without progress before a request fails with `timeout`: at least 1000; 0 = never. Default 30000. The queue's
   * requests share it: one the browser holds back (6 per host over HTTP/1.1: 3 files × 3 chunks are 9) stalls only
   * when none progresses.
   */
  stallTimeout?: number | null;
  /** Start files as they are added. Default true; when false, `upload()` starts them. */
  autoStart?: boolean;
  /**
   * Returns a promise that resolves when the network is back, or `undefined` when online.
   * A transient failure while offline waits for it instead of using up a retry.
   */
  whenOnline?(signal: AbortSignal): Promise<void> | undefined;
  /**
   * Measures an image the storage did not describe (S3 and friends answer no File object):
   * returns its `width` and `height`, or nothing. Failures are ignored.
   */
  measureImage?(source: S): Promise<{ width: number; height: number } | undefined>;
  /**
   * (v2) What follows the storage's success, e.g. the completion call (`complete-endpoint`): a promise of the File
   * object that ends the upload (the item is `finalizing` meanwhile), or nothing to be `done` at once. A rejection
   * is the item's failure (`complete_failed`); `retry()` then runs only this again, never the bytes.
   */
  finish?(item: UploadItem<S>, file: IttyFile, signal: AbortSignal): Promise<IttyFile> | undefined;
  /**
   * (v2) Prepares a file right before it is signed, inside the concurrency (the item is `signing`): resolves the file
   * to sign and send instead of `item.source` (the item keeps its source; its `total` becomes this file's size), or
   * nothing to send the source. A rejection ends the run as a failure (an UploadError keeps its code).
   */
  prepare?(item: UploadItem<S>, signal: AbortSignal): Promise<S | undefined> | undefined;
  /** The list changed (a new array of new item objects). */
  onChange?(items: readonly UploadItem<S>[]): void;
  /** An item starts signing (by `add`, `upload` or `retry`; not on automatic retries). */
  onStart?(item: UploadItem<S>): void;
  onProgress?(item: UploadItem<S>, loaded: number, total: number): void;
  onSuccess?(item: UploadItem<S>, file: IttyFile): void;
  /** A final failure, after retries. */
  onError?(item: UploadItem<S>, error: UploadError): void;
  onCancel?(item: UploadItem<S>): void;
  /** `pause` stopped a queued or in-flight item: it is `paused`, its `loaded` what `resume` goes on from. */
  onPause?(item: UploadItem<S>): void;
  /** `resume` put a paused item back in the queue. */
  onResume?(item: UploadItem<S>): void;
  /** A resumable upload's kept state changed (its target, a chunk acknowledged): see `UploadOptions.onAck`. */
  onAck?(state: ResumeState, source: S): undefined | Promise<unknown>;
  /**
   * The queue went from busy to idle with none of its files paused: the files that finished since it became busy.
   */
  onComplete?(result: { succeeded: IttyFile[]; failed: UploadItem<S>[] }): void;
}

export interface UploadQueue<S extends Source = Source> {
  /** The list, in the order added (or as `move` arranged it). A new array (of new objects for changed items) after every change. */
  readonly items: readonly UploadItem<S>[];
  /** Nothing is signing, uploading, or queued and about to start (paused items may wait). */
  readonly idle: boolean;
  /**
   * Adds files (with their `relativePath` and `meta` when given) as `queued` items; starts them unless `autoStart` is
   * false. With `resume` (a state kept from an earlier visit), the upload goes on from it: its target while valid, its chunks.
   */
  add(
    entries: ReadonlyArray<S | { source: S; relativePath?: string; meta?: Record<string, string>; resume?: ResumeState }>,
  ): UploadItem<S>[];
  /** Starts every queued item (needed when `autoStart` is false). */
  upload(): void;
  /** Cancels one queued or in-flight item, or all with no id. */
  cancel(id?: string): void;
  /**
   * Puts one failed or canceled item back in the queue, or all with no id; starts them unless `autoStart` is false.
   * A failed chunked upload goes on from the chunks the storage acknowledged (a canceled one starts again).
   */
  retry(id?: string): void;
  /**
   * Pauses one queued or in-flight item, or all with no id: it becomes `paused` and frees its slot. A chunked upload
   * keeps the chunks the storage acknowledged (its `loaded` drops to them); a single PUT keeps nothing (0). Files of a
   * `manual` queue not yet started by `upload()` are not paused.
   */
  pause(id?: string): void;
  /**
   * Puts one paused item back in the queue, or all with no id. A chunked upload sends only the chunks not yet
   * acknowledged, through the same URL while it is valid; a single PUT starts again from 0. No second onStart.
   */
  resume(id?: string): void;
  /** Removes an item from the list, canceling it when in flight. */
  remove(id: string): void;
  /** Removes every item, canceling the ones in flight. */
  clear(): void;
  /**
   * (v2) Replaces the list with `done` items of files already stored (no `source`), canceling what was in flight;
   * nothing is reported but `onChange` (and `onCancel` for the canceled).
   */
  adopt(files: readonly IttyFile[]): void;
  /** (v2) Replaces the File object of a `done` item; false when `id` is not one. */
  setFile(id: string, file: IttyFile): boolean;
  /**
   * Moves an item to `toIndex` (0-based, clamped to the list; a fraction rounds down) of the list; the others keep their
   * order. Queued items start in list order, so moving one up starts it sooner. An unknown id changes nothing.
   */
  move(id: string, toIndex: number): void;
  /** Changes options; running uploads keep their transport and target, later steps use the new values. */
  configure(options: Partial<QueueOptions<S>>): void;
}

type Status = UploadItem['status'];

/** The settings the queue runs with, read by `normalizeSettings`. */
export interface QueueSettings {
  concurrency: number;
  retries: number;
  /** Undefined: files go as one PUT. */
  chunkSize: number | undefined;
  parallelChunks: number;
  /** 0: never. */
  stallTimeout: number;
}

/**
 * The settings as the queue uses them, from what an app or an element's attributes gave. The queue normalises its
 * options with this on creation and on every `configure`, so callers need not clamp. Numbers may come as text;
 * fractions round down.
 * - `concurrency`, `parallelChunks`: at least 1; 3 when not a number.
 * - `retries`: at least 0; 3 when not a number.
 * - `chunkSize`: bytes, from a number or text with a unit (`64MiB`); none (one PUT) when 0 or unreadable.
 * - `stallTimeout`: ms, at least 1000; 0 means never; 30000 when not a number or negative.
 */
export function normalizeSettings(options: Pick<QueueOptions, keyof QueueSettings>): QueueSettings {
  // A whole number of at least `min`; below it, `min`; not a number (NaN, a removed attribute's null) or unset, `fallback`.
  const whole = (value: unknown, min: number, fallback: number) => {
    const number = Math.floor((value ?? NaN) as number);
    return number >= min ? number : number < min ? min : fallback;
  };
  const chunkSize = Math.floor(parseSize(options.chunkSize) ?? 0);
  const stall = whole(options.stallTimeout, 0, 30000);
  return {
    concurrency: whole(options.concurrency, 1, 3),
    retries: whole(options.retries, 0, 3),
    chunkSize: chunkSize > 0 ? chunkSize : undefined,
    parallelChunks: whole(options.parallelChunks, 1, 3),
    stallTimeout: options.stallTimeout! < 0 ? 30000 : stall && Math.max(1000, stall),
  };
}

/**
 * Creates the upload queue: items go `queued → signing → uploading → done | error | canceled`.
 * Each file is signed right before its upload; at most `concurrency` files sign or upload at once.
 * Every started item gets exactly one of onSuccess / onError / onCancel, and none after a cancel.
 * Settings are normalised (`normalizeSettings`) on creation and on every `configure`.
 */
export function createUploadQueue<S extends Source = Source>(initial: QueueOptions<S>): UploadQueue<S> {
  const options: QueueOptions<S> & QueueSettings = { ...initial, ...normalizeSettings(initial) };
  let items: readonly UploadItem<S>[] = [];
  // Queued items allowed to start (all of them unless autoStart is false and upload() was not called).
  const ready = new Set<string>();
  // The run of each item signing or uploading; a run that is no longer here was canceled or removed.
  const runs = new Map<string, AbortController>();
  // Items started since the queue became busy: the scope of the next onComplete.
  const batch = new Set<string>();
  // Items that got onStart and no outcome yet (in flight, paused, or resumed and waiting): resuming is no new start.
  const begun = new Set<string>();
  // What each started resumable upload keeps across its runs (passes, pauses, retries): target and acknowledged chunks.
  const kept = new Map<string, ResumeState>();
  // Stored files whose `finish` failed: `retry()` runs only `finish` again.
  const stored = new Map<string, IttyFile>();
  let busy = false;
  let sequence = 0;
  const activity: Activity = { at: 0 };

  const clock = () => options.clock ?? systemClock;
  const random = () => (options.random ?? Math.random)();
  const createId = () => options.createId?.() ?? `upload-${++sequence}-${random().toString(36).slice(2, 8)}`;

  // A callback that throws must not corrupt the queue: report it the way event listeners' errors are.
  const emit = <A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A) => {
    try {
      callback?.(...args);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  };

  const find = (id: string) => items.find((item) => item.id === id)!;

  const changed = () => emit(options.onChange, items);

  // A new item object (items are never mutated) with another status; the outcome of the old status goes.
  const make = (item: UploadItem<S>, status: Status, loaded = item.loaded, outcome?: object) => {
    const { file, error, ...rest } = item as UploadItem<S> & { file?: unknown; error?: unknown };
    return { ...rest, loaded, status, ...outcome } as UploadItem<S>;
  };

  const replace = (next: UploadItem<S>) => {
    items = items.map((item) => (item.id === next.id ? next : item));
    changed();
    return next;
  };

  const setStatus = (item: UploadItem<S>, status: Status, loaded?: number, outcome?: object) =>
    replace(make(item, status, loaded, outcome));

  // The bytes of `id` the storage acknowledged and keeps: where its next run goes on from.
  const keptBytes = (id: string) => {
    const state = kept.get(id);
    return state ? state.acked.size * state.chunkSize! || 0 : 0;
  };

  const pump = () => {
    for (const item of items) {
      if (!ready.size || runs.size >= options.concurrency) return;
      if (item.status === 'queued' && ready.has(item.id)) void start(item);
    }
  };

  const settle = () => {
    pump();
    if (!busy || runs.size || ready.size || items.some((item) => item.status === 'paused' && batch.has(item.id))) return;
    busy = false;
    const finished = items.filter((item) => batch.has(item.id));
    batch.clear();
    emit(options.onComplete, {
      succeeded: finished.flatMap((item) => (item.status === 'done' ? [item.file] : [])),
      failed: finished.filter((item) => item.status === 'error'),
    });
  };

  // One sign + upload per pass. A failure goes round again as the retry policy says: an expired URL signs
  // again once (at once, no retry used), a transient failure after the network is back or a backoff.
  async function attempt(id: string, run: AbortController, source: S): Promise<IttyFile> {
    const { signal } = run;
    const { relativePath, meta } = find(id);
    const state = kept.get(id)!;
    const retry = lazyRetryPolicy();
    let resigned = false;
    const renew = () => !resigned && (resigned = true);
    const stale = (target: UploadTarget) => clock().now() / 1000 > target.expiry!;
    // Signing gets the stall budget too: a hung endpoint must not hold a slot for ever.
    const sign = async () => {
      const target = await withStallTimer((signSignal) => options.sign(source, { signal: signSignal, relativePath, meta }), {
        clock: clock(),
        signal,
        stallTimeout: options.stallTimeout,
        activity,
      });
      if (signal.aborted) throw abortError();
      return checkTarget(target);
    };
    // Read when used: an upload, and the retry after a failure, use settings changed meanwhile (e.g. by an element's
    // attributes, set in the same task as the files were added but applied on its next update).
    const io = () => ({ ...options, clock: clock(), random, signal, activity, resign: sign, renew });
    for (let pass = 0; ; pass += 1) {
      let phase: 'sign_failed' | 'upload_failed' = 'sign_failed';
      try {
        // A cancel can land between a backoff timer firing and this code resuming.
        if (signal.aborted) throw abortError();
        // start() already set the first pass to signing.
        if (pass) setStatus(find(id), 'signing', keptBytes(id));
        // The target acknowledged chunks went to, while it is valid by our clock; else a new one.
        const target = state.target && !stale(state.target) ? state.target : await sign();
        // Past its expiry by our clock: sign once more first, as for an expired answer (no retry used). A second
        // stale target is tried anyway (our clock may be wrong).
        if (stale(target) && renew()) continue;
        phase = 'upload_failed';
        setStatus(find(id), 'uploading');
        return await uploadSource(target, source, {
          ...io(),
          // An upload sent in chunks goes on in chunks of that size.
          chunkSize: state.chunkSize ?? options.chunkSize,
          state,
          onSessionLost: (error) => {
            const current = find(id);
            if (runs.get(id) === run) replace({ ...current, history: [...(current.history ?? []), error] });
          },
          onProgress: (loaded) => {
            const current = find(id);
            if (runs.get(id) === run && current?.status === 'uploading' && current.loaded !== loaded) {
              emit(options.onProgress, setStatus(current, 'uploading', loaded), loaded, current.total);
            }
          },
        });
      } catch (error) {
        const failure = toUploadError(error, phase);
        // A target refused (not a transient failure: expired, 4xx) is not used again: the next run signs.
        if (!signal.aborted && !failure.retryable) state.target = undefined;
        await retry(failure, io());
      }
    }
  }

  async function start(item: UploadItem<S>) {
    const { id } = item;
    ready.delete(id);
    const run = new AbortController();
    runs.set(id, run);
    batch.add(id);
    busy = true;
    if (!kept.has(id)) kept.set(id, { acked: new Set() });
    const signing = setStatus(item, 'signing', keptBytes(id));
    if (!begun.has(id)) {
      begun.add(id);
      emit(options.onStart, signing);
    }
    let file: IttyFile | undefined;
    let failure: UploadError | undefined;
    let source = item.source!;
    try {
      file = stored.get(id);
      if (!file) {
        // No prepare step (or none for this file): no await, so signing starts in this task as before.
        const prepared = options.prepare?.(signing, run.signal);
        if (prepared && (source = (await prepared) || source) !== item.source) replace({ ...find(id), total: source.size });
        file = await attempt(id, run, source);
        if (file.kind === 'image' && file.width === undefined && options.measureImage) {
          file = { ...file, ...(await options.measureImage(source).catch(() => undefined)) };
        }
      }
      stored.set(id, file);
      const finishing = options.finish?.(find(id), file, run.signal);
      if (finishing && runs.get(id) === run) {
        setStatus(find(id), 'finalizing', find(id).total, { file });
        file = await finishing.catch((error: unknown) => {
          throw toUploadError(error, 'complete_failed');
        });
      }
      stored.delete(id);
    } catch (error) {
      file = undefined;
      failure = toUploadError(error, 'upload_failed');
    }
    // Canceled or removed meanwhile: that already was this run's one outcome.
    if (runs.get(id) !== run) return;
    runs.delete(id);
    begun.delete(id);
    const current = find(id);
    if (file) kept.delete(id);
    if (file) emit(options.onSuccess, setStatus(current, 'done', current.total, { file }), file);
    else emit(options.onError, setStatus(current, 'error', undefined, { error: failure }), failure!);
    settle();
  }

  // Forgets everything the queue holds for `id` but its place in the list; aborts its run.
  const forget = (id: string) => {
    runs.get(id)?.abort();
    // A multipart upload is aborted at the storage (ResumeState.discard).
    kept.get(id)?.discard?.();
    for (const set of [ready, runs, begun, kept, stored]) set.delete(id);
  };

  // Stops one item; returns the canceled item when it was queued, in flight or paused.
  const stop = (item: UploadItem<S>) => {
    if (!isUnfinished(item.status)) return;
    forget(item.id);
    return make(item, 'canceled');
  };

  const release = () => {
    for (const item of items) if (item.status === 'queued') ready.add(item.id);
  };

  // Acts on one item, or all with no id, then lets the queue go on.
  const each = (id: string | undefined, act: (item: UploadItem<S>) => void) => {
    for (const item of items) if (id === undefined || item.id === id) act(item);
    settle();
  };

  const autoStart = (item: UploadItem<S>) => {
    if (options.autoStart !== false) ready.add(item.id);
  };

  return {
    get items() {
      return items;
    },
    get idle() {
      return !runs.size && !ready.size;
    },
    add(entries) {
      const added = entries.map((entry): UploadItem<S> => {
        const { source, relativePath, meta, resume } =
          typeof (entry as S).slice == 'function'
            ? { source: entry as S, relativePath: '' }
            : (entry as { source: S; relativePath?: string; meta?: Record<string, string>; resume?: ResumeState });
        const item = { id: createId(), source, loaded: 0, total: source.size, status: 'queued' as const, ...(meta && { meta }) };
        if (resume) kept.set(item.id, resume);
        return relativePath ? { ...item, relativePath } : item;
      });
      if (added.length) {
        // A signer whose code loads on demand (the elements', sign-loader.ts) starts loading it now, also when
        // autoStart is off, so that it is there when the first file signs.
        (options.sign as Partial<LazySigner<S>>).prepare?.();
        items = [...items, ...added];
        added.forEach(autoStart);
        changed();
        settle();
      }
      return added;
    },
    upload() {
      release();
      settle();
    },
    cancel(id) {
      each(id, (item) => {
        const canceled = stop(item);
        if (canceled) emit(options.onCancel, replace(canceled));
      });
    },
    retry(id) {
      each(id, (item) => {
        if (isRetryable(item.status)) {
          setStatus(item, 'queued', keptBytes(item.id));
          autoStart(item);
        }
      });
    },
    pause(id) {
      each(id, (item) => {
        // In flight, or queued and allowed to start (a `manual` queue's file not yet uploaded is not paused).
        const run = runs.get(item.id);
        if (run || ready.delete(item.id)) {
          runs.delete(item.id);
          run?.abort();
          emit(options.onPause, setStatus(item, 'paused', keptBytes(item.id)));
        }
      });
    },
    resume(id) {
      each(id, (item) => {
        if (item.status === 'paused') {
          ready.add(item.id);
          emit(options.onResume, setStatus(item, 'queued'));
        }
      });
    },
    remove(id) {
      const item = items.find((other) => other.id === id);
      if (!item) return;
      const started = begun.has(id);
      const canceled = stop(item);
      forget(id);
      if (canceled && started) emit(options.onCancel, canceled);
      items = items.filter((other) => other !== item);
      batch.delete(id);
      changed();
      settle();
    },
    clear() {
      const canceled = items.filter((item) => begun.has(item.id)).map((item) => make(item, 'canceled'));
      for (const item of items) forget(item.id);
      items = [];
      batch.clear();
      changed();
      for (const item of canceled) emit(options.onCancel, item);
      settle();
    },
    adopt(files) {
      this.clear();
      items = files.map((file) => ({ id: createId(), status: 'done', file, loaded: file.filesize, total: file.filesize }));
      changed();
    },
    setFile(id, file) {
      const item = items.find((other) => other.id === id);
      if (item?.status !== 'done') return false;
      replace({ ...item, file });
      return true;
    },
    move(id, toIndex) {
      const item = find(id);
      if (item) {
        // A new array (as after any change), its other items in their order.
        items = items.filter((other) => other !== item);
        (items as UploadItem<S>[]).splice(Math.max(0, toIndex), 0, item);
        changed();
      }
    },
    configure(changes) {
      Object.assign(options, changes, normalizeSettings({ ...options, ...changes }));
      if (changes.autoStart) release();
      settle();
    },
  };
}
