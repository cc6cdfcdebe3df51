import { expect } from '@open-wc/testing';
import { measureMedia } from '../../src/browser/media/measure.js';
import { thumbnailUrl, type Thumbnail } from '../../src/browser/media/thumbnail.js';
import { bytesOf, canvasImage, decodedSize, exifSegment, fixture, isRedAt, jpegWith, pngClaiming } from './fixtures.js';

/**
 * A WebM recorded by MediaRecorder from a canvas: such files carry no duration (Chromium and Firefox write none),
 * the "video with no duration" of issue 21.
 */
async function recordedWebm(frames = 12): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const ctx = canvas.getContext('2d')!;
  const stream = canvas.captureStream(30);
  const recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  recorder.start();
  for (let i = 0; i < frames; i++) {
    ctx.fillStyle = i % 2 ? '#e02020' : '#2060c0';
    ctx.fillRect(0, 0, 64, 48);
    await new Promise(requestAnimationFrame);
  }
  recorder.stop();
  await stopped;
  for (const track of stream.getTracks()) track.stop();
  return new Blob(chunks, { type: 'video/webm' });
}

/** Whether MediaRecorder writes WebM here: WebKit's writes MP4 only, so the recorded fixture cannot be made there. */
const recordsWebm = () => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported('video/webm');

/** A copy of a WebM whose Info/Duration element is overwritten by an EBML Void of the same length. */
async function withoutDuration(webm: Blob): Promise<Blob> {
  const bytes = await bytesOf(webm);
  const info = bytes.findIndex((_, i) => bytes[i] === 0x15 && bytes[i + 1] === 0x49 && bytes[i + 2] === 0xa9 && bytes[i + 3] === 0x66);
  expect(info, 'Info element').to.be.above(0);
  for (let i = info; i < info + 64; i++) {
    if (bytes[i] !== 0x44 || bytes[i + 1] !== 0x89 || (bytes[i + 2] !== 0x84 && bytes[i + 2] !== 0x88)) continue;
    const total = 3 + (bytes[i + 2]! & 0x0f);
    bytes.set([0xec, 0x80 | (total - 2)], i);
    bytes.fill(0, i + 2, i + total);
    return new Blob([bytes], { type: 'video/webm' });
  }
  // MediaRecorder writes none at all.
  return webm;
}

describe('measureMedia', () => {
  it('images: the size as displayed, from the header', async () => {
    expect(await measureMedia(await fixture('image-3x2.png'))).to.deep.equal({ kind: 'image', type: 'image/png', width: 3, height: 2 });
    expect(await measureMedia(await fixture('image-6x4-rotated.jpg'))).to.deep.equal({
      kind: 'image',
      type: 'image/jpeg',
      width: 4,
      height: 6,
      orientation: 6,
    });
  });

  it('a PNG whose header lies is measured by what it claims (nothing is decoded), and a giant one too', async () => {
    const png = await bytesOf(await canvasImage(5, 5, 'image/png'));
    const liar = new Blob([pngClaiming(png, 1200, 900)], { type: 'image/png' });
    expect(await measureMedia(liar)).to.deep.equal({ kind: 'image', type: 'image/png', width: 1200, height: 900 });
    const giant = new Blob([pngClaiming(png, 30_000, 30_000)], { type: 'image/png' });
    expect(await measureMedia(giant)).to.deep.equal({ kind: 'image', type: 'image/png', width: 30_000, height: 30_000 });
  });

  it('cannot tell (undefined, so the file is accepted): zero bytes, a corrupt image, an SVG, a non-media file', async () => {
    expect(await measureMedia(new Blob([], { type: 'image/jpeg' }))).to.equal(undefined);
    const garbage = new Blob([new Uint8Array(5000).fill(7)], { type: 'image/jpeg' });
    expect(await measureMedia(garbage)).to.equal(undefined);
    const svg = new Blob(['<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"/>'], { type: 'image/svg+xml' });
    expect(await measureMedia(svg)).to.equal(undefined);
    const unlabelledSvg = new Blob(['<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"/>'], { type: 'image/x-unknown' });
    expect(await measureMedia(unlabelledSvg)).to.equal(undefined);
    expect(await measureMedia(new Blob(['hello'], { type: 'text/plain' }))).to.equal(undefined);
  });

  it('an image type the header reader does not know is sized by an <img> (an ICO here)', async () => {
    // An ICO wrapping a 20×10 PNG: its directory says 20×10, and the browser reads it.
    const png = await bytesOf(await canvasImage(20, 10, 'image/png'));
    const ico = new Uint8Array(6 + 16 + png.length);
    const view = new DataView(ico.buffer);
    view.setUint16(2, 1, true);
    view.setUint16(4, 1, true);
    ico.set([20, 10, 0, 0], 6);
    view.setUint16(10, 1, true);
    view.setUint16(12, 32, true);
    view.setUint32(14, png.length, true);
    view.setUint32(18, 22, true);
    ico.set(png, 22);
    expect(await measureMedia(new Blob([ico], { type: 'image/x-icon' }))).to.deep.equal({
      kind: 'image',
      type: 'image/x-icon',
      width: 20,
      height: 10,
    });
  });

  it('video and audio: duration from the metadata, and the video size', async () => {
    const typed = await measureMedia(new File([await fixture('video-4x2.webm')], 'v.webm', { type: 'video/webm' }));
    expect(typed).to.include({ kind: 'video', width: 4, height: 2 });
    expect((typed as { duration: number }).duration).to.be.above(0);
    const audio = await measureMedia(new File([await fixture('tone-100ms.wav')], 't.wav', { type: 'audio/wav' }));
    expect(audio?.kind).to.equal('audio');
    expect((audio as { duration: number }).duration).to.be.closeTo(0.1, 0.01);
  });

  it('a video with no duration (no Duration element, as live recorders write) gives a finite duration or none', async () => {
    // Chromium 156 works the duration out from the blob's clusters; an engine that cannot says Infinity or NaN,
    // which must never reach a `max-duration` comparison.
    const videos = [await withoutDuration(await fixture('video-4x2.webm'))];
    if (recordsWebm()) videos.push(await recordedWebm());
    for (const video of videos) {
      const measure = (await measureMedia(video)) as { kind: string; width: number; duration?: number };
      expect(measure.kind).to.equal('video');
      expect(measure.width).to.be.above(0);
      if ('duration' in measure) expect(Number.isFinite(measure.duration)).to.equal(true);
    }
  });

  it('an unreadable video is undefined, at once (error) or after the timeout', async () => {
    expect(await measureMedia(new Blob([new Uint8Array(3000).fill(1)], { type: 'video/mp4' }))).to.equal(undefined);
    expect(await measureMedia(new Blob([new Uint8Array(3000).fill(1)], { type: 'audio/mpeg' }), { timeout: 500 })).to.equal(undefined);
  });
});

/** A thumbnail's size, released (a plain value: an assertion that fails on it can be reported), or undefined. */
function sizeOf(thumb: Thumbnail | undefined): { width: number; height: number } | undefined {
  thumb?.release();
  return thumb && { width: thumb.width, height: thumb.height };
}

describe('thumbnailUrl', () => {
  it('decodes a large photo at thumbnail size, upright', async () => {
    const photo = await jpegWith(exifSegment(6), await canvasImage(1200, 800, 'image/jpeg', 0.9));
    const thumb = (await thumbnailUrl(photo, 100))!;
    // Displayed 800×1200; covering a 100 square: 100×150.
    expect([thumb.width, thumb.height]).to.deep.equal([100, 150]);
    const blob = await (await fetch(thumb.url)).blob();
    expect(blob.size).to.be.below(photo.size / 10);
    expect(await decodedSize(blob)).to.deep.equal({ width: 100, height: 150 });
    expect(await isRedAt(blob, 50, 3)).to.equal(true);
    thumb.release();
    expect(
      await fetch(thumb.url).then(
        () => 'fetched',
        () => 'revoked',
      ),
    ).to.equal('revoked');
    thumb.release();
  });

  it('never upscales, keeps the SVG as it is, and has nothing for HEIC, giants, zero bytes or garbage', async () => {
    const small = (await thumbnailUrl(await canvasImage(30, 20, 'image/png'), 100))!;
    expect([small.width, small.height]).to.deep.equal([30, 20]);
    small.release();
    const svgFile = new Blob(['<svg xmlns="http://www.w3.org/2000/svg" width="8" height="4"/>'], { type: 'image/svg+xml' });
    const svg = (await thumbnailUrl(svgFile, 100))!;
    expect(await (await fetch(svg.url)).text()).to.contain('<svg');
    svg.release();
    const png = await bytesOf(await canvasImage(5, 5, 'image/png'));
    expect(sizeOf(await thumbnailUrl(new Blob([pngClaiming(png, 30_000, 30_000)], { type: 'image/png' }), 100))).to.equal(undefined);
    expect(sizeOf(await thumbnailUrl(new Blob([], { type: 'image/png' }), 100))).to.equal(undefined);
    expect(sizeOf(await thumbnailUrl(new Blob([new Uint8Array(900).fill(3)], { type: 'image/jpeg' }), 100))).to.equal(undefined);
    // A PNG cut after its header (no pixels): Chromium and WebKit cannot decode it, so nothing to show; Firefox's
    // decoders draw what came (5×5, blank), as the browser shows that file itself.
    const truncated = new Blob([png.slice(0, 60)], { type: 'image/png' });
    const shown = await createImageBitmap(truncated).then(
      (bitmap) => {
        bitmap.close();
        return true;
      },
      () => false,
    );
    expect(sizeOf(await thumbnailUrl(truncated, 100))).to.deep.equal(shown ? { width: 5, height: 5 } : undefined);
  });

  it('a video row gets a frame, even from a video with no duration', async () => {
    const typed = new File([await fixture('video-4x2.webm')], 'v.webm', { type: 'video/webm' });
    const thumb = (await thumbnailUrl(typed, 100))!;
    expect([thumb.width, thumb.height]).to.deep.equal([4, 2]);
    thumb.release();
    if (recordsWebm()) {
      const recorded = (await thumbnailUrl(await withoutDuration(await recordedWebm()), 24))!;
      // 64×48 covering a 24 square: 32×24.
      expect([recorded.width, recorded.height]).to.deep.equal([32, 24]);
      const frame = await (await fetch(recorded.url)).blob();
      expect(await decodedSize(frame)).to.deep.equal({ width: 32, height: 24 });
      recorded.release();
    }
    // Without its Duration element, the committed one.
    const undated = (await thumbnailUrl(
      new File([await withoutDuration(await fixture('video-4x2.webm'))], 'u.webm', { type: 'video/webm' }),
      100,
    ))!;
    expect([undated.width, undated.height]).to.deep.equal([4, 2]);
    undated.release();
    expect(sizeOf(await thumbnailUrl(new Blob([new Uint8Array(100)], { type: 'video/mp4' }), 100))).to.equal(undefined);
  });

  it('stops at once when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await thumbnailUrl(await canvasImage(2, 2), 10, { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as DOMException).name).to.equal('AbortError');
  });
});
