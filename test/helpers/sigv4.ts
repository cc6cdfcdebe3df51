// Verifies AWS Signature Version 4 query-string auth (presigned URLs) the way S3 does, written from AWS's
// "Authenticating Requests: Using Query Parameters" page. The tests put it in front of s3rver, which checks
// only the access key of a SigV4 request, never its signature (s3rver 3.7.1, lib/middleware/authentication.js:
// "Signature version 4 calculation is unimplemeneted").
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SigV4Request {
  method: string;
  /** Path and query exactly as sent (`/bucket/key?X-Amz-…`). */
  url: string;
  /** Request headers, names in any case. */
  headers: Record<string, string | string[] | undefined>;
}

export type SigV4Result =
  | { ok: true; accessKeyId: string }
  | {
      ok: false;
      status: 400 | 403;
      code: 'AuthorizationQueryParametersError' | 'InvalidAccessKeyId' | 'AccessDenied' | 'SignatureDoesNotMatch';
      message: string;
    };

/** RFC 3986 encoding, as SigV4 wants it (`encodeURIComponent` leaves `!'()*` alone). */
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

/** `20130524T000000Z` → ms since the epoch. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

function headerValue(headers: SigV4Request['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return (Array.isArray(value) ? value.join(',') : value)?.trim().replace(/\s+/g, ' ');
  }
  return undefined;
}

/**
 * Checks a presigned request: parameters, credential scope, expiry, and the signature over the canonical
 * request (method, path, every query parameter but the signature, the signed headers, UNSIGNED-PAYLOAD).
 */
export function verifyPresigned(request: SigV4Request, credentials: Record<string, string>, now = Date.now()): SigV4Result {
  const q = request.url.indexOf('?');
  const rawPath = q === -1 ? request.url : request.url.slice(0, q);
  const params = [...new URLSearchParams(q === -1 ? '' : request.url.slice(q + 1))];
  const get = (name: string) => params.find(([key]) => key === name)?.[1];
  const bad = (message: string): SigV4Result => ({ ok: false, status: 400, code: 'AuthorizationQueryParametersError', message });

  const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'];
  const missing = required.filter((name) => get(name) === undefined);
  if (missing.length) return bad(`Query-string authentication version 4 requires ${missing.join(', ')}.`);
  if (get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return bad('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256".');
  const [accessKeyId, day, region, service, terminator, ...extra] = get('X-Amz-Credential')!.split('/');
  if (!accessKeyId || !day || !region || service !== 's3' || terminator !== 'aws4_request' || extra.length) {
    return bad('X-Amz-Credential must be <key>/<yyyymmdd>/<region>/s3/aws4_request.');
  }
  const amzDate = get('X-Amz-Date')!;
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || !amzDate.startsWith(day)) return bad("X-Amz-Date must be yyyyMMddTHHmmssZ, on the credential's day.");
  const expires = Number(get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > 604800) return bad('X-Amz-Expires must be 1..604800 seconds.');
  const secret = credentials[accessKeyId];
  if (secret === undefined) {
    return {
      ok: false,
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    };
  }
  if (now > signedAt + expires * 1000) return { ok: false, status: 403, code: 'AccessDenied', message: 'Request has expired' };
  if (now < signedAt - 15 * 60 * 1000) return { ok: false, status: 403, code: 'AccessDenied', message: 'Request is not valid yet' };

  const signedHeaders = get('X-Amz-SignedHeaders')!.split(';');
  if (!signedHeaders.includes('host')) return bad('X-Amz-SignedHeaders must include host.');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headerValue(request.headers, name) ?? ''}\n`).join('');
  let canonicalPath: string;
  try {
    canonicalPath = rawPath
      .split('/')
      .map((segment) => encode(decodeURIComponent(segment)))
      .join('/');
  } catch {
    return bad('The path is not valid percent-encoding.');
  }
  const canonicalQuery = params
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [encode(key), encode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex'));
  const given = Buffer.from(get('X-Amz-Signature')!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    };
  }
  return { ok: true, accessKeyId };
}
