// The same rendering measurements as render-itty.ts, for Uppy's Dashboard (inline), with Uppy's own
// XHR uploader (@uppy/xhr-upload) PUTting to the same signed URLs for the progress test.
import Uppy, { type UppyFile } from '@uppy/core';
import Dashboard from '@uppy/dashboard';
import XHRUpload from '@uppy/xhr-upload';
import { afterFrame, frameCounter, makeFiles, whenIdle, paintedWhen, perFrame, sign } from './common.js';
import { installStormXhr } from './storm-xhr.js';

type Meta = Record<string, unknown>;
type Body = Record<string, unknown>;

async function mountUppy() {
  const mount = document.getElementById('mount')!;
  mount.replaceChildren();
  const uppy = new Uppy<Meta, Body>({ autoProceed: false });
  uppy.use(Dashboard<Meta, Body>, { inline: true, target: mount, proudlyDisplayPoweredByUppy: false });
  await afterFrame();
  await afterFrame();
  return uppy;
}

const dashboardTitle = () => document.querySelector('.uppy-DashboardContent-title')?.textContent ?? '';

/** uppy.addFiles(N small files) with the Dashboard inline, then wait for the frame that shows them to be painted. */
async function render(n: number) {
  const uppy = await mountUppy();
  const files = makeFiles(n);
  await whenIdle();
  globalThis.gc?.();
  await afterFrame();
  const label = n.toLocaleString('en-US');
  const started = performance.now();
  uppy.addFiles(files.map((file) => ({ name: file.name, type: file.type, data: file, source: 'Local', isRemote: false })));
  // The Dashboard lists files in a virtual list: ready when rows are shown and the header counts all N.
  const painted = await paintedWhen(() => {
    const title = dashboardTitle().replace(/[\s,.\u202f\u00a0]/g, '');
    return document.querySelector('.uppy-Dashboard-Item') !== null && (title.includes(String(n)) || title.includes(label));
  });
  const ms = painted.at - started;
  // Until the frame that shows the list began (scripts, then waiting for that frame), and that frame's style, layout and paint.
  const untilFrame = painted.frameStart - started;
  const styleLayoutPaint = painted.at - painted.frameStart;
  const rows = document.querySelectorAll('.uppy-Dashboard-Item').length;
  const title = dashboardTitle();
  return { ms, untilFrame, styleLayoutPaint, frames: painted.frames, rows, items: uppy.getFiles().length, title };
}

/** `files` uploads of `sizeMiB` each through @uppy/xhr-upload and the storm XHR; counts Dashboard renders per frame. */
async function progress(files: number, sizeMiB: number) {
  const storm = installStormXhr();
  const uppy = await mountUppy();
  uppy.use(XHRUpload<Meta, Body>, { endpoint: '/unused', method: 'PUT', formData: false, limit: files, shouldRetry: () => false });
  // Each file gets its own signed URL right before upload, as <itty-uploader> does.
  uppy.addPreProcessor(async (ids) => {
    for (const id of ids) {
      const file = uppy.getFile(id);
      const url = await sign(file.data as File);
      uppy.setFileState(id, { xhrUpload: { endpoint: url } } as Partial<UppyFile<Meta, Body>>);
    }
  });
  const sources = Array.from(
    { length: files },
    (_, i) => new File([new Uint8Array(sizeMiB * 1024 * 1024)], `progress-${i}.bin`, { type: 'application/octet-stream' }),
  );
  uppy.addFiles(sources.map((file) => ({ name: file.name, type: file.type, data: file, source: 'Local', isRemote: false })));
  await afterFrame();

  const dashboard = uppy.getPlugin('Dashboard') as unknown as { render: (...args: unknown[]) => unknown };
  const counter = frameCounter();
  const original = dashboard.render;
  let renders = 0;
  const shape = () =>
    uppy
      .getFiles()
      .map((file) => `${file.progress.uploadStarted ? 1 : 0}${file.progress.uploadComplete ? 1 : 0}${file.error ? 1 : 0}`)
      .join();
  let lastShape = shape();
  // UIPlugin re-renders by calling this.render(state) (debounced to a microtask) on every state change.
  dashboard.render = function (this: unknown, ...args: unknown[]) {
    renders += 1;
    counter.mark('render');
    const now = shape();
    if (now !== lastShape) counter.mark('status');
    lastShape = now;
    return original.apply(this, args);
  };
  let progressEvents = 0;
  uppy.on('upload-progress', (file) => {
    progressEvents += 1;
    if (file) counter.mark(`progress:${file.id}`);
  });
  uppy.on('upload-success', () => counter.mark('status'));
  uppy.on('upload-error', () => counter.mark('status'));
  uppy.on('upload-start', () => counter.mark('status'));
  const started = performance.now();
  const result = await uppy.upload();
  const ms = performance.now() - started;
  await afterFrame();
  const frames = counter.stop();
  dashboard.render = original;
  const progressKeys = [...new Set(frames.flatMap((frame) => Object.keys(frame)))].filter((key) => key.startsWith('progress:'));
  const steady = frames.filter((frame) => !frame.status);
  return {
    ms,
    succeeded: result?.successful?.length ?? 0,
    transportEvents: storm.events,
    requests: storm.requests,
    frames: frames.length,
    renders,
    maxRendersPerFrame: perFrame(frames, 'render').max,
    maxRendersPerFrameNoStatusChange: perFrame(steady, 'render').max,
    framesWithRender: perFrame(frames, 'render').framesWith,
    maxProgressEventsPerItemPerFrame: Math.max(0, ...progressKeys.map((key) => perFrame(frames, key).max)),
    progressEvents,
    listed: 0,
    // Not timed: Preact diffs and commits after Dashboard.render() returns, so a wrapper cannot time a whole render.
    renderMs: null,
  };
}

const uppyRender = { render, progress };
declare global {
  interface Window {
    uppyRender: typeof uppyRender;
  }
}
window.uppyRender = uppyRender;
document.title += ' (ready)';
