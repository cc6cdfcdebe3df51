// The file rules and form validity, with no texts of their own: the elements pass their words, `itty-uploader/core`
// its English defaults (validate.ts), so that the CDN bundle's first load holds no English table of the core.
import { fillTemplate, type CoreStrings } from './strings.js';
import type { Rejection, Source } from './types.js';
import { formatSize, parseSize } from './units.js';

const acceptTokens = (accept: string | null | undefined) =>
  (accept ?? '')
    .toLowerCase()
    .split(',')
    .map((token) => token.trim())
    .filter(Boolean);

const bareType = (type: string) => type.split(';', 1)[0]!.trim().toLowerCase();

// Whether one token of an `accept` list lets a file through: `*` and `*/*` accept everything, even files of
// unknown type; a MIME type or wildcard needs a known type; an extension needs the name (none: it might match).
const tokenMatches = (token: string, type: string, name?: string) =>
  token === '*' ||
  token === '*/*' ||
  (token[0] === '.'
    ? name === undefined || name.endsWith(token)
    : type !== '' && (token.endsWith('/*') ? type.startsWith(token.slice(0, -1)) : type === token));

/**
 * Whether a file passes an `<input accept>` list: MIME types (`image/png`), wildcards (`image/*`)
 * and extensions (`.pdf`), case-insensitive. An empty list accepts everything; a file without a
 * MIME type can only match by extension.
 */
export function matchesAccept(source: Pick<Source, 'name' | 'type'>, accept: string | null | undefined): boolean {
  return acceptTest(accept)(source);
}

// The list is read once for a whole batch of files.
const acceptTest = (accept: string | null | undefined) => {
  const tokens = acceptTokens(accept);
  return (source: Pick<Source, 'name' | 'type'>) =>
    !tokens.length || tokens.some((token) => tokenMatches(token, bareType(source.type), source.name.toLowerCase()));
};

/**
 * Whether dragged items with these MIME types could pass `accept`, for drag-over feedback.
 * Answers true whenever it cannot know: no types, an empty type, or extensions in `accept`
 * (a drag exposes no file names).
 */
export function acceptCouldMatch(types: readonly string[], accept: string | null | undefined): boolean {
  const tokens = acceptTokens(accept);
  return (
    !tokens.length || !types.length || types.some((type) => !bareType(type) || tokens.some((token) => tokenMatches(token, bareType(type))))
  );
}

/** The texts a rejection's message is made of. */
export type RejectKey = 'rejectType' | 'rejectTooLarge' | 'rejectTooSmall' | 'rejectDuplicate' | 'rejectCount' | 'rejectTotalSize';

export interface ValidateOptions {
  /** `<input accept>` syntax; empty accepts everything. */
  accept?: string | null;
  /** Bytes, or text like `10MB`; unset or 0 = no limit. */
  minSize?: number | string | null;
  /** Bytes, or text like `10MB`; unset or 0 = no limit. */
  maxSize?: number | string | null;
  /** Most files in the list; unset or 0 = no limit. */
  maxFiles?: number | null;
  /** (v2) Bytes all files of the list may hold together (`existing` included), or text like `2GB`; unset or 0 = no limit. */
  maxTotalSize?: number | string | null;
  /** `false` allows one file in the list in total. Unset = no such limit. */
  multiple?: boolean;
  /** Accept a file with the same name (path, in a picked folder), size and lastModified as one already listed. */
  allowDuplicates?: boolean;
  /** Sources already in the list (the ones that count towards the limits). */
  existing: readonly Source[];
  strings?: Partial<CoreStrings>;
  /** Locale of the sizes in messages. */
  locale?: string;
  /**
   * Writes each rejection's message instead of `strings` (an element's string table in the user's language):
   * `key` is `rejectType`, `rejectTooLarge`, `rejectTooSmall`, `rejectDuplicate`, `rejectCount` or `rejectTotalSize`; `values` hold
   * `name`, and `accept`, `limit` (a size, already written by `size`) or `count` (the most files, also as `limit`).
   */
  words?: (key: RejectKey, values: Record<string, string | number>) => string;
  /** Writes a size limit for `words`; default `formatSize` in `locale`. */
  size?: (bytes: number) => string;
}

export interface ValidateResult<S extends Source> {
  accepted: S[];
  rejected: Rejection<S>[];
}

// The path inside a picked folder, when there is one: unpacked archives give equal files in different folders one mtime.
// Joined with commas: the last two parts are numbers, so no two files share a key.
const sameFileKey = (source: Source) =>
  [(source as { webkitRelativePath?: string }).webkitRelativePath || source.name, source.size, source.lastModified] + '';

/**
 * Splits newly chosen files into accepted and rejected ones, checking in order: type (`accept`),
 * size (`minSize`/`maxSize`), duplicate, count (`maxFiles`, `multiple: false`), then the list's total size (`maxTotalSize`).
 */
export function validateFiles<S extends Source>(sources: Iterable<S>, options: ValidateOptions): ValidateResult<S> {
  const strings: Partial<CoreStrings> = { ...options.strings };
  const maxSize = parseSize(options.maxSize) || Infinity;
  const minSize = parseSize(options.minSize) || 0;
  const maxFiles = options.maxFiles! > 0 ? options.maxFiles! : Infinity;
  const limit = options.multiple === false ? Math.min(1, maxFiles) : maxFiles;
  const accepts = acceptTest(options.accept);
  const dedupe = !options.allowDuplicates;
  const seen = new Set(dedupe ? options.existing.map(sameFileKey) : []);
  let count = options.existing.length;
  const maxTotal = parseSize(options.maxTotalSize) || Infinity;
  let total = 0;
  for (const source of options.existing) total += source.size;
  const result: ValidateResult<S> = { accepted: [], rejected: [] };
  const size = options.size ?? ((bytes: number) => formatSize(bytes, options.locale));
  const words =
    options.words ??
    ((key, values) => fillTemplate((key === 'rejectCount' && values['count'] === 1 ? strings.rejectCountOne : strings[key]) ?? '', values));
  const reject = (source: S, reason: Rejection['reason'], key: RejectKey, values?: Record<string, string | number>) =>
    result.rejected.push({ source, reason, message: words(key, { name: source.name, ...values }) });

  for (const source of sources) {
    const key = dedupe ? sameFileKey(source) : '';
    if (!accepts(source)) reject(source, 'type', 'rejectType', { accept: options.accept ?? '' });
    else if (source.size > maxSize) reject(source, 'size', 'rejectTooLarge', { limit: size(maxSize) });
    else if (source.size < minSize) reject(source, 'size', 'rejectTooSmall', { limit: size(minSize) });
    else if (dedupe && seen.has(key)) reject(source, 'duplicate', 'rejectDuplicate');
    else if (count >= limit) reject(source, 'count', 'rejectCount', { limit, count: limit });
    else if (total + source.size > maxTotal) reject(source, 'total-size', 'rejectTotalSize', { limit: size(maxTotal) });
    else {
      seen.add(key);
      count += 1;
      total += source.size;
      result.accepted.push(source);
    }
  }
  return result;
}

export interface FormValidity {
  flags: { valueMissing?: true; customError?: true };
  /** '' when valid. */
  message: string;
}

/**
 * Form validity of the uploader: `valueMissing` when required and nothing uploaded, `customError`
 * ("Uploads in progress") while any upload is in flight, so a submit waits. Valid = no flags, ''.
 */
export function formValidity(state: {
  required?: boolean;
  uploaded: number;
  inFlight: number;
  strings?: Partial<CoreStrings>;
}): FormValidity {
  const strings: Partial<CoreStrings> = { ...state.strings };
  const missing = state.required && !state.uploaded;
  const busy = state.inFlight > 0;
  return {
    flags: { ...(missing && { valueMissing: true }), ...(busy && { customError: true }) },
    message: (busy ? strings.uploadsInProgress : missing ? strings.valueMissing : '') ?? '',
  };
}
