// The resume store (SPEC §3.6): what `persist` keeps of each resumable upload in IndexedDB, so that it goes on after
// a reload, a crash or a closed tab. Never the file's bytes: its fingerprint, its target, the chunks (or parts) the
// storage acknowledged, and its `meta`. Loaded on demand by `<itty-uploader persist>` (chunks/resume-*.js); exported
// from `itty-uploader/browser` for custom UIs over `itty-uploader/core` (`onAck` of the queue, `add({ resume })`).
import type { ResumeState } from '../core/upload.js';
import type { UploadTarget } from '../core/types.js';

/** What tells a file chosen again from another one: a file of another size (or date, name, type, path) never matches. */
export interface ResumeFingerprint {
  name: string;
  size: number;
  lastModified: number;
  type: string;
  relativePath?: string;
}

/**
 * One persisted upload. `state` is the queue's `ResumeState` as stored: `acked` as an array of chunk indexes, the
 * target (URL, headers, `expiry`) and `chunkSize` of ittybit chunks; any other field a resumable kind keeps (S3
 * multipart: `uploadId`, `key`, `partSize`, `parts` with their ETags) is stored as it is, so a new kind needs no new
 * record format.
 */
export interface ResumeRecord {
  /** `key` + the fingerprint: one record per file per key. */
  id: string;
  /** The element's `persist` key (the page path plus its `id` or `name` by default). */
  key: string;
  file: ResumeFingerprint;
  state: Omit<ResumeState, 'acked' | 'probe'> & { acked: number[]; target?: UploadTarget; [field: string]: unknown };
  /** Bytes the storage acknowledged when the record was written. */
  loaded: number;
  meta?: Record<string, string>;
  /** ms since the epoch. */
  updated: number;
  /** ms since the epoch: past it the record is deleted instead of listed (24 h after its last write by default). */
  expires: number;
}

export interface ResumeStore {
  /** The unexpired records of `key` (expired ones are deleted on the way). */
  list(key: string): Promise<ResumeRecord[]>;
  put(record: ResumeRecord): Promise<void>;
  delete(id: string): Promise<void>;
  /**
   * Claims the record `id` for this tab (a Web Lock, held until `release`): false when another tab holds it.
   * Where Web Locks do not exist, always true (the last writer wins).
   */
  claim(id: string): Promise<boolean>;
  release(id: string): void;
  /** Ids of records another tab (or this one) holds now; empty without Web Locks. */
  claimed(): Promise<Set<string>>;
  /** Resolves once no tab holds the record `id` (at once without Web Locks). */
  released(id: string): Promise<void>;
}

export interface ResumeStoreOptions {
  /** Database name. Default `itty-uploader`. */
  name?: string;
  /** Default: the global `indexedDB`. */
  indexedDB?: IDBFactory;
  /** Default: `navigator.locks` where it exists. */
  locks?: LockManager;
  now?: () => number;
}

/** How long a record lives after its last write: a day. */
export const RESUME_TTL = 24 * 60 * 60 * 1000;
const STORE = 'uploads';
const LOCK = 'itty-uploader-resume:';

export const fingerprintOf = (source: File, relativePath?: string): ResumeFingerprint => ({
  name: source.name,
  size: source.size,
  lastModified: source.lastModified,
  type: source.type,
  ...(relativePath ? { relativePath } : {}),
});

export const recordId = (key: string, file: ResumeFingerprint): string =>
  `${key}\n${JSON.stringify([file.relativePath ?? '', file.name, file.size, file.lastModified, file.type])}`;

/** A record of `state` (never of bytes): what the storage acknowledged so far. */
export function recordOf(
  key: string,
  file: ResumeFingerprint,
  state: ResumeState,
  now: number,
  meta?: Record<string, string>,
): ResumeRecord {
  // `discard` (a function) is not data: the page that restores a multipart upload gives it its own.
  const { acked, probe, discard, ...rest } = state;
  // S3 multipart: the sizes of the parts the store took (`parts` is a Map: IndexedDB's structured clone keeps it).
  let loaded = 0;
  for (const part of state.parts?.values() ?? []) loaded += part.size;
  const record: ResumeRecord = {
    id: recordId(key, file),
    key,
    file,
    state: { ...rest, acked: [...acked] },
    loaded: Math.min(file.size, loaded || acked.size * (state.chunkSize ?? 0)),
    updated: now,
    // The target's expiry bounds the record only when the target cannot be signed again (no kind today).
    expires: now + RESUME_TTL,
  };
  if (meta) record.meta = meta;
  return record;
}

/**
 * The queue's state from a record: a chunked upload asks the storage what it holds before it sends (`probe`); an S3
 * multipart upload (`multipart`, `parts`) asks `list-parts` instead.
 */
export const stateOf = (record: ResumeRecord): ResumeState => ({
  ...record.state,
  acked: new Set(record.state.acked),
  probe: !record.state.multipart,
});

/**
 * Opens the store (lazily, on the first call). Every method rejects when IndexedDB is missing, blocked (private
 * windows of some browsers), or refuses a write (quota): callers carry on without it.
 */
export function openResumeStore(options: ResumeStoreOptions = {}): ResumeStore {
  const now = options.now ?? Date.now;
  const locks = options.locks ?? (globalThis.navigator as Navigator | undefined)?.locks;
  let opening: Promise<IDBDatabase> | undefined;
  const db = () =>
    (opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = (options.indexedDB ?? indexedDB).open(options.name ?? 'itty-uploader', 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
      request.onsuccess = () => {
        const connection = request.result;
        // Another tab upgrading the database: let it, and open again next time.
        connection.onversionchange = () => {
          connection.close();
          opening = undefined;
        };
        resolve(connection);
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new DOMException('IndexedDB is blocked', 'InvalidStateError'));
    }));
  // One transaction per call; the writes of one record are applied in the order they were asked (IndexedDB runs
  // read-write transactions of one store in the order they were created), so a delete after a put wins.
  const run = async <T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T> | undefined) => {
    const transaction = (await db()).transaction(STORE, mode);
    const request = act(transaction.objectStore(STORE));
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = transaction.onabort = () => reject(transaction.error ?? new DOMException('Aborted', 'AbortError'));
    });
    return request?.result as T;
  };
  const releases = new Map<string, () => void>();

  return {
    async list(key) {
      const range = IDBKeyRange.bound(`${key}\n`, `${key}\n\uffff`);
      const records = (await run('readonly', (store) => store.getAll(range))) as ResumeRecord[];
      const expired = records.filter((record) => !(record.expires > now()));
      if (expired.length) {
        await run('readwrite', (store) => {
          for (const record of expired) store.delete(record.id);
          return undefined;
        });
      }
      return records.filter((record) => record.expires > now());
    },
    put: (record) => run('readwrite', (store) => store.put(record)).then(() => {}),
    delete: (id) => run('readwrite', (store) => store.delete(id)).then(() => {}),
    claim(id) {
      if (!locks) return Promise.resolve(true);
      if (releases.has(id)) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        locks
          .request(LOCK + id, { ifAvailable: true }, (lock) => {
            if (!lock) return resolve(false);
            resolve(true);
            return new Promise<void>((release) => releases.set(id, release));
          })
          .catch(() => resolve(true));
      });
    },
    release(id) {
      releases.get(id)?.();
      releases.delete(id);
    },
    async released(id) {
      await locks?.request(LOCK + id, () => undefined).catch(() => undefined);
    },
    async claimed() {
      const state = await locks?.query().catch(() => undefined);
      return new Set((state?.held ?? []).flatMap((lock) => (lock.name?.startsWith(LOCK) ? [lock.name.slice(LOCK.length)] : [])));
    },
  };
}
