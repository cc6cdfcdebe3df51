import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { UploadController } from '../controllers/upload-controller.js';
import { displayName, isInFlight, isUnfinished, percentOf } from '../core/items.js';
import { createSigner, type GetUploadUrl as CoreGetUploadUrl } from '../core/sign.js';
import { formatSize, parseSize } from '../core/units.js';
import { acceptCouldMatch, formValidity, validateFiles } from '../core/validate.js';
import type { IttyFile } from '../core/types.js';
import { xhrTransport } from '../browser/xhr-transport.js';
import { draggedTypes, readDataTransfer, readFileList, type PickedFile } from '../browser/data-transfer.js';
import { Thumbnails } from '../browser/thumbnails.js';
import { whenOnline } from '../browser/network.js';
import { measureImage } from '../browser/image-size.js';
import { IttyRejectEvent, IttySelectEvent, type UploadItem } from './events.js';
import { defaultStrings, type UploaderStrings } from './uploader-strings.js';
import { styles } from './uploader.styles.js';

export type FormValueMode = 'url' | 'id' | 'json';
export type GetUploadUrl = CoreGetUploadUrl<File>;

const sizeConverter = {
  fromAttribute: (value: string | null) => parseSize(value),
  toAttribute: (value: unknown) => (value == null ? null : String(value)),
};

const inFlight = (item: UploadItem) => isInFlight(item.status);
/** Queued or in flight: not settled yet. */
const unfinished = (item: UploadItem) => isUnfinished(item.status);

/** The place of a rendered row in the list (0-based). */
const indexOfRow = (row?: Element | null) => (row ? +row.getAttribute('aria-posinset')! - 1 : undefined);

type ItemAction = 'cancel' | 'retry' | 'remove';


/** Lists up to this long render every row; longer ones only the blocks of rows near the viewport. */
const FULL_LIST = 100;
/**
 * Rows of a long list come in blocks: a block near the viewport (or holding focus) renders its rows, any other one
 * nothing, and spacers stand for the rows between. Each block keeps its slot among its siblings, so a row's DOM
 * always shows the same file and focus never jumps.
 */
const BLOCK = 10;
/** Rows beyond each edge of the viewport that are rendered too, so Tab always finds the next row's buttons. */
const OVERSCAN = 3;

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
 * @csspart item - One row per file; also `item-queued`, `item-signing`, `item-uploading`, `item-done`, `item-error`, `item-canceled`.
 * @csspart thumbnail - The image preview (images only) or the file-type badge.
 * @csspart name - The file name.
 * @csspart size - The file size.
 * @csspart progress - The progress track (`role="progressbar"`).
 * @csspart progress-bar - The progress fill.
 * @csspart status - The status text.
 * @csspart error - The error message of a failed file.
 * @csspart cancel-button - Cancels an upload in progress.
 * @csspart retry-button - Retries a failed or canceled upload.
 * @csspart remove-button - Removes a file from the list.
 *
 * @cssprop [--itty-accent=#4f46e5] - Progress, focus and highlight colour (#818cf8 when the user prefers dark).
 * @cssprop [--itty-radius=12px] - Corner radius.
 * @cssprop [--itty-border=#d4d4d8] - Border colour (#3f3f46 when the user prefers dark).
 * @cssprop [--itty-background=#ffffff] - Background colour (#18181b when the user prefers dark).
 * @cssprop [--itty-foreground=#18181b] - Text colour (#f4f4f5 when the user prefers dark).
 * @cssprop [--itty-muted=#5f5f69] - Secondary text colour (#a1a1aa when the user prefers dark).
 * @cssprop [--itty-surface=#f5f5f6] - Background of the drop zone and thumbnails (#202024 when the user prefers dark).
 * @cssprop [--itty-accent-foreground=#fff] - Text on the accent colour, e.g. the browse button (#09090b when the user prefers dark).
 * @cssprop [--itty-success=#15803d] - Colour of finished uploads (#4ade80 when the user prefers dark).
 * @cssprop [--itty-danger=#dc2626] - Error colour (#f87171 when the user prefers dark).
 * @cssprop [--itty-font=system-ui, sans-serif] - Font family.
 * @cssprop [--itty-gap=12px] - Spacing unit.
 * @cssprop [--itty-thumbnail-size=40px] - Size of the thumbnails in the list.
 *
 * @fires {IttySelectEvent} itty-select - Files were chosen, dropped or pasted; cancel it to drop them.
 * @fires {IttyRejectEvent} itty-reject - A file failed `accept`, the size limits, `max-files` or the duplicate rule.
 * @fires {IttyUploadStartEvent} itty-upload-start - An item starts signing.
 * @fires {IttyUploadProgressEvent} itty-upload-progress - Bytes were sent (at most once per animation frame per item: every 50 ms at most).
 * @fires {IttyUploadSuccessEvent} itty-upload-success - The storage accepted a file; `detail.file` is the File object.
 * @fires {IttyUploadErrorEvent} itty-upload-error - An upload failed for good, after its retries.
 * @fires {IttyUploadCancelEvent} itty-upload-cancel - An upload was canceled.
 * @fires {IttyQueueCompleteEvent} itty-queue-complete - The queue became idle.
 * @fires {Event} change - `value` changed (a file finished uploading, or an uploaded file was removed).
 *
 * @attr {boolean} dragover - Set by the element, for CSS: files are being dragged over it. Also the custom state `:state(dragover)`.
 * @attr {boolean} drag-invalid - Set by the element, for CSS: the dragged files cannot match `accept`. Also `:state(drag-invalid)`.
 * @attr {boolean} uploading - Set by the element, for CSS: an upload is in flight. Also `:state(uploading)`.
 * @cssstate dragover - Files are being dragged over the element (as the `dragover` attribute).
 * @cssstate drag-invalid - The dragged files cannot match `accept` (as the `drag-invalid` attribute).
 * @cssstate uploading - An upload is in flight (as the `uploading` attribute).
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
    capture: {},
    directory: { type: Boolean },
    allowDuplicates: { type: Boolean, attribute: 'allow-duplicates' },
    guardUnload: { type: Boolean, attribute: 'guard-unload' },
    formValue: { attribute: 'form-value' },
    strings: { attribute: false },
  };

  /** Defines the element under `tag` (default `itty-uploader`) unless that tag is already taken. */
  static define(tag = 'itty-uploader', registry: CustomElementRegistry = customElements): typeof IttyUploaderElement {
    if (!registry.get(tag)) registry.define(tag, this);
    return this;
  }

  readonly #internals: ElementInternals = this.attachInternals();
  readonly #thumbnails = new Thumbnails();
  readonly #uploads = new UploadController(this, {
    sign: createSigner({
      endpoint: () => this.endpoint,
      getUploadUrl: () => this.getUploadUrl,
      headers: () => this.endpointHeaders,
      withCredentials: () => this.withCredentials,
      folder: () => this.folder,
      baseUrl: () => document.baseURI,
    }),
    transport: xhrTransport,
    whenOnline,
    measureImage,
    strings: () => this.#strings,
    // Milestones of one moment (a file done and the next one starting, or failing) are all said, not only the last.
    announce: (text) => {
      this.#announcement = this.#announcing ? `${this.#announcement} ${text}` : text;
      this.#announcing = true;
      this.requestUpdate();
    },
    // The form's value and validity are current for whoever hears of a change (a `change` or `itty-queue-complete`
    // listener that submits the form), not only after the next render.
    changed: () => this.#syncForm(),
  });
  /** The elements a file drag is over (entered, not left yet), the host's own and its shadow root's. */
  readonly #dragTargets = new Set<EventTarget>();
  #formDisabled = false;
  #announcement = '';
  /** Texts were announced since the last render: more are added to them. */
  #announcing = false;
  /** In a long list, the rows [first, last) that are rendered (whole blocks); the others are spacers. Unmeasured: [0, 0]. */
  #window = [0, 0];
  /** Measured distance between rows (row + gap) of a long list. */
  #pitch = 72;
  #measureFrame = 0;

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

  /** Passed to the file input (`user`, `environment`): opens the camera on mobile. */
  capture?: string;

  /** The picker chooses folders. Dropped folders are always read whole. */
  directory = false;

  /** Accepts a file equal (name, size, lastModified) to one already listed. */
  allowDuplicates = false;

  /** While uploads are in flight, leaving the page asks for confirmation. */
  guardUnload = false;

  /** What each uploaded file contributes to the form under `name`: its `url`, `id`, or the whole File object as JSON. */
  formValue: FormValueMode = 'url';

  /** Every visible or announced text, for translation. */
  strings: Partial<UploaderStrings> = {};

  /** The list of files: one `UploadItem` per file, a union on `status`. */
  get items(): readonly UploadItem[] {
    return this.#uploads.items;
  }

  /** The File objects of the uploaded files, in list order. */
  get value(): IttyFile[] {
    return this.items.flatMap((item) => (item.status === 'done' ? [item.file] : []));
  }

  get form(): HTMLFormElement | null {
    return this.#internals.form;
  }

  get validity(): ValidityState {
    return this.#internals.validity;
  }

  get validationMessage(): string {
    return this.#internals.validationMessage;
  }

  checkValidity(): boolean {
    return this.#internals.checkValidity();
  }

  reportValidity(): boolean {
    return this.#internals.reportValidity();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('paste', this.#onPaste);
    this.addEventListener('dragenter', this.#onDragEnter);
    this.addEventListener('dragover', this.#onDragOver);
    this.addEventListener('dragleave', this.#onDragLeave);
    this.addEventListener('drop', this.#onDrop);
    window.addEventListener('beforeunload', this.#onBeforeUnload);
    // Capturing on window also hears the scrolling of any ancestor.
    window.addEventListener('scroll', this.#onViewportChange, { capture: true, passive: true });
    window.addEventListener('resize', this.#onViewportChange);
    // Also a list shown again (display: none before) on a page scrolled meanwhile: no scroll, no resize.
    this.#resizes.observe(this);
    // A page's first number format loads the locale's data (~40 ms in Chromium): do that while idle, not when files arrive.
    (window.requestIdleCallback ?? setTimeout)(() => formatSize(1));
    // Back in a page (moved): leaving it revoked the previews' URLs, so render them anew.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('beforeunload', this.#onBeforeUnload);
    window.removeEventListener('scroll', this.#onViewportChange, { capture: true });
    window.removeEventListener('resize', this.#onViewportChange);
    this.#resizes.disconnect();
    this.#thumbnails.keep([]);
  }

  /** Adds files as if the user had picked them: `itty-select`, validation (`itty-reject`), then upload unless `manual`. */
  addFiles(files: Iterable<File> | FileList): UploadItem[] {
    return this.#add(readFileList(files));
  }

  /** Starts every queued file (what selection does by itself unless `manual`). */
  upload(): void {
    this.#uploads.queue.upload();
  }

  /** Cancels one upload, or all with no id. */
  cancel(id?: string): void {
    this.#uploads.queue.cancel(id);
  }

  /** Retries one failed or canceled upload, or all with no id. */
  retry(id?: string): void {
    this.#uploads.queue.retry(id);
  }

  /**
   * Removes the file `id` from the list, canceling it when in flight.
   * With no id it is `Element.remove()`: the element leaves the DOM.
   */
  override remove(id?: string): void {
    if (id === undefined) return super.remove();
    const wasDone = this.items.some((item) => item.id === id && item.status === 'done');
    this.#uploads.queue.remove(id);
    if (wasDone) this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  /** Empties the list, canceling uploads in flight. */
  clear(): void {
    const hadValue = this.value.length > 0;
    this.#uploads.queue.clear();
    if (hadValue) this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  /** Opens the file picker. */
  browse(): void {
    if (!this.#off) this.renderRoot.querySelector('input')?.click();
  }

  formResetCallback(): void {
    this.clear();
  }

  // Not `this.disabled = …`: a reflected attribute would outlive the fieldset, like an author's own one.
  formDisabledCallback(disabled: boolean): void {
    this.#formDisabled = disabled;
    this.requestUpdate();
  }

  protected override willUpdate(): void {
    // Cheap enough for every update; uploads already running keep their settings, later steps use these.
    this.#uploads.queue.configure({
      concurrency: Math.max(1, this.concurrency || 1),
      retries: Math.max(0, this.retries ?? 0),
      chunkSize: parseSize(this.chunkSize),
      parallelChunks: Math.max(1, this.parallelChunks || 1),
      autoStart: !this.manual,
      stallTimeout: Math.max(1000, this.stallTimeout || 30000),
    });
    this.#syncForm();
    this.toggleAttribute('uploading', this.items.some(inFlight));
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.#announcing = false;
    this.#onViewportChange();
  }

  // Measured in the next frame, when layout is clean anyway: measuring right after a render would force it.
  #onViewportChange = () => {
    if (this.items.length > FULL_LIST && !this.#measureFrame) {
      this.#measureFrame = requestAnimationFrame(() => {
        this.#measureFrame = 0;
        this.#measureWindow();
      });
    }
  };

  readonly #resizes = new ResizeObserver(this.#onViewportChange);

  // Rows are about equally tall, so the rows in view follow from a rendered row's place and the distance between rows.
  #measureWindow() {
    const rows = this.renderRoot.querySelectorAll<HTMLElement>('.item');
    const count = this.items.length;
    if (count <= FULL_LIST || rows.length < 2) return;
    const [first, last] = this.#window;
    const [a, b] = [rows[0]!, rows[rows.length - 1]!];
    // Rects, not offsetTop/offsetHeight: those are rounded, and a rounding error adds up over many spacers.
    const { top: firstTop, height } = a.getBoundingClientRect();
    const pitch = (b.getBoundingClientRect().top - firstTop) / (indexOfRow(b)! - indexOfRow(a)!);
    // Not laid out (display: none, or not in the document): nothing to measure.
    if (!(pitch > 0)) return;
    const top = indexOfRow(a)! - firstTop / pitch;
    // At least two rows of the list stay rendered (the next measurement needs them), however far it is scrolled
    // past, and at least one block when far below it: else each frame would render again.
    const from = Math.max(0, Math.floor(Math.min(top - OVERSCAN, count - 2) / BLOCK) * BLOCK);
    const to = Math.max(from + BLOCK, Math.ceil((top + innerHeight / pitch + OVERSCAN) / BLOCK) * BLOCK);
    // The spacers' height follows these (CSS), with no render.
    const list = rows[0]!.parentElement!;
    list.style.setProperty('--_row', `${height}px`);
    list.style.setProperty('--_pitch', `${pitch}px`);
    this.#pitch = pitch;
    // Render again when rows in view are missing, or more than a block beyond them is rendered on either side.
    if (from < first || to > last || from - first > BLOCK || last - to > BLOCK) {
      this.#window = [from, to];
      this.requestUpdate();
    }
  }

  get #strings(): UploaderStrings {
    return { ...defaultStrings, ...this.strings };
  }

  #syncForm() {
    const files = this.value;
    const data = new FormData();
    if (this.name) {
      for (const file of files) {
        const entry = this.formValue === 'json' ? JSON.stringify(file) : this.formValue === 'id' ? file.id ?? file.url : file.url;
        data.append(this.name, entry);
      }
    }
    this.#internals.setFormValue(files.length ? data : null);
    const { flags, message } = formValidity({
      required: this.required,
      uploaded: files.length,
      inFlight: this.items.filter(unfinished).length,
      strings: this.strings,
    });
    this.#internals.setValidity(flags, message, this.renderRoot?.querySelector?.('[part=browse-button]') ?? undefined);
  }

  #add(picked: PickedFile[]): UploadItem[] {
    if (this.#off || picked.length === 0) return [];
    const sources = picked.map((p) => p.source);
    if (!this.#emit(new IttySelectEvent({ files: [...sources] }))) return [];
    // Without `multiple` the element holds one file, like <input type=file>: a new pick replaces it.
    // Every listed file counts, failed and canceled ones too (SPEC: "in the list"): Retry would send them again.
    const existing = this.multiple ? this.items : [];
    const { accepted, rejected } = validateFiles(sources, {
      accept: this.accept,
      minSize: parseSize(this.minSize),
      maxSize: parseSize(this.maxSize),
      maxFiles: this.maxFiles,
      multiple: this.multiple,
      allowDuplicates: this.allowDuplicates,
      existing: existing.map((item) => item.source),
      strings: this.strings,
    });
    for (const rejection of rejected) this.#emit(new IttyRejectEvent(rejection as IttyRejectEvent['detail']));
    if (!accepted.length) return [];
    if (!this.multiple && this.items.length) this.clear();
    const keep = new Set(accepted);
    return this.#uploads.queue.add(picked.filter((p) => keep.has(p.source)));
  }

  // Dispatching through here keeps the manifest analyzer from listing an extra nameless event.
  #emit(event: Event): boolean {
    return this.dispatchEvent(event);
  }

  #onInputChange = (event: Event) => {
    const input = event.target as HTMLInputElement;
    if (input.files) this.#add(readFileList(input.files));
    input.value = '';
  };

  #onPaste = (event: ClipboardEvent) => {
    if (this.#off || !event.clipboardData?.files.length) return;
    event.preventDefault();
    void readDataTransfer(event.clipboardData).then((picked) => this.#add(picked));
  };

  #onDragEnter = (event: DragEvent) => {
    if (this.#off || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.#dragTargets.add(event.composedPath()[0]!);
    this.#setDrag(true, !acceptCouldMatch(draggedTypes(event.dataTransfer), this.accept));
  };

  #onDragOver = (event: DragEvent) => {
    if (this.#off || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = this.#dragInvalid ? 'none' : 'copy';
  };

  // dragleave also fires when crossing into a child, so track what was entered and left instead. An element a
  // render removed under the pointer (the prompt's slot when drag-invalid swaps it) gets its dragleave where the
  // host never hears it: it no longer counts.
  #onDragLeave = (event: DragEvent) => {
    const targets = this.#dragTargets;
    targets.delete(event.composedPath()[0]!);
    for (const target of targets) if (!(target as Node).isConnected) targets.delete(target);
    if (!targets.size) this.#setDrag(false);
  };

  #onDrop = (event: DragEvent) => {
    if (this.#off || !event.dataTransfer) return;
    event.preventDefault();
    this.#dragTargets.clear();
    this.#setDrag(false);
    void readDataTransfer(event.dataTransfer).then((picked) => this.#add(picked));
  };

  // The host attributes are the drag state: the styles read them, and so does render().
  #setDrag(over: boolean, invalid = false) {
    this.toggleAttribute('dragover', over);
    this.toggleAttribute('drag-invalid', invalid);
    this.requestUpdate();
  }

  /** Disabled itself, or by a disabled fieldset (as a native input: `disabled` stays false then; `:disabled` matches). */
  get #off() {
    return this.disabled || this.#formDisabled;
  }

  get #dragInvalid() {
    return this.hasAttribute('drag-invalid');
  }

  #onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!this.guardUnload || !this.items.some(inFlight)) return;
    event.preventDefault();
    event.returnValue = this.#strings.leaveWhileUploading;
  };

  // Also the browse button's click (or Enter/Space on it), which bubbles up here.
  #onDropzoneClick = () => this.browse();

  // The pressed button goes away (cancel and retry swap places, a removed row leaves): focus stays in the row,
  // or moves to the next one, else to the browse button.
  #onAction(action: ItemAction, id: string) {
    const index = this.items.findIndex((item) => item.id === id);
    this[action](id);
    void this.updateComplete.then(() => {
      const next = this.renderRoot.querySelector<HTMLButtonElement>(`[aria-posinset="${Math.min(index + 1, this.items.length)}"] button`);
      (next ?? this.renderRoot.querySelector<HTMLButtonElement>('[part=browse-button]'))?.focus();
    });
  }

  protected override render() {
    const s = this.#strings;
    const items = this.items;
    const count = items.length;
    // Before the first measurement, as many rows as would fill the viewport from its top.
    if (!this.#window[1]) this.#window = [0, Math.ceil((innerHeight / this.#pitch + OVERSCAN) / BLOCK) * BLOCK];
    // A list that shrank below its window shows its last rows: the next measurement needs two rendered rows.
    if (this.#window[0] > count - 2) {
      const end = Math.ceil(count / BLOCK) * BLOCK;
      this.#window = [Math.max(0, end - this.#window[1] + this.#window[0]), end];
    }
    const [first, last] = count > FULL_LIST ? this.#window : [0, count];
    const spacer = (rows: number) => (rows > 0 ? html`<li class="spacer" aria-hidden="true" style="--rows: ${rows}"></li>` : nothing);
    // Besides the window, the block of the focused row stays rendered wherever the window goes: else focus would fall to the page.
    const kept = BLOCK * Math.floor((indexOfRow(this.shadowRoot!.activeElement?.closest('li')) ?? -1) / BLOCK);
    // Every block keeps its slot, rendered (after a spacer for the rows since the previous rendered block) or empty,
    // so a row's DOM keeps showing the same file and focus stays where it is.
    const blocks = [];
    const shown: File[] = [];
    let end = 0;
    for (let start = 0; start < count; start += BLOCK) {
      if ((start >= first && start < last) || start == kept) {
        const block = items.slice(start, start + BLOCK);
        shown.push(...block.map((item) => item.source));
        blocks.push([spacer(start - end), block.map((item, i) => this.#renderItem(item, s, start + i, count))]);
        end = start + block.length;
      } else blocks.push(nothing);
    }
    this.#thumbnails.keep(shown);
    // The list takes focus itself (tabindex -1: no tab stop) from a click on a row: with delegatesFocus, the browse
    // button would get it, and Chromium and WebKit would scroll the page back up to it.
    return html`
      <div part="dropzone" class="dropzone" @click=${this.#onDropzoneClick}>
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" /></svg>
        <span part="prompt" class="prompt">
          ${this.#dragInvalid ? s.dropInvalid : html`<slot>${s.prompt}</slot>`}
        </span>
        <button part="browse-button" type="button" ?disabled=${this.#off}>
          <slot name="browse">${s.browse}</slot>
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
      ${items.length
        ? html`<ul part="list" aria-label=${s.listLabel} tabindex="-1">
            ${blocks}${spacer(count - end)}
          </ul>`
        : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.#announcement}</div>
    `;
  }

  #renderItem(item: UploadItem, s: UploaderStrings, index: number, count: number) {
    const { source, status } = item;
    const name = displayName(item);
    const percent = percentOf(item);
    const thumbnail = this.#thumbnails.url(source);
    const busy = unfinished(item);
    const statusText = status === 'uploading' ? s.uploading(percent) : status === 'error' ? s.failed : s[status];
    return html`<li part="item item-${status}" class="item" aria-posinset=${index + 1} aria-setsize=${count}>
      ${thumbnail
        ? html`<img part="thumbnail" class="thumbnail" src=${thumbnail} alt="" loading="lazy" decoding="async" />`
        : html`<span part="thumbnail" class="thumbnail badge" aria-hidden="true">${extension(source.name)}</span>`}
      <div class="body">
        <div class="line">
          <span part="name" class="name" title=${name}>${name}</span>
          <span part="size" class="size">${formatSize(source.size)}</span>
        </div>
        ${busy || status === 'done'
          ? html`<div
              part="progress"
              class="progress"
              role="progressbar"
              aria-label=${s.progressLabel(name)}
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow=${status === 'done' ? 100 : percent}
            >
              <div part="progress-bar" class="bar" style="transform: scaleX(${status === 'done' ? 1 : percent / 100})"></div>
            </div>`
          : nothing}
        <div class="line">
          <span part="status" class="status">${statusText}</span>
          ${item.status === 'error' ? html`<span part="error" class="error">${item.error.message}</span>` : nothing}
        </div>
      </div>
      <div class="actions">
        ${busy ? this.#renderAction('cancel', item, s) : nothing}
        ${status === 'error' || status === 'canceled' ? this.#renderAction('retry', item, s) : nothing}
        ${busy ? nothing : this.#renderAction('remove', item, s)}
      </div>
    </li>`;
  }

  // Labelled with the name the row shows: files of a dropped or picked folder may share a name, not a path.
  #renderAction(action: ItemAction, item: UploadItem, s: UploaderStrings) {
    return html`<button part="${action}-button" type="button" aria-label=${s[action](displayName(item))} ?disabled=${this.#off}
      @click=${() => this.#onAction(action, item.id)}>${icons[action]}</button>`;
  }
}

const extension = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 && name.length - dot <= 6 ? name.slice(dot + 1).toUpperCase() : 'FILE';
};

const icon = (d: string) => html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${d} /></svg>`;
const icons = {
  cancel: icon('M6 6l12 12M18 6 6 18'),
  retry: icon('M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7'),
  remove: icon('M4 7h16M10 11v6m4-6v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3'),
};

declare global {
  interface HTMLElementTagNameMap {
    'itty-uploader': IttyUploaderElement;
  }
}
