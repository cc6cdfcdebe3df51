import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { displayName, isInFlight, percentOf } from '../core/items.js';
import { createUploadQueue, type UploadQueue } from '../core/queue.js';
import { lazySigner } from '../core/sign-loader.js';
import type { GetUploadUrl } from '../core/sign.js';
import type { IttyFile } from '../core/types.js';
import { parseSize } from '../core/units.js';
import { UploadError } from '../core/errors.js';
import { validateFiles, type RejectKey } from '../core/rules.js';
import type { PickedFile } from '../browser/data-transfer.js';
import { whenOnline } from '../browser/network.js';
import { failureTools, loadFailure } from '../core/failure-loader.js';
import { lazy, unavailable } from '../core/shared.js';
import { metaFits } from '../core/meta.js';
import { xhrTransport } from '../browser/xhr-transport.js';
import type { RejectedItem } from '../core/types.js';
import type { Words } from './words-controller.js';
import type { Checked, MediaRules } from './media-rules.js';
import type { MessageKey } from '../locales/en.js';
import type { MediaPreparation } from './transform.js';
import {
  changeEvent,
  IttyQueueCompleteEvent,
  IttyRejectEvent,
  IttySelectEvent,
  IttyUploadCancelEvent,
  IttyUploadErrorEvent,
  IttyUploadPauseEvent,
  IttyUploadProgressEvent,
  IttyUploadResumeEvent,
  IttyUploadStartEvent,
  IttyUploadSuccessEvent,
  IttyUploadProcessedEvent,
  type SentItem,
  type UploadItem,
} from '../events.js';

/** What the controller reads from its host: the element's public settings, read when they are needed. */
export interface UploadHost extends ReactiveControllerHost, HTMLElement, MediaRules, MediaPreparation {
  endpoint: string;
  getUploadUrl?: GetUploadUrl<File>;
  endpointHeaders: Record<string, string>;
  withCredentials: boolean;
  folder?: string;
  accept: string;
  multiple: boolean;
  minSize?: number | string;
  maxSize?: number | string;
  maxFiles?: number;
  maxTotalSize?: number | string;
  allowDuplicates: boolean;
  concurrency: number;
  retries: number;
  chunkSize?: number | string;
  parallelChunks: number;
  stallTimeout: number;
  manual: boolean;
  guardUnload: boolean;
  meta?: Record<string, string> | ((source: File) => Record<string, string>);
  completeEndpoint?: string;
  statusEndpoint?: string;
  persist?: boolean | string | null;
}

let rejectedIds = 0;

// Why a file's `meta` was refused (for developers: an app's metadata, not the user's choice, broke the limits).
const META_LIMITS = 'meta must be at most 32 keys [A-Za-z0-9_]{1,32} with texts of at most 2048 characters';

const sameShape = (a: readonly UploadItem[], b: readonly UploadItem[]) =>
  a.length === b.length && a.every((item, i) => item.id === b[i]!.id && item.status === b[i]!.status);

/**
 * Milliseconds between two progress reports of an item: Chromium's own XHR progress cadence. A timer, not an
 * animation frame: asking for a frame makes the browser produce one even when nothing on screen changes, which
 * took CPU from the upload itself (bench/: chunked uploads fire three requests' progress, one frame each).
 */
const PROGRESS_INTERVAL = 50;

/**
 * The uploads of a host element: owns the DOM-free queue (signing at the host's endpoint, sending with XMLHttpRequest),
 * normalises the host's settings for it, validates what is
 * added (`itty-select`, `itty-reject`), turns the queue's callbacks into DOM events (`change` included) and the live
 * region's announcements, and guards the page's unload.
 * Status changes render at once; byte progress (which WebKit reports every ~8 KB) is coalesced to one
 * progress event per item every 50 ms, and renders only when a row's whole percent changed:
 * a slow upload reports progress for minutes, and most of those reports change no pixel.
 */
export class UploadController implements ReactiveController {
  /** The list: the queue's items, then the rejected rows of the last selection. */
  items: readonly UploadItem[] = [];
  /** The browser says it is offline: uploads wait for the network (the queue's `whenOnline`). */
  offline = false;
  /** What the live region says: the milestones since the last render (start, every 25 %, done, failed, summary). */
  announcement = '';
  readonly #queue: UploadQueue<File>;
  readonly #host: UploadHost;
  readonly #words: Words;
  /** The queue's items. */
  #queued: readonly UploadItem[] = [];
  /** The last selection's files that failed a rule: in the list, never in the queue. */
  #rejected: readonly RejectedItem<File>[] = [];
  /** Items whose latest progress is not reported yet. */
  readonly #pending = new Set<string>();
  /** The last quarter (0–3) announced for each item in flight. */
  readonly #quarters = new Map<string, number>();
  /** The percent each uploading item's row showed at the last render. */
  readonly #shown = new Map<string, number>();
  #timer?: ReturnType<typeof setTimeout>;
  readonly #changed: () => void;
  /** Texts were announced since the last render: more are added to them. */
  #announcing = false;

  /** `changed` is called when the list changed (an item added, removed or changed status), before any event about it. */
  constructor(host: UploadHost, words: Words, changed: () => void) {
    this.#host = host;
    this.#words = words;
    this.#changed = changed;
    host.addController(this);
    const emit = (event: Event) => host.dispatchEvent(event);
    // After an item's final outcome its pending progress is stale (the item is no longer uploading).
    const forget = (item: UploadItem) => {
      this.#pending.delete(item.id);
      this.#quarters.delete(item.id);
    };
    this.#queue = createUploadQueue<File>({
      // The signing code loads when the first file is queued (chunks/signing-*.js in the CDN bundle).
      sign: lazySigner({
        endpoint: () => host.endpoint,
        getUploadUrl: () => host.getUploadUrl,
        headers: () => host.endpointHeaders,
        withCredentials: () => host.withCredentials,
        folder: () => host.folder,
        baseUrl: () => document.baseURI,
      }),
      transport: xhrTransport,
      whenOnline,
      // Needed only when the storage answers no File object (S3 and friends): loaded then.
      measureImage: (source) => import('../browser/image-size.js').then((m) => m.measureImage(source)),
      // The completion call (`complete-endpoint`), from the lifecycle chunk.
      finish: (item, file, signal) => (host.completeEndpoint ? this.#life().then((life) => life.complete(item, file, signal)) : undefined),
      // `transform`, `resize`, `convert`: loaded the first time a file is signed with one of them set.
      prepare: (item, signal) =>
        host.transform || host.resize || host.convert
          ? import('./transform.js').then(
              (m) => m.prepare(host, item, signal, UploadError),
              (error: unknown) => Promise.reject(unavailable('transform', error)),
            )
          : undefined,
      onChange: (items) => {
        const previous = this.#queued;
        this.#queued = items;
        this.#list();
        if (sameShape(previous, items)) return this.#schedule();
        changed();
        host.requestUpdate();
        this.#watch();
      },
      onStart: (item) => {
        this.#quarters.set(item.id, 0);
        this.#say(() => words('announceStart', { name: displayName(item) }));
        emit(new IttyUploadStartEvent({ item: item as SentItem }));
      },
      onProgress: (item) => {
        this.#pending.add(item.id);
        this.#schedule();
      },
      onSuccess: (item, file) => {
        forget(item);
        this.#say(() => words('announceDone', { name: displayName(item) }));
        emit(new IttyUploadSuccessEvent({ item: item as SentItem, file }));
        emit(changeEvent());
      },
      onError: (item, error) => {
        forget(item);
        this.#say(() => words('announceFailed', { name: displayName(item), reason: words.error(error) }));
        emit(new IttyUploadErrorEvent({ item: item as SentItem, error }));
      },
      onCancel: (item) => {
        forget(item);
        emit(new IttyUploadCancelEvent({ item: item as SentItem }));
      },
      onPause: (item) => emit(new IttyUploadPauseEvent({ item: item as SentItem })),
      onResume: (item) => emit(new IttyUploadResumeEvent({ item: item as SentItem })),
      onComplete: ({ succeeded, failed }) => {
        const count = succeeded.length + failed.length;
        if (count > 1)
          this.#say(() =>
            failed.length
              ? words('announceSummary', { succeeded: succeeded.length, failed: failed.length })
              : words('announceAllDone', { count }),
          );
        emit(new IttyQueueCompleteEvent({ succeeded, failed }));
      },
    });
  }

  /** The lifecycle chunk (completion calls, status polling), loaded the first time it is needed. */
  readonly #life = lazy(
    () =>
      Promise.all([import('./lifecycle.js'), loadFailure()]).then(([m, path]) =>
        m.lifecycle(this.#host, this, path, failureTools, whenOnline),
      ),
    'lifecycle',
  );

  /** The value set by code, which a form's reset restores. */
  #defaults?: IttyFile[];

  /** The File objects of the uploaded files, in list order. */
  get value(): IttyFile[] {
    return this.items.flatMap((item) => (item.status === 'done' ? [item.file] : []));
  }

  /** Some file is signing or uploading. */
  get busy(): boolean {
    return this.items.some((item) => isInFlight(item.status));
  }

  /**
   * Adds picked, dropped or pasted files: `itty-select` (cancelable), the host's rules (`itty-reject` for each
   * file refused), then the queue, which starts them unless `manual`. Returns the items added. With rules that read
   * inside files (media-rules.ts) the selection is added once they are checked, as `checked` (and [] is returned).
   */
  add(picked: PickedFile[], checked?: Checked): UploadItem[] {
    const host = this.#host;
    const sources = picked.map((p) => p.source);
    if (!sources.length || !(checked || host.dispatchEvent(new IttySelectEvent({ files: [...sources] })))) return [];
    // Without `multiple` the element holds one file, like <input type=file>: a new pick replaces it.
    // Every listed file counts, failed and canceled ones too (SPEC: "in the list"): Retry would send them again.
    // The words of a rejection wait for the words chunk (in long before a user picks a file): the rules are applied
    // now, with the keys and values kept, and each message is written when the words are in.
    const words = this.#words;
    const asked: [MessageKey, Record<string, string | number>][] = [];
    const { accepted, rejected } = validateFiles(sources, {
      accept: host.accept,
      minSize: parseSize(host.minSize),
      maxSize: parseSize(host.maxSize),
      maxFiles: host.maxFiles,
      maxTotalSize: host.maxTotalSize,
      multiple: host.multiple,
      allowDuplicates: host.allowDuplicates,
      // A stored file (set through `value`) counts, but equals no file picked: its key is none of theirs.
      existing: host.multiple ? this.#queued.map((item) => item.source ?? ({} as File)) : [],
      words: (key, values) => {
        asked.push([key, values]);
        return '';
      },
      size: (bytes) => String(bytes),
    });
    // `meta` as ittybit keeps it (SPEC §5.1), per file: metadata beyond its limits rejects the file (reason `custom`).
    const metas = new Map<File, Record<string, string>>();
    const { meta } = host;
    for (const source of meta ? [...accepted] : []) {
      let value: unknown;
      try {
        value = typeof meta == 'function' ? meta(source) : meta;
      } catch {}
      if (metaFits(value)) metas.set(source, value as Record<string, string>);
      else {
        accepted.splice(accepted.indexOf(source), 1);
        rejected.push({ source, reason: 'custom', message: '' });
        asked.push(['rejectCustom' as RejectKey, { name: source.name, message: META_LIMITS }]);
      }
    }
    // The rules that read inside files (media-rules.ts, loaded when one is set) check the accepted files first.
    if (
      !checked &&
      (host.validate || host.minWidth || host.maxWidth || host.minHeight || host.maxHeight || host.minDuration || host.maxDuration)
    ) {
      void import('./media-rules.js').then(
        (m) => m.check(host, accepted, (c) => this.add(picked, c)),
        // The rules could not be loaded (a chunk missing beside a copied bundle, offline): nothing is added unchecked,
        // and nothing disappears without a word: each file is a rejected row, "could not be checked".
        (error: unknown) => {
          console.error(unavailable('media-rules', error));
          this.add(picked, (ok, no, words) => {
            for (const source of ok.splice(0)) {
              no.push({ source, reason: 'custom', message: '' });
              words.push(['rejectCheckFailed' as RejectKey, { name: source.name }]);
            }
          });
        },
      );
      return [];
    }
    checked?.(accepted, rejected, asked);
    const paths = new Map(picked.map((p) => [p.source, p.relativePath]));
    // A listener that throws is reported by the browser and stops nothing: dispatchEvent returns all the same.
    // A canceled event leaves the file to the app; the others become the list's rejected rows, replacing the last
    // selection's, each announced.
    let rows: RejectedItem<File>[] | undefined = rejected.length ? undefined : [];
    const refuse = () => {
      rows = [];
      rejected.forEach(({ source, reason }, i) => {
        const [key, values] = asked[i]!;
        // Sizes are written for the language now that its words are in (`size` above kept the bytes).
        const message =
          words(key, reason.endsWith('size') ? { ...values, limit: words.size(+values['limit']!) } : values) || words('statusRejected');
        if (!host.dispatchEvent(new IttyRejectEvent({ source: source as File, reason, message }))) return;
        const relativePath = paths.get(source);
        rows!.push({
          id: `rejected-${++rejectedIds}`,
          source,
          ...(relativePath && { relativePath }),
          loaded: 0,
          total: source.size,
          status: 'rejected',
          reason,
          message,
        });
        this.#announce(message);
      });
    };
    if (!rows) words.when(refuse);
    if (accepted.length && !host.multiple && this.#queued.length) this.clear();
    if (rows) this.#setRejected(rows);
    else words.when(() => this.#setRejected(rows!));
    if (!accepted.length) return [];
    const keep = new Set(accepted);
    return this.#queue.add(picked.filter((p) => keep.has(p.source)).map((p) => ({ ...p, meta: metas.get(p.source) })));
  }

  /** Starts every queued file. */
  upload(): void {
    this.#queue.upload();
  }

  cancel(id?: string): void {
    this.#queue.cancel(id);
  }

  retry(id?: string): void {
    this.#queue.retry(id);
  }

  pause(id?: string): void {
    this.#queue.pause(id);
  }

  resume(id?: string): void {
    this.#queue.resume(id);
  }

  /**
   * Replaces the list with files already stored (`value` set by code, or restored by the browser): `done` rows with no
   * `source`. Anything but an array of File objects (objects with a string `url`) is refused with a console error
   * naming the entry, the list unchanged. `remember`: the value a form's reset restores.
   */
  adopt(files: IttyFile[], remember = true): void {
    const given = files as unknown as { url?: unknown }[];
    const bad = Array.isArray(given) ? given.findIndex((file) => typeof file?.url != 'string') : -2;
    if (bad != -1)
      return console.error(
        `<itty-uploader> value: not a File object (${bad < 0 ? 'not an array' : `entry ${bad}`}):`,
        bad < 0 ? given : given[bad],
      );
    if (remember) this.#defaults = files;
    this.#setRejected([]);
    this.#queue.adopt(files);
  }

  /** A form's reset: the value set by code, else an empty list. */
  reset(): void {
    if (this.#defaults) this.adopt(this.#defaults, false);
    else this.clear();
  }

  /** Replaces a done file's File object: `change`, and `itty-upload-processed` when its processing ended. */
  updateFile(id: string, file: IttyFile): void {
    if (typeof file?.url != 'string' || !this.#queue.setFile(id, file)) return;
    const item = this.items.find((other) => other.id === id)!;
    // The list's shape is the same (the queue's onChange renders only a new shape): the form and the row follow here.
    this.#changed();
    this.#host.requestUpdate();
    this.#host.dispatchEvent(changeEvent());
    if (/^(ready|failed)$/.test(file.status!)) this.#host.dispatchEvent(new IttyUploadProcessedEvent({ item, file }));
    this.#watch();
  }

  // Polls `status-endpoint` for the files still processing, and stops the polls of files that left.
  #watch() {
    if (this.#host.statusEndpoint)
      void this.#life().then(
        (life) => life.watch(),
        () => {},
      );
  }

  /** Removes one file (canceling it when in flight); `change` when it was uploaded. */
  remove(id: string): void {
    if (this.#rejected.some((item) => item.id === id)) return this.#setRejected(this.#rejected.filter((item) => item.id !== id));
    const wasDone = this.items.some((item) => item.id === id && item.status === 'done');
    this.#queue.remove(id);
    if (wasDone) this.#host.dispatchEvent(changeEvent());
  }

  /** Moves a file of the queue to `to` (rejected rows stay after the queue's files). */
  move(id: string, to: number): void {
    this.#queue.move(id, to);
  }

  /** Empties the list (canceling uploads in flight); `change` when it held uploaded files. */
  clear(): void {
    const hadValue = this.value.length > 0;
    this.#setRejected([]);
    this.#queue.clear();
    if (hadValue) this.#host.dispatchEvent(changeEvent());
  }

  hostConnected(): void {
    addEventListener('beforeunload', this.#onBeforeUnload);
    addEventListener('online', this.#onNetwork);
    addEventListener('offline', this.#onNetwork);
    this.#onNetwork();
  }

  hostUpdate(): void {
    this.#configure();
    this.#shown.clear();
    for (const item of this.items) if (item.status === 'uploading') this.#shown.set(item.id, percentOf(item));
  }

  hostUpdated(): void {
    this.#announcing = false;
  }

  // Moving the element disconnects and reconnects it, so uploads are not canceled here.
  hostDisconnected(): void {
    removeEventListener('beforeunload', this.#onBeforeUnload);
    removeEventListener('online', this.#onNetwork);
    removeEventListener('offline', this.#onNetwork);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushAll();
  }

  #list() {
    this.items = this.#rejected.length ? [...this.#queued, ...this.#rejected] : this.#queued;
  }

  #setRejected(rows: readonly RejectedItem<File>[]) {
    if (!rows.length && !this.#rejected.length) return;
    this.#rejected = rows;
    this.#list();
    this.#host.requestUpdate();
  }

  #onNetwork = () => {
    const offline = !navigator.onLine;
    if (offline !== this.offline) {
      this.offline = offline;
      this.#host.requestUpdate();
    }
  };

  // The host's settings become the queue's as they are: the queue normalises them (core's normalizeSettings), and
  // uploads already running keep theirs while later steps use these.
  #configure() {
    const { concurrency, retries, chunkSize, parallelChunks, stallTimeout, manual, persist } = this.#host;
    this.#queue.configure({ concurrency, retries, chunkSize, parallelChunks, stallTimeout, autoStart: !manual });
    // `persist`: the resume store and its rows load on demand (chunks/resume-*.js), once per element.
    if (persist != null) import('./resume.js').then((m) => m.default(this, this.#queue, this.#host));
  }

  /** Announces `text()` once the words are in (at once when they are), in the order asked; nothing when it is ''. */
  #say(text: () => string) {
    this.#words.when(() => this.#announce(text()));
  }

  // Milestones of one moment (a file done and the next one starting, or failing) are all said, not only the last.
  // Not for a host no longer in a page (its words may arrive after an app test tore its DOM down).
  #announce(text: string) {
    if (!text || !this.#host.isConnected) return;
    this.announcement = this.#announcing ? `${this.announcement} ${text}` : text;
    this.#announcing = true;
    this.#host.requestUpdate();
  }

  #onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!this.#host.guardUnload || !this.busy) return;
    event.preventDefault();
    event.returnValue = this.#words('leaveWhileUploading');
  };

  #schedule() {
    if (this.#timer || !this.#host.isConnected) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flushAll();
      if (this.items.some((item) => item.status === 'uploading' && this.#shown.get(item.id) !== percentOf(item)))
        this.#host.requestUpdate();
    }, PROGRESS_INTERVAL);
  }

  #flushAll() {
    for (const id of this.#pending) this.#flush(id);
  }

  #flush(id: string) {
    this.#pending.delete(id);
    const item = this.items.find((candidate) => candidate.id === id);
    if (item?.status !== 'uploading') return;
    const { loaded, total } = item;
    const quarter = total > 0 ? Math.floor((loaded / total) * 4) : 0;
    if (quarter > (this.#quarters.get(id) ?? 0) && quarter < 4) {
      this.#quarters.set(id, quarter);
      this.#say(() => this.#words('announceProgress', { name: displayName(item), percent: this.#words.percent(quarter * 25) }));
    }
    this.#host.dispatchEvent(new IttyUploadProgressEvent({ item: item as SentItem, loaded, total }));
  }
}
