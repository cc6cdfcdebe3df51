/**
 * The English words `<itty-uploader>` needs before its words chunk (`elements/words.ts`: the whole table, plural
 * rules, sizes and percents for the language, `strings` merging) is in: copies of `en.ts`'s entries, which stays
 * the one table translators read (test/locales/en-first.test.ts holds them equal). Copies, not imports: a module
 * both the first load and the words chunk import would become a third file the CDN bundle loads at once.
 */

/** What the element shows before any file is added: the drop zone, the list's name, a required field's message. */
export const dropZone = {
  prompt: 'Drop files here, paste, or',
  browse: 'Browse files',
  dropInvalid: 'These files are not accepted here',
  listLabel: 'Uploads',
  valueMissing: 'Please upload a file.',
};

/**
 * A row's buttons and states, and a form's message while uploads are in flight: what they say until the words chunk
 * is in, and for good when it cannot load (offline from a CDN). `{name}` and `{percent}` only: no plural forms, no
 * number formats.
 */
export const rowWords = {
  cancel: 'Cancel {name}',
  retry: 'Retry {name}',
  remove: 'Remove {name}',
  statusQueued: 'Waiting',
  statusPreparing: 'Preparing…',
  statusUploading: '{percent}',
  statusPaused: 'Paused at {percent}',
  statusOffline: 'Waiting for network',
  statusDone: 'Uploaded',
  statusFailed: 'Failed',
  statusCanceled: 'Canceled',
  statusRejected: 'Not added',
  uploadsInProgress: 'Uploads in progress',
};
