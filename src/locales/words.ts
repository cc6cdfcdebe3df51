// The words chunk of `<itty-uploader>`: everything its words need once files are in the list — the whole English
// table, plural forms and `{placeholders}`, sizes and percents for the language, the words of an error's code, and
// the user's `strings` merged over a pack. The element starts loading it when it connects (`WordsController`), so it
// is in long before a user has picked a file; the drop zone's words are in the first load (`en-first.ts`).
import type { UploadError } from '../core/errors.js';
import en, { type MessageKey } from './en.js';

export { en };
export { formatPercent, formatSize, message } from './text.js';
export { mergeTexts } from '../strings.js';

/** The key of an error code's words (`sign_failed` → `errorSignFailed`); `errorUploadFailed` for a code without one. */
export const errorKey = (error: UploadError): MessageKey => {
  const key = `error${error.code.replace(/(?:^|_)(\w)/g, (_, letter: string) => letter.toUpperCase())}`;
  return (key in en ? key : 'errorUploadFailed') as MessageKey;
};
