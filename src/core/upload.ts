import { abortError, toUploadError, UploadError } from './errors.js';
import { errorFromResponse, parseUploadResponse } from './response.js';
import { backoffDelay, sleep, withStallTimer } from './retry.js';
import type { Clock, IttyFile, Source, Transport, TransportRequest, TransportResponse, UploadTarget } from './types.js';

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
  /** Retries of each failed chunk (transient failures only). Default 3. A single PUT is retried by the queue. */
  retries?: number;
  /** A request with no progress for this many ms is aborted and fails with `timeout`. Default 30000; 0 = never. */
  stallTimeout?: number;
  /**
   * Signs the file again. Chunked uploads call it when a chunk finds the URL expired, and carry on
   * with the chunks not yet acknowledged, so an upload may outlive its URL.
   */
  resign?(): Promise<UploadTarget>;
  /** Bytes sent so far (acknowledged plus in flight) of `total`. */
  onProgress?(loaded: number, total: number): void;
}

const isOk = (status: number) => status >= 200 && status <= 299;
const withoutQuery = (url: string) => url.split(/[?#]/, 1)[0];

// One request under the stall timer; progress after it settled is ignored.
const send = (request: TransportRequest, options: UploadOptions, signal: AbortSignal, onSent: (sent: number) => void) =>
  withStallTimer<TransportResponse>(
    (requestSignal, touch) =>
      options.transport.send(request, { signal: requestSignal, progress: (sent) => touch() && onSent(sent) }),
    { clock: options.clock, signal, stallTimeout: options.stallTimeout },
  ).catch((error: unknown) => {
    throw toUploadError(error, 'network');
  });

/**
 * Uploads one source to a signed target and resolves with the File object.
 * One PUT, unless the target is resumable, `chunkSize` is set and the source is larger: then
 * `Content-Range` chunks, up to `parallelChunks` at once, the final-position chunk last and alone.
 * Rejects with an `UploadError` (`aborted` when `signal` aborts).
 */
export async function uploadSource(target: UploadTarget, source: Source, options: UploadOptions): Promise<IttyFile> {
  if (options.signal.aborted) throw abortError();
  const chunkSize = Math.floor(options.chunkSize ?? 0);
  if (target.resumable && chunkSize > 0 && source.size > chunkSize) return uploadChunks(target, source, chunkSize, options);

  const headers = { ...target.headers };
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  // A typeless view, so the browser adds no Content-Type that a presigned URL did not sign (protocol.md §7.3).
  const body = target.resumable || hasContentType ? source : source.slice(0, source.size, '');
  const request = { url: target.url, method: target.method ?? 'PUT', headers, body };
  const response = await send(request, options, options.signal, (sent) =>
    options.onProgress?.(Math.min(sent, source.size), source.size),
  );
  if (!isOk(response.status)) throw errorFromResponse(response, 'upload_failed', options.clock.now());
  return parseUploadResponse(response, { target, source });
}

async function uploadChunks(target: UploadTarget, source: Source, chunkSize: number, options: UploadOptions): Promise<IttyFile> {
  const { signal, retries = 3, parallelChunks = 3 } = options;
  const total = source.size;
  const count = Math.ceil(total / chunkSize);
  // One controller for every chunk: the first chunk that fails for good cancels its siblings.
  const controller = new AbortController();
  const abortAll = () => controller.abort();
  signal.addEventListener('abort', abortAll);
  const inFlight = new Map<number, number>();
  let acknowledged = 0;
  let current = target;
  let renewal: Promise<UploadTarget | undefined> | undefined;
  // A fresh URL is asked for only after some chunk got through with the previous one: a storage that
  // calls every URL expired (clock skew) fails the upload instead of looping. The chunks sent so far
  // count only if the fresh URL names the same file; otherwise the queue starts the file over.
  let acknowledgedAtRenewal = -1;
  const renew = (used: UploadTarget): Promise<UploadTarget | undefined> | undefined => {
    if (current !== used) return Promise.resolve(current);
    if (renewal) return renewal;
    if (!options.resign || acknowledgedAtRenewal === acknowledged) return undefined;
    acknowledgedAtRenewal = acknowledged;
    return (renewal = options.resign().then(
      (fresh) => {
        renewal = undefined;
        if (withoutQuery(fresh.url) !== withoutQuery(used.url)) return undefined;
        return (current = fresh);
      },
      (error: unknown) => {
        renewal = undefined;
        throw error;
      },
    ));
  };

  const report = () => {
    let sending = 0;
    for (const sent of inFlight.values()) sending += sent;
    options.onProgress?.(acknowledged + sending, total);
  };

  const sendChunk = async (index: number): Promise<TransportResponse> => {
    const start = index * chunkSize;
    const end = Math.min(start + chunkSize, total);
    for (let attempt = 0; ; attempt += 1) {
      const used = current;
      const request = {
        url: used.url,
        method: used.method ?? 'PUT',
        headers: { ...used.headers, 'Content-Range': `bytes ${start}-${end - 1}/${total}` },
        body: source.slice(start, end),
      };
      try {
        const response = await send(request, options, controller.signal, (sent) => {
          inFlight.set(index, Math.min(sent, end - start));
          report();
        });
        if (!isOk(response.status)) throw errorFromResponse(response, 'upload_failed', options.clock.now());
        inFlight.delete(index);
        acknowledged += end - start;
        report();
        return response;
      } catch (error) {
        // Progress drops back by this chunk's bytes in flight, never more.
        if (inFlight.delete(index)) report();
        const failure = toUploadError(error, 'upload_failed');
        const fresh = failure.code === 'expired' && !controller.signal.aborted ? renew(used) : undefined;
        if (fresh && (await fresh)) {
          attempt -= 1; // a renewed URL is not a retry
          continue;
        }
        if (controller.signal.aborted || !failure.retryable || attempt >= retries) throw failure;
        await sleep(backoffDelay(attempt + 1, { random: options.random, retryAfter: failure.retryAfter }), options.clock, controller.signal);
      }
    }
  };

  try {
    let next = 0;
    let failure: UploadError | undefined;
    const worker = async () => {
      while (!failure && next < count - 1) {
        const index = next++;
        try {
          await sendChunk(index);
        } catch (error) {
          failure ??= toUploadError(error, 'upload_failed');
          controller.abort();
        }
      }
    };
    const workers = Math.max(1, Math.min(Math.floor(parallelChunks) || 1, count - 1));
    await Promise.all(Array.from({ length: workers }, worker));
    if (signal.aborted) throw abortError();
    if (failure) throw failure;
    // The final-position chunk goes last and alone, so the server sees every other byte before it completes the file.
    const response = await sendChunk(count - 1);
    // 202 to the last chunk: the storage is still missing bytes, whatever it was sent.
    if (response.status === 202) {
      throw new UploadError('upload_failed', 'The storage did not complete the file after its last chunk', { status: 202 });
    }
    return parseUploadResponse(response, { target: current, source });
  } finally {
    signal.removeEventListener('abort', abortAll);
  }
}
