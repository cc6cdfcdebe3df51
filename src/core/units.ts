/**
 * Reads a size in bytes: a number is bytes already; a string is a number with an optional unit,
 * `10MB`, `1.5GiB`, `500 kB`, `2k`, `1024` (case does not matter). Anything else gives `undefined`.
 */
export function parseSize(value: string | number | null | undefined): number | undefined {
  if (typeof value === 'number') return value >= 0 && value < Infinity ? value : undefined;
  // A prefix letter (k, M, G, T), then `i` for binary (KiB = 1024) or nothing for decimal (kB = 1000), then an optional B.
  // Anything but a string (null, undefined) reads as text that does not match.
  const match = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:([kmgt])(i)?)?(b)?\s*$/i.exec(value as string);
  return match ? Math.round(+match[1]! * (match[3] ? 1024 : 1000) ** ('kmgt'.indexOf(match[2]?.toLowerCase() as string) + 1)) : undefined;
}

// Building an Intl.NumberFormat costs ~0.1 ms: a list of 5,000 files would spend half a second on it.
const formatters: Record<string, Intl.NumberFormat> = {};

/** Human-readable size in decimal units with at most 3 significant digits: `0 B`, `999 B`, `1.2 kB`, `15 MB`, `1.07 GB`. */
export function formatSize(bytes: number, locale?: string | string[]): string {
  let value = bytes > 0 && bytes < Infinity ? bytes : 0;
  let unit = 0;
  // Compare after rounding, so 999,999 B reads `1 MB`, not `1000 kB`.
  while (unit < 4 && +value.toPrecision(3) >= 1000) {
    value /= 1000;
    unit += 1;
  }
  const format = (formatters[String(locale)] ??= new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 }));
  return `${format.format(unit ? value : Math.round(value))} ${['B', 'kB', 'MB', 'GB', 'TB'][unit]}`;
}
