// measureMedia(): what the size rules (`min-width` … `max-height`) and the duration rules (`min-duration`,
// `max-duration`) compare against, read as cheaply as the browser allows (SPEC §3.8). `undefined` means "cannot
// tell", and a file that cannot be measured is accepted.
import { looksLikeSvg, readImageHeader, type ImageHeader } from '../../core/media-header.js';

export type MediaMeasure =
  | { kind: 'image'; type: string; width: number; height: number; orientation?: number }
  | { kind: 'video'; duration?: number; width?: number; height?: number }
  | { kind: 'audio'; duration?: number };

export interface MeasureOptions {
  /** How long a media element may take to report its metadata. Default 10 s. */
  timeout?: number;
  signal?: AbortSignal;
}

/**
 * Past this an image whose header we cannot read is not worth handing to the browser just for its size (the
 * element keeps the whole encoded file in memory).
 */
const MAX_FALLBACK_BYTES = 64 * 1024 * 1024;

/**
 * Images: the header's size (a slice of the first KBs, as displayed); an image type the header reader does not
 * know (ICO, TIFF, JPEG XL where the browser has them) is handed to an <img>, which reads its size without
 * decoding the pixels. SVG has no pixel size: `undefined`.
 * Video and audio: the duration (seconds) and video size from a media element's metadata (`preload="metadata"`);
 * `duration` is left out when the file does not say (a live recording's WebM), and the whole answer is
 * `undefined` when the browser cannot read the file or takes longer than `timeout`.
 */
export async function measureMedia(blob: Blob, options: MeasureOptions = {}): Promise<MediaMeasure | undefined> {
  options.signal?.throwIfAborted();
  if (blob.size === 0) return undefined;
  const header = await readImageHeader(blob);
  if (header) return image(header);
  const type = blob.type.toLowerCase();
  if (type.startsWith('video/') || type.startsWith('audio/')) {
    return mediaMetadata(blob, type.startsWith('video/') ? 'video' : 'audio', options);
  }
  if (!type.startsWith('image/') || type === 'image/svg+xml') return undefined;
  if (looksLikeSvg(new Uint8Array(await blob.slice(0, 4096).arrayBuffer()))) return undefined;
  return imageElementSize(blob, type, options);
}

function image({ type, width, height, orientation }: ImageHeader): MediaMeasure {
  return orientation === undefined ? { kind: 'image', type, width, height } : { kind: 'image', type, width, height, orientation };
}

/** Settles with `fallback` after `ms`, or with the signal's reason when aborted, whichever comes first. */
function withTimeout<T>(work: (done: (value: T) => void) => () => void, ms: number, fallback: T, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    let cleanup = () => {};
    const finish = (value: T) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      cleanup();
      resolve(value);
    };
    const onAbort = () => {
      clearTimeout(timer);
      cleanup();
      reject(signal!.reason);
    };
    const timer = setTimeout(() => finish(fallback), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    cleanup = work(finish);
  });
}

async function imageElementSize(blob: Blob, type: string, options: MeasureOptions): Promise<MediaMeasure | undefined> {
  if (blob.size > MAX_FALLBACK_BYTES || typeof Image === 'undefined') return undefined;
  return withTimeout<MediaMeasure | undefined>(
    (done) => {
      const url = URL.createObjectURL(blob);
      const element = new Image();
      // `load` means the data arrived and the size is known; an <img> outside the document is not decoded.
      element.onload = () => {
        const { naturalWidth: width, naturalHeight: height } = element;
        done(width > 0 && height > 0 ? { kind: 'image', type, width, height } : undefined);
      };
      element.onerror = () => done(undefined);
      element.src = url;
      return () => {
        element.onload = element.onerror = null;
        element.removeAttribute('src');
        URL.revokeObjectURL(url);
      };
    },
    options.timeout ?? 10_000,
    undefined,
    options.signal,
  );
}

async function mediaMetadata(blob: Blob, kind: 'video' | 'audio', options: MeasureOptions): Promise<MediaMeasure | undefined> {
  if (typeof document === 'undefined') return undefined;
  return withTimeout<MediaMeasure | undefined>(
    (done) => {
      const url = URL.createObjectURL(blob);
      const element = document.createElement(kind);
      element.preload = 'metadata';
      element.muted = true;
      element.onloadedmetadata = () => {
        // A WebM from MediaRecorder says Infinity (or NaN) until played through: no duration to compare.
        const duration = Number.isFinite(element.duration) && element.duration >= 0 ? element.duration : undefined;
        const known = duration === undefined ? {} : { duration };
        if (kind === 'audio') return done({ kind, ...known });
        const video = element as HTMLVideoElement;
        const size = video.videoWidth > 0 ? { width: video.videoWidth, height: video.videoHeight } : {};
        done({ kind, ...known, ...size });
      };
      element.onerror = () => done(undefined);
      element.src = url;
      return () => {
        element.onloadedmetadata = element.onerror = null;
        // Lets the browser drop the decoder and its buffers now.
        element.removeAttribute('src');
        element.load();
        URL.revokeObjectURL(url);
      };
    },
    options.timeout ?? 10_000,
    undefined,
    options.signal,
  );
}
