import { decodeSizeFor } from './options.js';
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
  const whole =
    source.size > HEAD ? new Blob([await source.slice(0, HEAD).arrayBuffer(), source.slice(HEAD)], { type: source.type }) : source;
  return createImageBitmap(whole, options);
}

/**
 * ImageDecoder, asked for a reduced decode size where the codec can scale while decoding (JPEG's n/8 DCT scaling
 * in Chromium: a 6000×4000 photo wanted at 2048 px decodes at 2250×1500, 14 MB instead of 96 MB). `image` and
 * `target` are sizes as displayed (EXIF orientation applied). Only a frame that carries its orientation
 * (VideoFrame `rotation`/`flip`, which canvas `drawImage` applies) and is at least `target` is returned;
 * `undefined` sends the caller to createImageBitmap.
 */
export async function decodeScaled(
  source: Blob,
  image: { type: string; width: number; height: number; orientation?: number },
  target: { width: number; height: number },
): Promise<VideoFrame | undefined> {
  if (typeof ImageDecoder === 'undefined') return undefined;
  let decoder: ImageDecoder | undefined;
  try {
    if (!(await ImageDecoder.isTypeSupported(image.type))) return undefined;
    const orientation = image.orientation ?? 1;
    // The desired size is in the file's own (coded) orientation.
    const turned = orientation >= 5;
    const coded = (size: { width: number; height: number }) => (turned ? { width: size.height, height: size.width } : size);
    const desired = decodeSizeFor(coded(image), coded(target));
    decoder = openImageDecoder({
      data: source.stream(),
      type: image.type,
      desiredWidth: desired.width,
      desiredHeight: desired.height,
      preferAnimation: false,
    } as ImageDecoderInit);
    const { image: frame } = await decoder.decode({ frameIndex: 0 });
    const unturned = orientation !== 1 && typeof (frame as VideoFrame & { rotation?: number }).rotation !== 'number';
    // Too small means the decoder read the size the other way round: decode again with createImageBitmap.
    if (unturned || frame.displayWidth < target.width || frame.displayHeight < target.height) {
      frame.close();
      return undefined;
    }
    return frame;
  } catch {
    return undefined;
  } finally {
    decoder?.close();
  }
}
