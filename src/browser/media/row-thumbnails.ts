// The previews of <itty-uploader>'s rows (SPEC §3.8): each decoded at the thumbnail's size (thumbnailUrl: two at a
// time, never the full image), a frame for video, released when its row leaves (scrolled out of a long list's
// window, removed, or the element left the page). Loaded on demand by browser/thumbnails.ts.
import { readImageHeader } from '../../core/media-header.js';
import { thumbnailUrl, type Thumbnail } from './thumbnail.js';

/** What the previews need of their element: a render when one is ready, and its CSS size. */
export type ThumbnailHost = HTMLElement & { requestUpdate(): void };

interface Entry {
  thumbnail?: Thumbnail;
  readonly abort: AbortController;
}

export class RowThumbnails {
  readonly #entries = new Map<Blob, Entry>();
  readonly #host: ThumbnailHost;
  #pixels?: number;

  /** Renders `host` once: its rows ask for their previews again. */
  constructor(host: ThumbnailHost) {
    this.#host = host;
    host.requestUpdate();
  }

  /** The preview of `source` when it is ready; starts making it the first time. */
  url(source: Blob): string | undefined {
    // DOM emulations (jsdom) have no object URLs: the row keeps its type badge.
    if (typeof URL.createObjectURL !== 'function') return undefined;
    let entry = this.#entries.get(source);
    if (!entry) {
      const made: Entry = { abort: new AbortController() };
      this.#entries.set(source, (entry = made));
      preview(source, this.#size(), made.abort.signal).then(
        (thumbnail) => {
          // Its row left meanwhile.
          if (this.#entries.get(source) !== made) return thumbnail?.release();
          made.thumbnail = thumbnail;
          if (thumbnail) this.#host.requestUpdate();
        },
        () => {},
      );
    }
    return entry.thumbnail?.url;
  }

  /** Releases (and stops making) the preview of every source not in `shown`. */
  keep(shown: readonly Blob[]): void {
    if (!this.#entries.size) return;
    const alive = new Set(shown);
    for (const [source, entry] of this.#entries) {
      if (alive.has(source)) continue;
      entry.abort.abort();
      entry.thumbnail?.release();
      this.#entries.delete(source);
    }
  }

  /** The thumbnail's size in device pixels: `--itty-thumbnail-size` (40px by default) × the device pixel ratio. */
  #size(): number {
    if (this.#pixels === undefined) {
      const css = Number.parseFloat(getComputedStyle(this.#host).getPropertyValue('--itty-thumbnail-size')) || 40;
      this.#pixels = Math.max(1, Math.round(css * (globalThis.devicePixelRatio || 1)));
    }
    return this.#pixels;
  }
}

/**
 * An image no larger than four thumbnails (a `size` square's pixels × 4) is shown as it is: decoding it costs no more
 * than a preview, and it shows even where the browser's <img> is more lenient than its decoders (a slightly broken
 * PNG). Anything larger is decoded at the thumbnail's size (thumbnailUrl); a video gives a frame.
 */
async function preview(source: Blob, size: number, signal: AbortSignal): Promise<Thumbnail | undefined> {
  const header = source.type.startsWith('image/') ? await readImageHeader(source) : undefined;
  if (header && header.width * header.height <= 4 * size * size) {
    const url = URL.createObjectURL(source);
    return { url, width: header.width, height: header.height, release: () => URL.revokeObjectURL(url) };
  }
  return thumbnailUrl(source, size, { signal });
}
