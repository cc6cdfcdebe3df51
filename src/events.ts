import type { UploadError } from './core/errors.js';
import type { IttyFile, RejectReason, UploadItem as CoreUploadItem } from './core/types.js';
import type { QueueProgress } from './core/progress.js';

export type { QueueProgress };

/**
 * One file in `<itty-uploader>`'s list; `source` is the DOM `File` the user chose (absent for a file set through
 * `value`: one already stored).
 */
export type UploadItem = CoreUploadItem<File>;

/** (v2) An item the user chose in this page: the events about sending bytes carry one, so `source` is always there. */
export type SentItem = UploadItem & { readonly source: File };

const init = { bubbles: true, composed: true } as const;

/** `change`: `value` changed by user action. Bubbles and is composed like every `itty-` event (SPEC §3). */
export const changeEvent = (): Event => new Event('change', init);

/** Files were chosen, dropped or pasted. Cancel it (`preventDefault()`) to drop them. */
export class IttySelectEvent extends Event {
  constructor(readonly detail: { files: File[] }) {
    super('itty-select', { ...init, cancelable: true });
  }
}

/**
 * A file failed `accept`, the size limits, `max-files` or the duplicate rule; `message` says why, in the user's
 * language. Unless canceled (`preventDefault()`: the app shows it itself), the file appears as a `rejected` row.
 * Fired while the files are added; for files added in the moment after the element connects, before its words
 * (a chunk it loads on connect) are in, as soon as they are: `await el.updateComplete` covers that wait.
 */
export class IttyRejectEvent extends Event {
  constructor(readonly detail: { source: File; reason: RejectReason; message: string }) {
    super('itty-reject', { ...init, cancelable: true });
  }
}

/** An item starts signing. */
export class IttyUploadStartEvent extends Event {
  constructor(readonly detail: { item: SentItem }) {
    super('itty-upload-start', init);
  }
}

/** Bytes were sent; at most once per animation frame per item (every 50 ms at most). */
export class IttyUploadProgressEvent extends Event {
  constructor(readonly detail: { item: SentItem; loaded: number; total: number }) {
    super('itty-upload-progress', init);
  }
}

/** The storage accepted the file; `detail.file` is the API's File object. */
export class IttyUploadSuccessEvent extends Event {
  constructor(readonly detail: { item: SentItem; file: IttyFile }) {
    super('itty-upload-success', init);
  }
}

/** An upload failed for good (after its retries). */
export class IttyUploadErrorEvent extends Event {
  constructor(readonly detail: { item: SentItem; error: UploadError }) {
    super('itty-upload-error', init);
  }
}

/** The user or code canceled an upload. */
export class IttyUploadCancelEvent extends Event {
  constructor(readonly detail: { item: SentItem }) {
    super('itty-upload-cancel', init);
  }
}

/** `pause()` stopped an upload; `detail.item.loaded` is what resume goes on from (0 for a single PUT: it starts again). */
export class IttyUploadPauseEvent extends Event {
  constructor(readonly detail: { item: SentItem }) {
    super('itty-upload-pause', init);
  }
}

/** `resume()` put a paused upload back in the queue. */
export class IttyUploadResumeEvent extends Event {
  constructor(readonly detail: { item: SentItem }) {
    super('itty-upload-resume', init);
  }
}

/**
 * (v2) A `done` file (uploaded now or set through `value`) is about to leave the list by user action: its row's
 * remove button (not `remove()` or `clear()` called by code). Cancel it (`preventDefault()`) to keep the file, e.g.
 * while the app asks the user, or deletes it on its server first and then calls `remove(id)`.
 */
export class IttyRemoveEvent extends Event {
  constructor(readonly detail: { item: UploadItem }) {
    super('itty-remove', { ...init, cancelable: true });
  }
}

/** (v2) A stored file's processing ended: its File object's `status` is `ready` or `failed` (`status-endpoint`, `updateFile()`). */
export class IttyUploadProcessedEvent extends Event {
  constructor(readonly detail: { item: UploadItem; file: IttyFile }) {
    super('itty-upload-processed', init);
  }
}

/** The queue became idle. */
export class IttyQueueCompleteEvent extends Event {
  constructor(readonly detail: { succeeded: IttyFile[]; failed: UploadItem[] }) {
    super('itty-queue-complete', init);
  }
}

/**
 * The whole list's progress moved: `loaded` and `total` bytes of the files that count (those still to be sent and
 * those sent in the current batch), the smoothed `bytesPerSecond`, and `secondsLeft` (`null` while unknown). Paced
 * like `itty-upload-progress`: at most once per 50 ms tick, and when a file's status changes.
 */
export class IttyQueueProgressEvent extends Event {
  constructor(readonly detail: QueueProgress) {
    super('itty-queue-progress', init);
  }
}

/** `<itty-file>`'s media (image, video, audio) loaded. */
export class IttyFileLoadEvent extends Event {
  constructor(readonly detail: { file: IttyFile }) {
    super('itty-file-load', init);
  }
}

/** `<itty-file>` could not load: the `src` fetch or the media failed. */
export class IttyFileErrorEvent extends Event {
  constructor(readonly detail: { error: Error }) {
    super('itty-file-error', init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'itty-select': IttySelectEvent;
    'itty-reject': IttyRejectEvent;
    'itty-upload-start': IttyUploadStartEvent;
    'itty-upload-progress': IttyUploadProgressEvent;
    'itty-upload-success': IttyUploadSuccessEvent;
    'itty-upload-error': IttyUploadErrorEvent;
    'itty-upload-cancel': IttyUploadCancelEvent;
    'itty-upload-pause': IttyUploadPauseEvent;
    'itty-upload-resume': IttyUploadResumeEvent;
    'itty-queue-complete': IttyQueueCompleteEvent;
    'itty-remove': IttyRemoveEvent;
    'itty-upload-processed': IttyUploadProcessedEvent;
    'itty-queue-progress': IttyQueueProgressEvent;
    'itty-file-load': IttyFileLoadEvent;
    'itty-file-error': IttyFileErrorEvent;
  }
}
