/**
 * The little XML the S3 API needs, without an XML library: S3's answers are flat, well-formed documents written by
 * the storage (never by the browser), so reading an element's text by name is enough. No `node:` imports.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five named entities and numeric character references. */
export function xmlDecode(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Escapes text for an element's content. */
export const xmlEscape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** The decoded text of every `<name>…</name>` in `xml`, in order (the element must hold no markup of its own). */
export function xmlTexts(xml: string, name: string): string[] {
  const pattern = new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => xmlDecode(match[1]!));
}

/** The decoded text of the first `<name>…</name>`, if any. */
export const xmlText = (xml: string, name: string): string | undefined => xmlTexts(xml, name)[0];

/** The raw inner XML of every `<name>…</name>` block (for repeated groups such as `<Part>`). */
export function xmlBlocks(xml: string, name: string): string[] {
  const pattern = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => match[1]!);
}
