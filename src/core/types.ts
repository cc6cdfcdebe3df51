import type { UploadError } from './errors.js';

/**
 * The File object the ittybit API returns after an upload (protocol.md §4.3).
 * The DOM `File` a user picked is always called `source`; this type is always called `file`.
 * Unknown fields are kept.
 */
export interface IttyFile {
  url: string;
  type: string;
  filesize: number;
  kind: 'image' | 'video' | 'audio' | 'other' | (string & {});
  id?: string;
  media_id?: string;
  object?: string;
  width?: number;
  height?: number;
  duration?: number;
  fps?: number;
  frames?: number;
  bitrate?: number;
  codec?: string;
  container?: string;
  orientation?: string;
  rotation?: number;
  transparency?: boolean;
  animated?: boolean;
  language?: string;
  label?: string;
  ref?: string;
  filename?: string;
  folder?: string;
  placeholder?: string;
  background?: string;
  metadata?: Record<string, unknown>;
  original?: boolean;
  created_by?: string;
  created?: string;
  updated?: string;
  status?: 'waiting' | 'processing' | 'ready' | 'failed' | (string & {});
  etag?: string;
  [field: string]: unknown;
}

/** What the core needs of a file. A DOM `File` (or `Blob` with a name) already is one. */
export interface Source {
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly lastModified?: number;
  /** Blob.slice: a view of bytes, never a copy into memory. */
  slice(start?: number, end?: number, contentType?: string): unknown;
}

/**
 * Where and how to send one file. Returned (or built) from the signing endpoint's answer.
 * `resumable` is true for ittybit targets (they accept `Content-Range` chunks); generic presigned
 * URLs (S3, GCS, R2, Azure) are never sent `Content-Range`.
 */
export interface UploadTarget {
  url: string;
  method?: 'PUT' | 'POST' | (string & {});
  headers?: Record<string, string>;
  resumable?: boolean;
  /**
   * Unix seconds after which the URL no longer works (ittybit `expiry`), when known, on this device's clock: when the
   * signing answer's `Date` header is readable (same origin, or `Access-Control-Expose-Headers: Date`), the signer
   * moves the endpoint's expiry by the offset between that date and the device clock (SPEC §5.1 Clocks).
   */
  expiry?: number;
  /**
   * (v2) A presigned POST (SPEC §5.5, `method: 'POST'`): the form fields, sent in this order before the file (`file`).
   * A POST target without fields is refused (`invalid_target`).
   */
  fields?: Record<string, string>;
  /**
   * (v2) An S3 multipart upload (SPEC §5.4): its parts are signed, completed and aborted through the signer's endpoint
   * (`SignFunction` with `ctx.action`); `url` is that endpoint.
   */
  multipart?: MultipartSession;
}

/** (v2) The multipart upload a signing endpoint created (SPEC §5.4). */
export interface MultipartSession {
  uploadId: string;
  key: string;
  /** Bytes per part, as the endpoint chose (grown by the element only past 10,000 parts). */
  partSize: number;
}

/** One HTTP request the core asks a transport to send. */
export interface TransportRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** A Blob/File (or a slice of one). Sent as it is, never read into memory. */
  body: unknown;
}

export interface TransportResponse {
  status: number;
  /**
   * Response body as text ('' when none). A transport may stop reading once it is longer than `MAX_ANSWER_SIZE`
   * and hand over what came so far: the core refuses a text that long.
   */
  text: string;
  /** Reads a response header; null when absent or not exposed by CORS. */
  header(name: string): string | null;
}

export interface TransportIO {
  signal: AbortSignal;
  /** Called as bytes of this request's body go out. */
  progress(sent: number, total: number): void;
}

/**
 * Sends one request. Resolves with any HTTP status; rejects only with an `UploadError`
 * whose code is `network` (connection failed or dropped) or `aborted` (the signal fired).
 */
export interface Transport {
  send(request: TransportRequest, io: TransportIO): Promise<TransportResponse>;
}

/** Timers and time, injected so tests never wait on real ones. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type UploadStatus = 'queued' | 'signing' | 'uploading' | 'paused' | 'finalizing' | 'done' | 'error' | 'canceled';

interface ItemBase<S extends Source> {
  readonly id: string;
  readonly source: S;
  readonly relativePath?: string;
  /**
   * Bytes sent so far (acknowledged plus in flight). A `paused` item's is what `resume` goes on from: the bytes the
   * storage acknowledged (chunks), 0 for a single PUT, which starts again.
   */
  readonly loaded: number;
  readonly total: number;
  /**
   * What happened to this upload that is not its outcome: a `session_lost` UploadError each time the storage forgot
   * the chunks it had acknowledged and the file started again from 0. Absent when nothing happened.
   */
  readonly history?: readonly UploadError[];
  /** (v2) The file's metadata (`meta`): sent with the signing request and the completion call. */
  readonly meta?: Record<string, string>;
}

/**
 * (v2) A file already stored, set through `value` (an edit form): `done`, with its File object and no `source`.
 * Its `loaded` and `total` are the File object's `filesize`.
 */
export type StoredItem = Omit<ItemBase<Source>, 'source'> & {
  readonly status: 'done';
  readonly source?: undefined;
  readonly file: IttyFile;
};

/** One file in the list: a discriminated union on `status`. */
export type UploadItem<S extends Source = Source> =
  | (ItemBase<S> & { readonly status: 'queued' | 'signing' | 'uploading' | 'paused' | 'canceled' })
  | (ItemBase<S> & { readonly status: 'done'; readonly file: IttyFile })
  // (v2) Stored: the completion call (`complete-endpoint`) is running.
  | (ItemBase<S> & { readonly status: 'finalizing'; readonly file: IttyFile })
  | StoredItem
  | (ItemBase<S> & { readonly status: 'error'; readonly error: UploadError })
  | RejectedItem<S>
  | InterruptedItem;

/**
 * (v2) A persisted upload from an earlier visit (`persist`, SPEC §3.6) whose file must be chosen again: its
 * fingerprint's `name` and `size`, and the bytes the storage acknowledged (`loaded`). No `source`. The queue never
 * holds one: the element keeps them until a matching file is chosen (it then resumes) or the row is removed.
 */
export interface InterruptedItem {
  readonly id: string;
  readonly status: 'interrupted';
  readonly name: string;
  readonly size: number;
  readonly source?: undefined;
  readonly relativePath?: string;
  readonly loaded: number;
  readonly total: number;
  readonly history?: readonly UploadError[];
  /** The metadata recorded with the upload (`meta`). */
  readonly meta?: Record<string, string>;
}

/**
 * (v2) A file that failed a rule (`itty-reject`): shown in the element's list with `reason` and `message` (the words
 * the user reads), never uploaded, not part of `value`. The queue never holds one: the element keeps them.
 */
export type RejectedItem<S extends Source = Source> = ItemBase<S> & {
  readonly status: 'rejected';
  readonly reason: RejectReason;
  readonly message: string;
};

export type RejectReason = 'type' | 'size' | 'count' | 'duplicate' | 'dimensions' | 'duration' | 'total-size' | 'custom';

export interface Rejection<S extends Source = Source> {
  source: S;
  reason: RejectReason;
  message: string;
}

/**
 * Signs one file: returns where to send it. Called right before the PUT, never at selection.
 * (v2) A signer whose targets are S3 multipart uploads (`multipart`) is also called with `ctx.action`: the JSON body of
 * a multipart action (SPEC §5.4: `sign-parts`, `complete`, `abort`, `list-parts`) to send to its endpoint; it then
 * resolves with the endpoint's parsed JSON answer instead of a target (`createSigner` does both).
 */
export type SignFunction<S extends Source = Source> = (
  source: S,
  ctx: { signal: AbortSignal; relativePath?: string; meta?: Record<string, string>; action?: MultipartAction },
) => Promise<UploadTarget>;

/** (v2) The body of one multipart action (SPEC §5.4), sent as JSON to the signing endpoint. */
export type MultipartAction = { action: 'sign-parts' | 'complete' | 'abort' | 'list-parts'; uploadId: string; key: string } & Record<
  string,
  unknown
>;
