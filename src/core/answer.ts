// The cap on what servers answer, for every request. Reading the answers (the storage's, error bodies) is
// failure.ts's, the signing answer's signing.ts's: both loaded on demand.
export type { Json } from './failure.js';

/**
 * The largest answer read, in characters (1 MiB of ASCII), from a signing endpoint and from the storage. Transports
 * stop reading a longer one: a signing answer that long fails with `sign_failed`, an upload answer with
 * `invalid_response`, instead of being downloaded and parsed whole.
 */
export const MAX_ANSWER_SIZE = 2 ** 20;
