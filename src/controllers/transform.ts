// Preparing a file right before it is signed (SPEC §3.8): the app's `transform`, then the built-in image preparation
// behind `resize`, `quality`, `convert` and `keep-metadata` (prepareImage: a worker with OffscreenCanvas, else the page
// in small steps). Loaded on demand by the upload controller, the first time a file is signed with one of them set;
// the queue runs it inside its concurrency, while the item is `signing` (its row says "Preparing…").
import type { UploadError } from '../core/errors.js';
import type { UploadItem } from '../core/types.js';
import { ENCODABLE, parseQuality, parseResize } from '../browser/media/options.js';
import { prepareImage } from '../browser/media/prepare-image.js';

/** The element's settings this module reads. */
export interface MediaPreparation {
  transform?: (source: File, ctx: { signal: AbortSignal }) => File | Blob | null | undefined | Promise<File | Blob | null | undefined>;
  resize?: string;
  quality?: number;
  convert?: string;
  keepMetadata?: boolean;
}

/**
 * What each chosen file became, kept while the file is alive (in the list): a retry, a pause and resume send the same
 * bytes (a chunked upload goes on with the chunks it has sent) and `transform` runs once per file. A failed
 * preparation keeps nothing: retrying it prepares again.
 */
const prepared = new WeakMap<File, File>();

/** Values already warned about, so a setting is named once in the console, not once per file. */
const warned = new Set<string>();
const warn = (text: string) => {
  if (warned.has(text)) return;
  warned.add(text);
  console.warn(`itty-uploader: ${text}`);
};

/**
 * The first load's UploadError class, handed over by the controller: a chunk that imported errors.ts itself would
 * split it out of the first load into a file of its own.
 */
let Failure: typeof UploadError;

const failed = (source: File, what: string, cause?: unknown) =>
  new Failure('transform_failed', `${source.name} could not be prepared: ${what}`, cause === undefined ? {} : { cause });

/**
 * The file to sign and send instead of `item.source`, or `undefined` to send the source as it is. Rejects with an
 * UploadError `transform_failed` when `transform` throws or returns something that is not a File, Blob or null, or when
 * the built-in preparation fails unexpectedly; with the signal's reason when aborted.
 */
export async function prepare(
  host: MediaPreparation,
  item: UploadItem<File>,
  signal: AbortSignal,
  errors: typeof UploadError,
): Promise<File | undefined> {
  Failure = errors;
  // The queue prepares only items it sends: they have their file.
  const source = item.source!;
  const known = prepared.get(source);
  if (known) return known;
  let file = source;
  if (typeof host.transform === 'function') {
    let out: unknown;
    try {
      out = await host.transform(source, { signal });
    } catch (error) {
      signal.throwIfAborted();
      throw failed(source, `transform() threw: ${(error as Error)?.message ?? error}`, error);
    }
    signal.throwIfAborted();
    if (out instanceof Blob) {
      file = out instanceof File ? out : new File([out], source.name, { type: out.type || source.type, lastModified: source.lastModified });
    } else if (out !== null && out !== undefined) {
      throw failed(source, `transform() returned ${Object.prototype.toString.call(out)}, not a File, a Blob or null`);
    }
  }
  const options = settings(host);
  if (options.resize || options.convert) {
    try {
      file = (await prepareImage(file, { ...options, signal })) ?? file;
    } catch (error) {
      signal.throwIfAborted();
      throw failed(source, `the image could not be resized or converted (${(error as Error)?.message ?? error})`, error);
    }
  }
  if (file === source) return undefined;
  prepared.set(source, file);
  return file;
}

/** The element's attributes as prepareImage's options; a value that makes no sense is named in a warning and ignored. */
function settings(host: MediaPreparation) {
  const resize = parseResize(host.resize);
  if (host.resize && !resize) warn(`resize="${host.resize}" is not a size ("2048" or "2048x1536"): images are not resized.`);
  let quality = parseQuality(host.quality);
  if (host.quality !== undefined && host.quality !== null && quality === undefined) {
    warn(`quality="${host.quality}" is not a number from 0 to 1: 0.85 is used.`);
  }
  quality ??= 0.85;
  let convert = host.convert?.trim().toLowerCase() || undefined;
  if (convert && !(ENCODABLE as readonly string[]).includes(convert)) {
    warn(`convert="${host.convert}" is not a type browsers encode (${ENCODABLE.join(', ')}): images are not converted.`);
    convert = undefined;
  }
  return { resize, quality, convert, keepMetadata: !!host.keepMetadata };
}
