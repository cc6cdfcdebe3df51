import en, { type Pack } from './en.js';
import { loadBuiltInPack } from './packs.js';
import { isPlural } from './text.js';
import type { Message, PluralMessage } from './types.js';

export { formatDuration, formatPercent, formatSize, message } from './text.js';

/**
 * Turning a string table into words: plural forms, placeholders, sizes, percents and durations for a language,
 * which packs exist and which one a `lang` gets, loading packs on demand, and merging a user's `strings`.
 * `message`, `formatSize`, `formatPercent` and `formatDuration` live in `text.ts` (the element's words chunk) and are re-exported here.
 */

export { isRightToLeft, packLanguages, resolvePackLang } from './packs.js';

/**
 * The built-in pack for `lang` (after `resolvePackLang`). English, and any pack loaded before, comes back
 * synchronously, so a page in English never waits and never flashes; another pack comes back as a Promise of a
 * dynamic `import()`. That Promise never rejects: a pack that cannot be loaded (offline, a missing chunk) gives
 * English with a console warning, and the next call tries again.
 */
export function loadPack(lang: string | null | undefined): Pack | Promise<Pack> {
  const pack = loadBuiltInPack(lang);
  return pack === undefined ? en : 'then' in pack ? pack.then((loaded) => loaded ?? en) : pack;
}

const pluralCategories = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

function isMessage(value: unknown): value is Message {
  if (typeof value === 'string') return true;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    typeof (value as PluralMessage).other === 'string' &&
    entries.every(([form, text]) => pluralCategories.has(form) && typeof text === 'string')
  );
}

/**
 * `base` with each entry of `overrides` (the user's `strings`) in place of its own. An override is a string or a
 * plural object (`{ one, other, … }` with `other` and only plural categories as keys, all strings). Anything else —
 * an unknown key, a number, a function, a plural object without `other` — is left out, key by key, with a console
 * warning naming the key. Never throws, whatever `overrides` is.
 */
export function mergeStrings(base: Pack, overrides: unknown): Pack {
  if (overrides === undefined || overrides === null) return base;
  const merged: Record<string, Message> = { ...base };
  try {
    if (typeof overrides !== 'object') {
      console.warn('itty-uploader: `strings` must be an object of texts; it is ignored.', overrides);
      return base;
    }
    for (const key of Object.keys(overrides)) {
      try {
        const value: unknown = (overrides as Record<string, unknown>)[key];
        if (!Object.hasOwn(en, key)) console.warn(`itty-uploader: \`strings.${key}\` is not a known text; it is ignored.`);
        else if (!isMessage(value))
          console.warn(`itty-uploader: \`strings.${key}\` must be a string or plural forms with \`other\`; it is ignored.`, value);
        else merged[key] = isPlural(value) ? { ...value } : value;
      } catch (error) {
        console.warn(`itty-uploader: \`strings.${key}\` could not be read; it is ignored.`, error);
      }
    }
  } catch (error) {
    console.warn('itty-uploader: `strings` could not be read; it is ignored.', error);
  }
  return merged as Pack;
}
