// `itty-uploader/core`: the DOM-free engine. No Lit, no custom elements, no XMLHttpRequest.
export * from './types.js';
export * from './errors.js';
export * from './url.js';
export * from './units.js';
export * from './strings.js';
export * from './validate.js';
export * from './response.js';
export * from './sign.js';
export * from './retry.js';
export * from './upload.js';
export * from './queue.js';
