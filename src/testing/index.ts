/**
 * `itty-uploader/testing`: MSW handlers that play an app's signing endpoint and the storage in memory, for apps
 * that test their own upload forms (Vitest with jsdom or happy-dom, Playwright, Storybook). `msw` (2.x) is an
 * optional peer dependency: install it to use this entry. Imports nothing from `node:*` and defines no element.
 */
export {
  createUploadHandlers,
  type FaultKind,
  type FaultRoute,
  type InjectedFault,
  type UploadHandlers,
  type UploadHandlersFaults,
  type UploadHandlersOptions,
} from './handlers.js';
export type { StoredUpload, StoredVia } from './memory-storage.js';
export type { TestErrorKind } from './errors.js';
export type { IttyFile } from '../core/types.js';
export type { Signature } from '../server/signing.js';
