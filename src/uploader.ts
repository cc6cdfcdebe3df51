import { IttyUploaderElement } from './elements/uploader.js';

// Importing where there is no DOM (Node, workerd: server rendering) must not throw: define only where custom elements exist.
if (globalThis.customElements) IttyUploaderElement.define();

export { IttyUploaderElement };
export type { FormValueMode, GetUploadUrl } from './elements/uploader.js';
export type { UploaderStrings } from './strings.js';
export * from './events.js';
// Also applies the React 19 JSX types of both tags (`<itty-uploader onitty-upload-success={…}>`).
export type { IttyJsxElements, IttyJsxProps } from './types/jsx.js';
