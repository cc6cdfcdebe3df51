// Image types every browser decodes in an <img>; others (HEIC, TIFF, …) get a type badge instead.
const PREVIEWABLE = /^image\/(png|jpe?g|gif|webp|avif|bmp|svg\+xml|x-icon|vnd\.microsoft\.icon)$/i;

/** Object URLs for image previews: made when first shown, revoked when the file leaves the list. */
export class Thumbnails {
  readonly #urls = new Map<Blob, string>();

  url(source: Blob): string | undefined {
    // DOM emulations (jsdom) have no object URLs: the row shows the type badge instead.
    if (!PREVIEWABLE.test(source.type) || !URL.createObjectURL) return undefined;
    let url = this.#urls.get(source);
    if (!url) this.#urls.set(source, (url = URL.createObjectURL(source)));
    return url;
  }

  /** Revokes the URLs of every source not in `shown`. */
  keep(shown: readonly Blob[]): void {
    if (this.#urls.size === 0) return;
    const alive = new Set(shown);
    for (const [source, url] of this.#urls) {
      if (!alive.has(source)) {
        URL.revokeObjectURL(url);
        this.#urls.delete(source);
      }
    }
  }
}
