import { open } from 'node:fs/promises';
import type { StoredFile } from './metadata-store.js';
import { cleanContentType, kindOf, typeFromExtension } from './media-types.js';

/** What the bytes of an upload say about it. */
export interface Probe {
  type: string;
  kind: 'image' | 'video' | 'audio' | 'other';
  filesize: number;
  width?: number;
  height?: number;
}

const HEAD_BYTES = 128 * 1024;
/** JPEGs can carry a large EXIF block before the frame header; one wider read covers nearly all of them. */
const WIDE_HEAD_BYTES = 1024 * 1024;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `prefix` + 12 random characters of `[a-z0-9]` (rejection sampling keeps them uniform). */
export function randomId(prefix: string): string {
  let id = prefix;
  while (id.length < prefix.length + 12) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < 252 && id.length < prefix.length + 12) id += ALPHABET[byte % 36];
    }
  }
  return id;
}

/**
 * `file-type` and `image-size` are optional peer dependencies, so that a browser-only install never pulls them in.
 * Without them the server still works: types come from the extension, images get no width/height (one notice).
 */
const optional = <T>(load: () => Promise<T>) => {
  let module: Promise<T | undefined> | undefined;
  return () =>
    (module ??= load().catch((error: { code?: string }) => {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
      console.warn(
        'itty-uploader: file-type / image-size are not installed, so types come from file extensions and images get no width/height. `npm i file-type image-size` reads them from the bytes.',
      );
      return undefined;
    }));
};
const loadFileType = optional(() => import('file-type/node'));
const loadImageSize = optional(() => import('image-size'));

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function dimensions(file: string, filesize: number): Promise<{ width: number; height: number } | undefined> {
  for (const bytes of [HEAD_BYTES, WIDE_HEAD_BYTES]) {
    try {
      const imageSize = (await loadImageSize())?.imageSize;
      if (!imageSize) return undefined;
      const size = imageSize(await readHead(file, bytes));
      if (!size.width || !size.height) return undefined;
      // EXIF orientations 5–8 are turned by 90°: report the size the image is displayed at.
      const turned = size.orientation !== undefined && size.orientation >= 5;
      return turned ? { width: size.height, height: size.width } : { width: size.width, height: size.height };
    } catch {
      if (filesize <= bytes) return undefined;
    }
  }
  return undefined;
}

async function sniff(file: string): Promise<string | undefined> {
  try {
    const fileTypeFromFile = (await loadFileType())?.fileTypeFromFile;
    return fileTypeFromFile ? (await fileTypeFromFile(file))?.mime : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The type comes from the bytes first (`file-type`), then the extension, then the client's Content-Type.
 * A generic XML sniff gives way to a specific `+xml` extension type (an SVG with an `<?xml` prolog).
 */
export async function probeFile(file: string, filesize: number, filename: string, clientType?: string): Promise<Probe> {
  const sniffed = await sniff(file);
  const byExtension = typeFromExtension(filename);
  const preferExtension = sniffed?.endsWith('/xml') && byExtension?.endsWith('+xml');
  const type = (preferExtension ? byExtension : sniffed) ?? byExtension ?? cleanContentType(clientType) ?? 'application/octet-stream';
  const kind = kindOf(type);
  const probe: Probe = { type, kind, filesize };
  if (kind === 'image' && filesize > 0) Object.assign(probe, await dimensions(file, filesize));
  return probe;
}

export interface FileIdentity {
  id: string;
  media_id: string;
  created: string;
}

/** The File object for a stored path, without its `url` (that depends on the origin it is read through). */
export function fileObject(path: string, probe: Probe, identity: FileIdentity, updated: string): StoredFile {
  const slash = path.lastIndexOf('/');
  return {
    id: identity.id,
    media_id: identity.media_id,
    object: 'source',
    kind: probe.kind,
    type: probe.type,
    ...(probe.width !== undefined ? { width: probe.width, height: probe.height } : {}),
    filesize: probe.filesize,
    filename: path.slice(slash + 1),
    ...(slash > 0 ? { folder: path.slice(0, slash) } : {}),
    created: identity.created,
    updated,
    status: 'ready',
  };
}

/** ISO-8601 UTC without milliseconds, as ittybit writes it: `2025-01-01T01:23:45Z`. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
