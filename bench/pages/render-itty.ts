// Rendering page for <itty-uploader>: time until a list of N added files has painted, and renders per
// animation frame while uploads report thousands of progress events.
import { IttyUploaderElement } from '../../src/index.js';
import { afterFrame, frameCounter, makeFiles, whenIdle, median, paintedWhen, perFrame } from './common.js';
import { installStormXhr } from './storm-xhr.js';

if (!customElements.get('itty-uploader')) IttyUploaderElement.define();

async function mountElement(setup: (el: IttyUploaderElement) => void) {
  const el = document.createElement('itty-uploader');
  el.endpoint = '/upload-url';
  setup(el);
  document.getElementById('mount')!.append(el);
  await el.updateComplete;
  await afterFrame();
  await afterFrame();
  return el;
}

/**
 * `<itty-uploader manual multiple>`: addFiles(N small files), then wait for the frame that shows the list of N to be
 * painted; `sortable`: with move handles on the rows (their chunk loaded when the element mounted, as on a page).
 */
async function render(n: number, sortable = false) {
  const el = await mountElement((el) => {
    el.manual = true;
    el.multiple = true;
    el.sortable = sortable;
  });
  if (sortable) await import('../../src/elements/sortable.js');
  const files = makeFiles(n);
  await whenIdle();
  globalThis.gc?.();
  await afterFrame();
  const list = () => el.shadowRoot!.querySelector('[part=list]');
  const started = performance.now();
  el.addFiles(files);
  // When Lit has rendered the rows into the DOM (before style, layout and paint).
  let rendered = 0;
  void el.updateComplete.then(() => (rendered = performance.now() - started));
  // A long list renders the rows near the viewport (the others are spacers): ready when they show all N files.
  const painted = await paintedWhen(
    () =>
      list()?.querySelector('[part~=item]')?.getAttribute('aria-setsize') === String(n) &&
      (!sortable || !!list()!.querySelector('[part~=move-handle]')),
  );
  const ms = painted.at - started;
  // Until the frame that shows the list began (scripts, then waiting for that frame), and that frame's style, layout and paint.
  const untilFrame = painted.frameStart - started;
  const styleLayoutPaint = painted.at - painted.frameStart;
  const rows = el.shadowRoot!.querySelectorAll('[part~=item]').length;
  return { ms, script: rendered, untilFrame, styleLayoutPaint, frames: painted.frames, rows, items: el.items.length };
}

/**
 * `files` uploads of `sizeMiB` each at once (concurrency = files) through the storm XHR: one progress event
 * per 8 KiB, each in its own task. Counts the element's renders (`update()` calls) and its
 * `itty-upload-progress` events per animation frame.
 */
async function progress(files: number, sizeMiB: number, listed = 0) {
  const storm = installStormXhr();
  const el = await mountElement((el) => {
    el.multiple = true;
    el.manual = true;
    el.concurrency = files;
  });
  const sources = Array.from(
    { length: files },
    (_, i) => new File([new Uint8Array(sizeMiB * 1024 * 1024)], `progress-${i}.bin`, { type: 'application/octet-stream' }),
  );
  el.addFiles(sources);
  await el.updateComplete;
  await afterFrame();

  const counter = frameCounter();
  // Counts every render: Lit calls update() (protected) once per render of the host.
  const host = el as unknown as { update(changed: unknown): void };
  const original = host.update;
  let renders = 0;
  // A render that shows a new status of some item (queued → signing → uploading → done) is a status render.
  const shape = () => el.items.map((item) => item.status).join();
  let lastShape = shape();
  const durations: number[] = [];
  host.update = function (this: unknown, changed: unknown) {
    renders += 1;
    counter.mark('render');
    const now = shape();
    if (now !== lastShape) counter.mark('status');
    lastShape = now;
    const begun = performance.now();
    original.call(this, changed);
    durations.push(performance.now() - begun);
  };
  const progressEvents = new Map<string, number>();
  el.addEventListener('itty-upload-progress', (event) => {
    counter.mark(`progress:${event.detail.item.id}`);
    progressEvents.set(event.detail.item.id, (progressEvents.get(event.detail.item.id) ?? 0) + 1);
  });
  const complete = new Promise<number>((resolve) =>
    el.addEventListener('itty-queue-complete', (event) => resolve(event.detail.succeeded.length), { once: true }),
  );
  const started = performance.now();
  el.upload();
  // More files listed but left queued (manual: upload() started only the ones already there), so each
  // progress render has a long list to render too.
  if (listed) el.addFiles(makeFiles(listed, 'listed'));
  const succeeded = await complete;
  const ms = performance.now() - started;
  await afterFrame();
  const frames = counter.stop();
  host.update = original;
  const progressKeys = [...new Set(frames.flatMap((frame) => Object.keys(frame)))].filter((key) => key.startsWith('progress:'));
  const steady = frames.filter((frame) => !frame.status);
  return {
    ms,
    succeeded,
    transportEvents: storm.events,
    requests: storm.requests,
    frames: frames.length,
    renders,
    maxRendersPerFrame: perFrame(frames, 'render').max,
    maxRendersPerFrameNoStatusChange: perFrame(steady, 'render').max,
    framesWithRender: perFrame(frames, 'render').framesWith,
    maxProgressEventsPerItemPerFrame: Math.max(0, ...progressKeys.map((key) => perFrame(frames, key).max)),
    progressEvents: [...progressEvents.values()].reduce((a, b) => a + b, 0),
    listed,
    /** Milliseconds spent in each render (Lit's update(): template + DOM commit, not style/layout/paint). */
    renderMs: { median: median(durations), max: Math.max(0, ...durations) },
  };
}

const ittyRender = { render, progress };
declare global {
  interface Window {
    ittyRender: typeof ittyRender;
  }
}
window.ittyRender = ittyRender;
document.title += ' (ready)';
