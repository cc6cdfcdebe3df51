import { expect } from '@open-wc/testing';
import { hasApp1, readImageHeader } from '../../src/core/media-header.js';
import * as prepare from '../../src/browser/media/prepare-image.js';
import { fitWithin, nameFor, parseQuality, parseResize } from '../../src/browser/media/options.js';
import {
  avifHead,
  bytesOf,
  canvasImage,
  decodedSize,
  exifSegment,
  fixture,
  GPS_MARK,
  gifHead,
  includes,
  isRedAt,
  jpegWith,
  layout,
  pngClaiming,
} from './fixtures.js';

const { prepareImage } = prepare;
// The dev server serves the worker's TypeScript source; a build serves ./image-worker.js beside the module.
const WORKER = new URL('../../src/browser/media/image-worker.ts', import.meta.url);

const asFile = (blob: Blob, name: string, type = blob.type) => new File([blob], name, { type, lastModified: 1_700_000_000_000 });

/** Whether this browser's canvas encodes WebP (WebKit's makes a PNG instead). */
const encodesWebp = async () => (await canvasImage(2, 2, 'image/webp')).type === 'image/webp';

/** A 600×400 JPEG stored sideways: EXIF orientation 6, with GPS; displayed 400 wide, 600 high, red on top. */
async function sidewaysPhoto(): Promise<File> {
  const jpeg = await canvasImage(600, 400, 'image/jpeg', 0.95);
  return asFile(await jpegWith(exifSegment(6, { width: 600, height: 400 }), jpeg), 'IMG_0001.JPG', 'image/jpeg');
}

// A worker that decodes but cannot draw: the 'split' road.
const CANVASLESS_WORKER = new URL('./canvasless-worker.ts', import.meta.url);

for (const road of ['worker', 'split', 'page'] as const) {
  const worker = road === 'worker' ? WORKER : road === 'split' ? CANVASLESS_WORKER : false;

  describe(`prepareImage on the ${road}`, () => {
    it('resizes a sideways phone photo upright, without EXIF or GPS, keeping name and lastModified', async () => {
      const source = await sidewaysPhoto();
      const out = (await prepareImage(source, { resize: 300, worker }))!;
      expect(prepare.lastPath).to.equal(road);
      console.log(`${road}: decoded with ${prepare.lastDecoderUsed}`);
      expect(out).to.be.instanceOf(File);
      expect([out.name, out.type, out.lastModified]).to.deep.equal(['IMG_0001.JPG', 'image/jpeg', 1_700_000_000_000]);
      expect(out.size).to.be.below(source.size);
      expect(await readImageHeader(out)).to.deep.equal({ type: 'image/jpeg', width: 200, height: 300 });
      expect(await decodedSize(out)).to.deep.equal({ width: 200, height: 300 });
      // The picture's left side (red) is now its top.
      expect(await isRedAt(out, 100, 5)).to.equal(true);
      expect(await isRedAt(out, 100, 290)).to.equal(false);
      const bytes = await bytesOf(out);
      expect(hasApp1(bytes)).to.equal(false);
      expect(includes(bytes, GPS_MARK)).to.equal(false);
    });

    it('applies all eight EXIF orientations the way the browser shows the original, whichever decoder', async () => {
      // What the browser itself shows (createImageBitmap, from-image) is the reference.
      const expected = [
        'Y../R../R..',
        '..Y/..R/..R',
        '..R/..R/..Y',
        'R../R../Y..',
        'YRR/.../...',
        'RRY/.../...',
        '.../.../RRY',
        '.../.../YRR',
      ];
      for (let orientation = 1; orientation <= 8; orientation++) {
        const source = asFile(await jpegWith(exifSegment(orientation), await canvasImage(300, 200, 'image/jpeg', 0.95)), 'o.jpg');
        expect(await layout(source), `the browser, orientation ${orientation}`).to.equal(expected[orientation - 1]);
        for (const imageDecoder of [true, false]) {
          const out = (await prepareImage(source, { resize: 150, convert: 'image/png', imageDecoder, worker }))!;
          const turned = orientation >= 5;
          const what = `orientation ${orientation} via ${prepare.lastDecoderUsed}`;
          // Where the engine has ImageDecoder it is what decodes (an upright JPEG, at least), except in a worker
          // that sends its picture to the page (an ImageBitmap, which every engine can send).
          if (imageDecoder && orientation === 1 && typeof ImageDecoder !== 'undefined' && road !== 'split')
            expect(prepare.lastDecoderUsed).to.equal('ImageDecoder');
          if (!imageDecoder) expect(prepare.lastDecoderUsed).to.equal('createImageBitmap');
          expect(await readImageHeader(out), what).to.deep.equal({
            type: 'image/png',
            width: turned ? 100 : 150,
            height: turned ? 150 : 100,
          });
          expect(await layout(out), what).to.equal(expected[orientation - 1]);
        }
      }
    });

    it('decodes with createImageBitmap when ImageDecoder is not used, upright too', async () => {
      const out = (await prepareImage(await sidewaysPhoto(), { resize: 300, imageDecoder: false, worker }))!;
      expect(prepare.lastDecoderUsed).to.equal('createImageBitmap');
      expect(await readImageHeader(out)).to.deep.equal({ type: 'image/jpeg', width: 200, height: 300 });
      expect(await isRedAt(out, 100, 5)).to.equal(true);
      expect(await isRedAt(out, 100, 290)).to.equal(false);
    });

    it('keep-metadata: the EXIF block is carried over with Orientation 1, GPS and all', async () => {
      const out = (await prepareImage(await sidewaysPhoto(), { resize: 300, keepMetadata: true, worker }))!;
      const bytes = await bytesOf(out);
      expect(hasApp1(bytes)).to.equal(true);
      expect(includes(bytes, GPS_MARK)).to.equal(true);
      expect(await readImageHeader(out)).to.deep.equal({ type: 'image/jpeg', width: 200, height: 300, orientation: 1 });
      // Orientation 1: a decoder shows the pixels as they are, upright.
      expect(await decodedSize(out)).to.deep.equal({ width: 200, height: 300 });
      expect(await isRedAt(out, 100, 5)).to.equal(true);
    });

    it('turns the committed 6×4 orientation-6 fixture into a 4 wide, 6 high PNG when asked to convert', async () => {
      const source = asFile(await fixture('image-6x4-rotated.jpg'), 'rotated.jpg', 'image/jpeg');
      const out = (await prepareImage(source, { convert: 'image/png', worker }))!;
      expect([out.name, out.type]).to.deep.equal(['rotated.png', 'image/png']);
      expect(await readImageHeader(out)).to.deep.equal({ type: 'image/png', width: 4, height: 6 });
      // With resize too: 4×6 fits in 3 as 2×3.
      const small = (await prepareImage(source, { convert: 'image/png', resize: 3, worker }))!;
      expect(await readImageHeader(small)).to.deep.equal({ type: 'image/png', width: 2, height: 3 });
    });

    it('converts PNG to WebP at the same size, renaming it (where the browser encodes WebP, else unchanged)', async () => {
      const source = asFile(await canvasImage(120, 80, 'image/png'), 'chart.png');
      const out = await prepareImage(source, { convert: 'image/webp', quality: 0.8, worker });
      // WebKit's canvas cannot encode WebP (it makes a PNG): the file goes as it is, never as a PNG named .webp.
      if (!(await encodesWebp())) return expect(out).to.equal(null);
      expect([out!.name, out!.type]).to.deep.equal(['chart.webp', 'image/webp']);
      expect(await readImageHeader(out!)).to.deep.equal({ type: 'image/webp', width: 120, height: 80 });
    });

    it('fits a box: 600×400 in 100x100 is 100×67', async () => {
      const source = asFile(await canvasImage(600, 400, 'image/jpeg', 0.95), 'wide.jpg');
      const out = (await prepareImage(source, { resize: { width: 100, height: 100 }, worker }))!;
      expect(await readImageHeader(out)).to.deep.equal({ type: 'image/jpeg', width: 100, height: 67 });
    });

    it('ignores nonsense options from code: resize 0 / NaN is no resize, quality 7 is the default', async () => {
      const photo = asFile(await canvasImage(600, 400, 'image/jpeg', 0.95), 'p.jpg');
      for (const resize of [0, -5, Number.NaN, { width: 0, height: 10 }]) {
        expect(await prepareImage(photo, { resize, worker }), JSON.stringify(resize)).to.equal(null);
      }
      const out = (await prepareImage(photo, { resize: 300, quality: 7, worker }))!;
      const atDefault = (await prepareImage(photo, { resize: 300, worker }))!;
      expect(out.size).to.equal(atDefault.size);
    });

    it('a JPEG small enough already loses its metadata losslessly, unless keep-metadata', async () => {
      const small = asFile(await jpegWith(exifSegment(6), await canvasImage(90, 60)), 'small.jpg');
      const out = (await prepareImage(small, { resize: 2048, worker }))!;
      expect(prepare.lastPath).to.equal('skipped');
      expect([out.name, out.type, out.lastModified]).to.deep.equal(['small.jpg', 'image/jpeg', 1_700_000_000_000]);
      expect(out.size).to.be.below(small.size);
      expect(includes(await bytesOf(out), GPS_MARK)).to.equal(false);
      expect(await readImageHeader(out)).to.deep.equal({ type: 'image/jpeg', width: 60, height: 90, orientation: 6 });
      expect(await prepareImage(small, { resize: 2048, keepMetadata: true, worker })).to.equal(null);
    });

    it('sends unchanged (null): an already small image, and a re-encode that is not smaller', async () => {
      expect(await prepareImage(asFile(await canvasImage(100, 80), 'small.jpg'), { resize: 2048, worker })).to.equal(null);
      expect(prepare.lastPath).to.equal('skipped');
      // A heavily compressed JPEG scaled down by one pixel at quality 1 comes out larger.
      const tight = asFile(await canvasImage(300, 300, 'image/jpeg', 0.05), 'tight.jpg');
      expect(await prepareImage(tight, { resize: 299, quality: 1, worker })).to.equal(null);
      expect(prepare.lastPath).to.equal(road);
    });

    it('bad input sends the file unchanged and never throws: zero bytes, corrupt JPEG, lying PNG, HEIC, animation', async () => {
      expect(await prepareImage(new File([], 'empty.jpg', { type: 'image/jpeg' }), { resize: 10, worker })).to.equal(null);
      // A real JPEG header (so the size is known) with its entropy-coded data overwritten.
      const jpeg = await bytesOf(await canvasImage(400, 300, 'image/jpeg', 0.9));
      const corrupt = jpeg.slice();
      for (let i = corrupt.length - 2000; i < corrupt.length - 2; i++) corrupt[i] = 0xff;
      corrupt.fill(0xd9, 700, 720);
      const corruptOut = await prepareImage(new File([corrupt], 'corrupt.jpg', { type: 'image/jpeg' }), { resize: 100, worker });
      // Chromium draws what it could decode; whatever comes back is an upright JPEG of the planned size.
      if (corruptOut) expect(await readImageHeader(corruptOut)).to.deep.equal({ type: 'image/jpeg', width: 100, height: 75 });
      // A 5×5 PNG whose IHDR (CRC fixed) claims 3000×3000: the decode fails or comes out larger than the file.
      const png = await bytesOf(await canvasImage(5, 5, 'image/png'));
      expect(
        await prepareImage(new File([pngClaiming(png, 3000, 3000)], 'liar.png', { type: 'image/png' }), { resize: 100, worker }),
      ).to.equal(null);
      // HEIC: the header is read (so validation has its size), but Chromium cannot decode it.
      const heic = avifHead(4032, 3024);
      heic.set(
        [...'heicmif1heic'].map((c) => c.charCodeAt(0)),
        8,
      );
      expect(await prepareImage(new File([heic], 'IMG_0002.HEIC', { type: 'image/heic' }), { resize: 100, worker })).to.equal(null);
      // An animated GIF keeps its animation unless a type is asked for.
      expect(await prepareImage(new File([gifHead(1000, 1000, true)], 'a.gif', { type: 'image/gif' }), { resize: 100, worker })).to.equal(
        null,
      );
      expect(prepare.lastPath).to.equal('skipped');
      // A type the canvas cannot encode is never "converted" to PNG behind the app's back.
      const asAvif = await prepareImage(asFile(await canvasImage(50, 50, 'image/png'), 'x.png'), { convert: 'image/avif', worker });
      expect(asAvif).to.equal(null);
    });

    it('never decodes past the pixel limit: a PNG claiming 30,000 × 30,000, and the page goes on', async () => {
      const png = await bytesOf(await canvasImage(5, 5, 'image/png'));
      const giant = new File([pngClaiming(png, 30_000, 30_000)], 'giant.png', { type: 'image/png' });
      expect(await prepareImage(giant, { resize: 2048, worker })).to.equal(null);
      expect(prepare.lastPath).to.equal('skipped');
      expect(await prepareImage(giant, { convert: 'image/jpeg', worker })).to.equal(null);
      // A limit set lower applies to ordinary images too.
      const photo = asFile(await canvasImage(600, 400, 'image/jpeg', 0.95), 'p.jpg');
      expect(await prepareImage(photo, { resize: 100, maxPixels: 200_000, worker })).to.equal(null);
      expect(await prepareImage(photo, { resize: 100, worker })).to.be.instanceOf(File);
    });

    it('SVG is never rasterised unless convert asks', async () => {
      const svg = new File(
        ['<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"><rect width="80" height="40" fill="red"/></svg>'],
        'logo.svg',
        { type: 'image/svg+xml' },
      );
      expect(await prepareImage(svg, { resize: 20, worker })).to.equal(null);
      const out = (await prepareImage(svg, { convert: 'image/png', resize: 20, worker }))!;
      expect([out.name, out.type]).to.deep.equal(['logo.png', 'image/png']);
      expect(await readImageHeader(out)).to.deep.equal({ type: 'image/png', width: 20, height: 10 });
      expect(await isRedAt(out, 10, 5)).to.equal(true);
    });

    it('rejects with AbortError when cancelled before or during the work, and the next image still works', async () => {
      const photo = await sidewaysPhoto();
      const before = new AbortController();
      before.abort();
      let error = await prepareImage(photo, { resize: 300, signal: before.signal, worker }).catch((e: unknown) => e);
      expect((error as DOMException).name).to.equal('AbortError');
      const during = new AbortController();
      const running = prepareImage(photo, { resize: 300, signal: during.signal, worker });
      during.abort();
      error = await running.catch((e: unknown) => e);
      expect((error as DOMException).name).to.equal('AbortError');
      expect(await prepareImage(photo, { resize: 300, worker })).to.be.instanceOf(File);
    });
  });
}

describe('prepareImage on the page, a photo halved in bands', () => {
  /** The alpha of the image's four corners: an edge left half-drawn by a halving would show there. */
  async function cornerAlphas(image: Blob): Promise<number[]> {
    const bitmap = await createImageBitmap(image);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const [w, h] = [bitmap.width - 1, bitmap.height - 1];
    return [
      ctx.getImageData(0, 0, 1, 1).data[3]!,
      ctx.getImageData(w, 0, 1, 1).data[3]!,
      ctx.getImageData(0, h, 1, 1).data[3]!,
      ctx.getImageData(w, h, 1, 1).data[3]!,
    ];
  }

  it('an odd-sized photo, upright and EXIF 6, more than twice the size asked: upright, the right size, no edge, no metadata', async () => {
    // 1203 × 803 to 150 px: halved twice (odd sizes, so each halving is fractional), then drawn at the size.
    const jpeg = await canvasImage(1203, 803, 'image/jpeg', 0.95);
    for (const orientation of [1, 6]) {
      const source = asFile(await jpegWith(exifSegment(orientation, { width: 1203, height: 803 }), jpeg), 'big.jpg', 'image/jpeg');
      const shown = orientation === 6 ? { width: 803, height: 1203 } : { width: 1203, height: 803 };
      const want = fitWithin(shown.width, shown.height, 150);
      const what = `orientation ${orientation}`;
      const png = (await prepareImage(source, { resize: 150, convert: 'image/png', imageDecoder: false, worker: false }))!;
      expect(prepare.lastPath, what).to.equal('page');
      expect(prepare.lastDecoderUsed, what).to.equal('createImageBitmap');
      expect(await readImageHeader(png), what).to.deep.equal({ type: 'image/png', ...want });
      expect(await layout(png), what).to.equal(await layout(source));
      expect(await cornerAlphas(png), what).to.deep.equal([255, 255, 255, 255]);
      const out = (await prepareImage(source, { resize: 150, imageDecoder: false, worker: false }))!;
      expect(await readImageHeader(out), what).to.deep.equal({ type: 'image/jpeg', ...want });
      expect(await decodedSize(out), what).to.deep.equal(want);
      expect(await layout(out), what).to.equal(await layout(source));
      const bytes = await bytesOf(out);
      expect(hasApp1(bytes), what).to.equal(false);
      expect(includes(bytes, GPS_MARK), what).to.equal(false);
    }
  });

  it('rejects with AbortError when cancelled on that road, and the next photo still works', async () => {
    const source = asFile(await jpegWith(exifSegment(6), await canvasImage(1203, 803, 'image/jpeg', 0.95)), 'big.jpg', 'image/jpeg');
    const during = new AbortController();
    const running = prepareImage(source, { resize: 150, imageDecoder: false, worker: false, signal: during.signal });
    during.abort();
    const error = await running.catch((e: unknown) => e);
    expect((error as DOMException).name).to.equal('AbortError');
    expect(await prepareImage(source, { resize: 150, imageDecoder: false, worker: false })).to.be.instanceOf(File);
  });
});

describe('prepareImage with its default worker URL', () => {
  it('uses ./image-worker.js beside the module where it is served, else the page does the work', async () => {
    // A build has the .js; this dev server has only the .ts unless its config maps one to the other.
    const served = (await fetch(new URL('../../src/browser/media/image-worker.js', import.meta.url))).ok;
    const out = await prepareImage(await sidewaysPhoto(), { resize: 300 });
    expect(await readImageHeader(out!)).to.deep.equal({ type: 'image/jpeg', width: 200, height: 300 });
    expect(prepare.lastPath).to.equal(served ? 'worker' : 'page');
  });
});

describe('prepareImage with a worker on another origin', () => {
  it('starts it through a same-origin blob: module (or, without CORS, does the work on the page)', async () => {
    const other = new URL(WORKER);
    other.hostname = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    const out = await prepareImage(await sidewaysPhoto(), { resize: 300, worker: other });
    console.log(`worker from ${other.origin} on a page of ${location.origin}: ${prepare.lastPath}`);
    expect(await readImageHeader(out!)).to.deep.equal({ type: 'image/jpeg', width: 200, height: 300 });
  });
});

describe('preparation options', () => {
  it('parses resize and quality strictly', () => {
    expect(parseResize('2048')).to.equal(2048);
    expect(parseResize(' 2048x1536 ')).to.deep.equal({ width: 2048, height: 1536 });
    expect(parseResize('2048×1536')).to.deep.equal({ width: 2048, height: 1536 });
    for (const bad of ['abc', '0', '-5', '2048x', 'x100', '1.5', '', null]) expect(parseResize(bad), String(bad)).to.equal(undefined);
    expect(parseQuality('0.7')).to.equal(0.7);
    expect(parseQuality('1')).to.equal(1);
    for (const bad of ['7', '-0.1', 'high', '', null]) expect(parseQuality(bad), String(bad)).to.equal(undefined);
  });

  it('fits sizes and names files', () => {
    expect(fitWithin(6000, 4000, 2048)).to.deep.equal({ width: 2048, height: 1365 });
    expect(fitWithin(4000, 6000, { width: 2048, height: 1536 })).to.deep.equal({ width: 1024, height: 1536 });
    expect(fitWithin(100, 50, 2048)).to.deep.equal({ width: 100, height: 50 });
    expect(nameFor('IMG.HEIC', 'image/jpeg')).to.equal('IMG.jpg');
    expect(nameFor('photo.jpeg', 'image/jpeg')).to.equal('photo.jpeg');
    expect(nameFor('scan', 'image/png')).to.equal('scan.png');
    expect(nameFor('.hidden', 'image/webp')).to.equal('.hidden.webp');
  });
});
