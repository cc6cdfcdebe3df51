// What a row's button does in <itty-uploader>'s list (the rows' templates are rows.ts).
import { IttyRemoveEvent, type UploadItem } from '../events.js';
import type { ItemAction } from './rows.js';

/** The host of the rows: its list, its render root, and a method per row action. */
export interface RowHost extends EventTarget, Record<ItemAction, (id: string) => void> {
  readonly items: readonly UploadItem[];
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
}

/**
 * Runs a row button's `action` on the file `id`: a user's removal of an uploaded file asks `itty-remove` first
 * (cancelable). The pressed button goes away (cancel and retry swap places, a removed row leaves): focus stays in
 * the row, or moves to the next one, else to the browse button.
 */
export function rowAction(host: RowHost, action: ItemAction, id: string): void {
  const index = host.items.findIndex((item) => item.id === id);
  const item = host.items[index];
  if (action == 'remove' && item?.status == 'done' && !host.dispatchEvent(new IttyRemoveEvent({ item }))) return;
  host[action](id);
  void host.updateComplete.then(() => {
    const root = host.renderRoot;
    const next = root.querySelector<HTMLButtonElement>(`[aria-posinset="${Math.min(index + 1, host.items.length)}"] button`);
    (next ?? root.querySelector<HTMLButtonElement>('[part=browse-button]'))?.focus();
  });
}
