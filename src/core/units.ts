const FORMAT_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/**
 * Reads a size in bytes: a number is bytes already; a string is a number with an optional unit,
 * `10MB`, `1.5GiB`, `500 kB`, `2k`, `1024` (case does not matter). Anything else gives `undefined`.
 */
export function parseSize(value: string | number | null | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  // A prefix letter (k, M, G, T), then `i` for binary (KiB = 1024) or nothing for decimal (kB = 1000), then an optional B.
  const match = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:([kmgt])(i)?)?(b)?\s*$/i.exec(value);
  if (!match) return undefined;
  const power = match[2] ? 'kmgt'.indexOf(match[2].toLowerCase()) + 1 : 0;
  return Math.round(Number(match[1]) * (match[3] ? 1024 : 1000) ** power);
}

// Building an Intl.NumberFormat costs ~0.1 ms: a list of 5,000 files would spend half a second on it.
const formatters = new Map<string, Intl.NumberFormat>();
const formatter = (locale?: string | string[]) => {
  const key = String(locale ?? '');
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 })));
  return format;
};

/** Human-readable size in decimal units with at most 3 significant digits: `0 B`, `999 B`, `1.2 kB`, `15 MB`, `1.07 GB`. */
export function formatSize(bytes: number, locale?: string | string[]): string {
  let value = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
  let unit = 0;
  // Compare after rounding, so 999,999 B reads `1 MB`, not `1000 kB`.
  while (unit < FORMAT_UNITS.length - 1 && Number(value.toPrecision(3)) >= 1000) {
    value /= 1000;
    unit += 1;
  }
  const text = formatter(locale).format(unit ? value : Math.round(value));
  return `${text} ${FORMAT_UNITS[unit]}`;
}
