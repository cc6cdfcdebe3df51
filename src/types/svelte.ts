// Generated from custom-elements.json by scripts/framework-types.mjs; do not edit: run `npm run analyze`.
//
// Svelte 5 types for the elements: `SvelteHTMLElements` entries, so `onitty-upload-success={(e) => e.detail.file}`
// and `{file}` type-check in svelte-check and the editor. Enable them with `import type {} from 'itty-uploader/svelte'`
// in a .d.ts of the app (or "types": ["itty-uploader/svelte"]).
import type { HTMLAttributes } from 'svelte/elements';
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
  IttyRemoveEvent,
  IttyUploadProcessedEvent,
  IttyQueueProgressEvent,
} from '../index.js';

export interface IttyFileElementSvelteProps {
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
  /**
   * Poster image URL of a video (the same URL rules as `url`); over a Media object's poster. Like `media` and
   * `getFileUrl`, it is handled by code loaded on demand: the loading state shows until it is in.
   */
  poster?: IttyFileElement['poster'];
  /** The File object to show (e.g. `detail.file` of `itty-upload-success`); takes precedence over `src` and the attributes. */
  file?: IttyFileElement['file'];
  /** Replacements for the texts shown (`loading`, `error`, `retry`, `processing`, `download`). */
  strings?: IttyFileElement['strings'];
  /**
   * An ittybit Media object (`object: "media"`): shows its file whose `ref` is `original`, else its first playable one
   * (a Media object with none shows the card), with its `poster` or `thumbnail` file as a video's poster and its
   * `urls.placeholder` (a base64 PNG, JPEG, WebP or GIF data: URL, used only as a blurred background) as the image's
   * stand-in until it loaded. Takes precedence over `file`, `src` and the attributes.
   */
  media?: IttyFileElement['media'];
  /**
   * For private files (signed GET URLs): returns a fresh URL for a File object. Called before rendering when the URL's
   * `expiry` (unix seconds, or S3's `X-Amz-Date` + `X-Amz-Expires`) has passed, and once more when the media fails to
   * load; never more for the same file. A rejection keeps the URL the file had.
   */
  getFileUrl?: IttyFileElement['getFileUrl'];
  /** The media loaded (`load` of the image, `loadedmetadata` of video and audio); `detail.file` is the File object shown. */
  'onitty-file-load'?: (event: IttyFileLoadEvent) => void;
  /** The `src` fetch failed (network, non-2xx, not a File object) or the media failed to load; `detail.error` says why. */
  'onitty-file-error'?: (event: IttyFileErrorEvent) => void;
}

export interface IttyUploaderElementSvelteProps {
  /** URL of the app's signing endpoint: `POST`ed `{ filename, folder?, relativePath?, type, size }` per file. Required unless `getUploadUrl` is set. */
  endpoint?: IttyUploaderElement['endpoint'];
  /** Sends cookies to a cross-origin endpoint. */
  'with-credentials'?: IttyUploaderElement['withCredentials'];
  /** Folder passed to the endpoint. */
  folder?: IttyUploaderElement['folder'];
  /** Accepted types, as `<input accept>`: MIME types, wildcards and extensions (`image/*,.pdf`). Enforced on drop and paste too. */
  accept?: IttyUploaderElement['accept'];
  /** Allows more than one file. */
  multiple?: IttyUploaderElement['multiple'];
  /** Largest accepted file: bytes, or text with a unit (`10MB` = 10^6 bytes, `1.5GiB` = 1.5 × 2^30). */
  'max-size'?: IttyUploaderElement['maxSize'];
  /** Smallest accepted file (e.g. `1` rejects empty files); same units as `max-size`. */
  'min-size'?: IttyUploaderElement['minSize'];
  /** Most files the list may hold. */
  'max-files'?: IttyUploaderElement['maxFiles'];
  /** Files uploading at once. */
  concurrency?: IttyUploaderElement['concurrency'];
  /** Automatic retries of a transient failure (network, 408, 429, 5xx), with backoff. */
  retries?: IttyUploaderElement['retries'];
  /** Files larger than this are sent as ittybit resumable chunks; unset sends one PUT. Same units as `max-size`. */
  'chunk-size'?: IttyUploaderElement['chunkSize'];
  /** Chunks of one file in flight at once. */
  'parallel-chunks'?: IttyUploaderElement['parallelChunks'];
  /** Milliseconds without progress (or without an answer from the endpoint) before a request is retried. */
  'stall-timeout'?: IttyUploaderElement['stallTimeout'];
  /** Waits for `upload()` instead of starting on selection. */
  manual?: IttyUploaderElement['manual'];
  /** Disables picking, dropping, pasting and the buttons. */
  disabled?: IttyUploaderElement['disabled'];
  /** Form field name. */
  name?: IttyUploaderElement['name'];
  /** The form is invalid until at least one file is uploaded. */
  required?: IttyUploaderElement['required'];
  /** The form is invalid (`validity.tooShort`) until at least this many files are uploaded. */
  'min-files'?: IttyUploaderElement['minFiles'];
  /** `page`: files dragged anywhere over the page can be dropped onto this element (a page-wide overlay shows while dragging). Default `self`. */
  'drop-target'?: IttyUploaderElement['dropTarget'];
  /** Passed to the file input (`user`, `environment`): opens the camera on mobile. */
  capture?: IttyUploaderElement['capture'];
  /** The picker chooses folders. Dropped folders are always read whole. */
  directory?: IttyUploaderElement['directory'];
  /** Accepts a file equal (name, size, lastModified) to one already listed. */
  'allow-duplicates'?: IttyUploaderElement['allowDuplicates'];
  /** While uploads are in flight, leaving the page asks for confirmation. */
  'guard-unload'?: IttyUploaderElement['guardUnload'];
  /**
   * Keeps the progress of resumable uploads (chunked) in IndexedDB, so that they resume after a reload, a crash or a
   * closed tab: unfinished uploads show as `interrupted` rows, and choosing the same file again sends only the bytes
   * the storage does not hold. `true` (the attribute without a value) keys the records by the page path plus the
   * element's `id` or `name`; a string is the key. Where IndexedDB is unavailable or full, uploads work as without it.
   */
  persist?: IttyUploaderElement['persist'];
  /** What each uploaded file contributes to the form under `name`: its `url`, `id`, or the whole File object as JSON. */
  'form-value'?: IttyUploaderElement['formValue'];
  /**
   * URL the app is told of each stored file at: `POST`ed `{ file, meta?, relativePath? }` after the storage accepted
   * it (the item is `finalizing` meanwhile). A File object in the answer (bare, `{data}` or `{file}`) replaces
   * `item.file`; transient failures are retried; a final failure is the error `complete_failed`, and `retry()` repeats
   * only this call.
   */
  'complete-endpoint'?: IttyUploaderElement['completeEndpoint'];
  /**
   * URL template (`{id}` is the File object's URL-encoded `id`) polled with `GET` while a file's File object says
   * `waiting` or `processing`: from 1 s to 30 s apart, for 10 minutes at most, until it is `ready` or `failed`
   * (`itty-upload-processed`).
   */
  'status-endpoint'?: IttyUploaderElement['statusEndpoint'];
  /**
   * The user can reorder the list: each file's row gets a move handle (`part="move-handle"`) to drag, or to focus and
   * move with ArrowUp / ArrowDown (the new place is announced). A user's move fires `change` when it changed the order
   * of `value`; `move()` works with or without it. Rejected rows stay after the files and have no handle.
   */
  sortable?: IttyUploaderElement['sortable'];
  /** Narrowest accepted image, in pixels (read from the file's header, without decoding it); reason `dimensions`. */
  'min-width'?: IttyUploaderElement['minWidth'];
  /** Widest accepted image, in pixels; reason `dimensions`. An image whose size cannot be read is accepted. */
  'max-width'?: IttyUploaderElement['maxWidth'];
  /** Lowest accepted image, in pixels; reason `dimensions`. */
  'min-height'?: IttyUploaderElement['minHeight'];
  /** Highest accepted image, in pixels; reason `dimensions`. */
  'max-height'?: IttyUploaderElement['maxHeight'];
  /** Shortest accepted video or audio, in seconds (from the file's metadata); reason `duration`. A file whose duration cannot be read is accepted. */
  'min-duration'?: IttyUploaderElement['minDuration'];
  /** Longest accepted video or audio, in seconds; reason `duration`. */
  'max-duration'?: IttyUploaderElement['maxDuration'];
  /** Most bytes the list's files may hold together, or text with a unit (`2GB`); reason `total-size`. */
  'max-total-size'?: IttyUploaderElement['maxTotalSize'];
  /**
   * Scales images down before upload, in a worker, keeping the aspect ratio and applying the EXIF orientation: `2048`
   * (longest side) or `2048x1536` (a box). The result is sent only when smaller. Other text is ignored with a warning.
   */
  resize?: IttyUploaderElement['resize'];
  /** Encoder quality for `resize` / `convert`, 0–1; default 0.85. Other values are ignored with a warning. */
  quality?: IttyUploaderElement['quality'];
  /** Re-encodes images to this type before upload: `image/jpeg`, `image/png` or `image/webp` (where the browser encodes it). */
  convert?: IttyUploaderElement['convert'];
  /** Re-encoded JPEGs keep the original's EXIF block (GPS included), with Orientation set to 1. Off by default: metadata is dropped. */
  'keep-metadata'?: IttyUploaderElement['keepMetadata'];
  /** Replaces the endpoint request: returns the signed URL (or an `UploadTarget`) for one file. */
  getUploadUrl?: IttyUploaderElement['getUploadUrl'];
  /** Extra headers for the endpoint request (e.g. a CSRF token). */
  endpointHeaders?: IttyUploaderElement['endpointHeaders'];
  /**
   * Texts over the language's pack (`lang`): any entry of the English table (`itty-uploader/locales/en`), a string with
   * `{placeholders}` or plural forms. Unknown keys and values that are not texts are ignored, with a console warning.
   */
  strings?: IttyUploaderElement['strings'];
  /**
   * Metadata of each file: an object, or a function of the picked file returning one. Sent with the signing request
   * (`meta`), the completion call, and kept in `item.meta`. As ittybit keeps it: at most 32 keys of `[A-Za-z0-9_]{1,32}`,
   * string values of at most 2,048 characters; a file whose metadata breaks these is rejected (reason `custom`).
   */
  meta?: IttyUploaderElement['meta'];
  /**
   * An app rule, run after the built-in ones: return a message (sync or in a Promise) to reject the file with reason
   * `custom`, or `null` to accept it. A rule that throws rejects the file ("could not be checked") and logs the error.
   */
  validate?: IttyUploaderElement['validate'];
  /**
   * Prepares each file right before it is signed, inside the queue's concurrency: return the File or Blob to send, or
   * `null` to send the original. `item.source` stays the file the user chose. A throw or another value ends the item
   * with code `transform_failed` (retry runs it again). Runs before the built-in `resize` / `convert`, which then
   * prepare what it returned.
   */
  transform?: IttyUploaderElement['transform'];
  /**
   * The File objects of the uploaded files, in list order. Setting it (an edit form's stored files) replaces the list
   * with `done` rows of those files, and is the value a form's reset restores; anything but an array of File objects
   * is refused with a console error.
   */
  value?: IttyUploaderElement['value'];
  /** Files were chosen, dropped or pasted; cancel it to drop them. */
  'onitty-select'?: (event: IttySelectEvent) => void;
  /** A file failed `accept`, the size limits, `max-files`, the duplicate rule, `max-total-size`, the image size or duration limits, or `validate`. Unless canceled, it shows as a `rejected` row and is announced. */
  'onitty-reject'?: (event: IttyRejectEvent) => void;
  /** An item starts signing. */
  'onitty-upload-start'?: (event: IttyUploadStartEvent) => void;
  /** Bytes were sent (at most once per animation frame per item: every 50 ms at most). */
  'onitty-upload-progress'?: (event: IttyUploadProgressEvent) => void;
  /** The storage accepted a file; `detail.file` is the File object. With `complete-endpoint`, once the completion call answered, with the app's File object. */
  'onitty-upload-success'?: (event: IttyUploadSuccessEvent) => void;
  /** An upload failed for good, after its retries. */
  'onitty-upload-error'?: (event: IttyUploadErrorEvent) => void;
  /** An upload was canceled. */
  'onitty-upload-cancel'?: (event: IttyUploadCancelEvent) => void;
  /** An upload was paused. */
  'onitty-upload-pause'?: (event: IttyUploadPauseEvent) => void;
  /** A paused upload goes on, or an interrupted one (`persist`) whose file was chosen again. */
  'onitty-upload-resume'?: (event: IttyUploadResumeEvent) => void;
  /** The queue became idle. */
  'onitty-queue-complete'?: (event: IttyQueueCompleteEvent) => void;
  /** A `done` file (uploaded now or set through `value`) is about to leave the list by the user's remove button; cancel it to keep the file. Not fired for `remove()` or `clear()` called by code. */
  'onitty-remove'?: (event: IttyRemoveEvent) => void;
  /** A stored file's processing ended: its File object's `status` is `ready` or `failed` (`status-endpoint` or `updateFile()`). */
  'onitty-upload-processed'?: (event: IttyUploadProcessedEvent) => void;
  /** The whole list's progress moved (`progress`): at most once per 50 ms tick, and when a file's status changes. */
  'onitty-queue-progress'?: (event: IttyQueueProgressEvent) => void;
  /** `value` changed by the user or the file lifecycle (a file finished uploading, an uploaded file was removed, a File object was replaced by `updateFile()` or `status-endpoint`), not by setting `value`; bubbles and is composed. */
  onchange?: (event: Event) => void;
}

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
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
     * - **--itty-accent** - Link, button and focus colour (#818cf8 in a dark `color-scheme`). _(default: #4f46e5)_
     * - **--itty-radius** - Corner radius of the media and the card. _(default: 12px)_
     * - **--itty-border** - Border colour of the card (#3f3f46 in a dark `color-scheme`). _(default: #d4d4d8)_
     * - **--itty-background** - Background of the card (#18181b in a dark `color-scheme`). _(default: #ffffff)_
     * - **--itty-foreground** - Text colour (#f4f4f5 in a dark `color-scheme`). _(default: #18181b)_
     * - **--itty-muted** - Colour of the size, type and loading text (#a1a1aa in a dark `color-scheme`). _(default: #5f5f69)_
     * - **--itty-danger** - Colour of the error state (#f87171 in a dark `color-scheme`). _(default: #dc2626)_
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
    'itty-file': Omit<HTMLAttributes<IttyFileElement>, keyof IttyFileElementSvelteProps> & IttyFileElementSvelteProps;
    /**
     * Drop zone, browse button and upload list for direct-to-storage uploads.
     *
     * ### Events
     * - **itty-select** - Files were chosen, dropped or pasted; cancel it to drop them.
     * - **itty-reject** - A file failed `accept`, the size limits, `max-files`, the duplicate rule, `max-total-size`, the image size or duration limits, or `validate`. Unless canceled, it shows as a `rejected` row and is announced.
     * - **itty-upload-start** - An item starts signing.
     * - **itty-upload-progress** - Bytes were sent (at most once per animation frame per item: every 50 ms at most).
     * - **itty-upload-success** - The storage accepted a file; `detail.file` is the File object. With `complete-endpoint`, once the completion call answered, with the app's File object.
     * - **itty-upload-error** - An upload failed for good, after its retries.
     * - **itty-upload-cancel** - An upload was canceled.
     * - **itty-upload-pause** - An upload was paused.
     * - **itty-upload-resume** - A paused upload goes on, or an interrupted one (`persist`) whose file was chosen again.
     * - **itty-queue-complete** - The queue became idle.
     * - **itty-remove** - A `done` file (uploaded now or set through `value`) is about to leave the list by the user's remove button; cancel it to keep the file. Not fired for `remove()` or `clear()` called by code.
     * - **itty-upload-processed** - A stored file's processing ended: its File object's `status` is `ready` or `failed` (`status-endpoint` or `updateFile()`).
     * - **itty-queue-progress** - The whole list's progress moved (`progress`): at most once per 50 ms tick, and when a file's status changes.
     * - **change** - `value` changed by the user or the file lifecycle (a file finished uploading, an uploaded file was removed, a File object was replaced by `updateFile()` or `status-endpoint`), not by setting `value`; bubbles and is composed.
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
     * - **move(id, toIndex)** - Moves the file `id` to `toIndex` (0-based, clamped) of the list, `sortable` or not; the others keep their order, and so do `value`, the form's entries and `itty-queue-complete`'s `succeeded`. Fires no `change` (a user's move does). Rejected rows stay after the files: their ids are not moved.
     * - **clear()** - Empties the list, canceling uploads in flight.
     * - **updateFile(id, file)** - Replaces the File object of the done file `id` (e.g. after the app heard from a webhook): fires `change`, and `itty-upload-processed` when its `status` is `ready` or `failed`.
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
     * - **--itty-accent** - Progress, focus and highlight colour (#818cf8 in a dark `color-scheme`). _(default: #4f46e5)_
     * - **--itty-radius** - Corner radius. _(default: 12px)_
     * - **--itty-border** - Border colour (#3f3f46 in a dark `color-scheme`). _(default: #d4d4d8)_
     * - **--itty-background** - Background colour (#18181b in a dark `color-scheme`). _(default: #ffffff)_
     * - **--itty-foreground** - Text colour (#f4f4f5 in a dark `color-scheme`). _(default: #18181b)_
     * - **--itty-muted** - Secondary text colour (#a1a1aa in a dark `color-scheme`). _(default: #5f5f69)_
     * - **--itty-surface** - Background of the drop zone and thumbnails (#202024 in a dark `color-scheme`). _(default: #f5f5f6)_
     * - **--itty-accent-foreground** - Text on the accent colour, e.g. the browse button (#09090b in a dark `color-scheme`). _(default: #fff)_
     * - **--itty-success** - Colour of finished uploads (#4ade80 in a dark `color-scheme`). _(default: #15803d)_
     * - **--itty-danger** - Error colour (#f87171 in a dark `color-scheme`). _(default: #dc2626)_
     * - **--itty-font** - Font family. _(default: system-ui, sans-serif)_
     * - **--itty-gap** - Spacing unit. _(default: 12px)_
     * - **--itty-thumbnail-size** - Size of the thumbnails in the list. _(default: 40px)_
     *
     * ### CSS parts
     * - **dropzone** - The region that accepts drops; a click on it opens the picker.
     * - **prompt** - The prompt text inside the drop zone.
     * - **browse-button** - The button that opens the file picker (the first tab stop).
     * - **list** - The list of files.
     * - **item** - One row per file; also `item-queued`, `item-signing`, `item-uploading`, `item-finalizing` (the completion call runs), `item-done`, `item-processing` (beside `item-done`: the File object's `status` is `waiting` or `processing`), `item-error`, `item-canceled`, `item-rejected` (a file that failed a rule), `item-interrupted` (an upload of an earlier visit, with `persist`: choose its file again).
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
     * - **page-drop-overlay** - With `drop-target="page"`: the page-wide overlay shown while files are dragged over the page (in the top layer; `drag-invalid` on the host when they cannot match `accept`).
     * - **move-handle** - With `sortable`: the button that moves its row (drag it, or focus it and press ArrowUp / ArrowDown).
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
    'itty-uploader': Omit<HTMLAttributes<IttyUploaderElement>, keyof IttyUploaderElementSvelteProps> & IttyUploaderElementSvelteProps;
  }
}
