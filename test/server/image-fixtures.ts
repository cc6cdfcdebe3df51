// Builds the tiny real images in test/fixtures/ used by the server tests (solid colour, valid to any decoder).
// Regenerate with: node --import tsx test/server/image-fixtures.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGB PNG of one colour. */
export function png(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x40)]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A two-colour GIF; its LZW stream sends a clear code every two pixels so every code stays 3 bits wide. */
export function gif(width: number, height: number): Buffer {
  const codes: number[] = [];
  for (let i = 0; i < width * height; i += 2) codes.push(4, ...(i + 1 < width * height ? [0, 0] : [0]));
  codes.push(5);
  const packed: number[] = [];
  let bits = 0;
  let count = 0;
  for (const code of codes) {
    bits |= code << count;
    count += 3;
    while (count >= 8) {
      packed.push(bits & 0xff);
      bits >>= 8;
      count -= 8;
    }
  }
  if (count > 0) packed.push(bits & 0xff);
  const u16 = (n: number) => [n & 0xff, n >> 8];
  return Buffer.from([
    ...Buffer.from('GIF89a', 'latin1'),
    ...u16(width),
    ...u16(height),
    0x80,
    0,
    0,
    0xcc,
    0x66,
    0x33,
    0xff,
    0xff,
    0xff,
    0x2c,
    ...u16(0),
    ...u16(0),
    ...u16(width),
    ...u16(height),
    0,
    2,
    packed.length,
    ...packed,
    0,
    0x3b,
  ]);
}

/**
 * A baseline greyscale JPEG, mid-grey: every 8×8 block is DC 0 and end-of-block, with one-code Huffman tables.
 * `orientation` adds an EXIF block with that Orientation tag.
 */
export function jpeg(width: number, height: number, orientation?: number): Buffer {
  const segment = (marker: number, data: number[]) => [0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 0xff, ...data];
  const exif =
    orientation === undefined
      ? []
      : segment(0xe1, [
          ...Buffer.from('Exif\0\0', 'latin1'),
          0x4d,
          0x4d,
          0x00,
          0x2a,
          0,
          0,
          0,
          8,
          0,
          1,
          0x01,
          0x12,
          0,
          3,
          0,
          0,
          0,
          1,
          0,
          orientation,
          0,
          0,
          0,
          0,
          0,
          0,
        ]);
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const scan: number[] = [];
  const bitCount = blocks * 2;
  for (let i = 0; i < Math.ceil(bitCount / 8); i++) {
    const used = Math.min(8, bitCount - i * 8);
    scan.push((1 << (8 - used)) - 1);
  }
  const oneCodeTable = [1, ...new Array<number>(15).fill(0), 0];
  return Buffer.from([
    0xff,
    0xd8,
    ...exif,
    ...segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...oneCodeTable]),
    ...segment(0xc4, [0x10, ...oneCodeTable]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...scan,
    0xff,
    0xd9,
  ]);
}

export const FIXTURES = new URL('../fixtures/', import.meta.url);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('image-3x2.png', FIXTURES), png(3, 2));
  writeFileSync(new URL('image-4x7.gif', FIXTURES), gif(4, 7));
  writeFileSync(new URL('image-5x3.jpg', FIXTURES), jpeg(5, 3));
  writeFileSync(new URL('image-6x4-rotated.jpg', FIXTURES), jpeg(6, 4, 6));
}
