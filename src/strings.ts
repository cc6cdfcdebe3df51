import en, { type MessageKey, type Pack } from './locales/en.js';
import type { Message } from './locales/types.js';

/** 0.1's names of the row status words, read as the table's. */
const renamed: Record<string, MessageKey> = {
  queued: 'statusQueued',
  signing: 'statusPreparing',
  uploading: 'statusUploading',
  done: 'statusDone',
  failed: 'statusFailed',
  canceled: 'statusCanceled',
};

/**
 * Every text `<itty-uploader>` shows or announces: the keys of the English table (`src/locales/en.ts`), each a
 * string with `{placeholders}` or plural forms (`{ one, other }`). Set `uploader.strings` to replace any of them
 * over the language's pack. 0.1's status names (`queued`, `signing`, `uploading`, `done`, `failed`, `canceled`) and
 * `rejectCountOne` are still read; its function-valued entries (`cancel: (name) => …`) are not (a console warning
 * names each): write them as templates, `'Cancel {name}'`.
 */
export type UploaderStrings = { [K in MessageKey]: Message } & {
  [K in 'queued' | 'signing' | 'uploading' | 'done' | 'failed' | 'canceled' | 'rejectCountOne']: string;
};

/**
 * `base` (a language's pack) with each text of the user's `strings` over it. 0.1's texts are read as the table's
 * (`legacyStrings`); an unknown key, or a value that is neither a string nor plural forms of strings with
 * `other`, is ignored with a console warning naming the key. Never throws, whatever `strings` is.
 */
export function mergeTexts(base: Pack, strings: unknown): Pack {
  const merged: Record<string, unknown> = { ...base };
  try {
    for (const [key, value] of Object.entries(legacyStrings(strings) ?? {})) {
      const forms = value as { other?: unknown } | null;
      if (
        key in en &&
        (typeof value === 'string' || (typeof forms?.other === 'string' && Object.values(forms).every((form) => typeof form === 'string')))
      ) {
        merged[key] = value;
      } else
        console.warn(
          `itty-uploader: \`strings.${key}\` is ignored: not a known text, or neither a string nor plural forms with \`other\`.`,
          value,
        );
    }
  } catch (error) {
    console.warn('itty-uploader: `strings` could not be read; it is ignored.', error);
  }
  return merged as Pack;
}

/**
 * A user's `strings` as the table's entries: 0.1's renamed keys under their new names, `rejectCountOne` as the
 * `one` form of `rejectCount` (whose 0.1 text said `{limit}`, which is still filled in). Anything else is left
 * for `mergeTexts` to take or to warn about.
 */
export function legacyStrings(strings: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!strings || typeof strings !== 'object') return out;
  for (const [key, value] of Object.entries(strings)) {
    out[renamed[key] ?? key] = value;
  }
  const one = out['rejectCountOne'];
  if (one !== undefined) {
    delete out['rejectCountOne'];
    const other = out['rejectCount'];
    out['rejectCount'] = { one, other: typeof other === 'string' ? other : en.rejectCount.other };
  }
  return out;
}
