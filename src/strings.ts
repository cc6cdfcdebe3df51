import { defaultCoreStrings, type CoreStrings } from './core/strings.js';

/**
 * Every text `<itty-uploader>` shows or announces. Set `uploader.strings` to translate any of them. The ones of
 * `CoreStrings` are the `itty-reject` messages and the form's validation messages (`valueMissing`,
 * `uploadsInProgress`), with `{name}`, `{limit}` and `{accept}` filled in.
 */
export interface UploaderStrings extends CoreStrings {
  prompt: string;
  browse: string;
  dropInvalid: string;
  listLabel: string;
  cancel: (name: string) => string;
  retry: (name: string) => string;
  remove: (name: string) => string;
  /** Label of a row's progress bar, which stays after the upload is done: true in either state. */
  progressLabel: (name: string) => string;
  queued: string;
  signing: string;
  uploading: (percent: number) => string;
  paused: string;
  done: string;
  failed: string;
  canceled: string;
  announceStart: (name: string) => string;
  announceProgress: (name: string, percent: number) => string;
  announceDone: (name: string) => string;
  announceFailed: (name: string, message: string) => string;
  announceSummary: (succeeded: number, failed: number) => string;
  leaveWhileUploading: string;
}

export const defaultStrings: UploaderStrings = {
  ...defaultCoreStrings,
  prompt: 'Drop files here, paste, or',
  browse: 'Browse files',
  dropInvalid: 'These files are not accepted here',
  listLabel: 'Uploads',
  cancel: (name) => `Cancel ${name}`,
  retry: (name) => `Retry ${name}`,
  remove: (name) => `Remove ${name}`,
  progressLabel: (name) => `Upload of ${name}`,
  queued: 'Waiting',
  signing: 'Preparing…',
  uploading: (percent) => `${percent}%`,
  paused: 'Paused',
  done: 'Uploaded',
  failed: 'Failed',
  canceled: 'Canceled',
  announceStart: (name) => `Uploading ${name}`,
  announceProgress: (name, percent) => `${name}: ${percent}% uploaded`,
  announceDone: (name) => `${name} uploaded`,
  announceFailed: (name, message) => `${name} failed: ${message}`,
  announceSummary: (succeeded, failed) =>
    failed ? `${succeeded} uploaded, ${failed} failed` : `All ${succeeded} uploaded`,
  leaveWhileUploading: 'Uploads are still in progress. Leave anyway?',
};

/** The whole table: `defaultStrings` with the host's own texts over them. */
export const stringsOf = (strings?: Partial<UploaderStrings>): UploaderStrings => ({ ...defaultStrings, ...strings });
