import type { Pack } from './en.js';

/**
 * Which built-in packs exist, which one a `lang` gets, loading it, and which languages are written right to left.
 * `<itty-uploader>` loads this module (a chunk of its own) only for a language other than English, so it imports
 * no module of the first load: not even the English table (English is `undefined` here; `format.ts`'s `loadPack`
 * turns that into the table).
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

const resolvedCache = new Map<string, string>();

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
  const id = `${lang}`;
  let resolved = resolvedCache.get(id);
  if (resolved === undefined) resolvedCache.set(id, (resolved = resolveAmong(lang, available)));
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

const loaded = new Map<string, Pack>();

/**
 * The built-in pack for `lang` (after `resolvePackLang`) other than English: `undefined` for English and languages
 * without a pack; a pack loaded before comes back synchronously, another as a Promise of a dynamic `import()` that
 * never rejects (a pack that cannot be loaded gives `undefined` with a console warning, and the next call tries again).
 */
export function loadBuiltInPack(lang: string | null | undefined): Pack | Promise<Pack | undefined> | undefined {
  const resolved = resolvePackLang(lang);
  const done = loaded.get(resolved);
  if (done) return done;
  const load = loaders[resolved];
  if (!load) return undefined;
  return load().then(
    (module) => {
      loaded.set(resolved, module.default);
      return module.default;
    },
    (error: unknown) => {
      console.warn(`itty-uploader: the "${resolved}" strings could not be loaded, so English is shown.`, error);
      return undefined;
    },
  );
}
