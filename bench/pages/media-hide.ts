// Makes this page or worker look like a browser without some image features, before anything else runs in it:
// `?hide=ImageDecoder,OffscreenCanvas` on the page's (or the worker script's) URL deletes those globals, as in an
// engine that lacks them (Safari has no ImageDecoder; Safari before 16.4 and Firefox before 105 have no
// OffscreenCanvas, so no worker canvas either). src/browser/media detects both when it uses them (`typeof
// ImageDecoder`, and the worker's canRenderOffscreen() when it starts), so nothing in src/ needs a switch for this.
// Imported first by the media page and by the bench's worker (media-worker.ts), so it runs before their modules (they
// use its exports: package.json's `sideEffects` lets esbuild drop a bare import of it).

const names = new URLSearchParams(location.search).get('hide')?.split(',').filter(Boolean) ?? [];
const scope = globalThis as unknown as Record<string, unknown>;

/** The hidden globals as they were, for the bench's own helpers (making the photo, measuring PSNR). */
export const original: Record<string, unknown> = {};
for (const name of names) {
  original[name] = scope[name];
  // Interface objects are configurable: `delete` leaves `typeof X === 'undefined'`, as in an engine without X.
  delete scope[name];
  if (name in scope) throw new Error(`bench: could not hide ${name}`);
}
export const hidden: readonly string[] = names;
