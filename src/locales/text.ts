import en, { type MessageKey, type Pack } from './en.js';
import type { Message, PluralMessage } from './types.js';

/**
 * The part of the string machinery every element needs once files are in its list: filling a message in and writing
 * sizes and percents for a language. `<itty-uploader>` has it in its words chunk (`words.ts`, loaded when the
 * element connects), not in the first load. Which pack a `lang` gets, loading it, durations and the rest are in
 * `format.ts`.
 *
 * Everything here is plain `Intl` and caches what it builds: constructing an `Intl.NumberFormat` or
 * `Intl.PluralRules` costs ~0.1 ms, and a list of 5,000 rows must not build 5,000 of them.
 */

type Values = Readonly<Record<string, string | number>>;

const cache = new Map<string, unknown>();
/** One formatter per language and kind, built on first use. A tag `Intl` rejects falls back to the default locale. */
export function cached<T>(kind: string, lang: string, build: (lang: string | undefined) => T): T {
  const id = `${kind} ${lang}`;
  let value = cache.get(id) as T | undefined;
  if (value === undefined) {
    try {
      value = build(lang || undefined);
    } catch {
      value = build(undefined);
    }
    cache.set(id, value);
  }
  return value;
}

const pluralRules = (lang: string) => cached('plural', lang, (l) => new Intl.PluralRules(l));
const numberFormat = (lang: string) => cached('number', lang, (l) => new Intl.NumberFormat(l));

export const isPlural = (value: Message): value is PluralMessage => typeof value === 'object';

/**
 * The text of `key` in `table` for `lang`: the plural form `values.count` selects (`other` when there is no
 * count or the table lacks that form), with each `{placeholder}` replaced by its value. Numbers are written
 * for the language (`1.234` in German); strings go in as they are; a placeholder without a value stays visible.
 * A key the table lacks comes from English, never as the key's name.
 */
export function message(table: Pack, key: MessageKey, values: Values = {}, lang = 'en'): string {
  let text = table[key];
  let rulesLang = lang;
  if (text === undefined) {
    // The English forms go with the English rules: French counts 0 as `one`, English does not.
    text = en[key] as Message;
    rulesLang = 'en';
  }
  if (isPlural(text)) {
    const count = values['count'];
    const form = typeof count === 'number' ? text[pluralRules(rulesLang).select(count)] : undefined;
    text = form ?? text.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : typeof value === 'number' ? numberFormat(lang).format(value) : value;
  });
}

const sizeUnits = ['kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/**
 * A size in bytes for `lang`, in decimal units (1 kB = 1,000 B) with at most 3 significant digits, rounded as
 * the core's `formatSize` rounds: `15 bytes`, `1.2 kB`, `1 MB` for 999,999 bytes; in German `1,5 MB`, in French
 * `1,5 Mo`. Bytes are written out (`15 Byte`, `15 octets`, `15 バイト`), larger units abbreviated.
 */
export function formatSize(bytes: number, lang = 'en'): string {
  let value = bytes > 0 && bytes < Infinity ? bytes : 0;
  let unit = 0;
  // Compare after rounding, so 999,999 B reads `1 MB`, not `1000 kB`.
  while (unit < 4 && +value.toPrecision(3) >= 1000) {
    value /= 1000;
    unit += 1;
  }
  if (!unit) {
    return cached('byte', lang, (l) => new Intl.NumberFormat(l, { style: 'unit', unit: 'byte', unitDisplay: 'long' })).format(
      Math.round(value),
    );
  }
  const name = sizeUnits[unit - 1]!;
  return cached(name, lang, (l) => new Intl.NumberFormat(l, { style: 'unit', unit: name, maximumSignificantDigits: 3 })).format(value);
}

/**
 * A fraction (0 to 1) as a whole percent for `lang`: `42%`, `42 %` in German and French. Rounded down, as a
 * row's bar and `aria-valuenow` are, so nothing reads 100% before it is done.
 */
export function formatPercent(fraction: number, lang = 'en'): string {
  const whole = fraction > 0 ? Math.min(100, Math.floor(fraction * 100 + 1e-9)) : 0;
  return cached('percent', lang, (l) => new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 0 })).format(whole / 100);
}

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
