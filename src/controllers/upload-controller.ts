import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createUploadQueue, type QueueOptions, type UploadQueue } from '../core/queue.js';
import type { IttyFile } from '../core/types.js';
import {
  IttyQueueCompleteEvent,
  IttyUploadCancelEvent,
  IttyUploadErrorEvent,
  IttyUploadProgressEvent,
  IttyUploadStartEvent,
  IttyUploadSuccessEvent,
  type UploadItem,
} from '../elements/events.js';

type Host = ReactiveControllerHost & HTMLElement;

export interface UploadControllerOptions extends Pick<QueueOptions<File>, 'sign' | 'transport' | 'whenOnline'> {
  /** Text for the live region, at milestones only (start, every 25 %, done, failed, summary). */
  announce(text: string, item?: UploadItem): void;
  milestone: {
    start(item: UploadItem): string;
    progress(item: UploadItem, percent: number): string;
    done(item: UploadItem): string;
    failed(item: UploadItem, message: string): string;
    summary(succeeded: number, failed: number): string;
  };
}

const sameShape = (a: readonly UploadItem[], b: readonly UploadItem[]) =>
  a.length === b.length && a.every((item, i) => item.id === b[i]!.id && item.status === b[i]!.status);

/**
 * Joins the DOM-free upload queue to a Lit host: turns its callbacks into DOM events and renders.
 * Status changes render at once; byte progress (which WebKit reports every ~8 KB) is coalesced to
 * one render and one progress event per item per animation frame.
 */
export class UploadController implements ReactiveController {
  items: readonly UploadItem[] = [];
  readonly queue: UploadQueue<File>;
  readonly #host: Host;
  readonly #options: UploadControllerOptions;
  readonly #pendingProgress = new Set<string>();
  readonly #announcedQuarter = new Map<string, number>();
  #frame = 0;

  constructor(host: Host, options: UploadControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
    this.queue = createUploadQueue<File>({
      sign: options.sign,
      transport: options.transport,
      whenOnline: options.whenOnline,
      onChange: (items) => this.#onChange(items),
      onStart: (item) => {
        this.#announcedQuarter.set(item.id, 0);
        this.#announce(options.milestone.start(item), item);
        host.dispatchEvent(new IttyUploadStartEvent({ item }));
      },
      onProgress: (item) => {
        this.#pendingProgress.add(item.id);
        this.#scheduleFrame();
      },
      onSuccess: (item, file) => {
        this.#flushProgress(item.id);
        this.#announce(options.milestone.done(item), item);
        host.dispatchEvent(new IttyUploadSuccessEvent({ item, file }));
        host.dispatchEvent(new Event('change', { bubbles: true }));
      },
      onError: (item, error) => {
        this.#flushProgress(item.id);
        this.#announce(options.milestone.failed(item, error.message), item);
        host.dispatchEvent(new IttyUploadErrorEvent({ item, error }));
      },
      onCancel: (item) => {
        this.#pendingProgress.delete(item.id);
        host.dispatchEvent(new IttyUploadCancelEvent({ item }));
      },
      onComplete: ({ succeeded, failed }: { succeeded: IttyFile[]; failed: UploadItem[] }) => {
        if (succeeded.length + failed.length > 1) this.#announce(options.milestone.summary(succeeded.length, failed.length));
        host.dispatchEvent(new IttyQueueCompleteEvent({ succeeded, failed }));
      },
    });
  }

  hostConnected(): void {}

  // Moving the element disconnects and reconnects it, so uploads are not canceled here.
  hostDisconnected(): void {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#flushAllProgress();
  }

  get inFlight(): number {
    return this.items.filter((item) => item.status === 'signing' || item.status === 'uploading').length;
  }

  #onChange(items: readonly UploadItem[]) {
    const previous = this.items;
    this.items = items;
    for (const id of this.#announcedQuarter.keys()) {
      if (!items.some((item) => item.id === id)) this.#announcedQuarter.delete(id);
    }
    if (sameShape(previous, items)) this.#scheduleFrame();
    else this.#host.requestUpdate();
  }

  #scheduleFrame() {
    if (this.#frame || !this.#host.isConnected) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#flushAllProgress();
      this.#host.requestUpdate();
    });
  }

  #flushAllProgress() {
    for (const id of [...this.#pendingProgress]) this.#flushProgress(id);
  }

  #flushProgress(id: string) {
    if (!this.#pendingProgress.delete(id)) return;
    const item = this.items.find((candidate) => candidate.id === id);
    if (!item || item.status !== 'uploading') return;
    const { loaded, total } = item;
    const quarter = total > 0 ? Math.floor((loaded / total) * 4) : 0;
    if (quarter > (this.#announcedQuarter.get(id) ?? 0) && quarter < 4) {
      this.#announcedQuarter.set(id, quarter);
      this.#announce(this.#options.milestone.progress(item, quarter * 25), item);
    }
    this.#host.dispatchEvent(new IttyUploadProgressEvent({ item, loaded, total }));
  }

  #announce(text: string, item?: UploadItem) {
    this.#options.announce(text, item);
  }
}
