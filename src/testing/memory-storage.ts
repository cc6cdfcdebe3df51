import type { IttyFile } from '../core/types.js';
import { addRange } from '../server/byte-ranges.js';
import { cleanContentType, kindOf, typeFromExtension } from '../server/media-types.js';
import { encodePath } from '../server/wire-path.js';

/** How a stored file arrived. `multipart` is reserved for S3 multipart uploads (SPEC §5.4). */
export type StoredVia = 'put' | 'chunks' | 'multipart';

/** One file the pretend storage holds: what an app's test reads back with `files()`. */
export interface StoredUpload {
  /** Storage path: `folder/filename`, decoded, no leading slash. */
  path: string;
  /** The File object the storage answered with (201), as the element received it. */
  file: IttyFile;
  /** The bytes stored (a copy: changing it changes nothing stored). */
  bytes: Uint8Array;
  /** A single PUT, ittybit `Content-Range` chunks, or (later) S3 multipart parts. */
  via: StoredVia;
  /** Set once the completion endpoint was called for this file (SPEC §5.6): what came with the call. */
  completion?: { meta?: Record<string, string>; relativePath?: string };
}

/** A stored file as kept: its File object's `status` is worked out when read (`processing` until `readyAt`). */
export interface Entry extends StoredUpload {
  readyAt: number;
}

interface ChunkSession {
  path: string;
  total: number;
  bytes: Uint8Array;
  /** Inclusive byte ranges received whole, sorted and merged. */
  covered: Array<[number, number]>;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `prefix` + 12 random characters of `[a-z0-9]`, as the upload server (and ittybit) make ids. */
function randomId(prefix: string): string {
  let id = prefix;
  while (id.length < prefix.length + 12) {
    for (const byte of globalThis.crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < 252 && id.length < prefix.length + 12) id += ALPHABET[byte % 36];
    }
  }
  return id;
}

/** ISO-8601 UTC without milliseconds, as ittybit writes it. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A few magic numbers, so a PNG named `photo` is still an image (the upload server sniffs every type). */
function sniff(bytes: Uint8Array): string | undefined {
  const starts = (...magic: number[]) => magic.every((byte, i) => bytes[i] === byte);
  const ascii = (at: number, text: string) => [...text].every((char, i) => bytes[at + i] === char.charCodeAt(0));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  if (ascii(0, '%PDF-')) return 'application/pdf';
  return undefined;
}

/** Width and height of a PNG or GIF from its header; other images get none (as the upload server without a prober). */
function dimensions(type: string, bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'image/png' && bytes.length >= 24) return { width: view.getUint32(16), height: view.getUint32(20) };
  if (type === 'image/gif' && bytes.length >= 10) return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  return undefined;
}

/**
 * The pretend storage: stored files by path, and the open chunk sessions keyed, as the upload server keys
 * them, on (path, total size). Everything lives in memory until `reset()`.
 */
export class MemoryStorage {
  readonly #files = new Map<string, Entry>();
  readonly #sessions = new Map<string, ChunkSession>();
  /** Uploads completed through chunks, by signature, total and path: a retried chunk whose 201 was lost gets it again. */
  readonly #completed = new Map<string, Entry>();
  #etags = 0;

  constructor(
    readonly base: string,
    readonly now: () => number,
    /** Milliseconds a new File object answers `status: "processing"` before `ready`; 0 for ready at once. */
    readonly processingMs = 0,
  ) {}

  /** The record as an answer: a copy, with the File object's status as of now. */
  view(entry: Entry): StoredUpload {
    const { readyAt, ...record } = entry;
    const status = this.now() < readyAt ? 'processing' : 'ready';
    return { ...record, file: { ...structuredClone(record.file), status }, bytes: record.bytes.slice() };
  }

  /** Stores a whole file (a single PUT) and returns its record. Overwriting keeps `id`, `media_id` and `created`. */
  store(path: string, bytes: Uint8Array, clientType: string | null, via: StoredVia): Entry {
    const previous = this.#files.get(path);
    const extensionType = typeFromExtension(path);
    const type = sniff(bytes) ?? extensionType ?? cleanContentType(clientType ?? undefined) ?? 'application/octet-stream';
    const kind = kindOf(type);
    const slash = path.lastIndexOf('/');
    const now = isoSeconds(this.now());
    const size = kind === 'image' ? dimensions(type, bytes) : undefined;
    const file: IttyFile = {
      id: previous?.file.id ?? randomId('file_'),
      media_id: previous?.file.media_id ?? randomId('med_'),
      object: 'source',
      kind,
      type,
      ...size,
      filesize: bytes.length,
      filename: path.slice(slash + 1),
      ...(slash > 0 ? { folder: path.slice(0, slash) } : {}),
      url: `${this.base}/${encodePath(path)}`,
      created: previous?.file.created ?? now,
      updated: now,
      status: 'ready',
      etag: `"${(++this.#etags).toString(36)}-${bytes.length.toString(36)}"`,
    };
    const record: Entry = { path, file, bytes: bytes.slice(), via, readyAt: this.now() + this.processingMs };
    this.#files.set(path, record);
    return record;
  }

  /**
   * Writes one chunk. Returns the stored record when this chunk completed the file (201), `accepted` while
   * bytes are missing (202). A chunk of an upload already completed through the same signed URL returns that
   * upload's record again (its 201 was lost and the client retried).
   */
  writeChunk(
    path: string,
    range: { start: number; end: number; total: number },
    bytes: Uint8Array,
    clientType: string | null,
    scope: string | undefined,
  ): Entry | 'accepted' {
    const key = `${range.total}:${path}`;
    const done = scope === undefined ? undefined : this.#completed.get(`${scope} ${key}`);
    if (done) return done;
    let session = this.#sessions.get(key);
    if (!session) {
      session = { path, total: range.total, bytes: new Uint8Array(range.total), covered: [] };
      this.#sessions.set(key, session);
    }
    session.bytes.set(bytes, range.start);
    session.covered = addRange(session.covered, range.start, range.end);
    const [first] = session.covered;
    if (session.covered.length !== 1 || first![0] !== 0 || first![1] !== range.total - 1) return 'accepted';
    this.#sessions.delete(key);
    const record = this.store(path, session.bytes, clientType, 'chunks');
    if (scope !== undefined) this.#completed.set(`${scope} ${key}`, record);
    return record;
  }

  get(path: string): Entry | undefined {
    return this.#files.get(path);
  }

  byId(id: string): Entry | undefined {
    for (const record of this.#files.values()) if (record.file.id === id) return record;
    return undefined;
  }

  byUrl(url: string): Entry | undefined {
    for (const record of this.#files.values()) if (record.file.url === url) return record;
    return undefined;
  }

  /** Every stored file in the order it was first stored; each call returns fresh copies. */
  list(): StoredUpload[] {
    return [...this.#files.values()].map((record) => this.view(record));
  }

  reset(): void {
    this.#files.clear();
    this.#sessions.clear();
    this.#completed.clear();
  }
}
