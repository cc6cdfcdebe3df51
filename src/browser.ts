// `itty-uploader/browser`: the browser pieces for a custom UI over `itty-uploader/core`, defining nothing.
export { xhrTransport } from './browser/xhr-transport.js';
export { readDataTransfer, readFileList } from './browser/data-transfer.js';
export type { PickedFile } from './browser/data-transfer.js';
export { whenOnline } from './browser/network.js';
export { measureImage } from './browser/image-size.js';
export { fingerprintOf, openResumeStore, recordId, recordOf, stateOf, RESUME_TTL } from './browser/resume-store.js';
export type { ResumeFingerprint, ResumeRecord, ResumeStore, ResumeStoreOptions } from './browser/resume-store.js';
