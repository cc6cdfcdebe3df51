import type { RowThumbnails, ThumbnailHost } from './media/row-thumbnails.js';

/**
 * Row previews, decoded at thumbnail size by a chunk (media/row-thumbnails.ts) that loads with the first image or
 * video row: the first load holds no decoding code. Each row shows its type badge until its preview is ready.
 */
export class Thumbnails {
  #cache?: RowThumbnails;
  #loading?: Promise<unknown>;
  readonly #host: ThumbnailHost;

  constructor(host: ThumbnailHost) {
    this.#host = host;
  }

  url(source: Blob): string | undefined {
    if (!/^(image|video)\//.test(source.type)) return;
    this.#loading ??= import('./media/row-thumbnails.js').then((m) => (this.#cache = new m.RowThumbnails(this.#host)));
    return this.#cache?.url(source);
  }

  /** Releases the previews of every source not in `shown`. */
  keep(shown: readonly Blob[]): void {
    this.#cache?.keep(shown);
  }
}
