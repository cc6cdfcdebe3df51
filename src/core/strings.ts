/**
 * Default English texts of the core (rejections and form validity). Replace any of them through the
 * `strings` options for translation; `{name}`, `{limit}` and `{accept}` are filled in.
 */
export const defaultCoreStrings = {
  rejectType: '{name} is not an accepted file type ({accept}).',
  rejectTooLarge: '{name} is too large: the limit is {limit}.',
  rejectTooSmall: '{name} is too small: the minimum is {limit}.',
  rejectCount: '{name} was not added: at most {limit} files.',
  rejectCountOne: '{name} was not added: only one file is allowed.',
  rejectDuplicate: '{name} is already in the list.',
  rejectTotalSize: '{name} was not added: all files together may be at most {limit}.',
  valueMissing: 'Please upload a file.',
  uploadsInProgress: 'Uploads in progress',
};

export type CoreStrings = Record<keyof typeof defaultCoreStrings, string>;

/** Replaces each `{key}` in `template` by `values[key]`; unknown keys stay as they are. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}
