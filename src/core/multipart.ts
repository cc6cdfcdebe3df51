// The kinds of target beyond one PUT and ittybit chunks, loaded by chunked.ts's `send` (the one switch on the kind of
// target) the first time one is used (the CDN bundle's `chunks/multipart-*.js`): S3 multipart uploads (SPEC §5.4) and
// presigned POSTs (SPEC §5.5). It imports nothing at run time: upload.ts hands it its tools, as it does to the chunked
// path.
import type { ChunkTools } from './chunked.js';
import type { UploadError } from './errors.js';
import type { Json } from './failure.js';
import type { IttyFile, MultipartAction, MultipartSession, Source, UploadTarget } from './types.js';
import type { ResumeState, UploadOptions } from './upload.js';

/** S3's most parts for one upload: past it, the part size grows. */
export const MAX_PARTS = 10_000;
const MiB = 2 ** 20;

/** Sends `source` to an S3 multipart target, or as a presigned POST. */
export function send(target: UploadTarget, source: Source, options: UploadOptions, tools: ChunkTools): Promise<IttyFile> {
  return target.multipart ? uploadParts(target, source, options, tools) : postForm(target, source, options, tools);
}

/**
 * A presigned POST (SPEC §5.5): `multipart/form-data` with every field in the order given, then the file as `file`.
 * Any 2xx is success (S3 answers 204, or 201 with XML); the File object is built locally, its `url` the target URL
 * joined with the `key` field (S3's `${filename}` in it replaced by the file's name).
 */
async function postForm(target: UploadTarget, source: Source, options: UploadOptions, tools: ChunkTools): Promise<IttyFile> {
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields!)) form.append(name, value);
  form.append('file', source as unknown as Blob, source.name);
  // The browser writes the form's Content-Type (with its boundary): a signer's would break the body.
  const headers = Object.fromEntries(Object.entries(target.headers ?? {}).filter(([name]) => !/^content-type$/i.test(name)));
  const response = await tools.put({ url: target.url, method: 'POST', headers, body: form }, options, options.signal, (sent) =>
    options.onProgress?.(Math.min(sent, source.size), source.size),
  );
  // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's own placeholder in a POST key, not a template.
  const key = target.fields!.key?.replace('${filename}', source.name);
  const base = target.url.split(/[?#]/, 1)[0]!.replace(/\/?$/, '/');
  const url = key ? new URL(key.split('/').map(encodeURIComponent).join('/'), base).href : base;
  return tools.parseUploadResponse(response, { target: { url }, source });
}

const unquote = (etag: unknown) => String(etag).replace(/"/g, '');

/**
 * Sends `source` as the parts of an S3 multipart upload (SPEC §5.4) and completes it: part URLs signed just in time in
 * batches (`sign-parts`), up to `parallelChunks` parts at once, each part retried alone by the one retry policy (an
 * expired part URL signed again once, at once), its `ETag` read from the answer, then `complete`.
 * With `options.state` (the queue's ResumeState) the upload goes on across runs: a later run of the same upload asks
 * `list-parts` and sends only the parts the storage does not hold as recorded; the state's `discard` aborts the upload.
 * An upload the storage no longer knows (404) starts once more as a new one, after `onSessionLost`.
 */
async function uploadParts(target: UploadTarget, source: Source, options: UploadOptions, tools: ChunkTools): Promise<IttyFile> {
  const { put, retryPolicy, toUploadError, UploadError, parseUploadResponse } = tools;
  const abortError = () => new UploadError('aborted', 'Upload canceled');
  const { signal, parallelChunks = 3, clock, stallTimeout = 30000 } = options;
  const state: ResumeState = options.state ?? { acked: new Set() };
  const sign = options.sign;
  if (signal.aborted) throw abortError();
  if (!sign) throw new UploadError('sign_failed', 'S3 multipart needs the signer that made its target');
  const total = source.size;
  let session = target.multipart!;
  let partSize = 0;
  let count = 0;
  const sizeOf = (number: number) => Math.max(0, Math.min(partSize, total - (number - 1) * partSize));

  // One multipart action at the endpoint, under its own retry policy and stall timer.
  const act = async (action: MultipartAction['action'], extra: Json = {}, actSignal = signal): Promise<Json> => {
    const retry = retryPolicy();
    for (;;) {
      const controller = new AbortController();
      const stop = () => controller.abort();
      actSignal.addEventListener('abort', stop);
      let timedOut = false;
      const timer =
        stallTimeout > 0 && stallTimeout < 2 ** 31
          ? clock.setTimeout(() => {
              timedOut = true;
              controller.abort();
            }, stallTimeout)
          : undefined;
      try {
        const body = { action, uploadId: session.uploadId, key: session.key, ...extra };
        return (await sign(source as never, { signal: controller.signal, action: body })) as unknown as Json;
      } catch (error) {
        const failure = timedOut
          ? new UploadError('timeout', `No response for ${stallTimeout / 1000} s`)
          : toUploadError(error, 'sign_failed');
        await retry(failure, { ...options, signal: actSignal });
      } finally {
        clock.clearTimeout(timer);
        actSignal.removeEventListener('abort', stop);
      }
    }
  };

  // Takes `next` as this run's upload. Parts recorded for another upload do not count: that one is aborted.
  const abort = (old: MultipartSession) =>
    void sign(source as never, {
      signal: new AbortController().signal,
      action: { action: 'abort', uploadId: old.uploadId, key: old.key },
    }).catch(() => {});
  const adopt = (next: MultipartSession) => {
    const same = state.multipart?.uploadId === next.uploadId;
    if (!same) {
      // A state restored from a record (`persist`) has no `discard`: its upload is aborted here.
      if (state.discard) state.discard();
      else if (state.multipart) abort(state.multipart);
      state.acked.clear();
      state.parts = new Map();
      state.chunkSize = undefined;
    }
    state.parts ??= new Map();
    session = state.multipart = next;
    state.target = { ...target, multipart: next };
    // The part size as given, grown only when the file would need more than 10,000 parts; kept across runs.
    partSize = state.chunkSize ?? next.partSize;
    if (Math.ceil(total / partSize) > MAX_PARTS) partSize = Math.ceil(total / MAX_PARTS / MiB) * MiB;
    state.chunkSize = partSize;
    count = Math.max(1, Math.ceil(total / partSize));
    // Sent once, fire-and-forget, whatever cancels or removes the file (and never as an unhandled rejection).
    let sent = false;
    state.discard = () => {
      if (sent) return;
      sent = true;
      abort(next);
    };
    return same;
  };

  const record = (number: number, etag: string, size: number) => {
    state.parts!.set(number, { etag, size });
    state.acked.add(number - 1);
  };
  const drop = (number: number) => {
    state.parts!.delete(number);
    state.acked.delete(number - 1);
  };

  // A later run of the same upload: the parts the storage holds as recorded count; the others are sent (again).
  const reconcile = async () => {
    const answer = await act('list-parts');
    const listed = new Map<number, Json>();
    for (const part of Array.isArray(answer.parts) ? (answer.parts as Json[]) : []) listed.set(part.PartNumber as number, part);
    const known = new Set(state.parts!.keys());
    for (const [number, part] of state.parts!) {
      const there = listed.get(number);
      if (!there || unquote(there.ETag) !== unquote(part.etag) || there.Size !== sizeOf(number) || part.size !== sizeOf(number))
        drop(number);
    }
    // Parts whose answer was lost (a pause or a failure while it came back): taken when their size is right.
    for (const [number, part] of listed) {
      if (!known.has(number) && number >= 1 && number <= count && part.Size === sizeOf(number) && typeof part.ETag == 'string' && part.ETag)
        record(number, part.ETag, sizeOf(number));
    }
  };

  const inFlight = new Map<number, number>();
  const report = () => {
    let loaded = 0;
    for (const part of state.parts!.values()) loaded += part.size;
    for (const sent of inFlight.values()) loaded += sent;
    options.onProgress?.(Math.min(loaded, total), total);
  };

  // Part URLs, signed just in time in batches: the part asked for and the next ones not yet signed or sent.
  const batchSize = Math.min(100, Math.max(4, Math.floor(parallelChunks) * 2));
  let urls = new Map<number, Promise<{ url: string; headers?: Record<string, string>; expiry?: number }>>();
  // The batches' `expiry`, on the device clock when the endpoint's Date header was readable (the signer moved it). A
  // batch that looks expired as it arrives says our clock cannot judge these URLs: then only the store's 403 does.
  let clockOff = false;
  const now = () => clock.now() / 1000;
  const urlOf = (number: number, passSignal: AbortSignal) => {
    if (!urls.has(number)) {
      const numbers: number[] = [];
      for (let n = number; n <= count && numbers.length < batchSize; n++) if (!state.acked.has(n - 1) && !urls.has(n)) numbers.push(n);
      const batch = act('sign-parts', { partNumbers: numbers }, passSignal);
      for (const n of numbers) {
        const one = batch.then((answer) => {
          const url = (answer.urls as Json | undefined)?.[n];
          if (typeof url != 'string' || !/^https?:/i.test(url))
            throw new UploadError('invalid_response', `The endpoint signed no URL for part ${n}`);
          const headers = (answer.headers as Json | undefined)?.[n] as Record<string, string> | undefined;
          const expiry = answer.expiry as number | undefined;
          if (expiry! <= now()) clockOff = true;
          return { url, headers, expiry };
        });
        // Awaited by its part when it is sent; a batch that failed is not an unhandled rejection for the others.
        one.catch(() => {});
        urls.set(n, one);
      }
    }
    return urls.get(number)!;
  };

  const sendPart = async (number: number, passSignal: AbortSignal) => {
    const start = (number - 1) * partSize;
    const end = start + sizeOf(number);
    const retry = retryPolicy();
    // A part URL found expired is signed again once, at once; a fresh one also "expired" means the storage and the
    // signer disagree about the time: final, never a loop.
    let renewed = false;
    for (;;) {
      try {
        const part = await urlOf(number, passSignal);
        // Expired by our clock (with the endpoint's offset) before it was used: signed again once, no request wasted.
        if (!clockOff && part.expiry! < now() && !renewed) {
          renewed = true;
          urls.delete(number);
          continue;
        }
        const response = await put(
          { url: part.url, method: 'PUT', headers: { ...part.headers }, body: source.slice(start, end) },
          options,
          passSignal,
          (sent) => {
            inFlight.set(number, Math.min(sent, end - start));
            report();
          },
        );
        inFlight.delete(number);
        const etag = response.header('ETag');
        if (!etag) {
          throw new UploadError(
            'invalid_response',
            `The storage answered part ${number} without an ETag the page can read: the bucket's CORS rule must expose it (ExposeHeaders: ETag)`,
            { status: response.status },
          );
        }
        record(number, etag, end - start);
        report();
        options.onAck?.(state, source);
        return;
      } catch (error) {
        // Progress drops back by this part's bytes in flight, never more.
        if (inFlight.delete(number)) report();
        const failure = toUploadError(error, 'upload_failed');
        // A URL that failed to sign, or that the storage refused, is not used again.
        if (failure.code !== 'network' && failure.code !== 'timeout') urls.delete(number);
        await retry(failure, { ...options, signal: passSignal, renew: () => !renewed && (renewed = true) });
      }
    }
  };

  const complete = async () => {
    const parts = [...state.parts!].sort(([a], [b]) => a - b).map(([PartNumber, part]) => ({ PartNumber, ETag: part.etag }));
    const answer = await act('complete', { parts });
    const file = (answer.data ?? answer) as Json;
    if (typeof file.url != 'string') throw new UploadError('invalid_response', 'The complete answer has no url');
    return parseUploadResponse({ status: 200, text: JSON.stringify(file), header: () => null }, { target: { url: file.url }, source });
  };

  for (let pass = 0; ; pass++) {
    const controller = new AbortController();
    const abortAll = () => controller.abort();
    signal.addEventListener('abort', abortAll);
    urls = new Map();
    try {
      if (adopt(session)) await reconcile();
      // The record (`persist`) is written before the first part goes: a reload then finds the upload to resume.
      await options.onAck?.(state, source);
      if (signal.aborted) throw abortError();
      report();
      const todo = Array.from({ length: count }, (_, index) => index + 1).filter((number) => !state.acked.has(number - 1));
      let next = 0;
      let failed: UploadError | undefined;
      const worker = async () => {
        while (!failed && next < todo.length) {
          try {
            await sendPart(todo[next++]!, controller.signal);
          } catch (error) {
            failed ??= toUploadError(error, 'upload_failed');
            controller.abort();
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(Math.floor(parallelChunks) || 1, todo.length)) }, worker));
      if (failed) throw failed;
      return await complete();
    } catch (error) {
      const failure = toUploadError(error, 'upload_failed');
      if (signal.aborted) throw abortError();
      // 404: the storage no longer knows the upload (aborted elsewhere, or cleaned by a lifecycle rule). Once, a new one.
      if (pass || failure.status !== 404 || !options.resign) throw failure;
      // Unless it was completed, and that answer (or the page that had it) was lost: a reload right after the last part
      // leaves such a record. `complete` again finds its object (createS3Uploads answers a repeated complete with it).
      if (state.parts?.size) {
        const file = await complete().catch(() => undefined);
        if (file) return file;
        if (signal.aborted) throw abortError();
      }
      options.onSessionLost?.(new UploadError('session_lost', 'The storage no longer has the multipart upload', { status: 404 }));
      const fresh = await options.resign();
      if (!fresh.multipart) throw failure;
      session = fresh.multipart;
    } finally {
      signal.removeEventListener('abort', abortAll);
    }
  }
}
