import { TestHttpError, invalid } from './errors.js';

/** The field rules are the upload server's own (src/server/sign-body.ts); only reading a fetch `Request` is here. */
export { parseUploadUrlBody as parseSignBody, type UploadUrlBody as SignBody } from '../server/sign-body.js';

const JSON_LIMIT = 64 * 1024;
const encoder = new TextEncoder();

/** The body as JSON, refused as the upload server refuses it: over 64 KiB → 413, not JSON → 400. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? undefined);
  if (declared > JSON_LIMIT) throw largeBody();
  const text = await request.text();
  if (encoder.encode(text).length > JSON_LIMIT) throw largeBody();
  try {
    // A leading byte order mark is not JSON, but RFC 8259 lets a parser ignore it (and the upload server does).
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw invalid('The body is not valid JSON.');
  }
}

function largeBody(): TestHttpError {
  return new TestHttpError(413, 'request_too_large', 'The JSON body is larger than 64 KiB.');
}
