/**
 * `itty-uploader/server`: ittybit-compatible signing and name sanitising on WebCrypto, for any runtime
 * (Node ≥ 20, Deno, Bun, Workers, edge functions). Nothing in this entry's import graph imports `node:*`
 * (test/server/entries.test.ts walks it); the Node upload server and the CLI are `itty-uploader/server/node`.
 */
export {
  createSignature,
  sanitizeFilename,
  sanitizeFolder,
  signUploadUrl,
  verifySignedUrl,
  type Signature,
  type SignatureMethod,
  type SignUploadUrlOptions,
  type VerifyFailureReason,
  type VerifyOptions,
  type VerifyResult,
} from './signing.js';
export type { IttyFile } from '../core/types.js';
