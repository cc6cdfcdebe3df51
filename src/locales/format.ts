import en, { type MessageKey, type Pack } from './en.js';
import type { Message, PluralMessage } from './types.js';

/**
 * Turning a string table into words: plural forms, placeholders, sizes, percents and durations for a language,
 * which packs exist and which one a `lang` gets, loading packs on demand, and merging a user's `strings`.
 *
 * Everything here is plain `Intl` and caches what it builds: constructing an `Intl.NumberFormat` or
 * `Intl.PluralRules` costs ~0.1 ms, and a list of 5,000 rows must not build 5,000 of them.
 */

/** Packs that ship with the library, besides English. Each is its own module, so a bundler makes one chunk per pack. */
const loaders: Record<string, () => Promise<{ default: Pack }>> = {
  ar: () => import('./ar.js'),
  de: () => import('./de.js'),
  es: () => import('./es.js'),
  fr: () => import('./fr.js'),
  he: () => import('./he.js'),
  it: () => import('./it.js'),
  ja: () => import('./ja.js'),
  ko: () => import('./ko.js'),
  nl: () => import('./nl.js'),
  pl: () => import('./pl.js'),
  'pt-BR': () => import('./pt-BR.js'),
  sv: () => import('./sv.js'),
  'zh-CN': () => import('./zh-CN.js'),
};

/** The language of every built-in pack, English first. */
export const packLanguages: readonly string[] = ['en', ...Object.keys(loaders)];

type Values = Readonly<Record<string, string | number>>;

const cache = new Map<string, unknown>();
/** One formatter per language and kind, built on first use. A tag `Intl` rejects falls back to the default locale. */
function cached<T>(kind: string, lang: string, build: (lang: string | undefined) => T): T {
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

const isPlural = (value: Message): value is PluralMessage => typeof value === 'object';

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
    return cached('byte', lang, (l) => new Intl.NumberFormat(l, { style: 'unit', unit: 'byte', unitDisplay: 'long' })).format(Math.round(value));
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
    if (amount) parts.push(cached(unit, lang, (l) => new Intl.NumberFormat(l, { style: 'unit', unit, unitDisplay: 'long' })).format(amount));
  }
  if (!parts.length) parts.push(cached('second', lang, (l) => new Intl.NumberFormat(l, { style: 'unit', unit: 'second', unitDisplay: 'long' })).format(0));
  return cached('list', lang, (l) => new Intl.ListFormat(l, { type: 'unit', style: 'narrow' })).format(parts);
}

const rightToLeftScripts = new Set(['Arab', 'Hebr', 'Thaa', 'Syrc', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr']);
const rightToLeftLanguages = new Set(['ar', 'he', 'iw', 'fa', 'ur', 'ps', 'yi', 'ckb', 'dv', 'ug', 'sd']);

/**
 * Whether `lang` is written right to left: Arabic, Hebrew, Persian, Urdu and the rest, with any region
 * (`ar-EG`, `fa-IR`), and any language written in such a script (`pa-Arab`). `az-Latn`-style tags that name a
 * left-to-right script win over the language's usual one.
 */
export function isRightToLeft(lang: string | null | undefined): boolean {
  if (!lang) return false;
  try {
    const locale = new Intl.Locale(lang);
    const script = locale.script ?? locale.maximize().script;
    return script ? rightToLeftScripts.has(script) : rightToLeftLanguages.has(locale.language);
  } catch {
    return rightToLeftLanguages.has(lang.toLowerCase().split(/[-_]/)[0]!);
  }
}

/** Language and script of a tag (`zh-TW` → `zh`, `Hant`), or undefined for a tag `Intl` does not accept. */
function languageAndScript(tag: string): { tag: string; language: string; script: string | undefined } | undefined {
  try {
    const locale = new Intl.Locale(tag);
    let script = locale.script;
    try {
      script ??= locale.maximize().script;
    } catch {
      // No likely-subtags data: compare by language alone.
    }
    return { tag: locale.toString(), language: locale.language, script };
  } catch {
    return undefined;
  }
}

/**
 * Which of the `available` packs a `lang` gets, or `'en'`:
 * 1. the same tag (`pt-BR`, case and `_` do not matter, `iw` is `he`);
 * 2. else a pack of the same language in the same script, whatever the region: `pt-PT` and `pt` get `pt-BR`,
 *    `de-AT` gets `de`, `zh` and `zh-SG` get `zh-CN`;
 * 3. else English. A script is never crossed: `zh-TW`, `zh-HK` and `zh-Hant` are written in Traditional
 *    characters, and a Traditional-Chinese reader gets English rather than Simplified Chinese.
 */
export function resolvePackLang(lang: string | null | undefined, available: readonly string[] = packLanguages): string {
  if (available !== packLanguages) return resolveAmong(lang, available);
  // The element asks on every language change; `Intl.Locale#maximize` for 14 packs is not free.
  const id = `resolved ${lang}`;
  let resolved = cache.get(id) as string | undefined;
  if (resolved === undefined) cache.set(id, (resolved = resolveAmong(lang, available)));
  return resolved;
}

function resolveAmong(lang: string | null | undefined, available: readonly string[]): string {
  const wanted = lang ? languageAndScript(lang.replace(/_/g, '-')) : undefined;
  if (!wanted) return 'en';
  const candidates = available.map((tag) => ({ available: tag, ...languageAndScript(tag) }));
  const exact = candidates.find((c) => c.tag?.toLowerCase() === wanted.tag.toLowerCase());
  if (exact) return exact.available;
  const sameLanguage = candidates.find((c) => c.language === wanted.language && c.script === wanted.script);
  return sameLanguage?.available ?? 'en';
}

const loaded = new Map<string, Pack>([['en', en]]);

/**
 * The built-in pack for `lang` (after `resolvePackLang`). English, and any pack loaded before, comes back
 * synchronously, so a page in English never waits and never flashes; another pack comes back as a Promise of a
 * dynamic `import()`. That Promise never rejects: a pack that cannot be loaded (offline, a missing chunk) gives
 * English with a console warning, and the next call tries again.
 */
export function loadPack(lang: string | null | undefined): Pack | Promise<Pack> {
  const resolved = resolvePackLang(lang);
  const done = loaded.get(resolved);
  if (done) return done;
  const load = loaders[resolved];
  if (!load) return en;
  return load().then(
    (module) => {
      loaded.set(resolved, module.default);
      return module.default;
    },
    (error: unknown) => {
      console.warn(`itty-uploader: the "${resolved}" strings could not be loaded, so English is shown.`, error);
      return en;
    },
  );
}

const pluralCategories = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

function isMessage(value: unknown): value is Message {
  if (typeof value === 'string') return true;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return typeof (value as PluralMessage).other === 'string' && entries.every(([form, text]) => pluralCategories.has(form) && typeof text === 'string');
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
        else if (!isMessage(value)) console.warn(`itty-uploader: \`strings.${key}\` must be a string or plural forms with \`other\`; it is ignored.`, value);
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
