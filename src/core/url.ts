const SAFE_SCHEMES = new Set(['http:', 'https:', 'blob:']);
// Control characters and whitespace that browsers strip from a URL before reading its scheme.
// eslint-disable-next-line no-control-regex
const STRIPPED = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/g;

/**
 * Returns `url` when it is safe to put into `src`/`href`: `http:`, `https:`, `blob:` or relative
 * (no scheme at all). Anything else (`javascript:`, `data:`, `vbscript:`, …, in any spelling) gives `undefined`.
 */
export function safeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const trimmed = url.trim();
  if (trimmed === '') return undefined;
  const probe = trimmed.replace(STRIPPED, '');
  // A scheme is letters/digits/+-. before the first ':' that comes before any '/', '?' or '#'.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(probe);
  if (scheme) return SAFE_SCHEMES.has(scheme[1]!.toLowerCase() + ':') ? trimmed : undefined;
  // No scheme: relative. Refuse anything with a ':' before the first '/', '?' or '#' (a scheme in disguise,
  // e.g. "java&#x09;script:" after entity decoding or characters that are not scheme characters).
  // The '#' of a character reference ("&#106;avascript:") does not end it.
  const beforePath = probe.split(/[/?]|(?<!&)#/, 1)[0]!;
  if (beforePath.includes(':') || /&#|&[a-z]+;/i.test(beforePath)) return undefined;
  if (probe.startsWith('\\') || probe.startsWith('//\\')) return undefined;
  return trimmed;
}

/** Returns true for an absolute `http:`/`https:` URL (what a signed upload target must be). */
export function isHttpUrl(url: unknown): url is string {
  if (typeof url !== 'string') return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
