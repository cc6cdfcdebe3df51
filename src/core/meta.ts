/**
 * Whether `meta` can be sent as ittybit keeps it (SPEC §5.1): a plain object of at most 32 keys of
 * `[A-Za-z0-9_]{1,32}` whose values are texts of at most 2,048 characters.
 */
export const metaFits = (meta: unknown): boolean =>
  (meta as object)?.constructor == Object &&
  Object.keys(meta as object).length < 33 &&
  Object.entries(meta as object).every(([key, value]) => /^\w{1,32}$/.test(key) && typeof value == 'string' && value.length < 2049);
