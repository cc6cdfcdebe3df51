import type { Message } from './types.js';

/**
 * Every word `<itty-uploader>` shows or announces, in English: the single source of keys for every pack.
 * `{name}` and the other placeholders are filled in; sizes, numbers, percents and durations arrive already
 * formatted for the language. A plural message picks its form by `{count}` (Intl.PluralRules).
 */
const en = {
  // The drop zone
  prompt: 'Drop files here, paste, or',
  browse: 'Browse files',
  dropInvalid: 'These files are not accepted here',
  pageDropOverlay: 'Drop files to upload',
  listLabel: 'Uploads',

  // Row buttons and labels
  cancel: 'Cancel {name}',
  retry: 'Retry {name}',
  remove: 'Remove {name}',
  pause: 'Pause {name}',
  resume: 'Resume {name}',
  move: 'Move {name}',
  progressLabel: 'Upload of {name}',

  // Row status
  statusQueued: 'Waiting',
  statusPreparing: 'Preparing…',
  statusUploading: '{percent}',
  statusPaused: 'Paused at {percent}',
  statusOffline: 'Waiting for network',
  statusFinalizing: 'Finalizing',
  statusProcessing: 'Processing',
  statusDone: 'Uploaded',
  statusFailed: 'Failed',
  statusCanceled: 'Canceled',
  statusRejected: 'Not added',
  statusInterrupted: 'Choose this file again to resume',
  restartedFromStart: 'This upload cannot resume: it starts again from the beginning.',

  // Why a file was not added (the `itty-reject` reasons)
  rejectType: '{name} is not an accepted file type ({accept}).',
  rejectTooLarge: '{name} is too large: the limit is {limit}.',
  rejectTooSmall: '{name} is too small: the minimum is {limit}.',
  rejectCount: {
    one: '{name} was not added: only one file is allowed.',
    other: '{name} was not added: at most {count} files are allowed.',
  },
  rejectDuplicate: '{name} is already in the list.',
  rejectTooNarrow: '{name} is {width} pixels wide: the minimum is {limit}.',
  rejectTooWide: '{name} is {width} pixels wide: the limit is {limit}.',
  rejectTooShort: '{name} is {height} pixels high: the minimum is {limit}.',
  rejectTooTall: '{name} is {height} pixels high: the limit is {limit}.',
  rejectDurationShort: '{name} lasts {duration}: the minimum is {limit}.',
  rejectDurationLong: '{name} lasts {duration}: the limit is {limit}.',
  rejectTotalSize: '{name} was not added: all files together may be at most {limit}.',
  rejectCustom: '{name}: {message}',
  rejectCheckFailed: '{name} could not be checked, so it was not added.',

  // What went wrong (one per `UploadError` code); the server's own message may follow as a detail
  errorSignFailed: 'The upload could not be started.',
  errorInvalidTarget: 'The upload address is not valid.',
  errorUploadFailed: 'The storage refused the file.',
  errorNetwork: 'The connection was lost.',
  errorTimeout: 'The upload stopped responding.',
  errorExpired: 'The upload link expired.',
  errorAborted: 'The upload was stopped.',
  errorInvalidResponse: 'The storage sent an answer that could not be read.',
  errorRejected: 'The file was refused.',
  errorCompleteFailed: 'The file was uploaded but could not be saved.',
  errorTransformFailed: 'The file could not be prepared for upload.',
  errorUnavailable: 'Part of the uploader could not be loaded.',
  errorSessionLost: 'The storage lost the upload, so it started again.',

  // The summary
  summaryLabel: 'Overall progress',
  summaryFiles: { one: '{done} of {count} file', other: '{done} of {count} files' },
  summaryBytes: '{loaded} of {total}',
  summarySpeed: '{size}/s',
  summaryTimeLeft: 'about {duration} left',
  summaryFailed: { one: '{count} failed', other: '{count} failed' },
  uploadFiles: { one: 'Upload {count} file', other: 'Upload {count} files' },
  pauseAll: 'Pause all',
  resumeAll: 'Resume all',
  cancelAll: 'Cancel all',
  retryFailed: 'Retry failed',
  clearFinished: 'Clear finished',

  // Announcements for screen readers
  announceStart: 'Uploading {name}',
  announceProgress: '{name}: {percent} uploaded',
  announceDone: '{name} uploaded',
  announceFailed: '{name} failed: {reason}',
  announceRejected: '{name} was not added: {reason}',
  announcePaused: '{name} paused',
  announceResumed: '{name} resumed',
  announceMoved: '{name} moved to position {position} of {total}',
  announceAllDone: { one: '{count} file uploaded', other: 'All {count} files uploaded' },
  announceSummary: '{succeeded} uploaded, {failed} failed',

  // Forms
  valueMissing: 'Please upload a file.',
  tooFewFiles: { one: 'Please upload at least {count} file.', other: 'Please upload at least {count} files.' },
  uploadsInProgress: 'Uploads in progress',
  uploadFirst: 'Upload the selected files first',
  leaveWhileUploading: 'Uploads are still in progress. Leave anyway?',
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof en;
export type Pack = { readonly [K in MessageKey]?: Message };
export default en;
