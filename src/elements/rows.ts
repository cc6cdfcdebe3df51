// The rows of <itty-uploader>'s list: one template per file, with its thumbnail, name, size, progress, status and buttons.
import { html, nothing } from 'lit';
import { displayName, isUnfinished, percentOf } from '../core/items.js';
import { safeUrl } from '../core/url.js';
import type { Thumbnails } from '../browser/thumbnails.js';
import type { Words } from '../controllers/words-controller.js';
import type { IttyFile } from '../core/types.js';
import type { UploadItem } from '../events.js';

export type ItemAction = 'cancel' | 'retry' | 'remove' | 'pause' | 'resume';

/** What a row needs besides its item. */
export interface RowContext {
  words: Words;
  /** The buttons are disabled. */
  off: boolean;
  /** Uploads wait for the network. */
  offline: boolean;
  /** Rows in the list. */
  count: number;
  /** The object URLs of images' previews. */
  thumbnails: Thumbnails;
  action(action: ItemAction, id: string): void;
  /** With `sortable`, once the code that moves rows is in (controllers/sortable.ts): the row's move handle. */
  handle?: (item: UploadItem, name: string, c: RowContext) => unknown;
  /** The row's pause or resume button, from the words chunk (elements/summary.ts). */
  more?(item: UploadItem, name: string, c: RowContext): unknown;
}

const extension = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 && name.length - dot <= 6 ? name.slice(dot + 1).toUpperCase() : 'FILE';
};

const icon = (d: string) => html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${d} /></svg>`;
const icons = {
  cancel: icon('M6 6l12 12M18 6 6 18'),
  retry: icon('M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7'),
  remove: icon('M4 7h16M10 11v6m4-6v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3'),
};

// Labelled with the name the row shows: files of a dropped or picked folder may share a name, not a path.
const button = (action: keyof typeof icons, item: UploadItem, name: string, c: RowContext) =>
  html`<button part="${action}-button" type="button" aria-label=${c.words(action, { name })} ?disabled=${c.off}
    @click=${() => c.action(action, item.id)}>${icons[action]}</button>`;

const statuses = {
  queued: 'statusQueued',
  signing: 'statusPreparing',
  uploading: 'statusUploading',
  paused: 'statusPaused',
  finalizing: 'statusFinalizing',
  done: 'statusDone',
  error: 'statusFailed',
  canceled: 'statusCanceled',
  rejected: 'statusRejected',
  interrupted: 'statusInterrupted',
} as const;

/** The row of `item`, the `index`th (0-based) of the list. */
export function renderRow(item: UploadItem, index: number, c: RowContext) {
  const t = c.words;
  const { source, status } = item;
  // Its path in a picked or dropped folder, else its name; a stored file's (set through `value`) from its File object.
  const name = displayName(item);
  const percent = percentOf(item);
  // A stored file's thumbnail is its own URL, under <itty-file>'s rules (http(s), blob: or relative only).
  const stored = (item as { file?: IttyFile }).file;
  const thumbnail = source ? c.thumbnails.url(source) : stored?.kind === 'image' ? safeUrl(stored.url) : undefined;
  // Stored, and the File object says it is still being processed (`status-endpoint`, `updateFile()`).
  const processing = status === 'done' && /^(waiting|processing)$/.test(item.file.status!);
  const busy = status !== 'rejected' && isUnfinished(status);
  const statusText =
    busy && c.offline
      ? t('statusOffline')
      : status === 'uploading' || status === 'paused'
        ? t(statuses[status], { percent: t.percent(percent) })
        : t(processing ? 'statusProcessing' : statuses[status]);
  // What went wrong, in words: a failed upload's code (the server's own message after it, as a secondary detail), or the rule.
  const problem = status === 'error' ? t.error(item.error) : status === 'rejected' ? item.message : '';
  const detail = status === 'error' && item.error.serverMessage;
  return html`<li part="item item-${status}${processing ? ' item-processing' : ''}" class="item" aria-posinset=${index + 1} aria-setsize=${c.count}>
    ${c.handle?.(item, name, c)}
    ${
      thumbnail
        ? html`<img part="thumbnail" class="thumbnail" src=${thumbnail} alt="" loading="lazy" decoding="async" />`
        : html`<span part="thumbnail" class="thumbnail badge" aria-hidden="true">${extension(name)}</span>`
    }
    <div class="body">
      <div class="line">
        <span part="name" class="name" title=${name}>${name}</span>
        <span part="size" class="size">${t.size(source?.size ?? item.total)}</span>
      </div>
      ${
        busy || status === 'done'
          ? html`<div
            part="progress"
            class="progress"
            role="progressbar"
            aria-label=${t('progressLabel', { name })}
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=${status === 'done' ? 100 : percent}
          >
            <div part="progress-bar" class="bar" style="transform: scaleX(${status === 'done' ? 1 : percent / 100})"></div>
          </div>`
          : nothing
      }
      <div class="line">
        <span part="status" class="status">${statusText}</span>${
          problem || detail
            ? // The status and the reason read as one sentence ("Failed: …"); the colon is for screen readers, the layout shows the break.
              html`<span class="visually-hidden">: </span><span part="error" class="error"
                >${problem}${detail ? html` <span class="detail">${detail}</span>` : nothing}</span
              >`
            : nothing
        }
      </div>
    </div>
    <div class="actions">
      ${c.more?.(item, name, c)}
      ${busy ? button('cancel', item, name, c) : nothing}
      ${status === 'error' || status === 'canceled' ? button('retry', item, name, c) : nothing}
      ${busy ? nothing : button('remove', item, name, c)}
    </div>
  </li>`;
}
