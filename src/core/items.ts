// Facts about one upload item, shared by the queue, the controllers and the row templates.
import type { InterruptedItem, IttyFile, Source, UploadItem } from './types.js';

type Status = UploadItem['status'];

/** Signing or sending bytes: the item holds a slot of the queue's concurrency. */
export const isInFlight = (status: Status): boolean => status === 'signing' || status === 'uploading' || status === 'finalizing';

/** Not finished yet: waiting for its turn, in flight, or paused (it holds no slot, but the form is not complete). */
export const isUnfinished = (status: Status): boolean => status === 'queued' || status === 'paused' || isInFlight(status);

/** Can be put back in the queue by `retry()`. */
export const isRetryable = (status: Status): boolean => status === 'error' || status === 'canceled';

/** The name an item's row shows and its labels and announcements say: its path in a picked or dropped folder, else its name. */
export const displayName = <S extends Source>(item: UploadItem<S>): string =>
  item.relativePath ?? item.source?.name ?? (item as InterruptedItem).name ?? storedName((item as { file: IttyFile }).file);

/** (v2) The name of a stored file (set through `value`): its `filename`, else the last part of its URL's path. */
export const storedName = (file: IttyFile): string => file.filename || file.url.split(/[?#]/, 1)[0]!.split('/').pop()!;

/** The whole percent an item's row shows: its bar, its status text and its `aria-valuenow` change only with this. */
export const percentOf = ({ loaded, total }: { loaded: number; total: number }): number =>
  total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
