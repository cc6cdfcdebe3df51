// The browser's two image decoders, wrapped for what the engines do differently. Shared by render.ts (prepareImage)
// and thumbnail.ts.

/**
 * `new ImageDecoder(init)` whose `completed` and `tracks.ready` promises are handled: Firefox rejects them
 * ("AbortError: Closed decoder") when `close()` comes first, which would be an unhandled rejection on the page.
 */
export function openImageDecoder(init: ImageDecoderInit): ImageDecoder {
  const decoder = new ImageDecoder(init);
  decoder.completed.catch(() => {});
  decoder.tracks.ready.catch(() => {});
  return decoder;
}

/**
 * `createImageBitmap(source, options)`. Firefox sniffs the type from a Blob's first part only, and a Blob built
 * from pieces whose first holds under 3 bytes (`new Blob([jpeg.slice(0, 2), exif, jpeg.slice(2)])`, as code
 * that inserts a segment makes) "could not be decoded": its first 64 bytes are handed over as one piece.
 */
export async function bitmapOf(source: Blob, options: ImageBitmapOptions): Promise<ImageBitmap> {
  const HEAD = 64;
  const whole = source.size > HEAD ? new Blob([await source.slice(0, HEAD).arrayBuffer(), source.slice(HEAD)], { type: source.type }) : source;
  return createImageBitmap(whole, options);
}
