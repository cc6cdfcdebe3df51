// prepareImage(): the built-in preparation behind `resize`, `quality`, `convert` and `keep-metadata` (SPEC §3.8).
// The decode and encode run in a module worker (image-worker.ts) where the browser has OffscreenCanvas there, one
// image at a time so memory holds one decode; elsewhere on the page in small steps. Loaded on demand by the
// element: a page that never sets these attributes never downloads this module or the worker.
import {
  exifInsertionPoint,
  findExifSegment,
  holdsJpegHead,
  looksLikeSvg,
  MAX_PIXELS,
  readImageHeader,
  stripJpegMetadata,
  uprightExif,
  type ImageHeader,
} from '../../core/media-header.js';
import { ENCODABLE, fitWithin, nameFor, type ResizeTarget } from './options.js';
import { lastDecoder, render, renderPicture, type RenderPlan } from './render.js';

export interface PrepareImageOptions {
  /** Scale down to fit: the longest side in pixels, or a box. Never scales up. */
  resize?: ResizeTarget;
  /** Encoder quality, 0–1 (JPEG and WebP). Default 0.85. */
  quality?: number;
  /** Re-encode to this type (`image/jpeg`, `image/png`, `image/webp`), even when the size is kept. */
  convert?: string;
  /**
   * JPEG to JPEG: carry the original's EXIF block over (Orientation set to 1). Default false: re-encoded images
   * carry no metadata, and a JPEG that is not re-encoded (small enough already, over the pixel limit, or not
   * smaller re-encoded) has its metadata removed losslessly (its Orientation and colour profile stay).
   */
  keepMetadata?: boolean;
  signal?: AbortSignal;
  /** Images with more pixels than this (from the header) are never decoded. Default `MAX_PIXELS` (100 MP). */
  maxPixels?: number;
  /**
   * Where the worker module is. Default: `./image-worker.js` beside this module, which bundlers (Vite, webpack 5,
   * Rollup with its plugin) follow. `false` does the work on the page in small steps (the fallback's path).
   */
  worker?: URL | string | false;
  /** false: decode with createImageBitmap even where ImageDecoder exists (for comparisons). Default true. */
  imageDecoder?: boolean;
}

/**
 * Which road the last call took, for tests and figures: 'worker'; 'split' (decoded in a worker without a canvas,
 * drawn and encoded on the page); 'page' (all on the page, in small steps); or 'skipped' (nothing was done).
 */
export let lastPath: 'worker' | 'split' | 'page' | 'skipped' = 'skipped';
/** The decoder the last decode used ('ImageDecoder' or 'createImageBitmap'), for the same purpose. */
export let lastDecoderUsed: string | undefined;

/** How long an idle worker is kept before it is ended (its memory given back). */
const WORKER_IDLE_MS = 20_000;

/**
 * Resizes / converts an image before upload. Resolves a new File (same name with the extension of its new type,
 * same lastModified), or `null` to send the original unchanged: nothing asked, already small enough, not smaller
 * after re-encoding, a type the browser cannot decode (HEIC in Chromium) or encode, an animation, an SVG without
 * `convert`, more pixels than `maxPixels`, zero bytes or a corrupt file. A JPEG in those cases with metadata to
 * remove (EXIF, GPS, XMP…) comes back as a copy without it unless `keepMetadata`. Rejects only with the signal's
 * reason (an AbortError) when aborted.
 */
export async function prepareImage(file: File, options: PrepareImageOptions = {}): Promise<File | null> {
  const { signal } = options;
  signal?.throwIfAborted();
  lastPath = 'skipped';
  lastDecoderUsed = undefined;
  // Nonsense from code (the attributes go through parseResize / parseQuality) is no value, not a 1-pixel image.
  const quality = typeof options.quality === 'number' && options.quality >= 0 && options.quality <= 1 ? options.quality : 0.85;
  const convert = options.convert && (ENCODABLE as readonly string[]).includes(options.convert) ? options.convert : undefined;
  const resize = validResize(options.resize);
  if (resize === undefined && !convert) return null;
  if (file.size === 0) return null;

  const header = await readImageHeader(file);
  signal?.throwIfAborted();
  if (header?.type === 'image/jpeg' && !options.keepMetadata) {
    // A JPEG left as it is (small enough, too large to decode, or not smaller re-encoded) still loses its metadata.
    const prepared = await prepareKnown(file, header, resize, convert, quality, options);
    return prepared ?? (await withoutMetadata(file, options.signal));
  }
  if (!header) {
    if (!convert || !(await isSvg(file))) return null;
    signal?.throwIfAborted();
    return finish(file, await rasterSvg(file, resize, convert, quality, options.maxPixels ?? MAX_PIXELS), options, header);
  }
  return prepareKnown(file, header, resize, convert, quality, options);
}

async function prepareKnown(
  file: File,
  header: ImageHeader,
  resize: ResizeTarget | undefined,
  convert: string | undefined,
  quality: number,
  options: PrepareImageOptions,
): Promise<File | null> {
  if (header.width * header.height > (options.maxPixels ?? MAX_PIXELS)) return null;
  // One frame of an animation is not the file the user chose.
  if (header.animated && !convert) return null;

  const size = fitWithin(header.width, header.height, resize);
  const resized = size.width !== header.width || size.height !== header.height;
  // Without `convert` the type stays, which only works for types a canvas can encode (not GIF, BMP, AVIF, HEIC).
  const type = convert ?? ((ENCODABLE as readonly string[]).includes(header.type) ? header.type : undefined);
  if (!type) return null;
  if (!resized && type === header.type) return null;

  const plan: RenderPlan = {
    sourceType: header.type,
    sourceWidth: header.width,
    sourceHeight: header.height,
    width: size.width,
    height: size.height,
    type,
    quality,
  };
  if (header.orientation) plan.orientation = header.orientation;
  if (options.imageDecoder === false) plan.imageDecoder = false;
  const blob = await inWorkerOrPage(file, plan, options);
  return finish(file, blob, options, header);
}

function validResize(resize: ResizeTarget | undefined): ResizeTarget | undefined {
  const side = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 1;
  if (typeof resize === 'number') return side(resize) ? Math.floor(resize) : undefined;
  if (resize && side(resize.width) && side(resize.height)) return { width: Math.floor(resize.width), height: Math.floor(resize.height) };
  return undefined;
}

async function finish(file: File, blob: Blob | null, options: PrepareImageOptions, header: ImageHeader | undefined): Promise<File | null> {
  options.signal?.throwIfAborted();
  if (!blob) return null;
  let out: Blob = blob;
  if (options.keepMetadata && header?.type === 'image/jpeg' && blob.type === 'image/jpeg') {
    out = await withExifOf(file, blob);
    options.signal?.throwIfAborted();
  }
  const typeChanged = out.type !== (header?.type ?? file.type);
  // Kept only when it is smaller, or when another type was asked for.
  if (!typeChanged && out.size >= file.size) return null;
  return new File([out], nameFor(file.name, out.type), { type: out.type, lastModified: file.lastModified });
}

/**
 * The JPEG with its metadata removed losslessly (stripJpegMetadata: EXIF, GPS, XMP, IPTC, comments; the colour
 * profile and the Orientation stay): only its head is read and rewritten, the rest is the original's slice.
 */
async function withoutMetadata(file: File, signal: AbortSignal | undefined): Promise<File | null> {
  let head = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
  if (!holdsJpegHead(head) && file.size > head.length) head = new Uint8Array(await file.slice(0, 1024 * 1024).arrayBuffer());
  signal?.throwIfAborted();
  const stripped = stripJpegMetadata(head);
  if (!stripped) return null;
  const blob = new Blob([stripped.head as Uint8Array<ArrayBuffer>, file.slice(stripped.rest)], { type: 'image/jpeg' });
  return new File([blob], nameFor(file.name, 'image/jpeg'), { type: 'image/jpeg', lastModified: file.lastModified });
}

/** `output` with the original's EXIF block, made upright, after its JFIF header. Unchanged if there is none. */
async function withExifOf(original: Blob, output: Blob): Promise<Blob> {
  const head = new Uint8Array(await original.slice(0, 256 * 1024).arrayBuffer());
  const segment = findExifSegment(head);
  if (!segment) return output;
  const { width, height } = (await readImageHeader(output)) ?? {};
  const exif = uprightExif(segment, width && height ? { width, height } : undefined);
  const at = exifInsertionPoint(new Uint8Array(await output.slice(0, 1024).arrayBuffer()));
  if (!exif || at === undefined) return output;
  return new Blob([output.slice(0, at), exif as Uint8Array<ArrayBuffer>, output.slice(at)], { type: output.type });
}

// ---- the worker ---------------------------------------------------------------------------------------------

/** What the worker answers: the encoded image, a decoded one for the page to encode, or that it cannot help. */
type WorkerResult = Blob | null | { bitmap: ImageBitmap } | 'unsupported';

interface Pending {
  resolve(result: WorkerResult): void;
}

let worker: Worker | undefined;
let workerKey: string | undefined;
/** Worker URLs that failed to load, or can neither render nor decode: the page does the work from then on. */
const broken = new Set<string>();
let queue: Promise<unknown> = Promise.resolve();
let nextId = 1;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
const pending = new Map<number, Pending>();

/**
 * `new Worker(url)` for a module worker, also when this script came from another origin (the CDN bundle on a
 * script tag), where browsers refuse a worker from its URL: a same-origin `blob:` module then imports it, which
 * works wherever the script's host answers with CORS (CDNs do).
 */
// biome-ignore lint/complexity/useArrowFunction: called with `new` (as `Worker`, the name bundlers look for), which an arrow function cannot be.
const AnyOriginWorker = function (url: URL | string, options: WorkerOptions): Worker {
  try {
    return new globalThis.Worker(url, options);
  } catch (error) {
    if ((error as Error)?.name !== 'SecurityError') throw error;
    const source = `import ${JSON.stringify(new URL(url, location.href).href)};`;
    const shim = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const created = new globalThis.Worker(shim, options);
    const revoke = () => URL.revokeObjectURL(shim);
    created.addEventListener('message', revoke, { once: true });
    created.addEventListener('error', revoke, { once: true });
    return created;
  }
} as unknown as typeof globalThis.Worker;

function spawn(url: URL | string | undefined): Worker {
  // Written out in full so that bundlers see `new Worker(new URL('./image-worker.js', import.meta.url))` (they
  // match the text), bundle the worker module and put its URL here; `Worker` is the any-origin one above.
  const Worker = AnyOriginWorker;
  return url === undefined
    ? new Worker(new URL('./image-worker.js', import.meta.url), { type: 'module' })
    : new Worker(url, { type: 'module' });
}

function endWorker(): void {
  worker?.terminate();
  worker = undefined;
  for (const job of pending.values()) job.resolve('unsupported');
  pending.clear();
}

function getWorker(url: URL | string | undefined): Worker {
  const key = String(url ?? '');
  if (worker && workerKey === key) return worker;
  endWorker();
  const created = spawn(url);
  workerKey = key;
  created.addEventListener('message', ({ data }: MessageEvent) => {
    if (data?.ready) {
      if (!data.offscreen && !data.decodes) broken.add(key);
      return;
    }
    const job = pending.get(data?.id);
    // A bitmap for an image cancelled meanwhile: its memory goes back now.
    if (!job) return data?.bitmap?.close();
    pending.delete(data.id);
    lastDecoderUsed = data.decoder;
    job.resolve(data.unsupported ? 'unsupported' : data.bitmap ? { bitmap: data.bitmap } : (data.blob ?? null));
  });
  // A module that fails to load (no module workers, a CSP, a missing file) or a crash.
  created.addEventListener('error', (event) => {
    event.preventDefault();
    broken.add(key);
    if (worker === created) endWorker();
  });
  return (worker = created);
}

async function inWorkerOrPage(file: File, plan: RenderPlan, options: PrepareImageOptions): Promise<Blob | null> {
  const { signal } = options;
  // One image at a time, whichever road: memory holds one decode.
  const turn = queue.then(async () => {
    signal?.throwIfAborted();
    clearTimeout(idleTimer);
    let result: WorkerResult = 'unsupported';
    if (options.worker !== false && !broken.has(String(options.worker ?? '')) && typeof Worker !== 'undefined') {
      try {
        result = await inWorker(getWorker(options.worker), file, plan, signal);
      } catch (error) {
        signal?.throwIfAborted();
        throw error;
      }
    }
    if (result !== null && typeof result === 'object' && 'bitmap' in result) {
      lastPath = 'split';
      return renderPicture(result.bitmap, plan, { pause: () => pause(signal) });
    }
    if (result !== 'unsupported') {
      lastPath = 'worker';
      return result;
    }
    lastPath = 'page';
    const blob = await render(file, plan, { pause: () => pause(signal) });
    lastDecoderUsed = lastDecoder;
    return blob;
  });
  queue = turn
    .catch(() => undefined)
    .finally(() => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(endWorker, WORKER_IDLE_MS);
    });
  if (!signal) return turn;
  // Cancelled while waiting for its turn: settles now (its turn then finds the signal aborted and does nothing).
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    turn.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function inWorker(target: Worker, source: Blob, plan: RenderPlan, signal: AbortSignal | undefined): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const onAbort = () => {
      pending.delete(id);
      // Ending the worker is the only way to stop a decode; the next image starts a new one.
      endWorker();
      reject(signal!.reason);
    };
    pending.set(id, {
      resolve: (result) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      },
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    target.postMessage({ id, source, plan });
  });
}

/**
 * One step of the page's fallback: lets rendering and input run, and stops there if the upload was cancelled. A
 * task of its own (a message), queued behind the page's timers and events: `scheduler.yield()` continuations run
 * ahead of them, so a chain of short steps held the page as long as one long step; and `setTimeout` is clamped to
 * 4 ms once nested.
 */
async function pause(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(0);
  });
  signal?.throwIfAborted();
}

// ---- SVG ----------------------------------------------------------------------------------------------------

async function isSvg(file: Blob): Promise<boolean> {
  if (file.type === 'image/svg+xml') return true;
  return looksLikeSvg(new Uint8Array(await file.slice(0, 4096).arrayBuffer()));
}

/**
 * An SVG drawn at its own size (fitted to `resize`) on the page: only an <img> decodes SVG (workers and
 * createImageBitmap do not), and only when `convert` asks, since a vector image is smaller than its pixels.
 */
async function rasterSvg(
  file: Blob,
  resize: ResizeTarget | undefined,
  type: string,
  quality: number,
  maxPixels: number,
): Promise<Blob | null> {
  if (typeof document === 'undefined') return null;
  const url = URL.createObjectURL(new Blob([file], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    // An SVG with no width/height reports 0 (or the 300 × 150 default); drawn at the box it was asked for then.
    const natural = { width: image.naturalWidth || 300, height: image.naturalHeight || 150 };
    const box = typeof resize === 'number' ? { width: resize, height: resize } : resize;
    const size = fitWithin(natural.width, natural.height, resize);
    if (box && image.naturalWidth === 0) Object.assign(size, fitWithin(box.width, box.width * (natural.height / natural.width), box));
    if (size.width * size.height > maxPixels) return null;
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    // A white ground under the drawing: JPEG has no transparency.
    if (type === 'image/jpeg') {
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, size.width, size.height);
    }
    ctx.drawImage(image, 0, 0, size.width, size.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, quality));
    return blob?.type === type ? blob : null;
  } catch {
    return null;
  } finally {
    URL.revokeObjectURL(url);
  }
}
