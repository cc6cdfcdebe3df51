import type { ChunkTools } from './chunked.js';
import { abortError, toUploadError, UploadError } from './errors.js';
import { failedAnswer, lazyRetryPolicy, loadFailure } from './failure-loader.js';
import { withStallTimer, type Activity } from './stall.js';
import { checkTarget, isOk, lazy } from './shared.js';
import type {
  Clock,
  IttyFile,
  MultipartSession,
  SignFunction,
  Source,
  Transport,
  TransportRequest,
  TransportResponse,
  UploadTarget,
} from './types.js';

export interface UploadOptions {
  transport: Transport;
  clock: Clock;
  /** Returns a number in [0, 1), for backoff jitter. */
  random: () => number;
  signal: AbortSignal;
  /** Bytes per chunk for resumable (ittybit) targets; unset = one PUT. */
  chunkSize?: number;
  /** Chunks of this file in flight at once. Default 3. */
  parallelChunks?: number;
  /** Retries of each failed chunk (transient failures, as `retryPolicy` says). Default 3. A single PUT is retried by the queue. */
  retries?: number;
  /** A request with no progress for this many ms is aborted and fails with `timeout`. Default 30000; 0 = never. */
  stallTimeout?: number;
  /** Shared by the requests of one queue: progress of any of them keeps the others from stalling. */
  activity?: Activity;
  /**
   * Signs the file again. Chunked uploads call it when a chunk finds the URL expired, and carry on
   * with the chunks not yet acknowledged, so an upload may outlive its URL.
   */
  resign?(): Promise<UploadTarget>;
  /** As the queue's: a chunk that fails while offline waits for it instead of using up a retry. */
  whenOnline?(signal: AbortSignal): Promise<void> | undefined;
  /** Bytes sent so far (acknowledged plus in flight) of `total`. */
  onProgress?(loaded: number, total: number): void;
  /**
   * What a chunked upload keeps between its runs (a pause, a failure, `retry()`): the chunked path reads it and
   * updates it as chunks are acknowledged, and sends only the chunks it does not list.
   */
  state?: ResumeState;
  /** The storage forgot the chunks it had acknowledged (`session_lost`): the file starts again from 0, after this call. */
  onSessionLost?(error: UploadError): void;
  /** (v2) The signer (the queue's): an S3 multipart upload sends its actions (sign-parts, complete, …) through it. */
  sign?: SignFunction<never>;
  /**
   * `state` changed: a resumable upload chose its target, or the storage acknowledged a chunk (or forgot them all).
   * What a resume store writes down (`persist`); called with the file, so one callback serves a whole queue. The
   * first call, before any chunk goes, is awaited when it returns a promise (keep it short: chunks wait for it).
   */
  onAck?(state: ResumeState, source: Source): undefined | Promise<unknown>;
}

/**
 * The kept progress of one resumable upload.
 * (v2) For an S3 multipart upload (SPEC §5.4): `target` holds the session (`target.multipart`: uploadId, key, partSize),
 * `chunkSize` the part size used, `acked` the indexes (PartNumber − 1) of the parts the storage took, and `parts` their
 * ETags and sizes by PartNumber: what `complete` needs, and what a store (`persist`) keeps to resume after a reload.
 */
export interface ResumeState {
  /** The target the chunks went to, reused while valid; unset: sign again. */
  target?: UploadTarget;
  /** That target's URL without its query: the chunks count only through a URL of the same path. */
  url?: string;
  chunkSize?: number;
  /** Indexes of the chunks the storage acknowledged (202), or of the parts it took (PartNumber − 1). */
  acked: Set<number>;
  /** (v2) Multipart: the upload `acked` and `parts` belong to (parts of another upload do not count). */
  multipart?: MultipartSession;
  /** (v2) Multipart: the ETag and size of each part the storage took, by PartNumber (in step with `acked`). */
  parts?: Map<number, { etag: string; size: number }>;
  /**
   * (v2) Called once when the queue forgets this upload for good (cancel, remove, clear): a multipart upload sends its
   * `abort` then, fire-and-forget, so that no parts are left to pay for.
   */
  discard?(): void;
  /**
   * Restored from a record of an earlier visit (`persist`): before sending, ask the storage what it holds (the status
   * probe, `Content-Range: bytes *\/total`) and trust its answer over the record's chunks.
   */
  probe?: boolean;
}

/**
 * Sends one request under the stall timer (progress after it settled is ignored) and resolves with a 2xx
 * response; rejects with an `UploadError` for any other status, a network failure, a stall or an abort.
 */
const put = (request: TransportRequest, options: UploadOptions, signal: AbortSignal, onSent: (sent: number) => void) =>
  withStallTimer<TransportResponse>(
    (requestSignal, touch) => options.transport.send(request, { signal: requestSignal, progress: (sent) => touch() && onSent(sent) }),
    { clock: options.clock, signal, stallTimeout: options.stallTimeout, activity: options.activity },
  ).then(
    async (response) => {
      if (isOk(response.status)) return response;
      // The failure path loads now (failure-loader.ts), unless the signing step already brought it.
      throw await failedAnswer(response, options.clock.now());
    },
    (error: unknown) => {
      throw toUploadError(error, 'network');
    },
  );

// The chunked path is loaded the first time a file is sent in chunks (or to a multipart or POST target, which it
// routes on to multipart.ts): most pages never set a chunk size.
// It gets what it needs from here, so a bundler can make it one small file that imports nothing.
const loadChunked = lazy(() => import('./chunked.js'), 'chunked');
// The storage's answer is read by failure.ts: the elements load it with the signing step, so it is there by now.
const parseUploadResponse: ChunkTools['parseUploadResponse'] = async (response, context) =>
  (await loadFailure()).parseUploadResponse(response, context);
const tools: ChunkTools = { put, retryPolicy: lazyRetryPolicy, toUploadError, UploadError, parseUploadResponse };

/**
 * Uploads one source to a signed target and resolves with the File object.
 * One PUT, unless the target is resumable, `chunkSize` is set and the source is larger: then
 * `Content-Range` chunks, up to `parallelChunks` at once, the final-position chunk last and alone. (v2) An S3 multipart
 * target (`multipart`) goes by parts (SPEC §5.4), a presigned POST (`fields`) as a form (SPEC §5.5).
 * Rejects with an `UploadError` (`aborted` when `signal` aborts, `invalid_target` for a target that is not an http(s)
 * URL sent with PUT).
 */
export async function uploadSource(target: UploadTarget, source: Source, options: UploadOptions): Promise<IttyFile> {
  if (options.signal.aborted) throw abortError();
  checkTarget(target);
  const chunkSize = Math.floor(options.chunkSize ?? 0);
  // Every kind of target but one PUT goes through chunked.ts's `send` (ittybit chunks; S3 multipart and presigned POST).
  if (target.multipart || target.fields || (target.resumable && chunkSize > 0 && source.size > chunkSize)) {
    return (await loadChunked()).send(target, source, chunkSize, options, tools);
  }
  const headers = { ...target.headers };
  // A typeless view, so the browser adds no Content-Type that a presigned URL did not sign (protocol.md §7.3).
  const body =
    target.resumable || Object.keys(headers).some((name) => /^content-type$/i.test(name)) ? source : source.slice(0, source.size, '');
  const response = await put({ url: target.url, method: 'PUT', headers, body }, options, options.signal, (sent) =>
    options.onProgress?.(Math.min(sent, source.size), source.size),
  );
  return await parseUploadResponse(response, { target, source });
}
