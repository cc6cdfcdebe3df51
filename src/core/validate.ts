// The file rules and form validity of `itty-uploader/core`: rules.ts with the core's English texts
// (`defaultCoreStrings`) under the `strings` given. The elements use rules.ts with their own words.
import * as rules from './rules.js';
import { defaultCoreStrings } from './strings.js';
import type { Source } from './types.js';

export { acceptCouldMatch, matchesAccept, type FormValidity, type RejectKey, type ValidateOptions, type ValidateResult } from './rules.js';

/**
 * Splits newly chosen files into accepted and rejected ones, checking in order: type (`accept`),
 * size (`minSize`/`maxSize`), duplicate, then count (`maxFiles`, `multiple: false`).
 */
export const validateFiles = <S extends Source>(sources: Iterable<S>, options: rules.ValidateOptions): rules.ValidateResult<S> =>
  rules.validateFiles(sources, { ...options, strings: { ...defaultCoreStrings, ...options.strings } });

/**
 * Form validity of the uploader: `valueMissing` when required and nothing uploaded, `customError`
 * ("Uploads in progress") while any upload is in flight, so a submit waits. Valid = no flags, ''.
 */
export const formValidity = (state: Parameters<typeof rules.formValidity>[0]): rules.FormValidity =>
  rules.formValidity({ ...state, strings: { ...defaultCoreStrings, ...state.strings } });
