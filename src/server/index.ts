/** `itty-uploader/server`: ittybit-compatible signing (any WebCrypto runtime) and the Node upload server. */
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
export { createUploadServer, type NextFunction, type UploadServerHandler, type UploadServerOptions } from './upload-server.js';
export { FAULT_KINDS, type FaultKind, type FaultOptions, type FaultRoute, type InjectedFault } from './faults.js';
export type { IttyFile } from '../core/types.js';
