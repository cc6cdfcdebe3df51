// A page with one <itty-uploader> in an iframe (test/helpers/persist-page.html), for tests that reload it for real:
// the old page, its uploads and its locks are gone, as after a reload of a tab. Same origin, so IndexedDB is shared.
import { waitUntil } from '@open-wc/testing';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';

export type FrameWindow = Window & typeof globalThis;

/** Waits until the element's resume chunk (loaded on demand when `persist` is set) has joined its queue. */
export const attached = (el: IttyUploaderElement): Promise<void> =>
  waitUntil(() => Object.hasOwn(el, 'items'), 'the resume chunk attached', { timeout: 10_000 });

/**
 * Opens the page with the element's attributes in `query` (and a second element's in `also`); `reload()` reloads it and
 * resolves with the new element (and the second one as `second`).
 */
export async function page(query: Record<string, string>, also?: Record<string, string>) {
  const frame = document.createElement('iframe');
  frame.src = `/test/helpers/persist-page.html?${new URLSearchParams({ ...query, ...(also ? { also: String(new URLSearchParams(also)) } : {}) })}`;
  const ready = async () => {
    const win = frame.contentWindow as FrameWindow;
    await win.customElements.whenDefined('itty-uploader');
    const [el, second] = [...win.document.querySelectorAll('itty-uploader')] as IttyUploaderElement[];
    for (const [one, attributes] of [
      [el!, query],
      [second, also],
    ] as const) {
      if (!one) continue;
      await one.updateComplete;
      if (attributes?.['persist'] !== undefined) await attached(one);
    }
    return { win, el: el!, ...(second ? { second } : {}) };
  };
  const loaded = () => new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const first = loaded();
  document.body.append(frame);
  await first;
  return {
    frame,
    ready,
    async reload() {
      const again = loaded();
      frame.contentWindow!.location.reload();
      await again;
      return ready();
    },
  };
}

/** One upload request a page sent: the bytes of its body (`start`..`end` inclusive; a probe sends none). */
export interface SentRequest {
  path: string;
  start: number;
  end: number;
  probe: boolean;
  status?: number;
  /** The URL's `signature`: which signed URL it went through. */
  signature: string | null;
  /** An S3 multipart part's `partNumber` (its body is that part: `start`..`end` count from the part's first byte). */
  part?: number;
  /** And the store's `uploadId` it went to. */
  upload?: string;
  /** `performance.now()` of the page that sent it. */
  at: number;
}

/**
 * Logs every PUT `win` sends (its path, its byte range, its answer's status); PUTs for bytes at or past `holdFrom`
 * are never sent: they stay in flight until the page goes.
 */
export function spyUploads(win: FrameWindow, holdFrom = Number.POSITIVE_INFINITY): SentRequest[] {
  const log: SentRequest[] = [];
  const proto = win.XMLHttpRequest.prototype;
  const { open, setRequestHeader, send } = proto;
  const info = new WeakMap<XMLHttpRequest, { method: string; url: string; range?: string }>();
  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    info.set(this, { method, url: String(url) });
    return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof open;
  proto.setRequestHeader = function (this: XMLHttpRequest, name: string, value: string) {
    const entry = info.get(this);
    if (entry && /^content-range$/i.test(name)) entry.range = value;
    return setRequestHeader.call(this, name, value);
  };
  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const entry = info.get(this);
    if (entry?.method !== 'PUT') return send.call(this, body);
    const size = (body as Blob | null)?.size ?? 0;
    const range = /^bytes (\d+)-(\d+)\//.exec(entry.range ?? '');
    const sent: SentRequest = {
      path: decodeURIComponent(new URL(entry.url, win.location.href).pathname),
      start: range ? Number(range[1]) : entry.range ? -1 : 0,
      end: range ? Number(range[2]) : entry.range ? -2 : size - 1,
      probe: !!entry.range && !range,
      signature: new URL(entry.url, win.location.href).searchParams.get('signature'),
      ...(new URL(entry.url, win.location.href).searchParams.has('partNumber')
        ? {
            part: Number(new URL(entry.url, win.location.href).searchParams.get('partNumber')),
            upload: new URL(entry.url, win.location.href).searchParams.get('uploadId')!,
          }
        : {}),
      at: win.performance.timeOrigin + win.performance.now(),
    };
    log.push(sent);
    this.addEventListener('load', () => (sent.status = this.status));
    if (sent.start >= holdFrom) return;
    send.call(this, body);
  };
  return log;
}

/** Bytes covered by a set of inclusive ranges, each byte once. */
export function coveredBytes(ranges: ReadonlyArray<[number, number]>): number {
  const sorted = ranges.filter(([a, b]) => b >= a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let until = -1;
  for (const [a, b] of sorted) {
    if (b <= until) continue;
    total += b - Math.max(a, until + 1) + 1;
    until = b;
  }
  return total;
}

/** Bytes of `after` that `before` already covered (each byte once). */
export function overlapBytes(before: ReadonlyArray<[number, number]>, after: ReadonlyArray<[number, number]>): number {
  return coveredBytes(before) + coveredBytes(after) - coveredBytes([...before, ...after]);
}
