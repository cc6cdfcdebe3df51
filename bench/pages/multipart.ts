// Multipart page: the same File (on disk, set on #source by Playwright) sent as an S3 multipart upload by raw XHR and
// by <itty-uploader>, through the app's endpoint `createS3Uploads` on this origin, to an S3-compatible store.
import { IttyUploaderElement } from '../../src/index.js';
import type { IttyUploadErrorEvent, IttyUploadSuccessEvent } from '../../src/index.js';
import { heapSampler, type HeapReport } from './common.js';

if (!customElements.get('itty-uploader')) IttyUploaderElement.define();

export interface MultipartRun {
  ms: number;
  bytes: number;
  key: string;
  parts: number;
  heap: HeapReport;
}

const source = (): File => {
  const file = (document.getElementById('source') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('no file set on #source');
  return file;
};

async function call<T>(body: unknown): Promise<T> {
  const response = await fetch('/upload', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`endpoint: ${response.status} ${await response.text()}`);
  return response.json();
}

/** One XHR PUT with a progress listener (as any uploader with a progress bar has); resolves with the ETag. */
function putPart(url: string, body: Blob, onProgress: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = onProgress;
    xhr.onload = () => {
      const etag = xhr.getResponseHeader('ETag');
      if (xhr.status === 200 && etag) resolve(etag);
      else reject(new Error(`part: ${xhr.status} ${xhr.responseText}`));
    };
    xhr.onerror = () => reject(new Error('part PUT failed'));
    xhr.send(body);
  });
}

/**
 * Raw XHR, the same protocol as the element with nothing else: create, sign every part up front (batches of 100: the
 * baseline never waits for a signature), `parallel` part PUTs in flight, complete.
 */
async function raw(parallel: number): Promise<MultipartRun> {
  const file = source();
  let events = 0;
  const heap = heapSampler();
  const started = performance.now();
  const { multipart } = await call<{ multipart: { uploadId: string; key: string; partSize: number } }>({
    filename: file.name,
    type: file.type || 'application/octet-stream',
    size: file.size,
  });
  const { uploadId, key, partSize } = multipart;
  const count = Math.ceil(file.size / partSize);
  const urls: Record<string, string> = {};
  for (let first = 1; first <= count; first += 100) {
    const partNumbers = Array.from({ length: Math.min(100, count - first + 1) }, (_, i) => first + i);
    Object.assign(urls, (await call<{ urls: Record<string, string> }>({ action: 'sign-parts', uploadId, key, partNumbers })).urls);
  }
  const etags: string[] = [];
  let next = 1;
  const worker = async () => {
    while (next <= count) {
      const n = next++;
      etags[n - 1] = await putPart(urls[n]!, file.slice((n - 1) * partSize, n * partSize), () => (events += 1));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  const done = await call<{ filesize: number; key: string }>({
    action: 'complete',
    uploadId,
    key,
    parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })),
  });
  const ms = performance.now() - started;
  return { ms, bytes: done.filesize, key: done.key, parts: count, heap: heap.stop() };
}

/** <itty-uploader endpoint="/upload" parallel-chunks=N>, then addFiles([file]) until itty-upload-success. */
async function itty(parallel: number): Promise<MultipartRun> {
  const file = source();
  const el = document.createElement('itty-uploader');
  el.endpoint = '/upload';
  el.parallelChunks = parallel;
  document.getElementById('mount')!.append(el);
  await el.updateComplete;
  const done = new Promise<IttyUploadSuccessEvent['detail']['file']>((resolve, reject) => {
    el.addEventListener('itty-upload-success', (event: IttyUploadSuccessEvent) => resolve(event.detail.file), { once: true });
    el.addEventListener('itty-upload-error', (event: IttyUploadErrorEvent) => reject(event.detail.error), { once: true });
  });
  const heap = heapSampler();
  const started = performance.now();
  el.addFiles([file]);
  const stored = await done;
  const ms = performance.now() - started;
  const report = heap.stop();
  el.remove();
  return { ms, bytes: stored.filesize, key: String(stored.key), parts: 0, heap: report };
}

const multipartBench = {
  raw,
  itty,
  gc: async () => {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
    globalThis.gc?.();
  },
};

declare global {
  interface Window {
    multipartBench: typeof multipartBench;
  }
}
window.multipartBench = multipartBench;
document.title += ' (ready)';
