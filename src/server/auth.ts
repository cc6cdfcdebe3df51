import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bearerToken, HttpError } from './http.js';
import { verifySignedUrl } from './signing.js';

/** Constant-time comparison of a presented token with the key (hashing first evens out the lengths). */
export function isKey(token: string | undefined, key: string): boolean {
  if (token === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(token), digest(key));
}

/** `Authorization: Bearer <key>` is required: 401 `token_missing` without it, `token_invalid` when wrong. */
export function requireKey(req: IncomingMessage, key: string): void {
  const token = bearerToken(req);
  if (token === undefined) throw new HttpError(401, 'token_missing', 'Send the API key as "Authorization: Bearer <key>".');
  if (!isKey(token, key)) throw new HttpError(401, 'token_invalid', 'The API key is not valid.');
}

const MESSAGES = {
  missing: 'The signed URL is missing its expiry, method or signature parameter.',
  malformed: 'The signed URL is malformed (expiry must be unix seconds; method get or put).',
  method: 'The URL was signed for another method.',
  bad_signature: 'The signature does not match this URL.',
} as const;

/**
 * Lets a request through with the Bearer key (a simple upload) or a valid signature for `verb`.
 * No credentials at all → 401 `token_missing`; a bad or mismatched signature → 403 `signature_invalid`;
 * an expired one → 403 `signature_expired`.
 */
export async function authorize(
  req: IncomingMessage,
  url: string,
  options: { key: string; verb: string; basePath: string; now: number },
): Promise<void> {
  const token = bearerToken(req);
  if (isKey(token, options.key)) return;
  const params = new URLSearchParams(url.split('?')[1] ?? '');
  const signed = params.has('signature') || params.has('expiry');
  if (!signed) {
    if (token !== undefined) throw new HttpError(401, 'token_invalid', 'The API key is not valid.');
    throw new HttpError(401, 'token_missing', 'This URL needs a signature (expiry, method, signature) or an API key.');
  }
  const result = await verifySignedUrl(url, { key: options.key, method: options.verb, now: options.now, basePath: options.basePath });
  if (result.ok) return;
  if (result.reason === 'expired') throw new HttpError(403, 'signature_expired', 'The signed URL has expired; ask for a new one.');
  throw new HttpError(403, 'signature_invalid', MESSAGES[result.reason]);
}
