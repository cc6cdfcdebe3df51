// The chunked (ittybit resumable, `Content-Range`) upload, loaded by upload.ts only when a file is sent in
// chunks. It imports nothing at run time: upload.ts hands it its tools, so that it bundles as one small file.
import type { toUploadError, UploadError } from './errors.js';
import type { FailurePath, Retry } from './failure.js';
import type { IttyFile, Source, TransportRequest, TransportResponse, UploadTarget } from './types.js';
import type { UploadOptions } from './upload.js';

/** What upload.ts gives the chunked path. */
export interface ChunkTools {
  /** Sends one request under the stall timer; resolves with a 2xx response, or rejects with an `UploadError`. */
  put: (
    request: TransportRequest,
    options: UploadOptions,
    signal: AbortSignal,
    onSent: (sent: number) => void,
  ) => Promise<TransportResponse>;
  retryPolicy: () => Retry;
  toUploadError: typeof toUploadError;
  UploadError: typeof UploadError;
  /** The File object of a successful answer (failure.ts's `parseUploadResponse`, once loaded). */
  parseUploadResponse: (...args: Parameters<FailurePath['parseUploadResponse']>) => Promise<IttyFile>;
}

const withoutQuery = (url: string) => url.split(/[?#]/, 1)[0];

/**
 * The one switch on the kind of target beyond a single PUT: ittybit chunks (here), S3 multipart and presigned POST
 * (multipart.ts, loaded the first time one is used). A GCS resumable session or an Azure block list would be one more
 * case here, in its own module.
 */
export async function send(
  target: UploadTarget,
  source: Source,
  chunkSize: number,
  options: UploadOptions,
  tools: ChunkTools,
): Promise<IttyFile> {
  if (!target.multipart && !target.fields) return uploadChunks(target, source, chunkSize, options, tools);
  // Imported once (a failed import is a retryable `unavailable` error naming the chunk; the next file tries again).
  kinds ??= import('./multipart.js').catch((cause: unknown) => {
    kinds = undefined;
    throw new tools.UploadError('unavailable', `Could not load chunks/multipart-*.js: ${(cause as Error)?.message ?? cause}`, { cause });
  });
  return (await kinds).send(target, source, options, tools);
}
let kinds: Promise<typeof import('./multipart.js')> | undefined;

/**
 * The status probe (an itty-uploader server extension, after GCS resumable uploads): an empty `PUT` with
 * `Content-Range: bytes *\/total`. Resolves with the answer (308 + `Range`: what the storage holds; 201: the file is
 * complete), or undefined when the probe failed or did not answer in the stall time: the record is trusted then.
 */
async function probe(target: UploadTarget, total: number, options: UploadOptions): Promise<TransportResponse | undefined> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal.addEventListener('abort', stop);
  const timer = options.clock.setTimeout(stop, options.stallTimeout || 30000);
  try {
    return await options.transport.send(
      { url: target.url, method: 'PUT', headers: { ...target.headers, 'Content-Range': `bytes */${total}` }, body: null },
      { signal: controller.signal, progress() {} },
    );
  } catch {
    return undefined;
  } finally {
    options.clock.clearTimeout(timer);
    options.signal.removeEventListener('abort', stop);
  }
}

/** The chunks (not the last one: it always goes last) that lie whole within a `Range: bytes=a-b,c-d` answer. */
export function heldChunks(range: string | null, chunkSize: number, total: number): Set<number> {
  const held = new Set<number>();
  const count = Math.ceil(total / chunkSize);
  for (const part of /^bytes=(.*)$/i.exec(range?.trim() ?? '')?.[1]?.split(',') ?? []) {
    const match = /^\s*(\d+)-(\d+)\s*$/.exec(part);
    if (!match) continue;
    const [from, to] = [Number(match[1]), Number(match[2])];
    for (let index = Math.ceil(from / chunkSize); index < count - 1 && (index + 1) * chunkSize - 1 <= to; index++) held.add(index);
  }
  return held;
}

/**
 * Sends `source` as `Content-Range` chunks of `chunkSize`, up to `parallelChunks` at once, the
 * final-position chunk last and alone. A failed chunk is retried alone (`retries` transient failures);
 * a chunk that finds the URL expired has the file signed again and carries on with the chunks not yet acknowledged.
 * With `options.state`, the chunks it lists as acknowledged (by an earlier run through a URL of the same path) are
 * not sent again, and every chunk acknowledged now is added to it.
 * A storage that lost the session (it answers the last chunk with 202, or a chunk with 404 or 410 after others were
 * acknowledged) is sent every chunk once more, after `onSessionLost` with a `session_lost` error.
 */
export async function uploadChunks(
  target: UploadTarget,
  source: Source,
  chunkSize: number,
  options: UploadOptions,
  tools: ChunkTools,
): Promise<IttyFile> {
  const { put, retryPolicy, toUploadError, UploadError, parseUploadResponse } = tools;
  const abortError = () => new UploadError('aborted', 'Upload canceled');
  const { signal, parallelChunks = 3, state = { acked: new Set<number>() } } = options;
  // This module may have loaded while the upload was canceled.
  if (signal.aborted) throw abortError();
  const total = source.size;
  const count = Math.ceil(total / chunkSize);
  // One controller for every chunk of a pass: the first chunk that fails for good cancels its siblings.
  let controller: AbortController;
  const abortAll = () => controller.abort();
  signal.addEventListener('abort', abortAll);
  const inFlight = new Map<number, number>();
  const { acked } = state;
  let acknowledged = 0;
  let current = target;
  let renewal: Promise<UploadTarget | undefined> | undefined;
  // A fresh URL is asked for only after some chunk got through with the previous one: a storage that
  // calls every URL expired (clock skew) fails the upload instead of looping. The chunks sent so far
  // count only if the fresh URL names the same file; otherwise the queue starts the file over.
  let acknowledgedAtRenewal = -1;
  const renew = (used: UploadTarget) => {
    if (current !== used) return current;
    if (!renewal && options.resign && acknowledgedAtRenewal !== acknowledged) {
      acknowledgedAtRenewal = acknowledged;
      renewal = options
        .resign()
        .then((fresh) => {
          if (withoutQuery(fresh.url) !== withoutQuery(used.url)) return undefined;
          current = state.target = fresh;
          // The record follows: after a reload, the upload goes on through the URL that holds its session now.
          void options.onAck?.(state, source);
          return fresh;
        })
        .finally(() => (renewal = undefined));
    }
    return renewal;
  };

  const report = () => {
    let sending = 0;
    for (const sent of inFlight.values()) sending += sent;
    options.onProgress?.(acknowledged + sending, total);
  };

  // The storage no longer has the chunks it acknowledged (`status`: how it said so): say so, then start again from 0
  // (an explicit restart).
  const lose = (status?: number) => {
    options.onSessionLost?.(new UploadError('session_lost', 'The storage lost the chunks it had acknowledged', { status }));
    acked.clear();
    acknowledged = 0;
    report();
    options.onAck?.(state, source);
  };
  // Chunks acknowledged by an earlier run count only through a URL of the same path (the queue keeps their chunk size).
  if (acked.size && state.url !== withoutQuery(target.url)) lose();
  Object.assign(state, { target, url: withoutQuery(target.url), chunkSize });
  if (state.probe) {
    // A record of an earlier visit: what the storage holds is the truth (chunks acknowledged just before a reload
    // count; chunks it forgot are sent again).
    state.probe = false;
    // A probe lost to a transient failure (a storage restarting, the network gone) is asked again after the retry
    // policy's backoff, at least twice: the record alone may lag the storage by the chunks that were in flight, and
    // chunks sent again to an upload the storage completed meanwhile would start a new one.
    const retry = retryPolicy();
    let response: TransportResponse | undefined;
    for (;;) {
      response = await probe(target, total, options);
      if (signal.aborted || (response && response.status < 500 && response.status !== 408 && response.status !== 429)) break;
      try {
        await retry(new UploadError('network', 'No answer to the status probe'), {
          ...options,
          retries: Math.max(2, options.retries ?? 3),
        });
      } catch {
        break;
      }
    }
    if (signal.aborted) throw abortError();
    if (response?.status === 201) return await parseUploadResponse(response, { target, source });
    if (response?.status === 308) {
      const held = heldChunks(response.header('Range'), chunkSize, total);
      if (acked.size && !held.size) lose(308);
      acked.clear();
      for (const index of held) acked.add(index);
    }
  }
  // The record of this upload is written before its first byte goes: a reload then finds the URL the bytes went to.
  await options.onAck?.(state, source);
  if (signal.aborted) throw abortError();
  for (const index of acked) acknowledged += Math.min(chunkSize, total - index * chunkSize);

  const sendChunk = async (index: number): Promise<TransportResponse> => {
    const start = index * chunkSize;
    const end = Math.min(start + chunkSize, total);
    // Each chunk has its own retries; an expired URL is renewed once for every chunk that found it expired.
    const retry = retryPolicy();
    for (;;) {
      const used = current;
      const request = {
        url: used.url,
        method: 'PUT',
        headers: { ...used.headers, 'Content-Range': `bytes ${start}-${end - 1}/${total}` },
        body: source.slice(start, end),
      };
      try {
        const response = await put(request, options, controller.signal, (sent) => {
          inFlight.set(index, Math.min(sent, end - start));
          report();
        });
        inFlight.delete(index);
        // A last chunk answered 202 is not acknowledged: the storage lost the others, and the restart reports 0 next.
        if (index < count - 1 || response.status != 202) {
          acknowledged += end - start;
          acked.add(index);
          report();
          // The last chunk's answer ends the upload (its record goes): nothing to write down.
          if (index < count - 1) options.onAck?.(state, source);
        }
        return response;
      } catch (error) {
        // Progress drops back by this chunk's bytes in flight, never more.
        if (inFlight.delete(index)) report();
        // Offline, it waits for the network instead of spending this chunk's retries (and losing the chunks acknowledged).
        await retry(error as UploadError, { ...options, signal: controller.signal, renew: () => renew(used) });
      }
    }
  };

  try {
    for (let pass = 0; ; pass++) {
      controller = new AbortController();
      let next = 0;
      let failed: UploadError | undefined;
      // 201 to another chunk than the last: the storage already had the rest (from an earlier pass or attempt).
      let created: TransportResponse | undefined;
      const worker = async () => {
        for (;;) {
          while (acked.has(next)) next++;
          if (failed || created || next >= count - 1) return;
          try {
            const response = await sendChunk(next++);
            if (response.status === 201) created = response;
          } catch (error) {
            failed ??= toUploadError(error, 'upload_failed');
            controller.abort();
          }
        }
      };
      let status: number | undefined;
      try {
        await Promise.all(Array.from({ length: Math.max(1, Math.min(Math.floor(parallelChunks) || 1, count - 1)) }, worker));
        if (failed) throw failed;
        // The final-position chunk goes last and alone, so the server sees every other byte before it completes the file.
        const response = created ?? (await sendChunk(count - 1));
        if (response.status !== 202) return await parseUploadResponse(response, { target: current, source });
        // 202 to the last chunk: the storage is missing bytes it was sent, so it lost the session (a restart, or it
        // completed the file and forgot it before the retry of a last chunk whose 201 was lost).
        status = 202;
      } catch (error) {
        const failure = toUploadError(error, 'upload_failed');
        if (signal.aborted) throw abortError();
        // 404 or 410 after chunks were acknowledged: the storage no longer knows the upload.
        status = failure.status;
        if (!acknowledged || (status !== 404 && status !== 410)) throw failure;
      }
      // Sent all once more, and still lost: give up.
      if (pass) throw new UploadError('upload_failed', 'The storage did not complete the file after its last chunk', { status });
      lose(status);
    }
  } finally {
    signal.removeEventListener('abort', abortAll);
  }
}
