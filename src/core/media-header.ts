// Image headers read from the first bytes of a file, and the EXIF byte surgery that `keep-metadata` needs.
// Pure: Uint8Array in, plain data out (a Blob is only sliced), so it runs in Node, a page or a worker.
// Every reader treats its input as hostile: a lie, a truncation or garbage gives `undefined`, never a throw.

/** What an image's header says, with `width` and `height` as the image is displayed (EXIF orientation applied). */
export interface ImageHeader {
  /** The type the bytes are, whatever the file's name or `type` say. */
  type: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/bmp' | 'image/avif' | 'image/heic';
  width: number;
  height: number;
  /** The EXIF Orientation tag (1–8) of a JPEG, when it has one; 5–8 mean `width` and `height` were swapped. */
  orientation?: number;
  /** The file holds an animation (APNG, animated GIF/WebP, AVIF sequence): re-encoding would keep one frame. */
  animated?: boolean;
}

/**
 * Images with more pixels than this are never decoded (100 megapixels: 400 MB once decoded). Phone cameras
 * write 12–50 MP; a file claiming more is sent as it is (or refused by `max-width` / `max-height`).
 */
export const MAX_PIXELS = 100_000_000;

/** The first read; JPEGs whose metadata runs longer are read further, up to `MAX_HEADER_BYTES`. */
const FIRST_READ = 64 * 1024;
const MAX_HEADER_BYTES = 1024 * 1024;
/** Beyond this a dimension is a lie: no format the browser decodes allows it. */
const MAX_SIDE = 1 << 24;

/** Reads the header of an image file from a slice of its first bytes (never the whole file). */
export async function readImageHeader(blob: Blob): Promise<ImageHeader | undefined> {
  try {
    let length = Math.min(blob.size, FIRST_READ);
    for (;;) {
      const bytes = new Uint8Array(await blob.slice(0, length).arrayBuffer());
      const result = parse(bytes, length >= blob.size);
      if (typeof result !== 'number') return result;
      if (result > MAX_HEADER_BYTES || length >= blob.size) return undefined;
      length = Math.min(blob.size, Math.max(result + 1024, length * 2));
    }
  } catch {
    return undefined;
  }
}

/** The header from bytes already read: `undefined` when they hold no whole header of a known image type. */
export function parseImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  try {
    const result = parse(bytes, true);
    return typeof result === 'number' ? undefined : result;
  } catch {
    return undefined;
  }
}

/** Whether the bytes look like an SVG document (XML or a bare `<svg`), which is never read for pixel sizes. */
export function looksLikeSvg(bytes: Uint8Array): boolean {
  const text = latin1(bytes, 0, Math.min(bytes.length, 4096)).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  if (!text.startsWith('<')) return false;
  return /<svg[\s>]/i.test(text);
}

// ---- parsing ------------------------------------------------------------------------------------------------

/** A header, `undefined` (not an image we know, or a broken one), or how many bytes are needed to tell. */
type Parsed = ImageHeader | undefined | number;

function parse(b: Uint8Array, complete: boolean): Parsed {
  if (b.length < 12) return complete ? undefined : 12;
  if (b[0] === 0x89 && latin1(b, 1, 7) === 'PNG\r\n\x1a\n') return png(b, complete);
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b, complete);
  const six = latin1(b, 0, 6);
  if (six === 'GIF87a' || six === 'GIF89a') return gif(b);
  if (latin1(b, 0, 4) === 'RIFF' && latin1(b, 8, 4) === 'WEBP') return webp(b, complete);
  if (b[0] === 0x42 && b[1] === 0x4d) return bmp(b, complete);
  if (latin1(b, 4, 4) === 'ftyp') return isobmff(b, complete);
  return undefined;
}

const sized = (type: ImageHeader['type'], width: number, height: number, extra: Partial<ImageHeader> = {}) =>
  Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && width <= MAX_SIDE && height <= MAX_SIDE
    ? { type, width, height, ...extra }
    : undefined;

function png(b: Uint8Array, complete: boolean): Parsed {
  // Signature, then IHDR first: length 13, type, width, height, five bytes, CRC.
  if (b.length < 33) return complete ? undefined : 33;
  if (u32be(b, 8) !== 13 || latin1(b, 12, 4) !== 'IHDR') return undefined;
  if (crc32(b.subarray(12, 29)) !== u32be(b, 29)) return undefined;
  // An APNG says so with an acTL chunk before its first IDAT.
  let animated = false;
  for (let at = 33; at + 8 <= b.length; ) {
    const type = latin1(b, at + 4, 4);
    if (type === 'acTL') animated = true;
    if (type === 'IDAT' || type === 'IEND') break;
    at += 12 + u32be(b, at);
  }
  return sized('image/png', u32be(b, 16), u32be(b, 20), animated ? { animated } : {});
}

function gif(b: Uint8Array): Parsed {
  // NETSCAPE2.0 is the looping extension that every animated GIF carries before its frames.
  const animated = latin1(b, 0, Math.min(b.length, 4096)).includes('NETSCAPE2.0');
  return sized('image/gif', u16le(b, 6), u16le(b, 8), animated ? { animated } : {});
}

function webp(b: Uint8Array, complete: boolean): Parsed {
  if (b.length < 30) return complete ? undefined : 30;
  const chunk = latin1(b, 12, 4);
  const d = 20;
  if (chunk === 'VP8 ') {
    if (b[d + 3] !== 0x9d || b[d + 4] !== 0x01 || b[d + 5] !== 0x2a) return undefined;
    return sized('image/webp', u16le(b, d + 6) & 0x3fff, u16le(b, d + 8) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (b[d] !== 0x2f) return undefined;
    const bits = u32le(b, d + 1);
    return sized('image/webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    const animated = (b[d]! & 0x02) !== 0;
    return sized('image/webp', u24le(b, d + 4) + 1, u24le(b, d + 7) + 1, animated ? { animated } : {});
  }
  return undefined;
}

function bmp(b: Uint8Array, complete: boolean): Parsed {
  if (b.length < 26) return complete ? undefined : 26;
  const dib = u32le(b, 14);
  if (dib === 12) return sized('image/bmp', u16le(b, 18), u16le(b, 20));
  if (dib < 40 || dib > 124) return undefined;
  // A negative height is a top-down bitmap.
  return sized('image/bmp', i32le(b, 18), Math.abs(i32le(b, 22)));
}

const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpeg(b: Uint8Array, complete: boolean): Parsed {
  let orientation: number | undefined;
  for (const segment of jpegSegments(b)) {
    if (typeof segment === 'number') return complete ? undefined : segment;
    const { marker, start, end } = segment;
    if (marker === 0xda || marker === 0xd9) return undefined; // scan or end before any frame header
    if (marker === 0xe1 && orientation === undefined) orientation = exifOrientation(b.subarray(start + 4, end));
    if (SOF.has(marker)) {
      if (end - start < 4 + 6) return undefined;
      const height = u16be(b, start + 5);
      const width = u16be(b, start + 7);
      const turned = orientation !== undefined && orientation >= 5;
      const extra = orientation === undefined ? {} : { orientation };
      return sized('image/jpeg', turned ? height : width, turned ? width : height, extra);
    }
  }
  return undefined;
}

interface Segment {
  marker: number;
  /** Offset of the segment's 0xFF. */
  start: number;
  /** Offset just past it. */
  end: number;
}

/**
 * The marker segments of a JPEG up to its first scan, yielding the offset still needed (a number) when the bytes
 * end first, and ending quietly on anything that is not a marker.
 */
function* jpegSegments(b: Uint8Array): Generator<Segment | number> {
  let at = 2;
  for (;;) {
    if (at + 4 > b.length) return yield at + 4;
    if (b[at] !== 0xff) return;
    let marker = b[at + 1]!;
    let start = at;
    // Fill bytes: any number of 0xFF before a marker.
    while (marker === 0xff && start + 2 < b.length) marker = b[++start + 1]!;
    if (marker === 0xff) return yield start + 4;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at = start + 2;
      continue;
    }
    if (marker === 0xd9) return yield { marker, start, end: start + 2 };
    if (start + 4 > b.length) return yield start + 4;
    const length = u16be(b, start + 2);
    if (length < 2) return;
    const end = start + 2 + length;
    if (end > b.length) return yield end;
    yield { marker, start, end };
    if (marker === 0xda) return;
    at = end;
  }
}

function isobmff(b: Uint8Array, complete: boolean): Parsed {
  const ftypSize = u32be(b, 0);
  if (ftypSize < 16 || ftypSize > 4096) return undefined;
  if (ftypSize > b.length) return complete ? undefined : ftypSize;
  const brands = [latin1(b, 8, 4)];
  for (let at = 16; at + 4 <= ftypSize; at += 4) brands.push(latin1(b, at, 4));
  const type = brands.some((brand) => brand === 'avif' || brand === 'avis')
    ? 'image/avif'
    : brands.some((brand) => /^(heic|heix|heim|heis|hevc|hevx)$/.test(brand))
      ? 'image/heic'
      : undefined;
  if (!type) return undefined;
  const animated = brands[0] === 'avis' || brands[0] === 'hevc' || brands[0] === 'msf1';
  // Top-level boxes to `meta`: its primary item, and that item's ispe (size) and irot (rotation) properties.
  for (const box of boxes(b, ftypSize, b.length, complete)) {
    if (typeof box === 'number') return box;
    if (box.type !== 'meta') continue;
    let primary: number | undefined;
    const properties: Box[] = [];
    const links = new Map<number, number[]>();
    for (const child of boxes(b, box.body + 4, box.end, true)) {
      if (typeof child === 'number') return undefined;
      if (child.type === 'pitm') primary = b[child.body] === 0 ? u16be(b, child.body + 4) : u32be(b, child.body + 4);
      if (child.type !== 'iprp') continue;
      for (const part of boxes(b, child.body, child.end, true)) {
        if (typeof part === 'number') return undefined;
        if (part.type === 'ipco') for (const p of boxes(b, part.body, part.end, true)) typeof p !== 'number' && properties.push(p);
        if (part.type === 'ipma') readIpma(b, part, links);
      }
    }
    const own = primary === undefined ? undefined : links.get(primary)?.map((index) => properties[index - 1]);
    const chosen = own?.filter((p): p is Box => p !== undefined) ?? properties;
    // Without the links, the largest ispe is the whole image (the others are tiles, thumbnails or alpha planes).
    const ispe = chosen
      .filter((p) => p.type === 'ispe' && p.end - p.body >= 12)
      .map((p) => ({ width: u32be(b, p.body + 4), height: u32be(b, p.body + 8) }))
      .sort((x, y) => y.width * y.height - x.width * x.height)[0];
    if (!ispe) return undefined;
    const irot = chosen.find((p) => p.type === 'irot' && p.end > p.body);
    const turned = irot !== undefined && (b[irot.body]! & 1) === 1;
    return sized(type, turned ? ispe.height : ispe.width, turned ? ispe.width : ispe.height, animated ? { animated } : {});
  }
  return undefined;
}

interface Box {
  type: string;
  body: number;
  end: number;
}

function* boxes(b: Uint8Array, from: number, to: number, complete: boolean): Generator<Box | number> {
  for (let at = from; at + 8 <= to; ) {
    let size = u32be(b, at);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > b.length) return yield complete ? -1 : at + 16;
      const high = u32be(b, at + 8);
      size = high * 2 ** 32 + u32be(b, at + 12);
      body = at + 16;
    } else if (size === 0) size = to - at;
    if (size < body - at) return;
    const end = at + size;
    if (end > to) {
      if (!complete && latin1(b, at + 4, 4) === 'meta') return yield end;
      // Only the meta box must be whole; others (mdat) are skipped over by their size.
      if (latin1(b, at + 4, 4) !== 'meta' && !complete) {
        if (end > MAX_HEADER_BYTES) return;
        return yield end + 8;
      }
      return;
    }
    yield { type: latin1(b, at + 4, 4), body, end };
    at = end;
  }
}

function readIpma(b: Uint8Array, box: Box, links: Map<number, number[]>): void {
  const version = b[box.body]!;
  const wide = (b[box.body + 3]! & 1) === 1;
  let at = box.body + 4;
  const count = u32be(b, at);
  at += 4;
  for (let i = 0; i < count && at < box.end; i++) {
    const item = version < 1 ? u16be(b, at) : u32be(b, at);
    at += version < 1 ? 2 : 4;
    const n = b[at++]!;
    const indexes: number[] = [];
    for (let k = 0; k < n && at < box.end; k++) {
      indexes.push(wide ? u16be(b, at) & 0x7fff : b[at]! & 0x7f);
      at += wide ? 2 : 1;
    }
    links.set(item, indexes);
  }
}

// ---- EXIF ---------------------------------------------------------------------------------------------------

const EXIF_ID = 'Exif\0\0';
const TAG_ORIENTATION = 0x0112;
const TAG_EXIF_IFD = 0x8769;
const TAG_PIXEL_X = 0xa002;
const TAG_PIXEL_Y = 0xa003;

interface Tiff {
  /** The TIFF structure: offsets inside EXIF count from its first byte. */
  bytes: Uint8Array;
  little: boolean;
}

function tiffOf(app1Body: Uint8Array): Tiff | undefined {
  if (app1Body.length < 14 || latin1(app1Body, 0, 6) !== EXIF_ID) return undefined;
  const bytes = app1Body.subarray(6);
  const order = latin1(bytes, 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  if (u16(bytes, 2, little) !== 42) return undefined;
  return { bytes, little };
}

/** The 12-byte entries of the IFD at `offset`, each as the offset of its entry; empty when it does not fit. */
function ifdEntries(tiff: Tiff, offset: number): number[] {
  const { bytes, little } = tiff;
  if (offset < 8 || offset + 2 > bytes.length) return [];
  const count = u16(bytes, offset, little);
  if (offset + 2 + count * 12 + 4 > bytes.length) return [];
  return Array.from({ length: count }, (_, i) => offset + 2 + i * 12);
}

function exifOrientation(app1Body: Uint8Array): number | undefined {
  const tiff = tiffOf(app1Body);
  if (!tiff) return undefined;
  for (const entry of ifdEntries(tiff, u32(tiff.bytes, 4, tiff.little))) {
    if (u16(tiff.bytes, entry, tiff.little) !== TAG_ORIENTATION) continue;
    if (u16(tiff.bytes, entry + 2, tiff.little) !== 3) return undefined;
    const value = u16(tiff.bytes, entry + 8, tiff.little);
    return value >= 1 && value <= 8 ? value : undefined;
  }
  return undefined;
}

/**
 * The EXIF APP1 segment of a JPEG (marker and length included), from the bytes of its head; `undefined` when the
 * head holds none before the frame header.
 */
export function findExifSegment(jpegHead: Uint8Array): Uint8Array | undefined {
  try {
    if (jpegHead[0] !== 0xff || jpegHead[1] !== 0xd8) return undefined;
    for (const segment of jpegSegments(jpegHead)) {
      if (typeof segment === 'number') return undefined;
      if (SOF.has(segment.marker) || segment.marker === 0xda) return undefined;
      if (segment.marker === 0xe1 && tiffOf(jpegHead.subarray(segment.start + 4, segment.end))) {
        return jpegHead.slice(segment.start, segment.end);
      }
    }
  } catch {
    // A hostile head has no EXIF worth keeping.
  }
  return undefined;
}

/**
 * A copy of an EXIF APP1 segment fit for pixels that are already upright and now `width` × `height`: Orientation
 * set to 1, PixelXDimension/PixelYDimension set to the new size, and the link to the embedded thumbnail (IFD1,
 * which shows the old, unrotated picture) cut. Everything else (camera, dates, GPS) is kept byte for byte.
 * `undefined` when the segment is not EXIF.
 */
export function uprightExif(segment: Uint8Array, size?: { width: number; height: number }): Uint8Array | undefined {
  try {
    if (segment[0] !== 0xff || segment[1] !== 0xe1) return undefined;
    const copy = segment.slice();
    const tiff = tiffOf(copy.subarray(4));
    if (!tiff) return undefined;
    const { bytes, little } = tiff;
    const ifd0 = u32(bytes, 4, little);
    const entries = ifdEntries(tiff, ifd0);
    if (entries.length === 0) return undefined;
    let exifIfd: number | undefined;
    for (const entry of entries) {
      const tag = u16(bytes, entry, little);
      if (tag === TAG_ORIENTATION && u16(bytes, entry + 2, little) === 3) setU16(bytes, entry + 8, 1, little);
      if (tag === TAG_EXIF_IFD) exifIfd = u32(bytes, entry + 8, little);
    }
    // The next-IFD offset after IFD0's entries: zero ends the chain, dropping IFD1 (the thumbnail).
    setU32(bytes, ifd0 + 2 + entries.length * 12, 0, little);
    if (size && exifIfd !== undefined) {
      for (const entry of ifdEntries(tiff, exifIfd)) {
        const tag = u16(bytes, entry, little);
        if (tag !== TAG_PIXEL_X && tag !== TAG_PIXEL_Y) continue;
        const value = tag === TAG_PIXEL_X ? size.width : size.height;
        const type = u16(bytes, entry + 2, little);
        if (type === 3 && value <= 0xffff) setU16(bytes, entry + 8, value, little);
        else if (type === 4) setU32(bytes, entry + 8, value, little);
      }
    }
    return copy;
  } catch {
    return undefined;
  }
}

/**
 * Where an APP1 segment goes in a JPEG made by a browser's encoder: after the start of image and the JFIF APP0
 * that viewers expect first. `undefined` when the bytes are not a JPEG.
 */
export function exifInsertionPoint(jpegHead: Uint8Array): number | undefined {
  if (jpegHead[0] !== 0xff || jpegHead[1] !== 0xd8 || jpegHead[2] !== 0xff) return undefined;
  if (jpegHead[3] === 0xe0 && jpegHead.length >= 6) {
    const end = 4 + u16be(jpegHead, 4);
    return end <= jpegHead.length ? end : undefined;
  }
  return 2;
}

/** Whether a JPEG's head holds an APP1 segment (EXIF or XMP): what the tests check stripped output against. */
export function hasApp1(jpegHead: Uint8Array): boolean {
  for (const segment of jpegSegments(jpegHead)) {
    if (typeof segment === 'number') return false;
    if (segment.marker === 0xe1) return true;
    if (SOF.has(segment.marker) || segment.marker === 0xda) return false;
  }
  return false;
}

// ---- bytes --------------------------------------------------------------------------------------------------

function latin1(b: Uint8Array, at: number, length: number): string {
  let text = '';
  for (let i = at; i < at + length && i < b.length; i++) text += String.fromCharCode(b[i]!);
  return text;
}

const byte = (b: Uint8Array, at: number): number => {
  const value = b[at];
  if (value === undefined) throw new RangeError('past the end');
  return value;
};
const u16be = (b: Uint8Array, at: number) => (byte(b, at) << 8) | byte(b, at + 1);
const u16le = (b: Uint8Array, at: number) => byte(b, at) | (byte(b, at + 1) << 8);
const u24le = (b: Uint8Array, at: number) => byte(b, at) | (byte(b, at + 1) << 8) | (byte(b, at + 2) << 16);
const u32be = (b: Uint8Array, at: number) => ((byte(b, at) << 24) | (byte(b, at + 1) << 16) | (byte(b, at + 2) << 8) | byte(b, at + 3)) >>> 0;
const u32le = (b: Uint8Array, at: number) => ((byte(b, at + 3) << 24) | (byte(b, at + 2) << 16) | (byte(b, at + 1) << 8) | byte(b, at)) >>> 0;
const i32le = (b: Uint8Array, at: number) => u32le(b, at) | 0;
const u16 = (b: Uint8Array, at: number, little: boolean) => (little ? u16le(b, at) : u16be(b, at));
const u32 = (b: Uint8Array, at: number, little: boolean) => (little ? u32le(b, at) : u32be(b, at));

function setU16(b: Uint8Array, at: number, value: number, little: boolean): void {
  byte(b, at + 1);
  b[at] = little ? value & 0xff : value >> 8;
  b[at + 1] = little ? value >> 8 : value & 0xff;
}

function setU32(b: Uint8Array, at: number, value: number, little: boolean): void {
  byte(b, at + 3);
  for (let i = 0; i < 4; i++) b[at + (little ? i : 3 - i)] = (value >>> (8 * i)) & 0xff;
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const value of bytes) crc = crcTable[(crc ^ value) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
