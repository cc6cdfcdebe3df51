// thumbnailUrl(): row previews decoded at thumbnail size, never at full size (SPEC §3.8), and a frame for video.
// Two at a time across the page, so fifty photos added at once never hold fifty decodes.
import { MAX_PIXELS, readImageHeader } from '../../core/media-header.js';
import { bitmapOf, decodeScaled } from './decoding.js';

export interface Thumbnail {
  /** A `blob:` URL of a small image (WebP where the browser encodes it, else PNG), or of the SVG itself. */
  url: string;
  width: number;
  height: number;
  /** Revokes the URL; call it when the row leaves. Calling it twice is harmless. */
  release(): void;
}

export interface ThumbnailOptions {
  signal?: AbortSignal;
  /** How long a video may take to give a frame. Default 10 s. */
  timeout?: number;
}

const CONCURRENCY = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function turn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * A preview of `file` that covers a `size` × `size` square (in device pixels: pass CSS size × devicePixelRatio),
 * or `undefined` when there is nothing to show (not an image or video, a type the browser cannot decode such as
 * HEIC in Chromium, more than 100 megapixels, a broken file). Rejects only with the signal's reason.
 */
export async function thumbnailUrl(file: Blob, size: number, options: ThumbnailOptions = {}): Promise<Thumbnail | undefined> {
  const { signal } = options;
  signal?.throwIfAborted();
  if (file.size === 0) return undefined;
  const type = file.type.toLowerCase();
  if (type === 'image/svg+xml') return svg(file);
  if (type.startsWith('video/')) return turn(() => videoFrame(file, size, options));
  const header = await readImageHeader(file);
  if (!header || header.width * header.height > MAX_PIXELS) return undefined;
  const target = cover(header.width, header.height, size);
  return turn(async () => {
    signal?.throwIfAborted();
    const picture = (await decodeScaled(file, header, target)) ?? (await viaBitmap(file, target));
    signal?.throwIfAborted();
    return picture ? encode(picture, target) : undefined;
  });
}

/** The size that covers a `size` square (the short side = size), never larger than the image, long side capped. */
function cover(width: number, height: number, size: number): { width: number; height: number } {
  const scale = Math.min(1, size / Math.min(width, height));
  const out = { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  // A panorama keeps at most 4× the square along its length.
  const long = Math.max(out.width, out.height);
  if (long <= size * 4) return out;
  const cut = (size * 4) / long;
  return { width: Math.max(1, Math.round(out.width * cut)), height: Math.max(1, Math.round(out.height * cut)) };
}

function svg(file: Blob): Thumbnail {
  // An <img> renders SVG without running its scripts; the vector scales itself.
  const url = URL.createObjectURL(file);
  return { url, width: 0, height: 0, release: () => URL.revokeObjectURL(url) };
}

async function viaBitmap(file: Blob, target: { width: number; height: number }): Promise<ImageBitmap | undefined> {
  try {
    return await bitmapOf(file, {
      resizeWidth: target.width,
      resizeHeight: target.height,
      resizeQuality: 'medium',
      imageOrientation: 'from-image',
    });
  } catch {
    return undefined;
  }
}

async function encode(
  picture: ImageBitmap | VideoFrame | HTMLVideoElement,
  target: { width: number; height: number },
): Promise<Thumbnail | undefined> {
  try {
    const canvas =
      typeof OffscreenCanvas === 'undefined'
        ? Object.assign(document.createElement('canvas'), target)
        : new OffscreenCanvas(target.width, target.height);
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!ctx) return undefined;
    ctx.imageSmoothingQuality = 'medium';
    ctx.drawImage(picture, 0, 0, target.width, target.height);
    if (!(picture instanceof EventTarget)) picture.close();
    const blob =
      'convertToBlob' in canvas
        ? await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 })
        : await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/webp', 0.8));
    canvas.width = canvas.height = 0;
    if (!blob) return undefined;
    const url = URL.createObjectURL(blob);
    return { url, ...target, release: () => URL.revokeObjectURL(url) };
  } catch {
    return undefined;
  } finally {
    if (!(picture instanceof EventTarget)) picture.close();
  }
}

/** A frame near the start (0.1 s, or the middle of a shorter clip), drawn at thumbnail size. */
async function videoFrame(file: Blob, size: number, options: ThumbnailOptions): Promise<Thumbnail | undefined> {
  if (typeof document === 'undefined') return undefined;
  const { signal } = options;
  signal?.throwIfAborted();
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  try {
    const ready = await new Promise<boolean>((resolve, reject) => {
      const once = (name: string, value: boolean) => video.addEventListener(name, () => resolve(value), { once: true });
      once('loadeddata', true);
      once('error', false);
      timer = setTimeout(() => resolve(false), options.timeout ?? 10_000);
      onAbort = () => reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      video.src = url;
    });
    clearTimeout(timer);
    if (!ready || video.videoWidth === 0) return undefined;
    // Seek a little in (the first frame is often black); a file that cannot seek keeps its first frame.
    const at = Number.isFinite(video.duration) ? Math.min(0.1, video.duration / 2) : 0.1;
    await new Promise<void>((resolve, reject) => {
      video.addEventListener('seeked', () => resolve(), { once: true });
      video.addEventListener('error', () => resolve(), { once: true });
      timer = setTimeout(resolve, 2_000);
      onAbort = () => reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      video.currentTime = at;
    });
    signal?.throwIfAborted();
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return undefined;
    return await encode(video, cover(video.videoWidth, video.videoHeight, size));
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}
