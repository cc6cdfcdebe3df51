// Throughput page: the same File (a real file on disk, set on #source by Playwright) sent by raw XHR and by
// <itty-uploader>, single PUT or ittybit resumable chunks, to the upload server on this origin.
import { IttyUploaderElement } from '../../src/index.js';
import type { IttyUploadErrorEvent, IttyUploadSuccessEvent } from '../../src/index.js';
import { heapSampler, sign, type HeapReport } from './common.js';
import { createSigner } from '../../src/core/sign.js';
import { uploadSource } from '../../src/core/upload.js';
import { systemClock } from '../../src/core/retry.js';
import { xhrTransport } from '../../src/browser/xhr-transport.js';

if (!customElements.get('itty-uploader')) IttyUploaderElement.define();

export interface RunResult {
  ms: number;
  bytes: number;
  status: number;
  heap: HeapReport;
  /** Upload progress events the page saw (raw: xhr.upload progress; element: itty-upload-progress). */
  progressEvents: number;
  requests: number;
}

const source = (): File => {
  const file = (document.getElementById('source') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('no file set on #source');
  return file;
};

interface PutResult {
  status: number;
  text: string;
}

/** One XHR PUT with a progress listener (as any uploader with a progress bar has), body = the Blob itself. */
function put(url: string, body: Blob, headers: Record<string, string>, onProgress: () => void): Promise<PutResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = onProgress;
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(new Error(`XHR PUT failed (${headers['Content-Range'] ?? 'whole file'})`));
    xhr.send(body);
  });
}

/** Raw XHR: sign, then one PUT of the whole File. */
async function rawSingle(): Promise<RunResult> {
  const file = source();
  let progressEvents = 0;
  const heap = heapSampler();
  const started = performance.now();
  const url = await sign(file);
  const { status } = await put(url, file, {}, () => (progressEvents += 1));
  const ms = performance.now() - started;
  return { ms, bytes: file.size, status, heap: heap.stop(), progressEvents, requests: 1 };
}

/**
 * Raw XHR, chunked the way the element chunks: `Content-Range` slices, `parallel` in flight, the
 * final-position slice last and alone (the server completes the file on it).
 */
async function rawChunked(chunkSize: number, parallel: number): Promise<RunResult> {
  const file = source();
  let progressEvents = 0;
  const onProgress = () => (progressEvents += 1);
  const heap = heapSampler();
  const started = performance.now();
  const url = await sign(file);
  const total = file.size;
  const count = Math.ceil(total / chunkSize);
  const sendChunk = async (index: number) => {
    const start = index * chunkSize;
    const end = Math.min(start + chunkSize, total);
    const result = await put(url, file.slice(start, end), { 'Content-Range': `bytes ${start}-${end - 1}/${total}` }, onProgress);
    if (result.status < 200 || result.status > 299) throw new Error(`chunk ${index}: ${result.status} ${result.text}`);
    return result;
  };
  let next = 0;
  const worker = async () => {
    while (next < count - 1) await sendChunk(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, count - 1)) }, worker));
  const { status } = await sendChunk(count - 1);
  const ms = performance.now() - started;
  return { ms, bytes: total, status, heap: heap.stop(), progressEvents, requests: count };
}

/** <itty-uploader endpoint="/upload-url" [chunk-size] [parallel-chunks]>, then addFiles([file]) until itty-upload-success. */
async function element(
  chunkSize?: number,
  parallel?: number,
  hidden = false,
): Promise<RunResult & { defaults: { parallelChunks: number; concurrency: number } }> {
  const file = source();
  const el = document.createElement('itty-uploader');
  // Not displayed: the engine and the element's logic without style, layout, paint and the bar's transition.
  if (hidden) el.style.display = 'none';
  const defaults = { parallelChunks: el.parallelChunks, concurrency: el.concurrency };
  el.endpoint = '/upload-url';
  if (chunkSize) el.chunkSize = chunkSize;
  if (parallel) el.parallelChunks = parallel;
  document.getElementById('mount')!.append(el);
  await el.updateComplete;
  let progressEvents = 0;
  el.addEventListener('itty-upload-progress', () => (progressEvents += 1));
  const done = new Promise<number>((resolve, reject) => {
    el.addEventListener('itty-upload-success', (event: IttyUploadSuccessEvent) => resolve(event.detail.file.filesize), { once: true });
    el.addEventListener('itty-upload-error', (event: IttyUploadErrorEvent) => reject(event.detail.error), { once: true });
  });
  const heap = heapSampler();
  const started = performance.now();
  el.addFiles([file]);
  const stored = await done;
  const ms = performance.now() - started;
  const report = heap.stop();
  el.remove();
  const requests = chunkSize && file.size > chunkSize ? Math.ceil(file.size / chunkSize) : 1;
  return { ms, bytes: stored, status: 201, heap: report, progressEvents, requests, defaults };
}

/**
 * The layers under the element, for finding where time goes: `transport` = sign + the package's XHR
 * transport; `core` = the core's signer + uploadSource over that transport (no queue, no element).
 */
async function layer(which: 'transport' | 'core', chunkSize?: number, parallel?: number): Promise<RunResult> {
  const file = source();
  let progressEvents = 0;
  const heap = heapSampler();
  const started = performance.now();
  const signal = new AbortController().signal;
  let status = 0;
  let bytes = 0;
  if (which === 'transport') {
    const url = await sign(file);
    const response = await xhrTransport.send(
      { url, method: 'PUT', headers: {}, body: file },
      { signal, progress: () => (progressEvents += 1) },
    );
    status = response.status;
    bytes = (JSON.parse(response.text) as { filesize: number }).filesize;
  } else {
    const target = await createSigner<File>({ endpoint: () => '/upload-url', baseUrl: () => document.baseURI })(file, { signal });
    const stored = await uploadSource(target, file, {
      transport: xhrTransport,
      clock: systemClock,
      random: Math.random,
      signal,
      chunkSize,
      parallelChunks: parallel,
      onProgress: () => (progressEvents += 1),
    });
    status = 201;
    bytes = stored.filesize;
  }
  const ms = performance.now() - started;
  return { ms, bytes, status, heap: heap.stop(), progressEvents, requests: 1 };
}

const throughputBench = {
  transportSingle: () => layer('transport'),
  coreSingle: () => layer('core'),
  coreChunked: (chunkSize: number, parallel?: number) => layer('core', chunkSize, parallel),
  rawSingle,
  rawChunked,
  ittySingle: () => element(),
  ittySingleHidden: () => element(undefined, undefined, true),
  ittyChunked: (chunkSize: number, parallel?: number) => element(chunkSize, parallel),
  ittyChunkedHidden: (chunkSize: number, parallel?: number) => element(chunkSize, parallel, true),
  /** The element's own defaults, read from a fresh instance. */
  defaults: () => {
    const el = document.createElement('itty-uploader');
    return { parallelChunks: el.parallelChunks, concurrency: el.concurrency, chunkSize: el.chunkSize ?? null };
  },
  gc: async () => {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
    globalThis.gc?.();
  },
  fileSize: () => source().size,
};

declare global {
  interface Window {
    throughputBench: typeof throughputBench;
  }
}
window.throughputBench = throughputBench;
document.title += ' (ready)';
