import { loaded } from './ssr.js';
import { LitElement, html, nothing } from 'lit';
import { UploadController } from '../controllers/upload-controller.js';
import { DropController } from '../controllers/drop-controller.js';
import { FormController, type FormValueMode } from '../controllers/form-controller.js';
import { ListWindowController } from '../controllers/list-window-controller.js';
import { setHostState } from '../controllers/host-states.js';
import type { IttyFile } from '../core/types.js';
import { readFileList, type PickedFile } from '../browser/data-transfer.js';
import { Thumbnails } from '../browser/thumbnails.js';
import { IttyQueueProgressEvent, IttyRemoveEvent, type QueueProgress, type UploadItem } from '../events.js';
import { WordsController, type Summary } from '../controllers/words-controller.js';
import { defineElement } from './define.js';
import { renderRow, type ItemAction, type RowContext } from './rows.js';
import { rowAction } from './row-action.js';
import { styles } from './uploader.styles.js';
import { UploaderSettings, type GetUploadUrl } from './uploader-settings.js';

loaded();

export type { FormValueMode, GetUploadUrl };

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
 * @fires {Event} change - `value` changed by the user or the file lifecycle (a file finished uploading, an uploaded file was removed, a File object was replaced by `updateFile()` or `status-endpoint`), not by setting `value`; bubbles and is composed.
 */
export class IttyUploaderElement extends UploaderSettings {
  static override styles = styles;
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static formAssociated = true;

  /** Defines the element as `tag` (default `itty-uploader`) in `registry` (default the global one), unless the tag is taken there. */
  static define(tag = 'itty-uploader', registry: CustomElementRegistry = customElements): typeof IttyUploaderElement {
    defineElement(this, tag, registry);
    return this;
  }

  // DOM emulations lack attachInternals (happy-dom) or some of its members (jsdom): each is used only where it exists,
  // and without them the element works as one outside any form.
  readonly #internals?: ElementInternals = this.attachInternals?.();
  readonly #thumbnails = new Thumbnails(this);
  // Every word besides the drop zone's, and the list's styles, are a chunk that starts loading on connect.
  readonly #lang = new WordsController(this, () => import('./words.js'));
  readonly #words = this.#lang.words;
  // The form's value and validity are current for whoever hears of a change (a `change` or `itty-queue-complete`
  // listener that submits the form), not only after the next render.
  readonly #uploads = new UploadController(this, this.#words, () => this.#form.sync());
  readonly #form = new FormController(this, this.#internals, this.#words);
  // Arrows: the drop controller and the summary call them.
  readonly #state = (name: string, on: boolean) => setHostState(this, this.#internals?.states, name, on);
  readonly #add = (picked: PickedFile[]): UploadItem[] => {
    // The words of the rejections are those of the `lang` now, though no render has read it yet.
    this.#lang.read();
    return this.#off ? [] : this.#uploads.add(picked);
  };
  readonly #drop = new DropController(this, { off: () => this.#off, add: this.#add, state: this.#state });
  readonly #list = new ListWindowController(this);
  /** The summary and the whole list's progress: from the words chunk, once it is in. */
  #summary?: Summary;

  /** A row's move handle (none when not `sortable`), once the code that moves rows is in: a chunk loaded when `sortable` is first set. */
  #handle?: RowContext['handle'];
  #sorter?: Promise<unknown>;

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
    if (this.sortable) this.#sorter ??= import('./sortable.js').then((m) => (this.#handle = m.sorter(this, this.#uploads, html)));
    this.#summary ??= this.#lang.chunk?.summary(this, {
      html,
      nothing,
      ProgressEvent: IttyQueueProgressEvent,
      RemoveEvent: IttyRemoveEvent,
      state: this.#state,
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

  // A method, not an arrow: Lit calls a template's listeners with the element as `this`.
  #onInputChange(event: Event) {
    const input = event.target as HTMLInputElement;
    if (input.files) this.#add(readFileList(input.files));
    input.value = '';
  }

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
      action: (action: ItemAction, id: string) => rowAction(this, action, id),
      handle: this.#handle,
      more: this.#summary?.rowButton,
    };
    const rows = this.#list.render(items, (item, index) => renderRow(item, index, row), shown);
    this.#thumbnails.keep(shown.map((item) => item.source!));
    // The list takes focus itself (tabindex -1: no tab stop) from a click on a row: with delegatesFocus, the browse
    // button would get it, and Chromium and WebKit would scroll the page back up to it.
    // The drop zone's click is also the browse button's (or Enter/Space on it), which bubbles up to it.
    return html`
      <div part="dropzone" class="dropzone" @click=${this.browse}>
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
