// `itty-uploader/elements`: both element classes and the event classes, defining nothing: for scoped registries,
// other tag names (`IttyUploaderElement.define('my-uploader', registry)`) and subclassing.
export { IttyUploaderElement } from './elements/uploader.js';
export type { FormValueMode, GetUploadUrl } from './elements/uploader.js';
export { IttyFileElement } from './elements/file.js';
export type { IttyFileStrings } from './elements/file.js';
export type { UploaderStrings } from './strings.js';
export * from './events.js';
