// The worker behind prepareImage(): decodes and re-encodes one image at a time, off the page's main thread.
// Messages in: { id, source: Blob, plan: RenderPlan }. Out: { id, blob: Blob | null, decoder }. A worker without
// OffscreenCanvas (Safari before 16.4, Firefox before 105) still decodes, resized and upright, with createImageBitmap
// and hands the page that small bitmap to draw and encode: { id, bitmap: ImageBitmap | null, decoder }. A worker with
// neither answers { id, unsupported: true }, and the page does all the work itself, in small steps.
import { canRenderOffscreen, decode, lastDecoder, render, type RenderPlan } from './render.js';

interface Job {
  id: number;
  source: Blob;
  plan: RenderPlan;
}

// The worker's own global (the DOM library's types have no DedicatedWorkerGlobalScope).
const scope = globalThis as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Job>) => void): void;
};
const able = canRenderOffscreen();
const decodes = typeof createImageBitmap === 'function';

scope.addEventListener('message', async ({ data }: MessageEvent<Job>) => {
  if (able) return scope.postMessage({ id: data.id, blob: await render(data.source, data.plan), decoder: lastDecoder });
  if (!decodes) return scope.postMessage({ id: data.id, unsupported: true });
  // createImageBitmap only: a VideoFrame from ImageDecoder cannot be sent to every page.
  const bitmap = (await decode(data.source, { ...data.plan, imageDecoder: false }, false)) as ImageBitmap | undefined;
  scope.postMessage({ id: data.id, bitmap: bitmap ?? null, decoder: lastDecoder }, bitmap ? [bitmap] : []);
});
// Ready: the page learns the module loaded (a worker that fails to load reports only an `error` event).
scope.postMessage({ ready: true, offscreen: able, decodes });
