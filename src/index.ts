// `itty-uploader`: both elements defined, every public class and type re-exported.
export * from './uploader.js';
export * from './file.js';
export { UploadError, isUploadError } from './core/errors.js';
export type { UploadErrorCode } from './core/errors.js';
export type { IttyFile, UploadTarget, UploadStatus, RejectReason, Source, Transport } from './core/types.js';
export { formatSize, parseSize } from './core/units.js';
export { xhrTransport } from './browser/xhr-transport.js';
