// The attribute values of image preparation, read strictly: a value that makes no sense is no value (the
// element keeps its default and may warn), never a guess. Pure, no DOM.

/** `resize`: the longest side, or a box both sides must fit in. */
export type ResizeTarget = number | { width: number; height: number };

const SIDE = /^\s*([1-9]\d{0,5})\s*$/;
const BOX = /^\s*([1-9]\d{0,5})\s*[x×]\s*([1-9]\d{0,5})\s*$/i;

/** `"2048"` → 2048, `"2048x1536"` → { width: 2048, height: 1536 }; anything else (`"abc"`, `"0"`, `"-5"`) → undefined. */
export function parseResize(value: string | null | undefined): ResizeTarget | undefined {
  if (!value) return undefined;
  const side = SIDE.exec(value);
  if (side) return Number(side[1]);
  const box = BOX.exec(value);
  return box ? { width: Number(box[1]), height: Number(box[2]) } : undefined;
}

/** `quality`: a number from 0 to 1; anything else (`"7"`, `"high"`) → undefined (the default 0.85 applies). */
export function parseQuality(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const quality = Number(value);
  return Number.isFinite(quality) && quality >= 0 && quality <= 1 ? quality : undefined;
}

/** The types a browser's canvas can encode, for `convert`; the element may warn about any other. */
export const ENCODABLE = ['image/jpeg', 'image/png', 'image/webp'] as const;

/**
 * The size an image of `width` × `height` takes to fit `target`, keeping its aspect ratio and never growing;
 * the same size when it already fits.
 */
export function fitWithin(width: number, height: number, target: ResizeTarget | undefined): { width: number; height: number } {
  if (target === undefined) return { width, height };
  const box = typeof target === 'number' ? { width: target, height: target } : target;
  const scale = Math.min(1, box.width / width, box.height / height);
  if (scale >= 1) return { width, height };
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

const EXTENSIONS: Record<string, string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'image/avif': ['avif'],
  'image/gif': ['gif'],
};

/** `name` with an extension that says `type`: kept when it already does, replaced (or added) when not. */
export function nameFor(name: string, type: string): string {
  const known = EXTENSIONS[type];
  if (!known) return name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return known.includes(extension) ? name : `${stem}.${known[0]}`;
}

/**
 * The size to ask ImageDecoder for (`desiredWidth`/`desiredHeight`) so that it decodes no larger than needed but
 * never smaller than `target`: JPEG decoders scale by n/8 while decoding, and Chromium picks the largest n/8 size
 * that fits in the desired one, so asking for `target` itself (2048 of 6000: 1500 px) would come out too small.
 * All sizes in the file's own (coded) orientation.
 */
export function decodeSizeFor(
  source: { width: number; height: number },
  target: { width: number; height: number },
): { width: number; height: number } {
  const eighths = Math.min(8, Math.max(1, Math.ceil((8 * target.width) / source.width), Math.ceil((8 * target.height) / source.height)));
  return { width: Math.ceil((source.width * eighths) / 8), height: Math.ceil((source.height * eighths) / 8) };
}
