// Images for the media tests, made in the browser (canvas) or byte by byte, a few KB each.

/** A picture that is not one colour, so a re-encode has real work to do and an orientation can be seen. */
export function paint(width: number, height: number): OffscreenCanvas {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#2060c0';
  ctx.fillRect(0, 0, width, height);
  // Blue and green stripes (detail for the encoder), then red on the left third: after a turn, the red shows
  // where the picture's left side went.
  ctx.fillStyle = '#20a060';
  for (let x = 0; x < width + height; x += 7) {
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x + 3, 0);
    ctx.lineTo(x + 3 - height, height);
    ctx.lineTo(x - height, height);
    ctx.fill();
  }
  ctx.fillStyle = '#e02020';
  ctx.fillRect(0, 0, Math.ceil(width / 3), height);
  // Yellow in the top-left quarter's corner: with the red it tells all eight orientations apart.
  ctx.fillStyle = '#f0e020';
  ctx.fillRect(0, 0, Math.ceil(width / 4), Math.ceil(height / 4));
  return canvas;
}

export async function canvasImage(width: number, height: number, type = 'image/jpeg', quality = 0.92): Promise<Blob> {
  return paint(width, height).convertToBlob({ type, quality });
}

export const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

export async function fixture(name: string): Promise<Blob> {
  const response = await fetch(new URL(`../fixtures/${name}`, import.meta.url));
  if (!response.ok) throw new Error(`no fixture ${name}`);
  return response.blob();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A copy of PNG bytes whose IHDR claims another size (CRC fixed up, so only the pixel data tells the lie). */
export function pngClaiming(png: Uint8Array, width: number, height: number): Uint8Array<ArrayBuffer> {
  const copy = png.slice();
  const view = new DataView(copy.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(copy.subarray(12, 29)));
  return copy;
}

const be16 = (n: number) => [n >> 8, n & 0xff];
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/**
 * An EXIF APP1 segment (big-endian TIFF as Apple writes it, or little-endian as many Android phones do) with Orientation, an Exif IFD holding PixelX/YDimension, a GPS IFD
 * (N 52° 31' 12") and an IFD1 (thumbnail) link, as cameras write them.
 */
export function exifSegment(orientation: number, pixels = { width: 0, height: 0 }, little = false): Uint8Array<ArrayBuffer> {
  const be16 = (n: number) => (little ? [n & 0xff, n >> 8] : [n >> 8, n & 0xff]);
  const be32 = (n: number) =>
    little
      ? [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]
      : [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  // Layout (offsets from the TIFF header): IFD0 at 8 (4 entries), Exif IFD, GPS IFD, GPS rationals, IFD1.
  const ifd0 = 8;
  const ifd0Size = 2 + 4 * 12 + 4;
  const exifIfd = ifd0 + ifd0Size;
  const exifIfdSize = 2 + 2 * 12 + 4;
  const gpsIfd = exifIfd + exifIfdSize;
  const gpsIfdSize = 2 + 2 * 12 + 4;
  const rationals = gpsIfd + gpsIfdSize;
  const ifd1 = rationals + 24;
  const entry = (tag: number, type: number, count: number, value: number[]) => [...be16(tag), ...be16(type), ...be32(count), ...value];
  const tiff = [
    ...(little ? [0x49, 0x49] : [0x4d, 0x4d]),
    ...be16(42),
    ...be32(ifd0),
    ...be16(4),
    ...entry(0x0112, 3, 1, [...be16(orientation), 0, 0]),
    ...entry(0x0131, 2, 4, [0x69, 0x74, 0x74, 0]), // Software "itt"
    ...entry(0x8769, 4, 1, be32(exifIfd)),
    ...entry(0x8825, 4, 1, be32(gpsIfd)),
    ...be32(ifd1),
    ...be16(2),
    ...entry(0xa002, 4, 1, be32(pixels.width)),
    ...entry(0xa003, 4, 1, be32(pixels.height)),
    ...be32(0),
    ...be16(2),
    ...entry(0x0001, 2, 2, [0x4e, 0, 0, 0]), // GPSLatitudeRef "N"
    ...entry(0x0002, 5, 3, be32(rationals)), // GPSLatitude
    ...be32(0),
    ...be32(52),
    ...be32(1),
    ...be32(31),
    ...be32(1),
    ...be32(12),
    ...be32(1),
    ...be16(1),
    ...entry(0x0103, 3, 1, [...be16(6), 0, 0]), // Compression: JPEG thumbnail
    ...be32(0),
  ];
  const body = [...'Exif\0\0'].map((c) => c.charCodeAt(0)).concat(tiff);
  const length = body.length + 2; // JPEG lengths are big-endian whatever the TIFF inside says
  return Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, ...body]);
}

/**
 * A canvas-made JPEG with `segment` inserted right after its start of image. Left as a Blob of pieces, the first
 * of 2 bytes, on purpose: Firefox's createImageBitmap cannot decode such a Blob itself, and the code under test
 * must (decoding.ts); the checks below decode a flat copy.
 */
export async function jpegWith(segment: Uint8Array, jpeg: Blob): Promise<Blob> {
  return new Blob([jpeg.slice(0, 2), segment as Uint8Array<ArrayBuffer>, jpeg.slice(2)], { type: 'image/jpeg' });
}

/** The GPS latitude rational "52/1" as it sits in the crafted EXIF: present only if the GPS IFD survived. */
export const GPS_MARK = Uint8Array.from([...be32(52), ...be32(1), ...be32(31), ...be32(1)]);

export function includes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/** The start of an AVIF file: ftyp, then a meta box with pitm, ispe and (optionally) irot for item 1. */
export function avifHead(width: number, height: number, rotate = 0): Uint8Array<ArrayBuffer> {
  const box = (type: string, body: number[]) => [...be32(body.length + 8), ...[...type].map((c) => c.charCodeAt(0)), ...body];
  const text = (s: string) => [...s].map((c) => c.charCodeAt(0));
  const props = [
    ...box('ispe', [0, 0, 0, 0, ...be32(64), ...be32(64)]), // a thumbnail-sized item's first, to be ignored
    ...box('ispe', [0, 0, 0, 0, ...be32(width), ...be32(height)]),
    ...(rotate ? box('irot', [rotate]) : []),
  ];
  // ipma v0: item 2 → property 1; item 1 → properties 2 (and 3).
  const ipma = box('ipma', [0, 0, 0, 0, ...be32(2), ...be16(2), 1, 0x81, ...be16(1), rotate ? 2 : 1, 0x82, ...(rotate ? [0x83] : [])]);
  return Uint8Array.from([
    ...box('ftyp', [...text('avif'), 0, 0, 0, 0, ...text('mif1'), ...text('miaf')]),
    ...box('meta', [0, 0, 0, 0, ...box('pitm', [0, 0, 0, 0, ...be16(1)]), ...box('iprp', [...box('ipco', props), ...ipma])]),
    ...box('mdat', [1, 2, 3, 4]),
  ]);
}

export function bmpHead(width: number, height: number): Uint8Array<ArrayBuffer> {
  const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
  return Uint8Array.from([
    0x42,
    0x4d,
    ...le32(54),
    0,
    0,
    0,
    0,
    ...le32(54),
    ...le32(40),
    ...le32(width),
    ...le32(height),
    1,
    0,
    24,
    0,
    ...new Array(24).fill(0),
  ]);
}

/** A 1×1 GIF89a whose logical screen says `width` × `height`. */
export function gifHead(width: number, height: number, animated = false): Uint8Array<ArrayBuffer> {
  const le16 = (n: number) => [n & 0xff, n >> 8];
  const loop = animated ? [0x21, 0xff, 11, ...[...'NETSCAPE2.0'].map((c) => c.charCodeAt(0)), 3, 1, 0, 0, 0] : [];
  return Uint8Array.from([...[...'GIF89a'].map((c) => c.charCodeAt(0)), ...le16(width), ...le16(height), 0, 0, 0, ...loop, 0x3b]);
}

/** What the browser shows of an image: its bytes as one piece (see jpegWith), orientation applied. */
const shown = async (image: Blob) =>
  createImageBitmap(new Blob([await image.arrayBuffer()], { type: image.type }), { imageOrientation: 'from-image' });

/** Whether the pixel at (x, y) of an image is the test picture's red. */
export async function isRedAt(image: Blob, x: number, y: number): Promise<boolean> {
  const bitmap = await shown(image);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  const [r, g, b] = ctx.getImageData(x, y, 1, 1).data;
  return r! > 170 && g! < 90 && b! < 90;
}

/** Red, yellow or other at each point of a 3 × 3 grid over the image (orientation applied): its layout. */
export async function layout(image: Blob): Promise<string> {
  const bitmap = await shown(image);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  let text = '';
  for (const fy of [0.08, 0.5, 0.92]) {
    for (const fx of [0.08, 0.5, 0.92]) {
      const [r, g, b] = ctx.getImageData(Math.floor(bitmap.width * fx), Math.floor(bitmap.height * fy), 1, 1).data;
      text += r! > 170 && g! > 170 && b! < 110 ? 'Y' : r! > 170 && g! < 90 && b! < 90 ? 'R' : '.';
    }
    text += fy < 0.9 ? '/' : '';
  }
  return text;
}

/** The size a browser decodes an image at, orientation applied. */
export async function decodedSize(image: Blob): Promise<{ width: number; height: number }> {
  const bitmap = await shown(image);
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return size;
}
