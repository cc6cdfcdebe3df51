import en, { type MessageKey, type Pack } from './locales/en.js';
import type { Message } from './locales/types.js';

/** A text of 0.1's `strings` that was a function of its values (`cancel: (name) => …`): still read, see `legacyStrings`. */
// biome-ignore lint/suspicious/noExplicitAny: 0.1's functions took names, numbers or both.
export type LegacyText = (...values: any[]) => string;

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
 * over the language's pack. 0.1's texts still work: its function-valued entries (`cancel: (name) => …`) and
 * its status names (`queued`, `signing`, `uploading`, `done`, `failed`, `canceled`, `rejectCountOne`).
 */
export type UploaderStrings = { [K in MessageKey]: Message | LegacyText } & {
  [K in keyof typeof renamed | 'rejectCountOne']: string | LegacyText;
};

// Each 0.1 function, called once with its values as `{placeholders}`, becomes a template of the table: the
// arguments each one took, in order (one `{name}` when not listed here).
const legacyArgs: Record<string, string[]> = {
  uploading: ['percent'],
  announceProgress: ['name', 'percent'],
  announceFailed: ['name', 'reason'],
  announceSummary: ['succeeded', 'failed'],
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
      if (key in en && (typeof value === 'string' || (typeof forms?.other === 'string' && Object.values(forms).every((form) => typeof form === 'string')))) {
        merged[key] = value;
      } else console.warn(`itty-uploader: \`strings.${key}\` is ignored: not a known text, or neither a string nor plural forms with \`other\`.`, value);
    }
  } catch (error) {
    console.warn('itty-uploader: `strings` could not be read; it is ignored.', error);
  }
  return merged as Pack;
}

/**
 * A user's `strings` as the table's entries: 0.1's functions called once with `{placeholders}` (a percent
 * came as a bare number, so `{percent}%` is `{percent}`, which now arrives formatted), its renamed keys under
 * their new names, `rejectCountOne` as the `one` form of `rejectCount`. Anything else is left for
 * `mergeTexts` to take or to warn about.
 */
export function legacyStrings(strings: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!strings || typeof strings !== 'object') return out;
  for (const [key, value] of Object.entries(strings)) {
    let text = value;
    if (typeof value === 'function') {
      try {
        text = String(value(...(legacyArgs[key] ?? ['name']).map((name) => `{${name}}`))).replace(/\{percent\}\s?%/g, '{percent}');
      } catch {}
    }
    out[renamed[key] ?? key] = text;
  }
  const one = out['rejectCountOne'];
  if (one !== undefined) {
    delete out['rejectCountOne'];
    const other = out['rejectCount'];
    out['rejectCount'] = { one, other: typeof other === 'string' ? other : en.rejectCount.other };
  }
  return out;
}
