/**
 * Inclusive byte ranges of a chunked upload (`Content-Range`), kept sorted and merged. Imports nothing, so the
 * upload server's sessions (src/server/chunk-sessions.ts) and `itty-uploader/testing`'s memory storage share it.
 */

/** Adds [start, end] to sorted, merged inclusive ranges; adjacent ranges join. */
export function addRange(ranges: Array<[number, number]>, start: number, end: number): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  let [s, e] = [start, end];
  for (const [a, b] of ranges) {
    if (b + 1 < s) result.push([a, b]);
    else if (e + 1 < a) {
      result.push([s, e]);
      [s, e] = [a, b];
    } else [s, e] = [Math.min(a, s), Math.max(b, e)];
  }
  result.push([s, e]);
  return result;
}

/** The parts of `ranges` inside [start, end]. */
export function intersect(ranges: ReadonlyArray<[number, number]>, start: number, end: number): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (const [a, b] of ranges) if (a <= end && b >= start) result.push([Math.max(a, start), Math.min(b, end)]);
  return result;
}

/** How many bytes the ranges cover. */
export function coveredBytes(ranges: ReadonlyArray<[number, number]>): number {
  let sum = 0;
  for (const [a, b] of ranges) sum += b - a + 1;
  return sum;
}
