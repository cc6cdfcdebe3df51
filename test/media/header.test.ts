import { expect } from '@open-wc/testing';
import {
  exifInsertionPoint,
  findExifSegment,
  hasApp1,
  holdsJpegHead,
  looksLikeSvg,
  parseImageHeader,
  readImageHeader,
  stripJpegMetadata,
  uprightExif,
} from '../../src/core/media-header.js';
import {
  avifHead,
  bmpHead,
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
  pngClaiming,
} from './fixtures.js';

describe('readImageHeader', () => {
  it('reads PNG, JPEG and WebP made by the browser', async () => {
    expect(await readImageHeader(await canvasImage(37, 21, 'image/png'))).to.deep.equal({ type: 'image/png', width: 37, height: 21 });
    expect(await readImageHeader(await canvasImage(37, 21, 'image/jpeg'))).to.deep.equal({ type: 'image/jpeg', width: 37, height: 21 });
    // Chromium writes lossy VP8, and VP8L for lossless-looking input; both carry the size. A canvas that cannot
    // encode WebP (WebKit) makes a PNG instead, as the HTML standard says: read as the PNG it is.
    for (const quality of [0.8, 1]) {
      const made = await canvasImage(37, 21, 'image/webp', quality);
      if (made.type !== 'image/webp') expect(made.type, 'what a canvas makes instead of WebP').to.equal('image/png');
      expect(await readImageHeader(made), `WebP at ${quality}`).to.deep.equal({ type: made.type, width: 37, height: 21 });
    }
  });

  it('reads the committed fixtures, whatever their names say', async () => {
    expect(await readImageHeader(await fixture('image-3x2.png'))).to.deep.equal({ type: 'image/png', width: 3, height: 2 });
    expect(await readImageHeader(await fixture('image-4x7.gif'))).to.deep.equal({ type: 'image/gif', width: 4, height: 7 });
    expect(await readImageHeader(await fixture('image-5x3.jpg'))).to.deep.equal({ type: 'image/jpeg', width: 5, height: 3 });
    const named = new File([await fixture('image-3x2.png')], 'photo.jpg', { type: 'image/jpeg' });
    expect((await readImageHeader(named))?.type).to.equal('image/png');
  });

  it('reports an EXIF-rotated JPEG as displayed: orientation 6 of a 6×4 frame is 4 wide, 6 high', async () => {
    expect(await readImageHeader(await fixture('image-6x4-rotated.jpg'))).to.deep.equal({
      type: 'image/jpeg',
      width: 4,
      height: 6,
      orientation: 6,
    });
    for (const orientation of [1, 2, 3, 4]) {
      const header = await readImageHeader(await jpegWith(exifSegment(orientation), await canvasImage(30, 10)));
      expect(header, `orientation ${orientation}`).to.deep.equal({ type: 'image/jpeg', width: 30, height: 10, orientation });
    }
    for (const orientation of [5, 7, 8]) {
      const header = await readImageHeader(await jpegWith(exifSegment(orientation), await canvasImage(30, 10)));
      expect(header, `orientation ${orientation}`).to.deep.equal({ type: 'image/jpeg', width: 10, height: 30, orientation });
    }
  });

  it('reads past metadata longer than the first read, and gives up on a JPEG with no frame header', async () => {
    const jpeg = await canvasImage(30, 10);
    // Three 60 KB APP2 segments before the frame header: the SOF starts past 180 KB.
    const padding = new Uint8Array(60_000 + 4).fill(0x20);
    padding.set([0xff, 0xe2, (60_002 >> 8) & 0xff, 60_002 & 0xff]);
    const long = new Blob([jpeg.slice(0, 2), padding, padding, padding, jpeg.slice(2)]);
    expect(await readImageHeader(long)).to.deep.equal({ type: 'image/jpeg', width: 30, height: 10 });
    // Cut inside the metadata: no frame header, no answer.
    expect(await readImageHeader(long.slice(0, 150_000))).to.equal(undefined);
  });

  it('reads GIF, BMP and AVIF/HEIC heads byte by byte', async () => {
    expect(await readImageHeader(new Blob([gifHead(300, 200)]))).to.deep.equal({ type: 'image/gif', width: 300, height: 200 });
    expect(await readImageHeader(new Blob([gifHead(300, 200, true)]))).to.deep.equal({
      type: 'image/gif',
      width: 300,
      height: 200,
      animated: true,
    });
    expect(await readImageHeader(new Blob([bmpHead(640, -480)]))).to.deep.equal({ type: 'image/bmp', width: 640, height: 480 });
    // The primary item's ispe, not the thumbnail's that comes first; irot 1 (90°) turns it.
    expect(await readImageHeader(new Blob([avifHead(4032, 3024)]))).to.deep.equal({ type: 'image/avif', width: 4032, height: 3024 });
    expect(await readImageHeader(new Blob([avifHead(4032, 3024, 1)]))).to.deep.equal({ type: 'image/avif', width: 3024, height: 4032 });
    const heic = avifHead(4032, 3024);
    heic.set(
      [...'heic'].map((c) => c.charCodeAt(0)),
      8,
    );
    heic.set(
      [...'heic'].map((c) => c.charCodeAt(0)),
      16,
    );
    heic.set(
      [...'heix'].map((c) => c.charCodeAt(0)),
      20,
    );
    expect(await readImageHeader(new Blob([heic]))).to.deep.equal({ type: 'image/heic', width: 4032, height: 3024 });
  });

  it('reads only a slice of a large file', async () => {
    const jpeg = await canvasImage(30, 10);
    let read = 0;
    // A Blob whose slices are counted: the header never asks for more than its first read.
    const big = new Blob([jpeg, new Uint8Array(8 * 1024 * 1024)]);
    const spy = {
      size: big.size,
      slice: (start?: number, end?: number) => {
        read += (end ?? big.size) - (start ?? 0);
        return big.slice(start, end);
      },
    } as Blob;
    expect(await readImageHeader(spy)).to.deep.equal({ type: 'image/jpeg', width: 30, height: 10 });
    expect(read).to.be.at.most(64 * 1024);
  });

  it('answers undefined, never throws, on lies, cuts and garbage', async () => {
    const png = await bytesOf(await canvasImage(5, 5, 'image/png'));
    const zero = pngClaiming(png, 0, 5);
    const huge = pngClaiming(png, 2 ** 31, 5);
    const badCrc = png.slice();
    badCrc[17] ^= 1;
    const cases: [string, Uint8Array][] = [
      ['zero bytes', new Uint8Array(0)],
      ['PNG signature only', png.slice(0, 8)],
      ['PNG cut in IHDR', png.slice(0, 24)],
      ['PNG width 0', zero],
      ['PNG width 2^31', huge],
      ['PNG IHDR CRC wrong', badCrc],
      ['JPEG SOI only', Uint8Array.from([0xff, 0xd8, 0xff])],
      ['JPEG segment length 0', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8])],
      ['JPEG scan before frame', Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 4, 0, 0, 0xff, 0xd9, 0, 0])],
      ['JPEG height 0 (DNL)', Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 0, 0, 10, 1, 1, 0x11, 0])],
      ['RIFF not WebP', new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt ')],
      ['WebP VP8 bad start code', Uint8Array.from([...new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '), ...new Array(20).fill(0)])],
      ['ftyp of an mp4', new Uint8Array([0, 0, 0, 16, ...new TextEncoder().encode('ftypisom'), 0, 0, 0, 0])],
      ['AVIF with no meta', avifHead(10, 10).slice(0, 28)],
      ['text', new TextEncoder().encode('hello, this is not an image at all')],
      ['random', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff)],
    ];
    for (const [name, bytes] of cases) {
      expect(await readImageHeader(new Blob([bytes as Uint8Array<ArrayBuffer>])), name).to.equal(undefined);
      expect(parseImageHeader(bytes), name).to.equal(undefined);
    }
    // Every prefix of real files too.
    const jpeg = await bytesOf(await jpegWith(exifSegment(6), await canvasImage(9, 9)));
    for (let cut = 0; cut < 400; cut += 7) expect(() => parseImageHeader(jpeg.slice(0, cut))).not.to.throw();
  });

  it('tells SVG apart by its bytes', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(looksLikeSvg(text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).to.equal(true);
    expect(looksLikeSvg(text('\uFEFF  <svg width="10">'))).to.equal(true);
    expect(looksLikeSvg(text('<html><body>svg</body></html>'))).to.equal(false);
    expect(looksLikeSvg(text('GIF89a'))).to.equal(false);
  });
});

describe('EXIF surgery', () => {
  it('finds the EXIF segment and makes an upright copy: Orientation 1, new pixel size, GPS kept, thumbnail cut', async () => {
    const original = exifSegment(6, { width: 4000, height: 3000 });
    const jpeg = await bytesOf(await jpegWith(original, await canvasImage(20, 10)));
    const found = findExifSegment(jpeg);
    expect(found).to.deep.equal(original);
    const upright = uprightExif(found!, { width: 1536, height: 2048 })!;
    expect(upright.length).to.equal(original.length);
    expect(includes(upright, GPS_MARK)).to.equal(true);
    // Read back through a JPEG made of it.
    const rebuilt = await jpegWith(upright, await canvasImage(20, 10));
    expect((await readImageHeader(rebuilt))?.orientation).to.equal(1);
    const view = new DataView(upright.buffer);
    const tiff = 10; // marker, length, "Exif\0\0"
    // IFD0: 4 entries; next-IFD offset after them is now 0 (it pointed at IFD1).
    expect(view.getUint32(tiff + 8 + 2 + 4 * 12)).to.equal(0);
    const exifIfd = tiff + 8 + 2 + 4 * 12 + 4;
    expect(view.getUint32(exifIfd + 2 + 8)).to.equal(1536);
    expect(view.getUint32(exifIfd + 2 + 12 + 8)).to.equal(2048);
    // The original is untouched.
    expect(findExifSegment(jpeg)).to.deep.equal(original);
  });

  it('does the same in little-endian EXIF', async () => {
    const original = exifSegment(8, { width: 4000, height: 3000 }, true);
    expect(original[10]).to.equal(0x49);
    const jpeg = await jpegWith(original, await canvasImage(20, 10));
    expect(await readImageHeader(jpeg)).to.deep.equal({ type: 'image/jpeg', width: 10, height: 20, orientation: 8 });
    const upright = uprightExif(findExifSegment(await bytesOf(jpeg))!, { width: 300, height: 400 })!;
    expect((await readImageHeader(await jpegWith(upright, await canvasImage(20, 10))))?.orientation).to.equal(1);
    const view = new DataView(upright.buffer);
    const exifIfd = 10 + 8 + 2 + 4 * 12 + 4;
    expect(view.getUint32(10 + 8 + 2 + 4 * 12, true)).to.equal(0);
    expect(view.getUint32(exifIfd + 2 + 8, true)).to.equal(300);
    expect(view.getUint32(exifIfd + 2 + 12 + 8, true)).to.equal(400);
  });

  it('finds no EXIF where there is none or it is broken', async () => {
    const plain = await bytesOf(await canvasImage(20, 10));
    expect(findExifSegment(plain)).to.equal(undefined);
    expect(hasApp1(plain)).to.equal(false);
    const broken = exifSegment(6);
    broken[10] = 0x41; // byte order "AM"
    expect(findExifSegment(await bytesOf(await jpegWith(broken, await canvasImage(20, 10))))).to.equal(undefined);
    expect(uprightExif(broken)).to.equal(undefined);
    expect(uprightExif(new Uint8Array([0xff, 0xe1, 0, 2]))).to.equal(undefined);
    expect(uprightExif(exifSegment(6).slice(0, 30))).to.equal(undefined);
  });

  it('puts EXIF after the JFIF APP0 of an encoder-made JPEG', async () => {
    const plain = await bytesOf(await canvasImage(20, 10));
    const at = exifInsertionPoint(plain)!;
    expect(plain[3]).to.equal(0xe0);
    expect(at).to.equal(4 + ((plain[4]! << 8) | plain[5]!));
    expect(exifInsertionPoint(Uint8Array.from([0xff, 0xd8, 0xff, 0xdb]))).to.equal(2);
    expect(exifInsertionPoint(Uint8Array.from([0x89, 0x50]))).to.equal(undefined);
  });
});

describe('stripJpegMetadata', () => {
  const segment = (marker: number, text: string) => {
    const body = new TextEncoder().encode(text);
    return Uint8Array.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]);
  };

  it('removes EXIF, GPS, XMP, IPTC and comments, keeps JFIF, the ICC profile and the orientation, not a pixel changed', async () => {
    const jpeg = await canvasImage(60, 40);
    const xmp = segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPSLatitude 52</x:xmpmeta>');
    const iptc = segment(0xed, 'Photoshop 3.0\0 8BIM city');
    const comment = segment(0xfe, 'taken at home');
    const marked = new Blob([jpeg.slice(0, 2), exifSegment(6), xmp, iptc, comment, jpeg.slice(2)]);
    const bytes = await bytesOf(marked);
    const { head, rest } = stripJpegMetadata(bytes)!;
    const stripped = new Blob([head as Uint8Array<ArrayBuffer>, marked.slice(rest)], { type: 'image/jpeg' });
    const out = await bytesOf(stripped);
    expect(includes(out, GPS_MARK)).to.equal(false);
    for (const word of ['xmpmeta', 'Photoshop', 'taken at home', 'itt'])
      expect(includes(out, new TextEncoder().encode(word)), word).to.equal(false);
    expect(includes(out, new TextEncoder().encode('ICC_PROFILE'))).to.equal(includes(bytes, new TextEncoder().encode('ICC_PROFILE')));
    // JFIF first, then the orientation-only EXIF.
    expect([out[2], out[3]]).to.deep.equal([0xff, 0xe0]);
    const afterJfif = 4 + ((out[4]! << 8) | out[5]!);
    expect([out[afterJfif], out[afterJfif + 1]]).to.deep.equal([0xff, 0xe1]);
    // Orientation 6 survives as a minimal EXIF: displayed 40 wide, 60 high, red on top.
    expect(await readImageHeader(stripped)).to.deep.equal({ type: 'image/jpeg', width: 40, height: 60, orientation: 6 });
    expect(await decodedSize(stripped)).to.deep.equal({ width: 40, height: 60 });
    expect(await isRedAt(stripped, 20, 2)).to.equal(true);
    // The scan onwards is the original's, byte for byte.
    expect(out.subarray(head.length)).to.deep.equal(bytes.subarray(rest));
    expect(out.length).to.be.below(bytes.length);
  });

  it('has nothing to do on an encoder-made JPEG, and gives up on a head cut before the scan', async () => {
    const plain = await bytesOf(await canvasImage(60, 40));
    expect(stripJpegMetadata(plain)).to.equal(undefined);
    const marked = await bytesOf(await jpegWith(exifSegment(1), await canvasImage(60, 40)));
    expect(holdsJpegHead(marked)).to.equal(true);
    expect(holdsJpegHead(marked.slice(0, 100))).to.equal(false);
    expect(stripJpegMetadata(marked.slice(0, 100))).to.equal(undefined);
    // Orientation 1 needs no EXIF at all.
    const { head } = stripJpegMetadata(marked)!;
    expect(hasApp1(head)).to.equal(false);
    expect(stripJpegMetadata(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]))).to.equal(undefined);
  });
});
