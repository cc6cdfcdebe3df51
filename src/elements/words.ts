// The words chunk of `<itty-uploader>` (`import('./words.js')` in uploader.ts): everything its words need once files are in the list — the whole English
// table, plural forms and `{placeholders}`, sizes and percents for the language, the words of an error's code, and
// the user's `strings` merged over a pack. The element starts loading it when it connects (`WordsController`, given it by `<itty-uploader>`), so it
// is in long before a user has picked a file; the drop zone's words are in the first load (`en-first.ts`). The list's
// and the rows' styles come with it.
import type { UploadError } from '../core/errors.js';
import type { ChunkWords } from '../controllers/words-controller.js';
import en, { type MessageKey, type Pack } from '../locales/en.js';
import { formatPercent, formatSize, message } from '../locales/text.js';
import { mergeTexts } from '../strings.js';

import { rowCss as rows } from './rows.styles.js';
import { summaryCss } from './summary.js';

export { summary } from './summary.js';
/** The list's, the rows' and the summary's styles. */
export const rowCss = rows + summaryCss;

/** The key of an error code's words (`sign_failed` → `errorSignFailed`); `errorUploadFailed` for a code without one. */
export const errorKey = (error: UploadError): MessageKey => {
  const key = `error${error.code.replace(/(?:^|_)(\w)/g, (_, letter: string) => letter.toUpperCase())}`;
  return (key in en ? key : 'errorUploadFailed') as MessageKey;
};

/**
 * The words of an element whose `state()` is its language's pack (undefined for English), its `strings` and its
 * language tag. The merged table is rebuilt only when the pack or the `strings` object changed.
 */
export function wordsOf(state: () => readonly [Pack | undefined, unknown, string]): ChunkWords {
  let merged: readonly unknown[] = [];
  let table: Pack = en;
  const words = (key: MessageKey, values?: Readonly<Record<string, string | number>>) => {
    const [pack, strings, lang] = state();
    if (merged[0] !== pack || merged[1] !== strings || !merged.length) {
      merged = [pack, strings];
      table = mergeTexts(pack ?? en, strings);
    }
    return message(table, key, values, lang);
  };
  // A page's first number format loads the locale's data (~40 ms in Chromium): do that while idle, not when files arrive.
  (globalThis.requestIdleCallback ?? setTimeout)(() => formatSize(1, state()[2]));
  return Object.assign(words, {
    size: (bytes: number) => formatSize(bytes, state()[2]),
    percent: (whole: number) => formatPercent(whole / 100, state()[2]),
    error: (error: UploadError) => words(errorKey(error)),
  });
}
