// Before Lit, as in every element module (ssr.ts); the element's module, which imports this one, calls `loaded()`.
import './ssr.js';
import { LitElement, type PropertyDeclarations } from 'lit';
import type { FormValueMode } from '../controllers/form-controller.js';
import { parseSize } from '../core/units.js';
import type { GetUploadUrl as CoreGetUploadUrl } from '../core/sign.js';
import type { UploaderStrings } from '../strings.js';

export type GetUploadUrl = CoreGetUploadUrl<File>;

const sizeConverter = {
  fromAttribute: (value: string | null) => parseSize(value),
  toAttribute: (value: unknown) => (value == null ? null : String(value)),
};

/**
 * What a page can set on `<itty-uploader>` and style of it: its attributes and properties with their defaults, and
 * the parts, custom properties, host attributes and states its CSS can select. `IttyUploaderElement` extends it with
 * what the element does (its methods, lifecycle and render); the controllers read these settings when they need them.
 *
 * @csspart dropzone - The region that accepts drops; a click on it opens the picker.
 * @csspart prompt - The prompt text inside the drop zone.
 * @csspart browse-button - The button that opens the file picker (the first tab stop).
 * @csspart list - The list of files.
 * @csspart item - One row per file; also `item-queued`, `item-signing`, `item-uploading`, `item-finalizing` (the completion call runs), `item-done`, `item-processing` (beside `item-done`: the File object's `status` is `waiting` or `processing`), `item-error`, `item-canceled`, `item-rejected` (a file that failed a rule), `item-interrupted` (an upload of an earlier visit, with `persist`: choose its file again).
 * @csspart thumbnail - The image preview (images only) or the file-type badge.
 * @csspart name - The file name.
 * @csspart size - The file size.
 * @csspart progress - The progress track (`role="progressbar"`).
 * @csspart progress-bar - The progress fill.
 * @csspart status - The status text.
 * @csspart error - Why a file failed or was rejected, in words (a failed upload's server message follows as a detail).
 * @csspart cancel-button - Cancels an upload in progress.
 * @csspart retry-button - Retries a failed or canceled upload.
 * @csspart remove-button - Removes a file from the list.
 * @csspart page-drop-overlay - With `drop-target="page"`: the page-wide overlay shown while files are dragged over the page (in the top layer; `drag-invalid` on the host when they cannot match `accept`).
 * @csspart move-handle - With `sortable`: the button that moves its row (drag it, or focus it and press ArrowUp / ArrowDown).
 * @csspart pause-button - Pauses an upload in flight.
 * @csspart resume-button - Resumes a paused upload.
 * @csspart summary - The whole list's progress and buttons: shown when the list holds more than one file, or any with `manual`.
 * @csspart summary-progress - The whole list's progress track (`role="progressbar"`).
 * @csspart summary-progress-bar - The whole list's progress fill.
 * @csspart summary-text - "3 of 5 files · 45 MB of 120 MB · about 2 minutes left".
 * @csspart upload-button - With `manual`: uploads the files waiting ("Upload 3 files").
 * @csspart pause-all-button - Pauses every upload in flight.
 * @csspart resume-all-button - Resumes every paused upload.
 * @csspart cancel-all-button - Cancels every upload not finished.
 * @csspart retry-all-button - Retries every failed upload.
 * @csspart clear-button - Removes the uploaded, canceled and rejected rows.
 *
 * @cssprop [--itty-accent=#4f46e5] - Progress, focus and highlight colour (#818cf8 in a dark `color-scheme`).
 * @cssprop [--itty-radius=12px] - Corner radius.
 * @cssprop [--itty-border=#d4d4d8] - Border colour (#3f3f46 in a dark `color-scheme`).
 * @cssprop [--itty-background=#ffffff] - Background colour (#18181b in a dark `color-scheme`).
 * @cssprop [--itty-foreground=#18181b] - Text colour (#f4f4f5 in a dark `color-scheme`).
 * @cssprop [--itty-muted=#5f5f69] - Secondary text colour (#a1a1aa in a dark `color-scheme`).
 * @cssprop [--itty-surface=#f5f5f6] - Background of the drop zone and thumbnails (#202024 in a dark `color-scheme`).
 * @cssprop [--itty-accent-foreground=#fff] - Text on the accent colour, e.g. the browse button (#09090b in a dark `color-scheme`).
 * @cssprop [--itty-success=#15803d] - Colour of finished uploads (#4ade80 in a dark `color-scheme`).
 * @cssprop [--itty-danger=#dc2626] - Error colour (#f87171 in a dark `color-scheme`).
 * @cssprop [--itty-font=system-ui, sans-serif] - Font family.
 * @cssprop [--itty-gap=12px] - Spacing unit.
 * @cssprop [--itty-thumbnail-size=40px] - Size of the thumbnails in the list.
 *
 * @attr {boolean} dragover - Set by the element, for CSS: files are being dragged over it. Also the custom state `:state(dragover)`.
 * @attr {boolean} drag-invalid - Set by the element, for CSS: the dragged files cannot match `accept`. Also `:state(drag-invalid)`.
 * @attr {boolean} uploading - Set by the element, for CSS: an upload is in flight. Also `:state(uploading)`.
 * @attr {boolean} offline - Set by the element, for CSS: the browser is offline; uploads wait for the network. Also `:state(offline)`.
 * @attr {boolean} paused - Set by the element, for CSS: an upload is paused. Also the custom state `:state(paused)`.
 * @attr {string} lang - The global `lang` attribute, on the element or inherited from the nearest ancestor that has one: picks the built-in string pack (loaded on demand); `dir` follows for right-to-left languages.
 * @cssstate dragover - Files are dragged over the element (also the host attribute `dragover`).
 * @cssstate drag-invalid - The dragged files cannot match `accept` (also the host attribute `drag-invalid`).
 * @cssstate uploading - A file is signing or uploading (also the host attribute `uploading`).
 * @cssstate offline - The browser is offline and uploads wait for the network (also the host attribute `offline`).
 * @cssstate paused - An upload is paused (also the host attribute `paused`).
 */
export class UploaderSettings extends LitElement {
  // Attribute names stay literal here: the manifest (custom-elements.json) reads them from this block.
  static override properties: PropertyDeclarations = {
    endpoint: {},
    getUploadUrl: { attribute: false },
    endpointHeaders: { attribute: false },
    withCredentials: { type: Boolean, attribute: 'with-credentials' },
    folder: {},
    accept: {},
    multiple: { type: Boolean },
    maxSize: { attribute: 'max-size', converter: sizeConverter },
    minSize: { attribute: 'min-size', converter: sizeConverter },
    maxFiles: { type: Number, attribute: 'max-files' },
    concurrency: { type: Number },
    retries: { type: Number },
    chunkSize: { attribute: 'chunk-size', converter: sizeConverter },
    parallelChunks: { type: Number, attribute: 'parallel-chunks' },
    stallTimeout: { type: Number, attribute: 'stall-timeout' },
    manual: { type: Boolean },
    disabled: { type: Boolean, reflect: true },
    name: { reflect: true },
    required: { type: Boolean },
    minFiles: { type: Number, attribute: 'min-files' },
    dropTarget: { attribute: 'drop-target' },
    capture: {},
    directory: { type: Boolean },
    allowDuplicates: { type: Boolean, attribute: 'allow-duplicates' },
    guardUnload: { type: Boolean, attribute: 'guard-unload' },
    persist: {},
    formValue: { attribute: 'form-value' },
    strings: { attribute: false },
    completeEndpoint: { attribute: 'complete-endpoint' },
    statusEndpoint: { attribute: 'status-endpoint' },
    sortable: { type: Boolean },
    minWidth: { type: Number, attribute: 'min-width' },
    maxWidth: { type: Number, attribute: 'max-width' },
    minHeight: { type: Number, attribute: 'min-height' },
    maxHeight: { type: Number, attribute: 'max-height' },
    minDuration: { type: Number, attribute: 'min-duration' },
    maxDuration: { type: Number, attribute: 'max-duration' },
    maxTotalSize: { attribute: 'max-total-size', converter: sizeConverter },
    resize: {},
    quality: { type: Number },
    convert: {},
    keepMetadata: { type: Boolean, attribute: 'keep-metadata' },
  };

  /** URL of the app's signing endpoint: `POST`ed `{ filename, folder?, relativePath?, type, size }` per file. Required unless `getUploadUrl` is set. */
  endpoint = '';
  /** Replaces the endpoint request: returns the signed URL (or an `UploadTarget`) for one file. */
  getUploadUrl?: GetUploadUrl;
  /** Extra headers for the endpoint request (e.g. a CSRF token). */
  endpointHeaders: Record<string, string> = {};
  /** Sends cookies to a cross-origin endpoint. */
  withCredentials = false;
  /** Folder passed to the endpoint. */
  folder?: string;
  /** Accepted types, as `<input accept>`: MIME types, wildcards and extensions (`image/*,.pdf`). Enforced on drop and paste too. */
  accept = '';
  /** Allows more than one file. */
  multiple = false;
  /** Largest accepted file: bytes, or text with a unit (`10MB` = 10^6 bytes, `1.5GiB` = 1.5 × 2^30). */
  maxSize?: number | string;
  /** Smallest accepted file (e.g. `1` rejects empty files); same units as `max-size`. */
  minSize?: number | string;
  /** Most files the list may hold. */
  maxFiles?: number;
  /** Files uploading at once. */
  concurrency = 3;
  /** Automatic retries of a transient failure (network, 408, 429, 5xx), with backoff. */
  retries = 3;
  /** Files larger than this are sent as ittybit resumable chunks; unset sends one PUT. Same units as `max-size`. */
  chunkSize?: number | string;
  /** Chunks of one file in flight at once. */
  parallelChunks = 3;
  /** Milliseconds without progress (or without an answer from the endpoint) before a request is retried. */
  stallTimeout = 30000;
  /** Waits for `upload()` instead of starting on selection. */
  manual = false;
  /** Disables picking, dropping, pasting and the buttons. */
  disabled = false;
  /** Form field name. */
  name?: string;
  /** The form is invalid until at least one file is uploaded. */
  required = false;
  /** The form is invalid (`validity.tooShort`) until at least this many files are uploaded. */
  minFiles?: number;
  /** Passed to the file input (`user`, `environment`): opens the camera on mobile. */
  capture?: string;
  /** The picker chooses folders. Dropped folders are always read whole. */
  directory = false;
  /** Accepts a file equal (name, size, lastModified) to one already listed. */
  allowDuplicates = false;
  /** While uploads are in flight, leaving the page asks for confirmation. */
  guardUnload = false;
  /** `page`: files dragged anywhere over the page can be dropped onto this element (a page-wide overlay shows while dragging). Default `self`. */
  dropTarget?: 'self' | 'page';
  /**
   * Keeps the progress of resumable uploads (chunked) in IndexedDB, so that they resume after a reload, a crash or a
   * closed tab: unfinished uploads show as `interrupted` rows, and choosing the same file again sends only the bytes
   * the storage does not hold. `true` (the attribute without a value) keys the records by the page path plus the
   * element's `id` or `name`; a string is the key. Where IndexedDB is unavailable or full, uploads work as without it.
   */
  persist?: boolean | string | null;
  /** What each uploaded file contributes to the form under `name`: its `url`, `id`, or the whole File object as JSON. */
  formValue: FormValueMode = 'url';
  /**
   * Texts over the language's pack (`lang`): any entry of the English table (`itty-uploader/locales/en`), a string with
   * `{placeholders}` or plural forms. Unknown keys and values that are not texts are ignored, with a console warning.
   */
  strings: Partial<UploaderStrings> = {};
  /**
   * Metadata of each file: an object, or a function of the picked file returning one. Sent with the signing request
   * (`meta`), the completion call, and kept in `item.meta`. As ittybit keeps it: at most 32 keys of `[A-Za-z0-9_]{1,32}`,
   * string values of at most 2,048 characters; a file whose metadata breaks these is rejected (reason `custom`).
   */
  meta?: Record<string, string> | ((source: File) => Record<string, string>);
  /**
   * URL the app is told of each stored file at: `POST`ed `{ file, meta?, relativePath? }` after the storage accepted
   * it (the item is `finalizing` meanwhile). A File object in the answer (bare, `{data}` or `{file}`) replaces
   * `item.file`; transient failures are retried; a final failure is the error `complete_failed`, and `retry()` repeats
   * only this call.
   */
  completeEndpoint?: string;
  /**
   * URL template (`{id}` is the File object's URL-encoded `id`) polled with `GET` while a file's File object says
   * `waiting` or `processing`: from 1 s to 30 s apart, for 10 minutes at most, until it is `ready` or `failed`
   * (`itty-upload-processed`).
   */
  statusEndpoint?: string;
  /**
   * The user can reorder the list: each file's row gets a move handle (`part="move-handle"`) to drag, or to focus and
   * move with ArrowUp / ArrowDown (the new place is announced). A user's move fires `change` when it changed the order
   * of `value`; `move()` works with or without it. Rejected rows stay after the files and have no handle.
   */
  sortable = false;
  /** Narrowest accepted image, in pixels (read from the file's header, without decoding it); reason `dimensions`. */
  minWidth?: number;
  /** Widest accepted image, in pixels; reason `dimensions`. An image whose size cannot be read is accepted. */
  maxWidth?: number;
  /** Lowest accepted image, in pixels; reason `dimensions`. */
  minHeight?: number;
  /** Highest accepted image, in pixels; reason `dimensions`. */
  maxHeight?: number;
  /** Shortest accepted video or audio, in seconds (from the file's metadata); reason `duration`. A file whose duration cannot be read is accepted. */
  minDuration?: number;
  /** Longest accepted video or audio, in seconds; reason `duration`. */
  maxDuration?: number;
  /** Most bytes the list's files may hold together, or text with a unit (`2GB`); reason `total-size`. */
  maxTotalSize?: number | string;
  /**
   * An app rule, run after the built-in ones: return a message (sync or in a Promise) to reject the file with reason
   * `custom`, or `null` to accept it. A rule that throws rejects the file ("could not be checked") and logs the error.
   */
  validate?: (source: File) => string | null | undefined | Promise<string | null | undefined>;
  /**
   * Prepares each file right before it is signed, inside the queue's concurrency: return the File or Blob to send, or
   * `null` to send the original. `item.source` stays the file the user chose. A throw or another value ends the item
   * with code `transform_failed` (retry runs it again). Runs before the built-in `resize` / `convert`, which then
   * prepare what it returned.
   */
  transform?: (source: File, ctx: { signal: AbortSignal }) => File | Blob | null | undefined | Promise<File | Blob | null | undefined>;
  /**
   * Scales images down before upload, in a worker, keeping the aspect ratio and applying the EXIF orientation: `2048`
   * (longest side) or `2048x1536` (a box). The result is sent only when smaller. Other text is ignored with a warning.
   */
  resize?: string;
  /** Encoder quality for `resize` / `convert`, 0–1; default 0.85. Other values are ignored with a warning. */
  quality?: number;
  /** Re-encodes images to this type before upload: `image/jpeg`, `image/png` or `image/webp` (where the browser encodes it). */
  convert?: string;
  /** Re-encoded JPEGs keep the original's EXIF block (GPS included), with Orientation set to 1. Off by default: metadata is dropped. */
  keepMetadata?: boolean;
}
