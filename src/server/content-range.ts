/** One chunk of a resumable upload: bytes `start`..`end` (inclusive) of a file of `total` bytes. */
export interface ChunkRange {
  start: number;
  end: number;
  total: number;
}

/** RFC 9110 `bytes a-b/N`, plus `bytes=a-b/N` as ittybit's guide writes it. 15 digits keep numbers exact. */
const CONTENT_RANGE = /^bytes[ =](\d{1,15})-(\d{1,15})\/(\d{1,15})$/i;

/** Parses a Content-Range request header; undefined when it is malformed or out of bounds. */
export function parseContentRange(header: string): ChunkRange | undefined {
  const match = CONTENT_RANGE.exec(header.trim());
  if (!match) return undefined;
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (start > end || end >= total) return undefined;
  return { start, end, total };
}
