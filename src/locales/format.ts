import en, { type Pack } from './en.js';
import { loadBuiltInPack } from './packs.js';
import { cached, isPlural } from './text.js';
import type { Message, PluralMessage } from './types.js';

export { formatPercent, formatSize, message } from './text.js';

/**
 * Turning a string table into words: plural forms, placeholders, sizes, percents and durations for a language,
 * which packs exist and which one a `lang` gets, loading packs on demand, and merging a user's `strings`.
 * `message`, `formatSize` and `formatPercent` live in `text.ts` (the element's words chunk) and are re-exported here.
 */

export { isRightToLeft, packLanguages, resolvePackLang } from './packs.js';

const durationUnits = [
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
] as const;

/**
 * A duration in seconds for `lang`, as words: `45 seconds`, `2 minutes`, `1 hour 5 minutes`, `1 Stunde, 5 Minuten`.
 * Shows at most `units` (default 2) of hours, minutes and seconds, starting from the largest one that is not zero,
 * rounding the rest; parts that round to zero are left out (`2 hours`, not `2 hours 0 minutes`). `units: 1` gives
 * the coarse form a time-left estimate wants (`about 2 minutes left`).
 */
export function formatDuration(seconds: number, lang = 'en', { units = 2 }: { units?: number } = {}): string {
  let rest = seconds > 0 && seconds < Infinity ? seconds : 0;
  const largest = durationUnits.findIndex(([, size]) => rest >= size);
  const first = largest < 0 ? durationUnits.length - 1 : largest;
  const smallest = durationUnits[Math.min(durationUnits.length - 1, first + Math.max(1, Math.floor(units)) - 1)]![1];
  // Round once, to the smallest unit shown: 3599 s at one unit is `1 hour`, never `60 minutes`.
  rest = Math.round(rest / smallest) * smallest;
  const parts: string[] = [];
  for (const [unit, size] of durationUnits) {
    if (size < smallest) break;
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount)
      parts.push(cached(unit, lang, (l) => new Intl.NumberFormat(l, { style: 'unit', unit, unitDisplay: 'long' })).format(amount));
  }
  if (!parts.length)
    parts.push(cached('second', lang, (l) => new Intl.NumberFormat(l, { style: 'unit', unit: 'second', unitDisplay: 'long' })).format(0));
  return cached('list', lang, (l) => new Intl.ListFormat(l, { type: 'unit', style: 'narrow' })).format(parts);
}

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
