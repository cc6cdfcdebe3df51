// `itty-uploader/core`: the DOM-free engine. No Lit, no custom elements, no XMLHttpRequest.
// Every public name is listed here; what is not (retry and stall timers, error helpers, the chunk loop) is internal.
export type {
  Clock,
  IttyFile,
  MultipartAction,
  MultipartSession,
  Rejection,
  RejectReason,
  SignFunction,
  Source,
  Transport,
  TransportIO,
  TransportRequest,
  TransportResponse,
  UploadItem,
  UploadStatus,
  UploadTarget,
} from './types.js';
export { isUploadError, UploadError, type UploadErrorCode, type UploadErrorOptions } from './errors.js';
export { safeUrl } from './url.js';
export { formatSize, parseSize } from './units.js';
export { kindOf } from './media.js';
export { displayName, isInFlight, isRetryable, isUnfinished, percentOf } from './items.js';
export { defaultCoreStrings, type CoreStrings } from './strings.js';
export {
  acceptCouldMatch,
  formValidity,
  matchesAccept,
  validateFiles,
  type FormValidity,
  type ValidateOptions,
  type ValidateResult,
} from './validate.js';
export { MAX_ANSWER_SIZE, parseSignResponse, parseUploadResponse, targetFromBody } from './response.js';
export { createSigner, requestUploadTarget, type GetUploadUrl, type SignerSettings, type SignRequestOptions } from './sign.js';
export { uploadSource, type ResumeState, type UploadOptions } from './upload.js';
export { createUploadQueue, normalizeSettings, type QueueOptions, type QueueSettings, type UploadQueue } from './queue.js';
