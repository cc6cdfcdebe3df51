// Issue 21's figures, side by side with Uppy in the same page build: one 24-megapixel JPEG (made here with an
// OffscreenCanvas, upright and with EXIF orientation 6) scaled to 2048 px at quality 0.85 by itty-uploader's
// prepareImage and by Uppy's Compressor (compressorjs), and 50 twelve-megapixel photos listed with their previews by
// <itty-uploader> and by Uppy's Dashboard (@uppy/thumbnail-generator).
// `?hide=ImageDecoder[,OffscreenCanvas]` on the page's URL makes the page and its image worker look like a browser
// without those (media-hide.ts, imported first so it runs before the element's modules): prepareImage then takes its
// fallback roads: createImageBitmap in the worker; the worker decoding for the page; or (Worker hidden too) the page in
// small steps.
import { hidden, original } from './media-hide.js';
import Uppy from '@uppy/core';
import Compressor from '@uppy/compressor';
import Dashboard from '@uppy/dashboard';
import { IttyUploaderElement } from '../../src/index.js';
import * as prepare from '../../src/browser/media/prepare-image.js';
import { exifSegment, jpegWith } from '../../test/media/fixtures.js';

// The bench's own helpers (the photo, the PSNR) use the real OffscreenCanvas even where the page hides it.
const Offscreen = (original['OffscreenCanvas'] ?? globalThis.OffscreenCanvas) as typeof OffscreenCanvas;

// The page's bundle keeps no side effects of src/ (package.json's sideEffects names dist/): define it here.
if (!customElements.get('itty-uploader')) IttyUploaderElement.define();

type Meta = Record<string, unknown>;
type Body = Record<string, unknown>;

/** A photo-like picture (gradients, shapes, grain), so the JPEG weighs what a camera's does. */
async function photo(width: number, height: number): Promise<Blob> {
  const canvas = new Offscreen(width, height);
  const ctx = canvas.getContext('2d')!;
  const sky = ctx.createLinearGradient(0, 0, 0, height);
  sky.addColorStop(0, '#7ab');
  sky.addColorStop(0.6, '#fd9');
  sky.addColorStop(1, '#352');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, width, height);
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 3000; i++) {
    ctx.fillStyle = `hsla(${random() * 360} 60% ${30 + random() * 50}% / 0.6)`;
    ctx.beginPath();
    ctx.arc(random() * width, random() * height, 10 + random() * 120, 0, 7);
    ctx.fill();
  }
  const tile = ctx.createImageData(500, 500);
  for (let i = 0; i < tile.data.length; i += 4) {
    const n = random() * 60 - 30;
    tile.data.set([128 + n, 128 + n, 128 + n, 40], i);
  }
  const grain = new Offscreen(500, 500);
  grain.getContext('2d')!.putImageData(tile, 0, 0);
  for (let x = 0; x < width; x += 500) for (let y = 0; y < height; y += 500) ctx.drawImage(grain, x, y);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
}

/**
 * The longest gap between heartbeats: how long the page could not react. A timer every 4 ms, not a MessageChannel
 * loop: a loop that always has a task queued leaves the page never idle, and Chromium encodes a page canvas's
 * `toBlob()` JPEG in idle tasks, so it waited for the 1 s idle-start timeout and then encoded in one go: Uppy's
 * Compressor took 1,150 ms instead of about 200 ms, its whole encode in one stall, which a page that is merely busy
 * (frames, input) never sees. The page fallback uses `toBlob` too. The 4 ms between beats bound what a gap misses.
 */
function heartbeat(): () => number {
  const BEAT = 4;
  let last = performance.now();
  let worst = 0;
  let on = true;
  let timer: ReturnType<typeof setTimeout>;
  const beat = () => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    if (on) timer = setTimeout(beat, BEAT);
  };
  timer = setTimeout(beat, BEAT);
  return () => {
    on = false;
    clearTimeout(timer);
    // A stall still going on when the work ends counts too.
    return Math.max(worst, performance.now() - last);
  };
}

const pixelsOf = async (blob: Blob, size?: { width: number; height: number }) => {
  const bitmap = await createImageBitmap(
    blob,
    size
      ? { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high', imageOrientation: 'from-image' }
      : { imageOrientation: 'from-image' },
  );
  const canvas = new Offscreen(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const out = { width: bitmap.width, height: bitmap.height, data };
  bitmap.close();
  return out;
};

/** PSNR (dB, RGB) of `output` against the source scaled by the browser to the same size (the reference). */
async function psnr(source: Blob, output: Blob): Promise<{ width: number; height: number; psnr: number }> {
  const got = await pixelsOf(output);
  const want = await pixelsOf(source, got);
  let sum = 0;
  for (let i = 0; i < got.data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      const d = got.data[i + c]! - want.data[i + c]!;
      sum += d * d;
    }
  }
  const mse = sum / ((got.data.length / 4) * 3);
  return { width: got.width, height: got.height, psnr: 10 * Math.log10((255 * 255) / mse) };
}

let source24: Promise<{ upright: File; rotated: File }> | undefined;

/** The 24 MP photo, upright and with EXIF orientation 6, made once per page. */
function photos24() {
  source24 ??= (async () => {
    const blob = await photo(6000, 4000);
    const upright = new File([blob], 'upright.jpg', { type: 'image/jpeg', lastModified: 1 });
    const rotated = new File([await jpegWith(exifSegment(6, { width: 6000, height: 4000 }), blob)], 'rotated.jpg', {
      type: 'image/jpeg',
      lastModified: 1,
    });
    return { upright, rotated };
  })();
  return source24;
}

async function viaUppy(file: File): Promise<Blob> {
  const uppy = new Uppy<Meta, Body>();
  uppy.use(Compressor<Meta, Body>, { quality: 0.85, maxWidth: 2048, maxHeight: 2048 });
  const id = uppy.addFile({ name: file.name, type: file.type, data: file, source: 'Local', isRemote: false });
  await (uppy.getPlugin('Compressor') as unknown as { prepareUpload(ids: string[]): Promise<void> }).prepareUpload([id]);
  const out = uppy.getFile(id).data as Blob;
  uppy.destroy();
  return out;
}

/** The worker: the module itself, or (on a page that hides features) the bench's copy that hides them in the worker too. */
const workerUrl = hidden.length
  ? new URL(`/bench/media-worker.js${location.search}`, location.href)
  : new URL('/bench/image-worker.js', location.href);

const viaItty = async (file: File) => (await prepare.prepareImage(file, { resize: 2048, quality: 0.85, worker: workerUrl })) ?? file;

/** One 24 MP photo to 2048 px by `lib`: wall time, the longest main-thread stall, and the output's size, dimensions, PSNR. */
const runOf = (lib: 'itty' | 'uppy') => (lib === 'itty' ? viaItty : viaUppy);

/** Makes the photos and runs `lib` once (codecs, the worker module): not measured. */
async function warm(lib: 'itty' | 'uppy', orientation: 'upright' | 'rotated') {
  await runOf(lib)((await photos24())[orientation]);
}

async function resize(lib: 'itty' | 'uppy', orientation: 'upright' | 'rotated') {
  const file = (await photos24())[orientation];
  const run = runOf(lib);
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const stop = heartbeat();
  const started = performance.now();
  const out = await run(file);
  const ms = performance.now() - started;
  const stall = stop();
  const quality = await psnr(file, out);
  return {
    ms,
    stall,
    bytes: out.size,
    sourceBytes: file.size,
    ...quality,
    decoder:
      lib === 'itty'
        ? `${prepare.lastDecoderUsed} on the ${prepare.lastPath === 'split' ? 'worker, drawn and encoded on the page' : prepare.lastPath}`
        : 'compressorjs',
  };
}

/** 50 files of one 12 MP photo (each its own File), listed with their previews; until every preview is painted. */
async function thumbnails(lib: 'itty' | 'uppy', count = 50) {
  const blob = await photo(4000, 3000);
  const files = Array.from({ length: count }, (_, i) => new File([blob], `photo-${i}.jpg`, { type: 'image/jpeg', lastModified: i }));
  const mount = document.getElementById('mount')!;
  const heap = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const heapBefore = heap();
  const stop = heartbeat();
  const started = performance.now();
  let shown: () => number;
  if (lib === 'itty') {
    const el = document.createElement('itty-uploader') as IttyUploaderElement;
    el.endpoint = '/upload-url';
    el.multiple = true;
    el.manual = true;
    mount.replaceChildren(el);
    await el.updateComplete;
    el.addFiles(files);
    shown = () => el.shadowRoot!.querySelectorAll('img[part~=thumbnail]').length;
  } else {
    const uppy = new Uppy<Meta, Body>({ autoProceed: false });
    // The Dashboard brings @uppy/thumbnail-generator (thumbnailWidth 280 by default).
    uppy.use(Dashboard<Meta, Body>, { inline: true, target: mount, proudlyDisplayPoweredByUppy: false });
    let generated = 0;
    (uppy as unknown as { on(name: string, fn: () => void): void }).on('thumbnail:generated', () => generated++);
    uppy.addFiles(files.map((file) => ({ name: file.name, type: file.type, data: file, source: 'Local', isRemote: false })));
    shown = () => generated;
  }
  // Every preview made (itty: the rows in the window show them; Uppy: thumbnail:generated for every file).
  const want = lib === 'itty' ? Math.min(count, 100) : count;
  let peakHeap = heap();
  while (shown() < want && performance.now() - started < 120_000) {
    peakHeap = Math.max(peakHeap, heap());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise(requestAnimationFrame);
  const ms = performance.now() - started;
  return { ms, stall: stop(), shown: shown(), heapGrowth: peakHeap - heapBefore, sourceBytes: blob.size };
}

declare global {
  interface Window {
    mediaBench: { warm: typeof warm; resize: typeof resize; thumbnails: typeof thumbnails };
  }
}
window.mediaBench = { warm, resize, thumbnails };
document.title += ' (ready)';
