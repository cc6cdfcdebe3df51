// Decoding an image at (or near) the size it is wanted, and encoding it again: the steps shared by the worker
// (image-worker.ts) and the page's fallback (prepare-image.ts). Every step applies EXIF orientation.
import { bitmapOf, decodeScaled } from './decoding.js';

/** What to make of one image: the size as displayed, and how to encode it. */
export interface RenderPlan {
  /** The type the bytes are (from the header), for ImageDecoder. */
  sourceType: string;
  /** The source's EXIF orientation, when it has one. */
  orientation?: number;
  /** The source's size as displayed (from the header). */
  sourceWidth: number;
  sourceHeight: number;
  width: number;
  height: number;
  type: string;
  quality: number;
  /** false: skip ImageDecoder and use createImageBitmap (for comparisons, and tests of that road). */
  imageDecoder?: boolean;
}

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;
export type Drawable = ImageBitmap | VideoFrame;

/** Which decoder the last render() in this scope used: for the figures and the tests' logs. */
export let lastDecoder: 'ImageDecoder' | 'createImageBitmap' | undefined;

/** Yields to the event loop between the fallback's steps, so the page keeps painting and taking input. */
export type Pause = () => Promise<void>;

const noPause: Pause = async () => {};

/**
 * Decodes `source` to `plan.width` × `plan.height` (upright) and encodes it as `plan.type`. Resolves `null` when
 * the browser cannot decode it, or cannot encode that type (canvases quietly fall back to PNG).
 */
export async function render(source: Blob, plan: RenderPlan, io: { pause?: Pause } = {}): Promise<Blob | null> {
  const picture = await decode(source, plan, !!io.pause);
  return picture ? renderPicture(picture, plan, io) : null;
}

/**
 * The picture, upright, at (or near) the plan's size: ImageDecoder where it can scale while decoding, else
 * createImageBitmap (at its own size when `full`, see viaBitmap). `undefined` when the browser cannot decode it.
 */
export async function decode(source: Blob, plan: RenderPlan, full: boolean): Promise<Drawable | undefined> {
  lastDecoder = undefined;
  let picture: Drawable | undefined =
    plan.imageDecoder === false
      ? undefined
      : await decodeScaled(
          source,
          { type: plan.sourceType, width: plan.sourceWidth, height: plan.sourceHeight, orientation: plan.orientation },
          plan,
        );
  if (picture) lastDecoder = 'ImageDecoder';
  else if ((picture = await viaBitmap(source, plan, full))) lastDecoder = 'createImageBitmap';
  return picture;
}

/** Draws a decoded picture at the plan's size and encodes it (closing the picture); in slices when `io.pause`. */
export async function renderPicture(picture: Drawable, plan: RenderPlan, io: { pause?: Pause } = {}): Promise<Blob | null> {
  const pause = io.pause ?? noPause;
  try {
    await pause();
    // A picture already at its size (decoded by a worker for the page) needs fewer slices.
    const scaled = sizeOf(picture).width > plan.width || sizeOf(picture).height > plan.height;
    const canvas = await drawScaled(picture, plan, pause, io.pause && !('displayWidth' in picture) ? (scaled ? BANDS : 4) : 1);
    picture.close();
    await pause();
    const blob = await encode(canvas, plan.type, plan.quality);
    release(canvas);
    return blob && blob.type === plan.type ? blob : null;
  } catch {
    // A canvas too large for this engine, or no 2D context: the file goes as it is.
    return null;
  } finally {
    picture.close();
  }
}

/** Whether this scope can do the whole job off the page: a 2D OffscreenCanvas that encodes, and createImageBitmap. */
export function canRenderOffscreen(): boolean {
  try {
    if (typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap === 'undefined') return false;
    const canvas = new OffscreenCanvas(1, 1);
    return canvas.getContext('2d') !== null && typeof canvas.convertToBlob === 'function';
  } catch {
    return false;
  }
}

/**
 * createImageBitmap, asked to resize while decoding and to apply the EXIF orientation. On the page (`full`) the
 * photo is decoded at its own size instead: Chromium decodes off the main thread but resizes on it, in one block
 * (~90 ms for 24 MP), so drawScaled() scales it in slices instead.
 */
async function viaBitmap(source: Blob, plan: RenderPlan, full: boolean): Promise<ImageBitmap | undefined> {
  if (!full) {
    try {
      return await bitmapOf(source, {
        resizeWidth: plan.width,
        resizeHeight: plan.height,
        resizeQuality: 'high',
        imageOrientation: 'from-image',
      });
    } catch {
      // Undecodable (HEIC in Chromium, a corrupt file), or an engine without the options: try once without them.
    }
  }
  try {
    return await bitmapOf(source, { imageOrientation: 'from-image' });
  } catch {
    return undefined;
  }
}

function newCanvas(width: number, height: number): AnyCanvas {
  // On the page a <canvas>: its toBlob() encodes off the main thread, where an OffscreenCanvas there may not.
  if (typeof document === 'undefined' && typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

const sizeOf = (picture: Drawable) =>
  'displayWidth' in picture
    ? { width: picture.displayWidth, height: picture.displayHeight }
    : { width: picture.width, height: picture.height };

/** On the page: slices of the target per draw, and how long slices are drawn in one task before the page's turn. */
const BANDS = 16;
const TASK_MS = 12;

/**
 * Draws the picture at the plan's size. A picture more than twice as large (an engine that ignored the resize
 * options, or the page's full-size decode) is halved step by step first, each step its own task, which keeps
 * quality and the page responsive. `bands` > 1 (the page): each draw is done in horizontal slices, each forced to
 * finish (a 1-pixel read), with a pause whenever TASK_MS have gone by, so that no task holds the main thread long.
 * A 24 MP photo's halving then takes 16 slices of ~1 ms (~10 ms when EXIF-turned, which Chromium applies as it
 * draws), after a first one-row slice alone in its task: Chromium's first draw of a picture costs ~20 ms whatever
 * its size. Smoothing 'low' there (bilinear, no mipmaps): at ½ it averages 2 × 2 pixels, and the last draw shrinks
 * by less than half (PSNR 0.1 dB under 'high' for that photo, in a third of the time).
 */
async function drawScaled(picture: Drawable, plan: RenderPlan, pause: Pause, bands = 1): Promise<AnyCanvas> {
  let { width, height } = sizeOf(picture);
  let current: Drawable | AnyCanvas = picture;
  while (width > plan.width * 2 && height > plan.height * 2) {
    const step = newCanvas(Math.ceil(width / 2), Math.ceil(height / 2));
    await draw(step, current, width, height, bands, pause);
    ({ width, height } = step);
    if (current === picture) picture.close();
    else release(current as AnyCanvas);
    current = step;
    // Banded draws end with their own pause.
    if (bands < 2) await pause();
  }
  const canvas = newCanvas(plan.width, plan.height);
  // JPEG has no transparency: transparent pixels would turn black, so they go on white.
  if (plan.type === 'image/jpeg') fill(canvas, '#fff');
  await draw(canvas, current, width, height, bands, pause);
  if (current !== picture) release(current as AnyCanvas);
  return canvas;
}

async function draw(canvas: AnyCanvas, picture: Drawable | AnyCanvas, width: number, height: number, bands: number, pause: Pause) {
  // No 2D context (null) throws here, and render() gives up. Smoothing is on in a new canvas.
  const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
  ctx.imageSmoothingQuality = bands > 1 ? 'low' : 'high';
  if (bands < 2) return ctx.drawImage(picture, 0, 0, canvas.width, canvas.height);
  const scale = height / canvas.height;
  let since = performance.now();
  for (let band = 0, top = 0; band <= bands; band++) {
    const bottom = band ? Math.floor((canvas.height * band) / bands) : 1;
    if (bottom <= top) continue;
    ctx.drawImage(picture, 0, top * scale, width, (bottom - top) * scale, 0, top, canvas.width, bottom - top);
    ctx.getImageData(0, top, 1, 1);
    if (!band || performance.now() - since >= TASK_MS) {
      await pause();
      since = performance.now();
    }
    top = bottom;
  }
}

function fill(canvas: AnyCanvas, colour: string): void {
  const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
  if (!ctx) return;
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
}

function encode(canvas: AnyCanvas, type: string, quality: number): Promise<Blob | null> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality });
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

/** Gives a canvas's pixels back now rather than at the next garbage collection. */
function release(canvas: AnyCanvas): void {
  canvas.width = 0;
  canvas.height = 0;
}
