import { defaultCoreStrings, fillTemplate, type CoreStrings } from './strings.js';
import type { Rejection, Source } from './types.js';
import { formatSize, parseSize } from './units.js';

const acceptTokens = (accept: string | null | undefined) =>
  (accept ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);

// `*` and `*/*` accept everything, even files of unknown type.
const acceptsAll = (tokens: string[]) => tokens.length === 0 || tokens.includes('*') || tokens.includes('*/*');

const mimeMatches = (type: string, token: string) =>
  type !== '' && (token.endsWith('/*') ? type.startsWith(token.slice(0, -1)) : type === token);

const bareType = (type: string) => type.split(';', 1)[0]!.trim().toLowerCase();

/**
 * Whether a file passes an `<input accept>` list: MIME types (`image/png`), wildcards (`image/*`)
 * and extensions (`.pdf`), case-insensitive. An empty list accepts everything; a file without a
 * MIME type can only match by extension.
 */
export function matchesAccept(source: Pick<Source, 'name' | 'type'>, accept: string | null | undefined): boolean {
  const tokens = acceptTokens(accept);
  if (acceptsAll(tokens)) return true;
  const name = source.name.toLowerCase();
  const type = bareType(source.type);
  return tokens.some((token) => (token.startsWith('.') ? name.endsWith(token) : mimeMatches(type, token)));
}

/**
 * Whether dragged items with these MIME types could pass `accept`, for drag-over feedback.
 * Answers true whenever it cannot know: no types, an empty type, or extensions in `accept`
 * (a drag exposes no file names).
 */
export function acceptCouldMatch(types: readonly string[], accept: string | null | undefined): boolean {
  const tokens = acceptTokens(accept);
  if (acceptsAll(tokens) || types.length === 0 || tokens.some((token) => token.startsWith('.'))) return true;
  return types.some((type) => bareType(type) === '' || tokens.some((token) => mimeMatches(bareType(type), token)));
}

export interface ValidateOptions {
  /** `<input accept>` syntax; empty accepts everything. */
  accept?: string | null;
  /** Bytes, or text like `10MB`; unset or 0 = no limit. */
  minSize?: number | string | null;
  /** Bytes, or text like `10MB`; unset or 0 = no limit. */
  maxSize?: number | string | null;
  /** Most files in the list; unset or 0 = no limit. */
  maxFiles?: number | null;
  /** `false` allows one file in the list in total. Unset = no such limit. */
  multiple?: boolean;
  /** Accept a file with the same name, size and lastModified as one already listed. */
  allowDuplicates?: boolean;
  /** Sources already in the list (the ones that count towards the limits). */
  existing: readonly Source[];
  strings?: Partial<CoreStrings>;
  /** Locale of the sizes in messages. */
  locale?: string;
}

export interface ValidateResult<S extends Source> {
  accepted: S[];
  rejected: Rejection<S>[];
}

const sameFileKey = (source: Source) => `${source.name}\u0000${source.size}\u0000${source.lastModified ?? ''}`;

/**
 * Splits newly chosen files into accepted and rejected ones, checking in order: type (`accept`),
 * size (`minSize`/`maxSize`), duplicate, then count (`maxFiles`, `multiple: false`).
 */
export function validateFiles<S extends Source>(sources: Iterable<S>, options: ValidateOptions): ValidateResult<S> {
  const strings = { ...defaultCoreStrings, ...options.strings };
  const maxSize = parseSize(options.maxSize) || Infinity;
  const minSize = parseSize(options.minSize) || 0;
  const maxFiles = options.maxFiles && options.maxFiles > 0 ? options.maxFiles : Infinity;
  const limit = options.multiple === false ? Math.min(1, maxFiles) : maxFiles;
  const seen = new Set(options.existing.map(sameFileKey));
  let count = options.existing.length;
  const accepted: S[] = [];
  const rejected: Rejection<S>[] = [];
  const size = (bytes: number) => formatSize(bytes, options.locale);

  for (const source of sources) {
    const name = source.name;
    const reject = (reason: Rejection['reason'], template: string, values: Record<string, string | number> = {}) =>
      rejected.push({ source, reason, message: fillTemplate(template, { name, ...values }) });

    if (!matchesAccept(source, options.accept)) reject('type', strings.rejectType, { accept: options.accept ?? '' });
    else if (source.size > maxSize) reject('size', strings.rejectTooLarge, { limit: size(maxSize) });
    else if (source.size < minSize) reject('size', strings.rejectTooSmall, { limit: size(minSize) });
    else if (!options.allowDuplicates && seen.has(sameFileKey(source))) reject('duplicate', strings.rejectDuplicate);
    else if (count >= limit) reject('count', limit === 1 ? strings.rejectCountOne : strings.rejectCount, { limit });
    else {
      seen.add(sameFileKey(source));
      count += 1;
      accepted.push(source);
    }
  }
  return { accepted, rejected };
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
  const strings = { ...defaultCoreStrings, ...state.strings };
  const flags: FormValidity['flags'] = {};
  if (state.required && state.uploaded === 0) flags.valueMissing = true;
  if (state.inFlight > 0) flags.customError = true;
  const message = flags.customError ? strings.uploadsInProgress : flags.valueMissing ? strings.valueMissing : '';
  return { flags, message };
}
