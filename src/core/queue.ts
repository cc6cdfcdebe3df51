import { abortError, toUploadError, UploadError } from './errors.js';
import { backoffDelay, sleep, systemClock, withStallTimer } from './retry.js';
import type { Clock, IttyFile, SignFunction, Source, Transport, UploadItem, UploadTarget } from './types.js';
import { uploadSource } from './upload.js';
import { isHttpUrl } from './url.js';

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
  /** Files signing or uploading at once. Default 3. */
  concurrency?: number;
  /** Automatic retries of a transient failure (network, timeout, 408, 429, 5xx) per file, and per chunk. Default 3. */
  retries?: number;
  /** Bytes per chunk for resumable targets; unset = one PUT. */
  chunkSize?: number;
  /** Chunks of one file in flight at once. Default 3. */
  parallelChunks?: number;
  /** ms without progress before a request fails with `timeout`. Default 30000. */
  stallTimeout?: number;
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
  /** The list changed (a new array of new item objects). */
  onChange?(items: readonly UploadItem<S>[]): void;
  /** An item starts signing (by `add`, `upload` or `retry`; not on automatic retries). */
  onStart?(item: UploadItem<S>): void;
  onProgress?(item: UploadItem<S>, loaded: number, total: number): void;
  onSuccess?(item: UploadItem<S>, file: IttyFile): void;
  /** A final failure, after retries. */
  onError?(item: UploadItem<S>, error: UploadError): void;
  onCancel?(item: UploadItem<S>): void;
  /** The queue went from busy to idle: the files that finished since it became busy. */
  onComplete?(result: { succeeded: IttyFile[]; failed: UploadItem<S>[] }): void;
}

export interface UploadQueue<S extends Source = Source> {
  /** The list, in the order added. A new array (of new objects for changed items) after every change. */
  readonly items: readonly UploadItem<S>[];
  /** Nothing is signing, uploading, or queued and about to start. */
  readonly idle: boolean;
  /** Adds files (with their `relativePath` when given) as `queued` items; starts them unless `autoStart` is false. */
  add(entries: ReadonlyArray<S | { source: S; relativePath?: string }>): UploadItem<S>[];
  /** Starts every queued item (needed when `autoStart` is false). */
  upload(): void;
  /** Cancels one queued or in-flight item, or all with no id. */
  cancel(id?: string): void;
  /** Puts one failed or canceled item back in the queue, or all with no id; starts them unless `autoStart` is false. */
  retry(id?: string): void;
  /** Removes an item from the list, canceling it when in flight. */
  remove(id: string): void;
  /** Removes every item, canceling the ones in flight. */
  clear(): void;
  /** Changes options; running uploads keep their transport and target, later steps use the new values. */
  configure(options: Partial<QueueOptions<S>>): void;
}

type Run = { controller: AbortController };
type Status = UploadItem['status'];

const isActive = (status: Status) => status === 'signing' || status === 'uploading';

const isSource = (entry: unknown): entry is Source => typeof (entry as Source).slice === 'function';

/**
 * Creates the upload queue: items go `queued → signing → uploading → done | error | canceled`.
 * Each file is signed right before its upload; at most `concurrency` files sign or upload at once.
 * Every started item gets exactly one of onSuccess / onError / onCancel, and none after a cancel.
 */
export function createUploadQueue<S extends Source = Source>(initial: QueueOptions<S>): UploadQueue<S> {
  const options: QueueOptions<S> = { ...initial };
  let items: readonly UploadItem<S>[] = [];
  // Queued items allowed to start (all of them unless autoStart is false and upload() was not called).
  const ready = new Set<string>();
  const runs = new Map<string, Run>();
  // Items started since the queue became busy: the scope of the next onComplete.
  const batch = new Set<string>();
  let busy = false;
  let sequence = 0;

  const clock = () => options.clock ?? systemClock;
  const random = () => (options.random ?? Math.random)();
  const createId = () => options.createId?.() ?? `upload-${(sequence += 1)}-${random().toString(36).slice(2, 8)}`;

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

  const find = (id: string) => items.find((item) => item.id === id);

  const replace = (next: UploadItem<S>) => {
    items = items.map((item) => (item.id === next.id ? next : item));
    emit(options.onChange, items);
    return next;
  };

  const base = (item: UploadItem<S>, loaded = item.loaded) => {
    const { id, source, relativePath, total } = item;
    return relativePath === undefined ? { id, source, loaded, total } : { id, source, relativePath, loaded, total };
  };

  const setStatus = (item: UploadItem<S>, status: 'queued' | 'signing' | 'uploading' | 'canceled', loaded = item.loaded) =>
    replace({ ...base(item, loaded), status });

  const limit = () => Math.max(1, Math.floor(options.concurrency ?? 3) || 1);
  // NaN (e.g. a `retries="lots"` attribute) would never be reached: retries would go on for ever.
  const retries = () => (Number.isNaN(options.retries ?? NaN) ? 3 : Math.max(0, options.retries!));

  const pump = () => {
    for (const item of items) {
      if (runs.size >= limit()) return;
      if (item.status === 'queued' && ready.has(item.id)) void start(item);
    }
  };

  const settle = () => {
    pump();
    if (!busy || runs.size || ready.size) return;
    busy = false;
    const finished = items.filter((item) => batch.has(item.id));
    batch.clear();
    emit(options.onComplete, {
      succeeded: finished.flatMap((item) => (item.status === 'done' ? [item.file] : [])),
      failed: finished.filter((item) => item.status === 'error'),
    });
  };

  const isExpired = (target: UploadTarget) => target.expiry !== undefined && clock().now() / 1000 > target.expiry;

  // One sign + upload per pass; transient failures go round again after a backoff, an expired
  // URL once more at once (not counted as a retry).
  async function attempt(id: string, run: Run): Promise<IttyFile> {
    const { signal } = run.controller;
    let retriesUsed = 0;
    let resigned = false;
    for (let pass = 0; ; pass += 1) {
      let phase: 'sign_failed' | 'upload_failed' = 'sign_failed';
      try {
        // A cancel can land between a backoff timer firing and this code resuming.
        if (signal.aborted) throw abortError();
        // start() already set the first pass to signing.
        const item = pass ? setStatus(find(id)!, 'signing', 0) : find(id)!;
        // Signing gets the stall budget too: a hung endpoint must not hold a slot for ever.
        const sign = async () => {
          const target = await withStallTimer(
            (signSignal) => options.sign(item.source, { signal: signSignal, relativePath: item.relativePath }),
            { clock: clock(), signal, stallTimeout: options.stallTimeout },
          );
          if (signal.aborted) throw abortError();
          if (!isHttpUrl(target?.url)) throw new UploadError('invalid_target', 'The upload URL is not an http(s) URL');
          return target;
        };
        const target = await sign();
        // Past its expiry by our clock: sign once more first. A second stale target is tried anyway (our clock may be wrong).
        if (!resigned && isExpired(target)) throw new UploadError('expired', 'The upload URL expired before the upload started');
        phase = 'upload_failed';
        setStatus(find(id)!, 'uploading');
        return await uploadSource(target, item.source, {
          transport: options.transport,
          clock: clock(),
          random,
          signal,
          chunkSize: options.chunkSize,
          parallelChunks: options.parallelChunks,
          retries: retries(),
          stallTimeout: options.stallTimeout,
          resign: sign,
          onProgress: (loaded) => progress(id, run, loaded),
        });
      } catch (error) {
        const failure = toUploadError(error, phase);
        if (signal.aborted) throw failure;
        if (failure.code === 'expired' && !resigned) {
          resigned = true;
          continue;
        }
        const offline = failure.retryable ? options.whenOnline?.(signal) : undefined;
        if (offline) {
          await offline;
          continue;
        }
        if (!failure.retryable || retriesUsed >= retries()) throw failure;
        retriesUsed += 1;
        await sleep(backoffDelay(retriesUsed, { random, retryAfter: failure.retryAfter }), clock(), signal);
      }
    }
  }

  function progress(id: string, run: Run, loaded: number) {
    const item = find(id);
    if (runs.get(id) !== run || !item || item.status !== 'uploading' || item.loaded === loaded) return;
    const next = replace({ ...base(item, loaded), status: 'uploading' });
    emit(options.onProgress, next, loaded, next.total);
  }

  async function start(item: UploadItem<S>) {
    ready.delete(item.id);
    const run: Run = { controller: new AbortController() };
    runs.set(item.id, run);
    batch.add(item.id);
    busy = true;
    emit(options.onStart, setStatus(item, 'signing', 0));
    let file: IttyFile | undefined;
    let failure: UploadError | undefined;
    try {
      file = await attempt(item.id, run);
      if (file.kind === 'image' && file.width === undefined && options.measureImage) {
        file = { ...file, ...(await options.measureImage(item.source).catch(() => undefined)) };
      }
    } catch (error) {
      failure = toUploadError(error, 'upload_failed');
    }
    // Canceled or removed meanwhile: that already was this run's one outcome.
    if (runs.get(item.id) !== run) return;
    runs.delete(item.id);
    const current = find(item.id)!;
    if (file) {
      const done = replace({ ...base(current, current.total), status: 'done', file });
      emit(options.onSuccess, done, file);
    } else {
      const failed = replace({ ...base(current), status: 'error', error: failure! });
      emit(options.onError, failed, failure!);
    }
    settle();
  }

  // Stops one item; returns the canceled item when it was queued or in flight.
  const stop = (item: UploadItem<S>) => {
    ready.delete(item.id);
    const run = runs.get(item.id);
    if (run) {
      runs.delete(item.id);
      run.controller.abort();
    }
    if (item.status !== 'queued' && !isActive(item.status)) return undefined;
    return { ...base(item), status: 'canceled' as const };
  };

  const release = () => {
    for (const item of items) if (item.status === 'queued') ready.add(item.id);
  };

  return {
    get items() {
      return items;
    },
    get idle() {
      return runs.size === 0 && ready.size === 0;
    },
    add(entries) {
      const added = entries.map((entry): UploadItem<S> => {
        const { source, relativePath } = isSource(entry) ? { source: entry as S, relativePath: undefined } : entry;
        const item = { id: createId(), source, loaded: 0, total: source.size, status: 'queued' as const };
        return relativePath ? { ...item, relativePath } : item;
      });
      if (!added.length) return added;
      items = [...items, ...added];
      if (options.autoStart !== false) for (const item of added) ready.add(item.id);
      emit(options.onChange, items);
      settle();
      return added;
    },
    upload() {
      release();
      settle();
    },
    cancel(id) {
      for (const item of items) {
        if (id !== undefined && item.id !== id) continue;
        const canceled = stop(item);
        if (canceled) emit(options.onCancel, replace(canceled));
      }
      settle();
    },
    retry(id) {
      for (const item of items) {
        if ((id !== undefined && item.id !== id) || (item.status !== 'error' && item.status !== 'canceled')) continue;
        setStatus(item, 'queued', 0);
        if (options.autoStart !== false) ready.add(item.id);
      }
      settle();
    },
    remove(id) {
      const item = find(id);
      if (!item) return;
      const canceled = stop(item);
      if (canceled && isActive(item.status)) emit(options.onCancel, canceled);
      items = items.filter((other) => other.id !== id);
      batch.delete(id);
      emit(options.onChange, items);
      settle();
    },
    clear() {
      const active = items.filter((item) => isActive(item.status));
      for (const item of items) stop(item);
      items = [];
      batch.clear();
      emit(options.onChange, items);
      for (const item of active) emit(options.onCancel, { ...base(item), status: 'canceled' });
      settle();
    },
    configure(changes) {
      Object.assign(options, changes);
      if (changes.autoStart) release();
      settle();
    },
  };
}
