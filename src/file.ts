import { IttyFileElement } from './elements/file.js';

// Importing in Node (SSR, tests) must not throw: there is no registry to define into there.
if (globalThis.customElements) IttyFileElement.define();

export { IttyFileElement };
export type { IttyFileStrings } from './elements/file.js';
export type { IttyMedia, IttyMediaFile } from './elements/file-media.js';
export { IttyFileErrorEvent, IttyFileLoadEvent } from './events.js';
export type { IttyFile } from './core/types.js';
// Also applies the React 19 JSX types of both tags (`<itty-uploader onitty-upload-success={…}>`).
export type { IttyJsxElements, IttyJsxProps } from './types/jsx.js';
