// Every built-in pack against the English table, the single source of keys: same keys, same placeholders,
// exactly the plural forms its language has, nothing empty, nothing left in English, native punctuation.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import en, { type Pack } from '../../src/locales/en.js';
import { loadPack, packLanguages } from '../../src/locales/format.js';
import type { Message } from '../../src/locales/types.js';

const dir = new URL('../../src/locales/', import.meta.url);
const packFiles = readdirSync(dir)
  .filter((name) => /^[a-z]{2}(-[A-Z]{2})?\.ts$/.test(name))
  .map((name) => name.slice(0, -3));

/**
 * Messages that may read exactly as in English, with why. Anything else identical to English is taken for a
 * text someone forgot to translate.
 */
const sameAsEnglish: Record<string, string> = {
  statusUploading: 'only the percent, which is formatted for the language',
  summarySpeed: '"/s" is the international symbol for per second',
  rejectCustom: 'only the file name and the app’s own message',
  'de.listLabel': '"Uploads" is the usual German word',
  'nl.listLabel': '"Uploads" is the usual Dutch word',
};

const placeholders = (text: string): Set<string> => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
const forms = (message: Message): Record<string, string> => (typeof message === 'string' ? { '': message } : { ...message });
const samples = [...Array.from({ length: 1001 }, (_, i) => i), 1_000_000, 2_000_000, 1_000_000_000];

/** The plural categories that only one whole number selects (Polish `one` is 1; French `one` is 0 and 1): these may say the number in words. */
function singleNumberCategories(lang: string): Set<string> {
  const rules = new Intl.PluralRules(lang);
  const numbers = new Map<string, number[]>();
  for (const n of samples) {
    const category = rules.select(n);
    numbers.set(category, [...(numbers.get(category) ?? []), n]);
  }
  return new Set([...numbers].filter(([, list]) => list.length === 1).map(([category]) => category));
}

/** What is wrong with `pack` as the `lang` translation of the English table; empty when nothing is. */
function problems(lang: string, pack: Pack): string[] {
  const found: string[] = [];
  const table = pack as Record<string, Message | undefined>;
  const english = en as Record<string, Message>;
  const categories = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
  const exact = singleNumberCategories(lang);
  for (const key of Object.keys(table)) if (!(key in english)) found.push(`${key}: not an English key`);
  for (const [key, source] of Object.entries(english)) {
    const message = table[key];
    if (message === undefined) {
      found.push(`${key}: missing`);
      continue;
    }
    if (typeof message !== typeof source) {
      found.push(`${key}: ${typeof source === 'string' ? 'must be a string' : 'must have plural forms'}`);
      continue;
    }
    const wanted = placeholders(typeof source === 'string' ? source : source.other);
    if (typeof message === 'object') {
      const given = Object.keys(message).sort();
      if (given.join() !== categories.join()) found.push(`${key}: plural forms ${given.join('/')}, ${lang} has ${categories.join('/')}`);
    }
    for (const [form, text] of Object.entries(forms(message))) {
      const where = form ? `${key}.${form}` : key;
      if (typeof text !== 'string' || !text.trim()) {
        found.push(`${where}: empty`);
        continue;
      }
      const has = placeholders(text);
      for (const name of has) if (!wanted.has(name)) found.push(`${where}: {${name}} is not in the English text`);
      for (const name of wanted) {
        // A form for exactly one number may say it in words ("ملف واحد", "שני קבצים"); every other one shows it.
        if (!has.has(name) && !(name === 'count' && exact.has(form))) found.push(`${where}: {${name}} is missing`);
      }
      if (/\.\.\./.test(text)) found.push(`${where}: three dots instead of "…"`);
    }
    if (lang !== 'en') {
      const english = new Set(Object.values(forms(source)));
      const same = Object.values(forms(message)).some((text) => english.has(text));
      if (same && !(key in sameAsEnglish) && !(`${lang}.${key}` in sameAsEnglish)) found.push(`${key}: same as English`);
      if (typeof source === 'string' && source.includes('…') && typeof message === 'string' && !message.includes('…')) {
        found.push(`${key}: English has "…", the translation none`);
      }
    }
  }
  return found;
}

/** Punctuation as native texts write it, per language. */
const punctuation: Record<string, { rule: string; bad: RegExp }> = {
  fr: { rule: 'a narrow no-break space (U+202F) before : ; ? !', bad: /(?<!\u202f)[:;?!]/ },
  ja: { rule: 'full-width 、。：？（）, no ASCII , : ? ( )', bad: /[,:?()]/ },
  'zh-CN': { rule: 'full-width ，。：？（）, no ASCII , : ? ( )', bad: /[,:?()]/ },
  ar: { rule: 'Arabic comma and question mark (، ؟)', bad: /[,?]/ },
};

const packs = new Map<string, Pack>();
for (const lang of packLanguages) packs.set(lang, await loadPack(lang));

describe('language packs', () => {
  it('are the 14 languages of issue 19, one module each, all registered with loadPack', () => {
    assert.deepEqual([...packLanguages].sort(), ['ar', 'de', 'en', 'es', 'fr', 'he', 'it', 'ja', 'ko', 'nl', 'pl', 'pt-BR', 'sv', 'zh-CN']);
    assert.deepEqual([...packFiles].sort(), [...packLanguages].sort());
  });

  for (const lang of packLanguages) {
    it(`${lang}: every English key, no other, the same placeholders, exactly the plural forms of ${lang}`, () => {
      assert.deepEqual(problems(lang, packs.get(lang)!), []);
    });
  }

  for (const [lang, { rule, bad }] of Object.entries(punctuation)) {
    it(`${lang}: ${rule}`, () => {
      const wrong = Object.entries(packs.get(lang)!).flatMap(([key, message]) =>
        Object.values(forms(message as Message))
          .filter((text) => bad.test(text))
          .map((text) => `${key}: ${text}`),
      );
      assert.deepEqual(wrong, []);
    });
  }

  it('the check finds a missing key, an extra key, a new or lost placeholder, wrong plural forms and English left over', async () => {
    const de = (await loadPack('de')) as Record<string, Message>;
    const broken = { ...de, nope: 'x', cancel: '{name} {file} abbrechen', retry: 'erneut versuchen', prompt: en.prompt } as Record<
      string,
      Message
    >;
    delete broken['browse'];
    broken['uploadFiles'] = { one: '{count} Datei hochladen', few: '{count} Dateien', other: '{count} Dateien hochladen' };
    assert.deepEqual(problems('de', broken as Pack).sort(), [
      'browse: missing',
      'cancel: {file} is not in the English text',
      'nope: not an English key',
      'prompt: same as English',
      'retry: {name} is missing',
      'uploadFiles: plural forms few/one/other, de has one/other',
    ]);
  });

  it('may say the number in words only in a form for one number: Hebrew "two" yes, French "one" (0 and 1) no', () => {
    const he = { ...(packs.get('he') as Record<string, Message>) };
    assert.deepEqual(problems('he', he as Pack), []); // its `one` and `two` forms leave {count} out
    const fr = { ...(packs.get('fr') as Record<string, Message>) };
    fr['uploadFiles'] = { one: 'Envoyer un fichier', many: 'Envoyer {count} de fichiers', other: 'Envoyer {count} fichiers' };
    assert.deepEqual(problems('fr', fr as Pack), ['uploadFiles.one: {count} is missing']);
  });

  it('pack modules import nothing but types, so each stays a data-only chunk', () => {
    for (const lang of packFiles) {
      const source = readFileSync(new URL(`${lang}.ts`, dir), 'utf8');
      const imports = [...source.matchAll(/^\s*(import|export)\b[^;]*?\bfrom\s*['"][^'"]+['"]/gm)].map((m) => m[0].trim());
      for (const line of imports) assert.match(line, /^import type /, `${lang}.ts: ${line}`);
      assert.doesNotMatch(source, /\bimport\s*\(|\brequire\s*\(|^\s*import\s*['"]/m, `${lang}.ts loads code`);
    }
  });
});
