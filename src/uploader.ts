import { IttyUploaderElement } from './elements/uploader.js';

// Importing in Node (SSR) must not throw: define only where custom elements exist.
if (globalThis.customElements) IttyUploaderElement.define();

export { IttyUploaderElement };
export type { FormValueMode, GetUploadUrl } from './elements/uploader.js';
export type { UploaderStrings } from './elements/uploader-strings.js';
export * from './elements/events.js';
// Also applies the React 19 JSX types of both tags (`<itty-uploader onitty-upload-success={…}>`).
export type { IttyJsxElements, IttyJsxProps } from './types/jsx.js';
