import { loaded } from './ssr.js';
import { LitElement, adoptStyles, html, nothing, unsafeCSS, type CSSResult, type PropertyDeclarations } from 'lit';
import { UploadController } from '../controllers/upload-controller.js';
import { DropController } from '../controllers/drop-controller.js';
import { FormController, type FormValueMode } from '../controllers/form-controller.js';
import { ListWindowController } from '../controllers/list-window-controller.js';
import { setHostState } from '../controllers/host-states.js';
import { parseSize } from '../core/units.js';
import type { GetUploadUrl as CoreGetUploadUrl } from '../core/sign.js';
import type { IttyFile } from '../core/types.js';
import { readFileList, type PickedFile } from '../browser/data-transfer.js';
import { Thumbnails } from '../browser/thumbnails.js';
import { IttyQueueProgressEvent, IttyRemoveEvent, type QueueProgress, type UploadItem } from '../events.js';
import { WordsController, type Summary } from '../controllers/words-controller.js';
import type { UploaderStrings } from '../strings.js';
import { defineElement } from './define.js';
import { renderRow, type ItemAction, type RowContext } from './rows.js';
import { styles } from './uploader.styles.js';

loaded();

export type { FormValueMode };
export type GetUploadUrl = CoreGetUploadUrl<File>;

/** The list's and the rows' styles, from the words chunk: one style sheet for every element. */
let rowStyles: CSSResult | undefined;

const sizeConverter = {
  fromAttribute: (value: string | null) => parseSize(value),
  toAttribute: (value: unknown) => (value == null ? null : String(value)),
};

/**
 * Chooses files (browse, drop, paste), asks `endpoint` for a signed URL for each one right before
 * sending it, and uploads it straight to storage with live progress.
 *
 * @tag itty-uploader
 * @summary Drop zone, browse button and upload list for direct-to-storage uploads.
 *
 * @slot - The prompt inside the drop zone. Defaults to "Drop files here, paste, or".
 * @slot browse - The browse button's label. Defaults to "Browse files".
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
 * @fires {IttySelectEvent} itty-select - Files were chosen, dropped or pasted; cancel it to drop them.
 * @fires {IttyRejectEvent} itty-reject - A file failed `accept`, the size limits, `max-files`, the duplicate rule, `max-total-size`, the image size or duration limits, or `validate`. Unless canceled, it shows as a `rejected` row and is announced.
 * @fires {IttyUploadStartEvent} itty-upload-start - An item starts signing.
 * @fires {IttyUploadProgressEvent} itty-upload-progress - Bytes were sent (at most once per animation frame per item: every 50 ms at most).
 * @fires {IttyUploadSuccessEvent} itty-upload-success - The storage accepted a file; `detail.file` is the File object. With `complete-endpoint`, once the completion call answered, with the app's File object.
 * @fires {IttyUploadErrorEvent} itty-upload-error - An upload failed for good, after its retries.
 * @fires {IttyUploadCancelEvent} itty-upload-cancel - An upload was canceled.
 * @fires {IttyUploadPauseEvent} itty-upload-pause - An upload was paused.
 * @fires {IttyUploadResumeEvent} itty-upload-resume - A paused upload goes on, or an interrupted one (`persist`) whose file was chosen again.
 * @fires {IttyQueueCompleteEvent} itty-queue-complete - The queue became idle.
 * @fires {IttyRemoveEvent} itty-remove - A `done` file (uploaded now or set through `value`) is about to leave the list by the user's remove button; cancel it to keep the file. Not fired for `remove()` or `clear()` called by code.
 * @fires {IttyUploadProcessedEvent} itty-upload-processed - A stored file's processing ended: its File object's `status` is `ready` or `failed` (`status-endpoint` or `updateFile()`).
 * @fires {IttyQueueProgressEvent} itty-queue-progress - The whole list's progress moved (`progress`): at most once per 50 ms tick, and when a file's status changes.
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
 *
 * @fires {Event} change - `value` changed by the user or the file lifecycle (a file finished uploading, an uploaded file was removed, a File object was replaced by `updateFile()` or `status-endpoint`), not by setting `value`; bubbles and is composed.
 */
export class IttyUploaderElement extends LitElement {
  static override styles = styles;
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static formAssociated = true;
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

  /** Defines the element as `tag` (default `itty-uploader`) in `registry` (default the global one), unless the tag is taken there. */
  static define(tag = 'itty-uploader', registry: CustomElementRegistry = customElements): typeof IttyUploaderElement {
    defineElement(this, tag, registry);
    return this;
  }

  // DOM emulations lack attachInternals (happy-dom) or some of its members (jsdom): each is used only where it exists,
  // and without them the element works as one outside any form.
  readonly #internals?: ElementInternals = this.attachInternals?.();
  readonly #thumbnails = new Thumbnails(this);
  // The form's value and validity are current for whoever hears of a change (a `change` or `itty-queue-complete`
  // listener that submits the form), not only after the next render.
  // Every word besides the drop zone's, and the list's styles, are a chunk that starts loading on connect.
  readonly #lang = new WordsController(this, () => import('./words.js'));
  readonly #words = this.#lang.words;
  readonly #uploads = new UploadController(this, this.#words, () => this.#form.sync());
  readonly #form = new FormController(this, this.#internals, this.#words);
  readonly #drop = new DropController(this, {
    off: () => this.#off,
    add: (picked) => this.#add(picked),
    state: (name, on) => this.#state(name, on),
  });
  readonly #list = new ListWindowController(this);
  #rowsStyled = false;
  /** The summary and the whole list's progress: from the words chunk, once it is in. */
  #summary?: Summary;

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
  /** A row's move handle (none when not `sortable`), once the code that moves rows is in: a chunk loaded when `sortable` is first set. */
  #handle?: RowContext['handle'];
  #sorter?: Promise<unknown>;
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

  /** The list of files: one `UploadItem` per file, a union on `status`. */
  get items(): readonly UploadItem[] {
    return this.#uploads.items;
  }

  /**
   * The File objects of the uploaded files, in list order. Setting it (an edit form's stored files) replaces the list
   * with `done` rows of those files, and is the value a form's reset restores; anything but an array of File objects
   * is refused with a console error.
   */
  get value(): IttyFile[] {
    return this.#uploads.value;
  }

  set value(files: IttyFile[]) {
    this.#uploads.adopt(files);
  }

  /**
   * The whole list's progress: `loaded` and `total` bytes of the files of the current batch (those unfinished and
   * those uploaded since the list was last idle), `bytesPerSecond` smoothed over the last seconds, and `secondsLeft`
   * (`null` while unknown: nothing sent yet, paused, offline). As of the last progress tick or render.
   */
  get progress(): QueueProgress {
    return this.#summary?.progress ?? { loaded: 0, total: 0, bytesPerSecond: 0, secondsLeft: null };
  }

  /** The form the element belongs to. */
  get form(): HTMLFormElement | null {
    return this.#internals?.form ?? null;
  }

  /** The `<label>`s of the element, as a native control's `labels`. */
  get labels(): NodeList {
    return this.#internals?.labels ?? this.ownerDocument.querySelectorAll(':not(*)');
  }

  /** The form validates the element when it is submitted (not when disabled). */
  get willValidate(): boolean {
    return this.#internals?.willValidate ?? false;
  }

  get validity(): ValidityState {
    return this.#internals?.validity ?? ({ valid: true } as ValidityState);
  }

  get validationMessage(): string {
    return this.#internals?.validationMessage ?? '';
  }

  checkValidity(): boolean {
    return this.#internals?.checkValidity?.() ?? true;
  }

  reportValidity(): boolean {
    return this.#internals?.reportValidity?.() ?? true;
  }

  /** As a native control's: a non-empty message makes the element invalid (`customError`) until set back to `''`. */
  setCustomValidity(message: string): void {
    this.#form.setCustomValidity(message);
  }

  constructor() {
    super();
    // A `value` set before the element was defined (a framework setting the property before a late script tag) is an
    // own property hiding the accessor: Lit takes over its reactive properties so, this one is taken here.
    if (Object.hasOwn(this, 'value')) {
      const files = this.value;
      delete (this as { value?: unknown }).value;
      this.value = files;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in a page (moved): leaving it revoked the previews' URLs, so render them anew.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#thumbnails.keep([]);
  }

  /** Adds files as if the user had picked them: `itty-select`, validation (`itty-reject`), then upload unless `manual`. */
  addFiles(files: Iterable<File> | FileList): UploadItem[] {
    return this.#add(readFileList(files));
  }

  /** Starts every queued file (what selection does by itself unless `manual`). */
  upload(): void {
    this.#uploads.upload();
  }

  /** Cancels one upload, or all with no id. */
  cancel(id?: string): void {
    this.#uploads.cancel(id);
  }

  /** Retries one failed or canceled upload, or all with no id. */
  retry(id?: string): void {
    this.#uploads.retry(id);
  }

  /**
   * Pauses one upload, or all with no id. A chunked upload keeps what the storage acknowledged; a single PUT
   * starts again from 0 when resumed.
   */
  pause(id?: string): void {
    this.#uploads.pause(id);
  }

  /** Resumes one paused upload, or all with no id: a chunked upload sends only the chunks not yet acknowledged. */
  resume(id?: string): void {
    this.#uploads.resume(id);
  }

  /**
   * Removes the file `id` from the list, canceling it when in flight.
   * With no id it is `Element.remove()`: the element leaves the DOM.
   */
  override remove(id?: string): void {
    if (id === undefined) super.remove();
    else this.#uploads.remove(id);
  }

  /**
   * Moves the file `id` to `toIndex` (0-based, clamped) of the list, `sortable` or not; the others keep their order, and
   * so do `value`, the form's entries and `itty-queue-complete`'s `succeeded`. Fires no `change` (a user's move does).
   * Rejected rows stay after the files: their ids are not moved.
   */
  move(id: string, toIndex: number): void {
    this.#uploads.move(id, toIndex);
  }

  /** Empties the list, canceling uploads in flight. */
  clear(): void {
    this.#uploads.clear();
  }

  /**
   * Replaces the File object of the done file `id` (e.g. after the app heard from a webhook): fires `change`, and
   * `itty-upload-processed` when its `status` is `ready` or `failed`.
   */
  updateFile(id: string, file: IttyFile): void {
    this.#uploads.updateFile(id, file);
  }

  /** Opens the file picker. */
  browse(): void {
    if (!this.#off) this.renderRoot.querySelector('input')?.click();
  }

  formResetCallback(): void {
    this.#uploads.reset();
  }

  // The state the form controller saved (the File objects as JSON) after back/forward navigation.
  formStateRestoreCallback(state: unknown): void {
    try {
      if (typeof state == 'string') this.#uploads.adopt(JSON.parse(state), false);
    } catch {}
  }

  // Not `this.disabled = …`: a reflected attribute would outlive the fieldset, like an author's own one.
  formDisabledCallback(disabled: boolean): void {
    this.#form.disabled = disabled;
    this.requestUpdate();
  }

  /**
   * Also waits for the words of rows, rejections and announcements (a chunk the element starts loading when it
   * connects), and the render they bring: after it, every text is in the element's words.
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    await this.#lang.ready;
    return super.getUpdateComplete();
  }

  protected override willUpdate(): void {
    // The words chunk brought the rows' styles: adopted beside the element's own, before any row renders with them.
    const rowCss = this.#lang.rowCss;
    if (rowCss && !this.#rowsStyled && this.shadowRoot) {
      this.#rowsStyled = true;
      adoptStyles(this.shadowRoot, [...(this.constructor as typeof IttyUploaderElement).elementStyles, (rowStyles ??= unsafeCSS(rowCss))]);
    }
    if (this.sortable) this.#sorter ??= import('./sortable.js').then((m) => (this.#handle = m.sorter(this, this.#uploads, html)));
    this.#summary ??= this.#lang.chunk?.summary(this, {
      html,
      nothing,
      ProgressEvent: IttyQueueProgressEvent,
      RemoveEvent: IttyRemoveEvent,
      state: (name, on) => this.#state(name, on),
    });
    this.#state('uploading', this.#uploads.busy);
    this.#state('offline', this.#uploads.offline);
    // The page-wide drop is a chunk, loaded the first time it is asked for; once added to an element, it follows `dropTarget`.
    if (this.dropTarget == 'page') import('../controllers/page-drop.js').then((m) => m.pageDrop(this, this.#words));
  }

  /** Disabled itself, or by a disabled fieldset (as a native input: `disabled` stays false then; `:disabled` matches). */
  get #off(): boolean {
    return this.disabled || !!this.#form.disabled;
  }

  #state(name: string, on: boolean) {
    setHostState(this, this.#internals?.states, name, on);
  }

  #add(picked: PickedFile[]): UploadItem[] {
    // The words of the rejections are those of the `lang` now, though no render has read it yet.
    this.#lang.read();
    return this.#off ? [] : this.#uploads.add(picked);
  }

  #onInputChange = (event: Event) => {
    const input = event.target as HTMLInputElement;
    if (input.files) this.#add(readFileList(input.files));
    input.value = '';
  };

  // Also the browse button's click (or Enter/Space on it), which bubbles up here.
  #onDropzoneClick = () => this.browse();

  // The pressed button goes away (cancel and retry swap places, a removed row leaves): focus stays in the row,
  // or moves to the next one, else to the browse button.
  #onAction = (action: ItemAction, id: string) => {
    const index = this.items.findIndex((item) => item.id === id);
    const item = this.items[index];
    if (action == 'remove' && item?.status == 'done' && !this.dispatchEvent(new IttyRemoveEvent({ item }))) return;
    this[action](id);
    void this.updateComplete.then(() => {
      const next = this.renderRoot.querySelector<HTMLButtonElement>(`[aria-posinset="${Math.min(index + 1, this.items.length)}"] button`);
      (next ?? this.renderRoot.querySelector<HTMLButtonElement>('[part=browse-button]'))?.focus();
    });
  };

  protected override render() {
    const t = this.#words;
    const items = this.items;
    const shown: UploadItem[] = [];
    const row = {
      words: t,
      off: this.#off,
      offline: this.#uploads.offline,
      count: items.length,
      thumbnails: this.#thumbnails,
      action: this.#onAction,
      handle: this.#handle,
      more: this.#summary?.rowButton,
    };
    const rows = this.#list.render(items, (item, index) => renderRow(item, index, row), shown);
    this.#thumbnails.keep(shown.map((item) => item.source!));
    // The list takes focus itself (tabindex -1: no tab stop) from a click on a row: with delegatesFocus, the browse
    // button would get it, and Chromium and WebKit would scroll the page back up to it.
    return html`
      <div part="dropzone" class="dropzone" @click=${this.#onDropzoneClick}>
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" /></svg>
        <span part="prompt" class="prompt">
          ${this.#drop.invalid ? t('dropInvalid') : html`<slot>${t('prompt')}</slot>`}
        </span>
        <button part="browse-button" type="button" ?disabled=${this.#off}>
          <slot name="browse">${t('browse')}</slot>
        </button>
        <input
          type="file"
          tabindex="-1"
          aria-hidden="true"
          hidden
          accept=${this.accept || nothing}
          capture=${this.capture || nothing}
          ?multiple=${this.multiple}
          ?webkitdirectory=${this.directory}
          @change=${this.#onInputChange}
        />
      </div>
      ${this.#summary?.render(this.#lang, this.#off)}
      ${items.length ? html`<ul part="list" aria-label=${t('listLabel')} tabindex="-1">${rows}</ul>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.#uploads.announcement}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'itty-uploader': IttyUploaderElement;
  }
}
