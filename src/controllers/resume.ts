// `persist` (SPEC §3.6), loaded on demand (chunks/resume-*.js) the first time an `<itty-uploader>` has it set: joins
// the element's upload queue to the resume store. It records each resumable upload as the storage acknowledges its
// chunks (the queue's `onAck`), lists the unfinished records of the element's key as `interrupted` rows, and resumes
// the one whose file is chosen again. Where IndexedDB is missing, blocked or full, uploads go on as without `persist`
// (one console warning).
import type { UploadQueue } from '../core/queue.js';
import type { InterruptedItem } from '../core/types.js';
import type { ResumeState } from '../core/upload.js';
import {
  fingerprintOf,
  openResumeStore,
  recordId,
  recordOf,
  stateOf,
  type ResumeRecord,
  type ResumeStore,
} from '../browser/resume-store.js';
import { IttyUploadResumeEvent, type SentItem, type UploadItem } from '../events.js';
import type { UploadHost } from './upload-controller.js';

/** What this module reads of the host besides `UploadHost`. */
export interface PersistHost extends UploadHost {
  persist?: boolean | string | null;
  meta?: Record<string, string> | ((source: File) => Record<string, string>);
}

type Entry = File | { source: File; relativePath?: string; resume?: ResumeState };

const attached = new WeakSet<object>();
let rows = 0;

/** The store every element of the page shares; tests replace it (`useResumeStore`). */
let shared: ResumeStore | undefined;
export const useResumeStore = (store: ResumeStore | undefined): void => void (shared = store);

/** The key of `host`'s records: its `persist` text, else the page path plus its `id` or `name`. */
export const persistKey = (host: PersistHost): string | undefined => {
  const { persist } = host;
  if (persist == null || persist === false) return undefined;
  return typeof persist === 'string' && persist && persist !== 'true'
    ? persist
    : `${location.pathname}#${host.id || host.getAttribute('name') || ''}`;
};

/**
 * Persists the uploads of `host`'s queue (once per element; later calls do nothing). Reads `host.persist` each time
 * it writes: set to `false` (or removed), nothing more is written.
 */
export default function persistUploads(_uploads: object, queue: UploadQueue<File>, host: PersistHost): void {
  if (attached.has(host)) return;
  attached.add(host);
  const store = (shared ??= openResumeStore());
  let off = false;
  // The first failure of IndexedDB turns persistence off for this element: one warning, uploads go on.
  const fail = (error: unknown) => {
    if (off) return;
    off = true;
    console.warn('itty-uploader: persist is off (IndexedDB unavailable or full)', error);
  };

  /** Each file in the queue: its record's id (the key it had when added), and whether this tab may write it. */
  const files = new WeakMap<File, { id: string; key: string; relativePath?: string; claim?: Promise<boolean> }>();
  /** The rows of records of an earlier visit, with their records. */
  let interrupted: { item: InterruptedItem; record: ResumeRecord }[] = [];
  // Writes of one record are chained: an acknowledgement never overtakes the delete after the file's success.
  const pending = new Map<string, Promise<unknown>>();
  const chain = (id: string, act: () => Promise<unknown>) => {
    const next = (pending.get(id) ?? Promise.resolve()).then(act).catch(fail);
    pending.set(id, next);
    void next.then(() => pending.get(id) === next && pending.delete(id));
    return next;
  };

  // The list the element shows (its `items`): the uploads', then the interrupted rows (the same array while there
  // are none, and while neither changed).
  let proto = Object.getPrototypeOf(host) as object | null;
  let own: PropertyDescriptor | undefined;
  while (proto && !(own = Object.getOwnPropertyDescriptor(proto, 'items'))) proto = Object.getPrototypeOf(proto) as object | null;
  let base: readonly UploadItem[] | undefined;
  let combined: readonly UploadItem[] = [];
  Object.defineProperty(host, 'items', {
    configurable: true,
    get: () => {
      const items = own!.get!.call(host) as readonly UploadItem[];
      if (!interrupted.length) return items;
      if (items !== base || !combined.length) [base, combined] = [items, [...items, ...interrupted.map((row) => row.item)]];
      return combined;
    },
  });
  const setRows = (next: typeof interrupted) => {
    interrupted = next;
    combined = [];
    host.requestUpdate();
  };

  const forget = (source: File | undefined) => {
    const file = source && files.get(source);
    if (!file) return;
    files.delete(source);
    void chain(file.id, async () => {
      if (!off && (await file.claim) !== false) await store.delete(file.id);
      store.release(file.id);
    });
  };
  // An interrupted S3 multipart upload removed (the queue never had that one), or resumed and then canceled before its
  // run took it over, is aborted at the endpoint, as the queue's signer sends a multipart action (a JSON POST; SPEC
  // §5.4): fire-and-forget, so that no parts are left to pay for. (Not through sign-loader.js: importing it here splits
  // the first-load bundle.)
  const abort =
    ({ state: { multipart } }: ResumeRecord) =>
    () =>
      void (
        multipart &&
        host.endpoint &&
        fetch(new URL(host.endpoint, document.baseURI), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...host.endpointHeaders },
          body: JSON.stringify({ action: 'abort', uploadId: multipart.uploadId, key: multipart.key }),
          credentials: host.withCredentials ? 'include' : 'same-origin',
          keepalive: true,
        }).catch(() => {})
      );
  const drop = (row: (typeof interrupted)[number]) => {
    abort(row.record)();
    void chain(row.record.id, () => store.delete(row.record.id));
  };

  const write = (state: ResumeState, source: File) => {
    const file = files.get(source);
    if (!file || off || persistKey(host) === undefined) return undefined;
    // A record another tab holds (it is uploading that file) is left to it.
    file.claim ??= store.claim(file.id);
    const meta = typeof host.meta === 'function' ? undefined : host.meta;
    const record = recordOf(file.key, fingerprintOf(source, file.relativePath), state, Date.now(), meta);
    const written = chain(file.id, async () => {
      if (await file.claim) await store.put(record);
    });
    // The first write is awaited by the upload before its first chunk: never for more than a moment.
    return Promise.race([written, new Promise((resolve) => setTimeout(resolve, 2000))]);
  };
  queue.configure({ onAck: write });

  // Outcomes: a stored or canceled file's record goes; a failed one's stays (it may resume after a reload).
  host.addEventListener('itty-upload-success', (event) => forget(event.detail.item.source));
  host.addEventListener('itty-upload-cancel', (event) => forget(event.detail.item.source));
  host.addEventListener('itty-upload-error', (event) => {
    const file = event.detail.item.source && files.get(event.detail.item.source);
    if (file) void chain(file.id, async () => store.release(file.id));
  });

  const { add, remove, clear } = queue;
  queue.add = (entries: ReadonlyArray<Entry>) => {
    const key = persistKey(host);
    const resumed: string[] = [];
    const list = entries.map((entry): Entry => {
      const { source, relativePath } =
        typeof (entry as File).slice == 'function' ? { source: entry as File, relativePath: undefined } : (entry as Exclude<Entry, File>);
      if (key === undefined) return entry;
      const id = recordId(key, fingerprintOf(source, relativePath));
      files.set(source, { id, key, relativePath });
      const row = interrupted.find((candidate) => candidate.record.id === id);
      if (!row) return entry;
      resumed.push(id);
      setRows(interrupted.filter((other) => other !== row));
      return { source, relativePath, resume: { ...stateOf(row.record), discard: abort(row.record) } };
    });
    const added = add(list);
    for (const item of added) {
      if (resumed.includes(files.get(item.source!)?.id ?? '')) host.dispatchEvent(new IttyUploadResumeEvent({ item: item as SentItem }));
    }
    return added;
  };
  queue.remove = (id) => {
    const row = interrupted.find((candidate) => candidate.item.id === id);
    if (row) {
      drop(row);
      return setRows(interrupted.filter((other) => other !== row));
    }
    const source = queue.items.find((item) => item.id === id)?.source;
    remove(id);
    forget(source);
  };
  queue.clear = () => {
    const sources = queue.items.map((item) => item.source);
    interrupted.forEach(drop);
    if (interrupted.length) setRows([]);
    clear();
    sources.forEach(forget);
  };

  // The records of the last visit: those no tab is uploading now, and no file of this list is.
  const key = persistKey(host);
  if (key === undefined) return;
  // Files added before this chunk was in are recorded from their next acknowledged chunk on.
  for (const { source, relativePath } of queue.items) {
    if (source) files.set(source, { id: recordId(key, fingerprintOf(source, relativePath)), key, relativePath });
  }
  // Shown: records no tab holds, and no file of this list or row is. A record another tab holds (it is uploading
  // that file, or it is the page this one replaced, whose locks go a moment after it) is shown once that tab lets go
  // of it, if it is still there.
  const show = (records: ResumeRecord[]) => {
    const listed = new Set([
      ...queue.items.map((item) => item.source && files.get(item.source)?.id),
      ...interrupted.map((row) => row.record.id),
    ]);
    const found = records
      .filter((record) => !listed.has(record.id))
      .map((record) => ({
        record,
        item: {
          id: `interrupted-${++rows}`,
          status: 'interrupted',
          name: record.file.name,
          size: record.file.size,
          ...(record.file.relativePath ? { relativePath: record.file.relativePath } : {}),
          loaded: record.loaded,
          total: record.file.size,
        } satisfies InterruptedItem,
      }));
    if (found.length) setRows([...interrupted, ...found]);
  };
  void Promise.all([store.list(key), store.claimed()])
    .then(([records, claimed]) => {
      show(records.filter((record) => !claimed.has(record.id)));
      for (const record of records.filter((other) => claimed.has(other.id))) {
        void store
          .released(record.id)
          .then(() => store.list(key))
          .then((now) => show(now.filter((other) => other.id === record.id)))
          .catch(fail);
      }
    })
    .catch(fail);
}
