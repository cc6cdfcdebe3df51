// Rough figures, not a test (nothing asserted on time): one generated 24 MP JPEG to 2048 px at quality 0.85.
// Run: WTR_FILES=test/media/photo-24mp.bench.ts node --import tsx node_modules/@web/test-runner/dist/bin.js --config web-test-runner.config.mjs
import * as prepare from '../../src/browser/media/prepare-image.js';
import { thumbnailUrl } from '../../src/browser/media/thumbnail.js';
import { exifSegment, jpegWith } from './fixtures.js';

const WORKER = new URL('../../src/browser/media/image-worker.ts', import.meta.url);

/** A photo-like 6000×4000 picture: gradients, shapes and grain, so the JPEG is several MB like a camera's. */
async function photo24(): Promise<Blob> {
  const canvas = new OffscreenCanvas(6000, 4000);
  const ctx = canvas.getContext('2d')!;
  const sky = ctx.createLinearGradient(0, 0, 0, 4000);
  sky.addColorStop(0, '#7ab'), sky.addColorStop(0.6, '#fd9'), sky.addColorStop(1, '#352');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, 6000, 4000);
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 3000; i++) {
    ctx.fillStyle = `hsla(${random() * 360} 60% ${30 + random() * 50}% / 0.6)`;
    ctx.beginPath();
    ctx.arc(random() * 6000, random() * 4000, 10 + random() * 120, 0, 7);
    ctx.fill();
  }
  // Grain in tiles (a whole-frame ImageData would be 96 MB on its own).
  const tile = ctx.createImageData(500, 500);
  for (let i = 0; i < tile.data.length; i += 4) {
    const n = random() * 60 - 30;
    tile.data.set([128 + n, 128 + n, 128 + n, 40], i);
  }
  const grain = new OffscreenCanvas(500, 500);
  grain.getContext('2d')!.putImageData(tile, 0, 0);
  for (let x = 0; x < 6000; x += 500) for (let y = 0; y < 4000; y += 500) ctx.drawImage(grain, x, y);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
}

/** The longest gap between heartbeats (a 0 ms timer re-armed each time): how long the page could not react. */
function heartbeat(): () => number {
  let last = performance.now();
  let worst = 0;
  let on = true;
  const beat = () => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    if (on) channel.port2.postMessage(0);
  };
  // MessageChannel, not setTimeout: no 4 ms clamp, so the gaps are the page's own.
  const channel = new MessageChannel();
  channel.port1.onmessage = beat;
  channel.port2.postMessage(0);
  return () => {
    on = false;
    return Math.round(worst);
  };
}

it('24 MP JPEG to 2048 px: wall time and main-thread stall', async function () {
  this.timeout(600_000);
  const upright = new File([await photo24()], 'upright.jpg', { type: 'image/jpeg', lastModified: 1 });
  const rotated = new File([await jpegWith(exifSegment(6, { width: 6000, height: 4000 }), upright)], 'rotated.jpg', { type: 'image/jpeg' });
  console.log(`source: ${(upright.size / 1e6).toFixed(1)} MB, 6000×4000`);

  // ImageDecoder's reduced decode: how large the decoded frame really is.
  for (const [width, height] of [
    [2048, 1365],
    [2250, 1500],
  ]) {
    const decoder = new ImageDecoder({
      data: upright.stream(),
      type: 'image/jpeg',
      desiredWidth: width,
      desiredHeight: height,
    } as ImageDecoderInit);
    const { image } = await decoder.decode();
    console.log(`ImageDecoder asked for ${width}×${height} decodes ${image.codedWidth}×${image.codedHeight}`);
    image.close();
    decoder.close();
  }

  const roads = [
    ['worker, ImageDecoder', { worker: WORKER }],
    ['worker, createImageBitmap', { worker: WORKER, imageDecoder: false }],
    ['page (fallback), ImageDecoder', { worker: false as const }],
    ['page (fallback), createImageBitmap', { worker: false as const, imageDecoder: false }],
  ] as const;
  // Warm-up: the worker module loads, the codecs initialise.
  await prepare.prepareImage(upright, { resize: 2048, worker: WORKER });
  for (const [name, options] of roads) {
    for (const [label, file] of [
      ['upright', upright],
      ['orientation 6', rotated],
    ] as const) {
      const times: number[] = [];
      const stalls: number[] = [];
      let out: File | null = null;
      for (let run = 0; run < 3; run++) {
        const stop = heartbeat();
        const start = performance.now();
        out = await prepare.prepareImage(file, { resize: 2048, quality: 0.85, ...options });
        times.push(Math.round(performance.now() - start));
        stalls.push(stop());
      }
      const median = (list: number[]) => [...list].sort((a, b) => a - b)[1];
      console.log(
        `${name.padEnd(36)} ${label.padEnd(14)} wall ${median(times)} ms (${times.join(', ')}), ` +
          `max stall ${Math.max(...stalls)} ms, out ${(out!.size / 1e3).toFixed(0)} KB via ${prepare.lastDecoderUsed}`,
      );
    }
  }

  for (const [label, file] of [
    ['upright', upright],
    ['orientation 6', rotated],
  ] as const) {
    const stop = heartbeat();
    const start = performance.now();
    const thumbs = await Promise.all(Array.from({ length: 5 }, () => thumbnailUrl(file, 192)));
    console.log(
      `thumbnailUrl(…, 192) ×5 ${label.padEnd(14)} ${Math.round(performance.now() - start)} ms, max stall ${stop()} ms, ` +
        `${thumbs[0]!.width}×${thumbs[0]!.height}, ${(await (await fetch(thumbs[0]!.url)).blob()).size} bytes`,
    );
    for (const thumb of thumbs) thumb?.release();
  }
});
