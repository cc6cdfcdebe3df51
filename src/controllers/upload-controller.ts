import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { displayName, percentOf } from '../core/items.js';
import { createUploadQueue, type QueueOptions, type UploadQueue } from '../core/queue.js';
import {
  IttyQueueCompleteEvent,
  IttyUploadCancelEvent,
  IttyUploadErrorEvent,
  IttyUploadProgressEvent,
  IttyUploadStartEvent,
  IttyUploadSuccessEvent,
  type UploadItem,
} from '../elements/events.js';
import type { UploaderStrings } from '../elements/uploader-strings.js';

type Host = ReactiveControllerHost & HTMLElement;

export interface UploadControllerOptions extends Pick<QueueOptions<File>, 'sign' | 'transport' | 'whenOnline' | 'measureImage'> {
  /** The host's texts, read when one is needed. */
  strings(): UploaderStrings;
  /** Text for the live region, at milestones only (start, every 25 %, done, failed, summary). */
  announce(text: string): void;
  /** The list changed (an item added, removed or changed status); called before any event about it. */
  changed(): void;
}

const sameShape = (a: readonly UploadItem[], b: readonly UploadItem[]) =>
  a.length === b.length && a.every((item, i) => item.id === b[i]!.id && item.status === b[i]!.status);

/**
 * Milliseconds between two progress reports of an item: Chromium's own XHR progress cadence. A timer, not an
 * animation frame: asking for a frame makes the browser produce one even when nothing on screen changes, which
 * took CPU from the upload itself (bench/: chunked uploads fire three requests' progress, one frame each).
 */
const PROGRESS_INTERVAL = 50;

/**
 * Joins the DOM-free upload queue to a Lit host: turns its callbacks into DOM events and announcements, and renders.
 * Status changes render at once; byte progress (which WebKit reports every ~8 KB) is coalesced to one
 * progress event per item every 50 ms, and renders only when a row's whole percent changed:
 * a slow upload reports progress for minutes, and most of those reports change no pixel.
 */
export class UploadController implements ReactiveController {
  items: readonly UploadItem[] = [];
  readonly queue: UploadQueue<File>;
  readonly #host: Host;
  readonly #options: UploadControllerOptions;
  /** Items whose latest progress is not reported yet. */
  readonly #pending = new Set<string>();
  /** The last quarter (0–3) announced for each item in flight. */
  readonly #quarters = new Map<string, number>();
  /** The percent each uploading item's row showed at the last render. */
  readonly #shown = new Map<string, number>();
  #timer?: ReturnType<typeof setTimeout>;

  constructor(host: Host, options: UploadControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
    const { strings, announce, changed, ...engine } = options;
    const emit = (event: Event) => host.dispatchEvent(event);
    // After an item's final outcome its pending progress is stale (the item is no longer uploading).
    const forget = (item: UploadItem) => {
      this.#pending.delete(item.id);
      this.#quarters.delete(item.id);
    };
    this.queue = createUploadQueue<File>({
      ...engine,
      onChange: (items) => {
        const previous = this.items;
        this.items = items;
        if (sameShape(previous, items)) return this.#schedule();
        changed();
        host.requestUpdate();
      },
      onStart: (item) => {
        this.#quarters.set(item.id, 0);
        announce(strings().announceStart(displayName(item)));
        emit(new IttyUploadStartEvent({ item }));
      },
      onProgress: (item) => {
        this.#pending.add(item.id);
        this.#schedule();
      },
      onSuccess: (item, file) => {
        forget(item);
        announce(strings().announceDone(displayName(item)));
        emit(new IttyUploadSuccessEvent({ item, file }));
        emit(new Event('change', { bubbles: true }));
      },
      onError: (item, error) => {
        forget(item);
        announce(strings().announceFailed(displayName(item), error.message));
        emit(new IttyUploadErrorEvent({ item, error }));
      },
      onCancel: (item) => {
        forget(item);
        emit(new IttyUploadCancelEvent({ item }));
      },
      onComplete: ({ succeeded, failed }) => {
        if (succeeded.length + failed.length > 1) announce(strings().announceSummary(succeeded.length, failed.length));
        emit(new IttyQueueCompleteEvent({ succeeded, failed }));
      },
    });
  }

  hostUpdate(): void {
    this.#shown.clear();
    for (const item of this.items) if (item.status === 'uploading') this.#shown.set(item.id, percentOf(item));
  }

  // Moving the element disconnects and reconnects it, so uploads are not canceled here.
  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushAll();
  }

  #schedule() {
    if (this.#timer || !this.#host.isConnected) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flushAll();
      if (this.items.some((item) => item.status === 'uploading' && this.#shown.get(item.id) !== percentOf(item))) this.#host.requestUpdate();
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
      this.#options.announce(this.#options.strings().announceProgress(displayName(item), quarter * 25));
    }
    this.#host.dispatchEvent(new IttyUploadProgressEvent({ item, loaded, total }));
  }
}
