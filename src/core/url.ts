/**
 * Returns `url` when it is safe to put into `src`/`href`: `http:`, `https:`, `blob:` or relative
 * (no scheme at all). Anything else (`javascript:`, `data:`, `vbscript:`, …, in any spelling) gives `undefined`.
 */
export function safeUrl(url: unknown): string | undefined {
  const trimmed = typeof url == 'string' ? url.trim() : '';
  // Without the control characters and spaces that browsers strip from a URL (or ignore inside it) before reading its scheme.
  const probe = trimmed.replace(/[\0- ]/g, '');
  // A scheme is letters/digits/+-. before the first ':' that comes before any '/', '?' or '#'.
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(probe)?.[1];
  // No scheme: relative. Refuse anything with a ':' before the first '/', '?' or '#' (a scheme in disguise, e.g.
  // "java\u200bscript:", "java&#x09;script:" after entity decoding, or characters that are not scheme characters),
  // a character reference ("&#106;avascript:", whose '#' does not end it), and a backslash where a host would start.
  const safe = scheme
    ? /^(https?|blob)$/i.test(scheme)
    : !/:|&#|&[a-z]+;/i.test(probe.split(/[/?]|(?<!&)#/, 1)[0]!) && !/^(\/\/)?\\/.test(probe);
  return trimmed && safe ? trimmed : undefined;
}

/** Returns true for an absolute `http:`/`https:` URL (what a signed upload target must be). */
export function isHttpUrl(url: unknown): url is string {
  try {
    return typeof url == 'string' && /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}
