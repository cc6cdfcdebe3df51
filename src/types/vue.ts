// Generated from custom-elements.json by scripts/framework-types.mjs; do not edit: run `npm run analyze`.
//
// Vue 3 types for the elements: `GlobalComponents` entries that vue-tsc (Volar) uses to check templates, so
// `@itty-upload-success="(e) => e.detail.file"` and `:file="file"` type-check. Enable them with
// `import type {} from 'itty-uploader/vue'` in a .d.ts of the app (or "types": ["itty-uploader/vue"]).
// Vue itself must still be told that `itty-*` tags are custom elements (compilerOptions.isCustomElement).
import type { DefineComponent } from 'vue';
import type {
  IttyFileElement,
  IttyFileLoadEvent,
  IttyFileErrorEvent,
  IttyUploaderElement,
  IttySelectEvent,
  IttyRejectEvent,
  IttyUploadStartEvent,
  IttyUploadProgressEvent,
  IttyUploadSuccessEvent,
  IttyUploadErrorEvent,
  IttyUploadCancelEvent,
  IttyUploadPauseEvent,
  IttyUploadResumeEvent,
  IttyQueueCompleteEvent,
  IttyQueueProgressEvent,
} from '../index.js';

export interface IttyFileElementVueProps {
  /** URL of a File object JSON (bare or `{ data }` envelope) to fetch and show; fetched again whenever it changes. */
  src?: IttyFileElement['src'];
  /** URL of the media, when the fields are given as attributes. */
  url?: IttyFileElement['url'];
  /** `image`, `video`, `audio` or `other`; when empty, the family of `type` decides. */
  kind?: IttyFileElement['kind'];
  /** MIME type, e.g. `image/png`. */
  type?: IttyFileElement['type'];
  /** Intrinsic width in pixels; set it with `height` so the page does not shift when the media loads. */
  width?: IttyFileElement['width'];
  /** Intrinsic height in pixels. */
  height?: IttyFileElement['height'];
  /** File name shown on the card and used as the download name; defaults to the URL's last segment. */
  filename?: IttyFileElement['filename'];
  /** Size in bytes, shown on the card in decimal units (`1.2 kB`). */
  filesize?: IttyFileElement['filesize'];
  /** Text alternative for images; defaults to the file name. Set `alt=""` for a decorative image. */
  alt?: IttyFileElement['alt'];
  /**
   * Shows the video and audio controls; `true` by default. HTML boolean attributes can only switch
   * things on, so this one reads its value instead: absent or any value is `true`, `controls="false"` is `false`.
   */
  controls?: IttyFileElement['controls'];
  /** The File object to show (e.g. `detail.file` of `itty-upload-success`); takes precedence over `src` and the attributes. */
  file?: IttyFileElement['file'];
  /** Replacements for the texts shown (`loading`, `error`, `retry`, `processing`, `download`). */
  strings?: IttyFileElement['strings'];
  /** The media loaded (`load` of the image, `loadedmetadata` of video and audio); `detail.file` is the File object shown. */
  onIttyFileLoad?: (event: IttyFileLoadEvent) => void;
  /** The `src` fetch failed (network, non-2xx, not a File object) or the media failed to load; `detail.error` says why. */
  onIttyFileError?: (event: IttyFileErrorEvent) => void;
}

export interface IttyUploaderElementVueProps {
  /** URL of the app's signing endpoint: `POST`ed `{ filename, folder?, relativePath?, type, size }` per file. Required unless `getUploadUrl` is set. */
  endpoint?: IttyUploaderElement['endpoint'];
  /** Sends cookies to a cross-origin endpoint. */
  withCredentials?: IttyUploaderElement['withCredentials'];
  /** Folder passed to the endpoint. */
  folder?: IttyUploaderElement['folder'];
  /** Accepted types, as `<input accept>`: MIME types, wildcards and extensions (`image/*,.pdf`). Enforced on drop and paste too. */
  accept?: IttyUploaderElement['accept'];
  /** Allows more than one file. */
  multiple?: IttyUploaderElement['multiple'];
  /** Largest accepted file: bytes, or text with a unit (`10MB` = 10^6 bytes, `1.5GiB` = 1.5 × 2^30). */
  maxSize?: IttyUploaderElement['maxSize'];
  /** Smallest accepted file (e.g. `1` rejects empty files); same units as `max-size`. */
  minSize?: IttyUploaderElement['minSize'];
  /** Most files the list may hold. */
  maxFiles?: IttyUploaderElement['maxFiles'];
  /** Files uploading at once. */
  concurrency?: IttyUploaderElement['concurrency'];
  /** Automatic retries of a transient failure (network, 408, 429, 5xx), with backoff. */
  retries?: IttyUploaderElement['retries'];
  /** Files larger than this are sent as ittybit resumable chunks; unset sends one PUT. Same units as `max-size`. */
  chunkSize?: IttyUploaderElement['chunkSize'];
  /** Chunks of one file in flight at once. */
  parallelChunks?: IttyUploaderElement['parallelChunks'];
  /** Milliseconds without progress (or without an answer from the endpoint) before a request is retried. */
  stallTimeout?: IttyUploaderElement['stallTimeout'];
  /** Waits for `upload()` instead of starting on selection. */
  manual?: IttyUploaderElement['manual'];
  /** Disables picking, dropping, pasting and the buttons. */
  disabled?: IttyUploaderElement['disabled'];
  /** Form field name. */
  name?: IttyUploaderElement['name'];
  /** The form is invalid until at least one file is uploaded. */
  required?: IttyUploaderElement['required'];
  /** Passed to the file input (`user`, `environment`): opens the camera on mobile. */
  capture?: IttyUploaderElement['capture'];
  /** The picker chooses folders. Dropped folders are always read whole. */
  directory?: IttyUploaderElement['directory'];
  /** Accepts a file equal (name, size, lastModified) to one already listed. */
  allowDuplicates?: IttyUploaderElement['allowDuplicates'];
  /** While uploads are in flight, leaving the page asks for confirmation. */
  guardUnload?: IttyUploaderElement['guardUnload'];
  /** What each uploaded file contributes to the form under `name`: its `url`, `id`, or the whole File object as JSON. */
  formValue?: IttyUploaderElement['formValue'];
  /** Replaces the endpoint request: returns the signed URL (or an `UploadTarget`) for one file. */
  getUploadUrl?: IttyUploaderElement['getUploadUrl'];
  /** Extra headers for the endpoint request (e.g. a CSRF token). */
  endpointHeaders?: IttyUploaderElement['endpointHeaders'];
  /**
   * Texts over the language's pack (`lang`): any entry of the English table (`itty-uploader/locales/en`), a string with
   * `{placeholders}` or plural forms. Unknown keys and values that are not texts are ignored, with a console warning.
   */
  strings?: IttyUploaderElement['strings'];
  /** Files were chosen, dropped or pasted; cancel it to drop them. */
  onIttySelect?: (event: IttySelectEvent) => void;
  /** A file failed `accept`, the size limits, `max-files` or the duplicate rule. Unless canceled, it shows as a `rejected` row and is announced. */
  onIttyReject?: (event: IttyRejectEvent) => void;
  /** An item starts signing. */
  onIttyUploadStart?: (event: IttyUploadStartEvent) => void;
  /** Bytes were sent (at most once per animation frame per item: every 50 ms at most). */
  onIttyUploadProgress?: (event: IttyUploadProgressEvent) => void;
  /** The storage accepted a file; `detail.file` is the File object. */
  onIttyUploadSuccess?: (event: IttyUploadSuccessEvent) => void;
  /** An upload failed for good, after its retries. */
  onIttyUploadError?: (event: IttyUploadErrorEvent) => void;
  /** An upload was canceled. */
  onIttyUploadCancel?: (event: IttyUploadCancelEvent) => void;
  /** An upload was paused. */
  onIttyUploadPause?: (event: IttyUploadPauseEvent) => void;
  /** A paused upload goes on. */
  onIttyUploadResume?: (event: IttyUploadResumeEvent) => void;
  /** The queue became idle. */
  onIttyQueueComplete?: (event: IttyQueueCompleteEvent) => void;
  /** The whole list's progress moved (`progress`): at most once per 50 ms tick, and when a file's status changes. */
  onIttyQueueProgress?: (event: IttyQueueProgressEvent) => void;
  /** `value` changed (a file finished uploading, or an uploaded file was removed); bubbles and is composed. */
  onChange?: (event: Event) => void;
}

declare module 'vue' {
  interface GlobalComponents {
    /**
     * Renders an uploaded file: `<img>`, `<video>`, `<audio>` or a download card.
     *
     * ### Events
     * - **itty-file-load** - The media loaded (`load` of the image, `loadedmetadata` of video and audio); `detail.file` is the File object shown.
     * - **itty-file-error** - The `src` fetch failed (network, non-2xx, not a File object) or the media failed to load; `detail.error` says why.
     *
     * ### Methods
     * - **reload()** - Fetches `src` again (what the retry button does).
     *
     * ### CSS custom properties
     * - **--itty-accent** - Link, button and focus colour (#818cf8 when the user prefers dark). _(default: #4f46e5)_
     * - **--itty-radius** - Corner radius of the media and the card. _(default: 12px)_
     * - **--itty-border** - Border colour of the card (#3f3f46 when the user prefers dark). _(default: #d4d4d8)_
     * - **--itty-background** - Background of the card (#18181b when the user prefers dark). _(default: #ffffff)_
     * - **--itty-foreground** - Text colour (#f4f4f5 when the user prefers dark). _(default: #18181b)_
     * - **--itty-muted** - Colour of the size, type and loading text (#a1a1aa when the user prefers dark). _(default: #5f5f69)_
     * - **--itty-danger** - Colour of the error state (#f87171 when the user prefers dark). _(default: #dc2626)_
     * - **--itty-font** - Font family. _(default: system-ui, sans-serif)_
     * - **--itty-gap** - Padding and spacing inside the card. _(default: 12px)_
     *
     * ### CSS parts
     * - **media** - The `<img>`, `<video>` or `<audio>`.
     * - **image** - The `<img>` (also `media`).
     * - **video** - The `<video>` (also `media`).
     * - **audio** - The `<audio>` (also `media`).
     * - **card** - The download card shown for files that are not image, video or audio, or whose URL is refused.
     * - **name** - The file name on the card.
     * - **size** - The human-readable size on the card.
     * - **type** - The MIME type on the card.
     * - **link** - The card's download link; absent when the URL is not `http:`, `https:`, `blob:` or relative.
     * - **loading** - The state shown while `src` is being fetched.
     * - **error** - The state shown when `src` could not be fetched.
     * - **retry-button** - The button in the error state that fetches `src` again.
     * - **processing** - The state shown while the file's `status` is `waiting` or `processing`.
     */
    'itty-file': DefineComponent<IttyFileElementVueProps>;
    /**
     * Drop zone, browse button and upload list for direct-to-storage uploads.
     *
     * ### Events
     * - **itty-select** - Files were chosen, dropped or pasted; cancel it to drop them.
     * - **itty-reject** - A file failed `accept`, the size limits, `max-files` or the duplicate rule. Unless canceled, it shows as a `rejected` row and is announced.
     * - **itty-upload-start** - An item starts signing.
     * - **itty-upload-progress** - Bytes were sent (at most once per animation frame per item: every 50 ms at most).
     * - **itty-upload-success** - The storage accepted a file; `detail.file` is the File object.
     * - **itty-upload-error** - An upload failed for good, after its retries.
     * - **itty-upload-cancel** - An upload was canceled.
     * - **itty-upload-pause** - An upload was paused.
     * - **itty-upload-resume** - A paused upload goes on.
     * - **itty-queue-complete** - The queue became idle.
     * - **itty-queue-progress** - The whole list's progress moved (`progress`): at most once per 50 ms tick, and when a file's status changes.
     * - **change** - `value` changed (a file finished uploading, or an uploaded file was removed); bubbles and is composed.
     *
     * ### Methods
     * - **setCustomValidity(message)** - As a native control's: a non-empty message makes the element invalid (`customError`) until set back to `''`.
     * - **addFiles(files)** - Adds files as if the user had picked them: `itty-select`, validation (`itty-reject`), then upload unless `manual`.
     * - **upload()** - Starts every queued file (what selection does by itself unless `manual`).
     * - **cancel(id?)** - Cancels one upload, or all with no id.
     * - **retry(id?)** - Retries one failed or canceled upload, or all with no id.
     * - **pause(id?)** - Pauses one upload, or all with no id. A chunked upload keeps what the storage acknowledged; a single PUT starts again from 0 when resumed.
     * - **resume(id?)** - Resumes one paused upload, or all with no id: a chunked upload sends only the chunks not yet acknowledged.
     * - **remove(id?)** - Removes the file `id` from the list, canceling it when in flight. With no id it is `Element.remove()`: the element leaves the DOM.
     * - **clear()** - Empties the list, canceling uploads in flight.
     * - **browse()** - Opens the file picker.
     *
     * ### Slots
     * - **(default)** - The prompt inside the drop zone. Defaults to "Drop files here, paste, or".
     * - **browse** - The browse button's label. Defaults to "Browse files".
     *
     * ### Custom states
     * - **:state(dragover)** - Files are dragged over the element (also the host attribute `dragover`).
     * - **:state(drag-invalid)** - The dragged files cannot match `accept` (also the host attribute `drag-invalid`).
     * - **:state(uploading)** - A file is signing or uploading (also the host attribute `uploading`).
     * - **:state(offline)** - The browser is offline and uploads wait for the network (also the host attribute `offline`).
     * - **:state(paused)** - An upload is paused (also the host attribute `paused`).
     *
     * ### CSS custom properties
     * - **--itty-accent** - Progress, focus and highlight colour (#818cf8 when the user prefers dark). _(default: #4f46e5)_
     * - **--itty-radius** - Corner radius. _(default: 12px)_
     * - **--itty-border** - Border colour (#3f3f46 when the user prefers dark). _(default: #d4d4d8)_
     * - **--itty-background** - Background colour (#18181b when the user prefers dark). _(default: #ffffff)_
     * - **--itty-foreground** - Text colour (#f4f4f5 when the user prefers dark). _(default: #18181b)_
     * - **--itty-muted** - Secondary text colour (#a1a1aa when the user prefers dark). _(default: #5f5f69)_
     * - **--itty-surface** - Background of the drop zone and thumbnails (#202024 when the user prefers dark). _(default: #f5f5f6)_
     * - **--itty-accent-foreground** - Text on the accent colour, e.g. the browse button (#09090b when the user prefers dark). _(default: #fff)_
     * - **--itty-success** - Colour of finished uploads (#4ade80 when the user prefers dark). _(default: #15803d)_
     * - **--itty-danger** - Error colour (#f87171 when the user prefers dark). _(default: #dc2626)_
     * - **--itty-font** - Font family. _(default: system-ui, sans-serif)_
     * - **--itty-gap** - Spacing unit. _(default: 12px)_
     * - **--itty-thumbnail-size** - Size of the thumbnails in the list. _(default: 40px)_
     *
     * ### CSS parts
     * - **dropzone** - The region that accepts drops; a click on it opens the picker.
     * - **prompt** - The prompt text inside the drop zone.
     * - **browse-button** - The button that opens the file picker (the first tab stop).
     * - **list** - The list of files.
     * - **item** - One row per file; also `item-queued`, `item-signing`, `item-uploading`, `item-done`, `item-error`, `item-canceled`, `item-rejected` (a file that failed a rule).
     * - **thumbnail** - The image preview (images only) or the file-type badge.
     * - **name** - The file name.
     * - **size** - The file size.
     * - **progress** - The progress track (`role="progressbar"`).
     * - **progress-bar** - The progress fill.
     * - **status** - The status text.
     * - **error** - Why a file failed or was rejected, in words (a failed upload's server message follows as a detail).
     * - **cancel-button** - Cancels an upload in progress.
     * - **retry-button** - Retries a failed or canceled upload.
     * - **remove-button** - Removes a file from the list.
     * - **pause-button** - Pauses an upload in flight.
     * - **resume-button** - Resumes a paused upload.
     * - **summary** - The whole list's progress and buttons: shown when the list holds more than one file, or any with `manual`.
     * - **summary-progress** - The whole list's progress track (`role="progressbar"`).
     * - **summary-progress-bar** - The whole list's progress fill.
     * - **summary-text** - "3 of 5 files · 45 MB of 120 MB · about 2 minutes left".
     * - **upload-button** - With `manual`: uploads the files waiting ("Upload 3 files").
     * - **pause-all-button** - Pauses every upload in flight.
     * - **resume-all-button** - Resumes every paused upload.
     * - **cancel-all-button** - Cancels every upload not finished.
     * - **retry-all-button** - Retries every failed upload.
     * - **clear-button** - Removes the uploaded, canceled and rejected rows.
     */
    'itty-uploader': DefineComponent<IttyUploaderElementVueProps>;
  }
}
