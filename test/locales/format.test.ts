// Turning a table into words: plural forms by Intl.PluralRules, placeholders, sizes, percents, durations,
// right-to-left detection, which pack a `lang` gets, loading on demand, and the user's `strings`.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { formatSize as coreFormatSize } from '../../src/core/units.js';
import en, { type Pack } from '../../src/locales/en.js';
import {
  formatDuration,
  formatPercent,
  formatSize,
  isRightToLeft,
  loadPack,
  mergeStrings,
  message,
  resolvePackLang,
} from '../../src/locales/format.js';

/** Spaces as ICU writes them (no-break, narrow no-break) read as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('message', () => {
  const pl = loadPack('pl') as Promise<Pack>;
  const ar = loadPack('ar') as Promise<Pack>;

  it('picks the English form by count and fills the placeholders', () => {
    assert.equal(message(en, 'uploadFiles', { count: 1 }), 'Upload 1 file');
    assert.equal(message(en, 'uploadFiles', { count: 0 }), 'Upload 0 files');
    assert.equal(message(en, 'uploadFiles', { count: 3 }), 'Upload 3 files');
    assert.equal(message(en, 'cancel', { name: 'a.png' }), 'Cancel a.png');
  });

  it('picks the Polish form: 1 plik, 2–4 pliki, 5–21 plików, 22 pliki, 1,5 pliku', async () => {
    const pack = await pl;
    const upload = (count: number) => message(pack, 'uploadFiles', { count }, 'pl');
    assert.equal(upload(1), 'Prześlij 1 plik');
    assert.equal(upload(2), 'Prześlij 2 pliki');
    assert.equal(upload(4), 'Prześlij 4 pliki');
    assert.equal(upload(5), 'Prześlij 5 plików');
    assert.equal(upload(12), 'Prześlij 12 plików');
    assert.equal(upload(22), 'Prześlij 22 pliki');
    assert.equal(upload(1.5), 'Prześlij 1,5 pliku');
  });

  it('picks the Arabic form: zero, one, two, few (3–10), many (11–99), other (100+)', async () => {
    const pack = await ar;
    const upload = (count: number) => message(pack, 'uploadFiles', { count }, 'ar');
    assert.equal(upload(0), 'رفع الملفات');
    assert.equal(upload(1), 'رفع ملف واحد');
    assert.equal(upload(2), 'رفع ملفين');
    assert.equal(upload(3), 'رفع 3 ملفات');
    assert.equal(upload(11), 'رفع 11 ملفًا');
    assert.equal(upload(100), 'رفع 100 ملف');
  });

  it('writes numbers for the language and leaves strings as they are', () => {
    assert.equal(
      message(en, 'announceMoved', { name: '1000.png', position: 1234, total: 5000 }),
      '1000.png moved to position 1,234 of 5,000',
    );
    assert.equal(message({ announceMoved: '{name} {position}' }, 'announceMoved', { name: '1000', position: 1234 }, 'de'), '1000 1.234');
  });

  it('leaves a placeholder without a value visible, and uses `other` without a count', () => {
    assert.equal(message(en, 'announceFailed', { name: 'a.png' }), 'a.png failed: {reason}');
    assert.equal(message(en, 'uploadFiles'), 'Upload {count} files');
  });

  it('takes a missing key from English, with the English plural rules, never the key name', () => {
    assert.equal(message({}, 'browse', {}, 'de'), 'Browse files');
    // French counts 0 as `one`; the English text it falls back to must still say "0 files".
    assert.equal(message({}, 'uploadFiles', { count: 0 }, 'fr'), 'Upload 0 files');
    assert.equal(
      message({ uploadFiles: { one: '{count} fichier', other: '{count} fichiers' } }, 'uploadFiles', { count: 0 }, 'fr'),
      '0 fichier',
    );
  });

  it('takes `other` when the table lacks the form the count selects', () => {
    assert.equal(message({ uploadFiles: { other: '{count} x' } }, 'uploadFiles', { count: 1 }, 'en'), '1 x');
  });
});

describe('formatSize', () => {
  it('writes decimal units with 3 significant digits in English', () => {
    assert.equal(formatSize(0), '0 bytes');
    assert.equal(formatSize(1), '1 byte');
    assert.equal(formatSize(999), '999 bytes');
    assert.equal(formatSize(1500), '1.5 kB');
    assert.equal(formatSize(999_999), '1 MB');
    assert.equal(formatSize(1_070_000_000), '1.07 GB');
    assert.equal(formatSize(-5), '0 bytes');
    assert.equal(formatSize(Number.NaN), '0 bytes');
  });

  it('rounds exactly as the core formatSize does (which writes bytes as `B`)', () => {
    const values = [1000, 1049, 1050, 1234, 9_995, 99_949, 99_950, 999_499, 999_500, 1_234_567, 45_678_901, 987_654_321_987, 5e15];
    for (let bytes = 1007; bytes < 1e14; bytes = Math.floor(bytes * 1.37) + 11) values.push(bytes);
    for (const bytes of values) assert.equal(formatSize(bytes, 'en'), coreFormatSize(bytes, 'en'), `${bytes} bytes`);
  });

  it('writes German with a decimal comma and French with its own units', () => {
    assert.equal(plain(formatSize(1_500_000, 'de')), '1,5 MB');
    assert.equal(plain(formatSize(15, 'de')), '15 Byte');
    assert.equal(plain(formatSize(1_500_000, 'fr')), '1,5 Mo');
    assert.equal(plain(formatSize(2, 'fr')), '2 octets');
    assert.equal(plain(formatSize(1_500_000, 'pl')), '1,5 MB');
  });
});

describe('formatPercent', () => {
  it('rounds down to a whole percent, as a row does, and writes it for the language', () => {
    assert.equal(formatPercent(0.999), '99%');
    assert.equal(formatPercent(1), '100%');
    assert.equal(formatPercent(0.29), '29%'); // 0.29 * 100 is 28.999… in floating point
    assert.equal(formatPercent(-1), '0%');
    assert.equal(formatPercent(2), '100%');
    assert.equal(plain(formatPercent(0.42, 'de')), '42 %');
    assert.equal(plain(formatPercent(0.42, 'fr')), '42 %');
  });
});

describe('formatDuration', () => {
  it('shows the two largest units, rounding the rest', () => {
    assert.equal(formatDuration(45), '45 seconds');
    assert.equal(formatDuration(1), '1 second');
    assert.equal(formatDuration(120), '2 minutes');
    assert.equal(formatDuration(125), '2 minutes 5 seconds');
    assert.equal(formatDuration(3900), '1 hour 5 minutes');
    assert.equal(formatDuration(3929), '1 hour 5 minutes');
    assert.equal(formatDuration(7200), '2 hours');
    assert.equal(formatDuration(59.6), '1 minute');
    assert.equal(formatDuration(0.4), '0 seconds');
    assert.equal(formatDuration(Number.NaN), '0 seconds');
    assert.equal(formatDuration(-3), '0 seconds');
  });

  it('with one unit, rounds to it and carries: 3599 s is 1 hour, never 60 minutes', () => {
    assert.equal(formatDuration(125, 'en', { units: 1 }), '2 minutes');
    assert.equal(formatDuration(150, 'en', { units: 1 }), '3 minutes');
    assert.equal(formatDuration(3599, 'en', { units: 1 }), '1 hour');
    assert.equal(formatDuration(3599), '59 minutes 59 seconds');
  });

  it('writes the words and the list of the language', () => {
    assert.equal(plain(formatDuration(3900, 'de')), '1 Stunde, 5 Minuten');
    assert.equal(plain(formatDuration(3900, 'pl')), '1 godzina i 5 minut');
    assert.equal(plain(formatDuration(45, 'fr')), '45 secondes');
    assert.equal(plain(formatDuration(120, 'ja')), '2 分');
  });
});

describe('isRightToLeft', () => {
  it('is true for Arabic, Hebrew, Persian, Urdu, with any region, and for a language written in Arabic script', () => {
    for (const lang of ['ar', 'ar-EG', 'AR-sa', 'he', 'he-IL', 'iw', 'fa', 'fa-IR', 'ur', 'ur-PK', 'pa-Arab', 'yi', 'ckb']) {
      assert.equal(isRightToLeft(lang), true, lang);
    }
  });

  it('is false for left-to-right languages and for nothing or nonsense', () => {
    for (const lang of ['en', 'de', 'zh-CN', 'ja', 'ko', 'az-Latn', 'uz', '', 'not a tag!', null, undefined]) {
      assert.equal(isRightToLeft(lang), false, String(lang));
    }
  });
});

describe('resolvePackLang', () => {
  it('takes the same tag, whatever its case or separator', () => {
    assert.equal(resolvePackLang('de'), 'de');
    assert.equal(resolvePackLang('pt-BR'), 'pt-BR');
    assert.equal(resolvePackLang('pt_br'), 'pt-BR');
    assert.equal(resolvePackLang('ZH-cn'), 'zh-CN');
    assert.equal(resolvePackLang('iw'), 'he');
  });

  it('else a pack of the same language and script: pt-PT and pt get pt-BR, de-AT gets de, zh-SG gets zh-CN', () => {
    assert.equal(resolvePackLang('de-AT'), 'de');
    assert.equal(resolvePackLang('pt'), 'pt-BR');
    assert.equal(resolvePackLang('pt-PT'), 'pt-BR');
    assert.equal(resolvePackLang('fr-CA'), 'fr');
    assert.equal(resolvePackLang('ar-EG'), 'ar');
    assert.equal(resolvePackLang('zh'), 'zh-CN');
    assert.equal(resolvePackLang('zh-SG'), 'zh-CN');
    assert.equal(resolvePackLang('zh-Hans'), 'zh-CN');
    assert.equal(resolvePackLang('en-GB'), 'en');
  });

  it('else English: Traditional Chinese never gets Simplified, and an unknown or broken tag is English', () => {
    for (const lang of ['zh-TW', 'zh-HK', 'zh-Hant', 'zh-Hant-CN', 'nb', 'ru', '', 'x!', null, undefined]) {
      assert.equal(resolvePackLang(lang), 'en', String(lang));
    }
  });

  it('matches against the list it is given', () => {
    assert.equal(resolvePackLang('pt-BR', ['en', 'pt-PT']), 'pt-PT');
    assert.equal(resolvePackLang('zh-HK', ['en', 'zh-TW']), 'zh-TW');
  });
});

describe('loadPack', () => {
  it('gives English synchronously, for English and for a language without a pack', () => {
    assert.equal(loadPack('en'), en);
    assert.equal(loadPack('en-US'), en);
    assert.equal(loadPack('zh-TW'), en);
    assert.equal(loadPack(undefined), en);
  });

  it('loads another pack on demand, then gives it synchronously', async () => {
    const first = loadPack('sv-FI');
    assert.ok(first instanceof Promise);
    const sv = await first;
    assert.equal(sv.browse, 'Välj filer');
    assert.equal(loadPack('sv'), sv);
  });
});

describe('mergeStrings', () => {
  const warnings = (t: TestContext) => {
    const warn = t.mock.method(console, 'warn', () => {});
    return () => warn.mock.calls.map((call) => String(call.arguments[0]));
  };

  it('puts each valid override in place of the entry, strings and plural forms alike', (t) => {
    const warned = warnings(t);
    const merged = mergeStrings(en, { browse: 'Pick', uploadFiles: { one: 'Send it', other: 'Send {count}' }, cancel: 'Stop {name}' });
    assert.equal(merged.browse, 'Pick');
    assert.equal(message(merged, 'uploadFiles', { count: 1 }), 'Send it');
    assert.equal(message(merged, 'uploadFiles', { count: 4 }), 'Send 4');
    assert.equal(merged.prompt, en.prompt);
    assert.equal(en.browse, 'Browse files', 'the base table is not changed');
    assert.deepEqual(warned(), []);
  });

  it('ignores an unknown key or a value that is not a text, key by key, with a warning naming the key', (t) => {
    const warned = warnings(t);
    const merged = mergeStrings(en, {
      nope: 'x',
      browse: 42,
      cancel: () => 'x',
      retry: { one: 'x' },
      remove: { one: 'x', other: 'y', dual: 'z' },
      pause: { other: 3 },
      resume: null,
      prompt: 'Kept',
    });
    assert.equal(merged.prompt, 'Kept');
    for (const key of ['browse', 'cancel', 'retry', 'remove', 'pause', 'resume'] as const) assert.equal(merged[key], en[key], key);
    assert.equal((merged as Record<string, unknown>)['nope'], undefined);
    const said = warned();
    assert.equal(said.length, 7);
    for (const key of ['nope', 'browse', 'cancel', 'retry', 'remove', 'pause', 'resume']) {
      assert.ok(
        said.some((text) => text.includes(`strings.${key}\``)),
        key,
      );
    }
  });

  it('never throws, whatever `strings` is', (t) => {
    const warned = warnings(t);
    assert.equal(mergeStrings(en, undefined), en);
    assert.equal(mergeStrings(en, null), en);
    assert.equal(mergeStrings(en, 'de'), en);
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no');
        },
      },
    );
    assert.deepEqual(mergeStrings(en, hostile), en);
    const getter = {
      prompt: 'Kept',
      get browse(): string {
        throw new Error('no');
      },
    };
    const merged = mergeStrings(en, getter);
    assert.equal(merged.prompt, 'Kept');
    assert.equal(merged.browse, en.browse);
    assert.equal(warned().length, 3);
    assert.ok(warned()[2]!.includes('strings.browse'));
  });
});
