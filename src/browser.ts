// `itty-uploader/browser`: the browser pieces for a custom UI over `itty-uploader/core`, defining nothing.
export { xhrTransport } from './browser/xhr-transport.js';
export { readDataTransfer, readFileList } from './browser/data-transfer.js';
export type { PickedFile } from './browser/data-transfer.js';
export { whenOnline } from './browser/network.js';
export { measureImage } from './browser/image-size.js';
