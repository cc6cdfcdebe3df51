// The worker behind prepareImage(): decodes and re-encodes one image at a time, off the page's main thread.
// Messages in: { id, source: Blob, plan: RenderPlan }. Out: { id, blob: Blob | null, decoder }, or { id, unsupported: true }
// when this worker has no OffscreenCanvas (the page then does the work itself, in small steps).
import { canRenderOffscreen, lastDecoder, render, type RenderPlan } from './render.js';

interface Job {
  id: number;
  source: Blob;
  plan: RenderPlan;
}

// The worker's own global (the DOM library's types have no DedicatedWorkerGlobalScope).
const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Job>) => void): void;
};
const able = canRenderOffscreen();

scope.addEventListener('message', async ({ data }: MessageEvent<Job>) => {
  if (!able) return scope.postMessage({ id: data.id, unsupported: true });
  const blob = await render(data.source, data.plan);
  scope.postMessage({ id: data.id, blob, decoder: lastDecoder });
});
// Ready: the page learns the module loaded (a worker that fails to load reports only an `error` event).
scope.postMessage({ ready: true, offscreen: able });
