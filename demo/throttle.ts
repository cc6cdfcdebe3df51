import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { parseSize } from '../src/core/units.js';

type Handler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Largest piece let through at once, so progress moves smoothly instead of in socket-sized jumps. */
const SLICE = 64 * 1024;

/**
 * Wraps the upload server so a `PUT` whose URL carries `throttle=<size>` (bytes per second: `2mb`, `500kb`)
 * has its body read at that rate, shared by every upload throttled to the same rate (one slow link): on a
 * loopback connection an upload otherwise ends before its progress bar can be seen. The parameter is removed
 * before the upload server sees the URL, so the signature still matches. Only the demo uses this: its
 * chunked section appends the parameter to the signed URL it gets back (demo/main.ts).
 */
export function throttleUploads(handler: Handler): Handler {
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const rate = req.method === 'PUT' ? parseSize(url.searchParams.get('throttle')) : undefined;
    if (!rate) return handler(req, res, next);
    url.searchParams.delete('throttle');
    req.url = `${url.pathname}${url.search}`;
    handler(slowBody(req, rate), res, next);
  };
}

/**
 * A slow link: every throttled body at one rate shares it, so parallel chunks of one file (or several files)
 * together get `bytesPerSecond`, like an upload over a slow connection.
 */
class Link {
  /** When the link has sent everything scheduled so far (ms, `performance.now()` clock). */
  #free = 0;

  constructor(readonly bytesPerSecond: number) {}

  /** Milliseconds from now until `bytes` more have gone through. */
  schedule(bytes: number): number {
    const now = performance.now();
    this.#free = Math.max(this.#free, now) + (bytes / this.bytesPerSecond) * 1000;
    return this.#free - now;
  }
}

const links = new Map<number, Link>();

/** Lets bytes through at the link's rate; back-pressure pauses the socket, so the browser's progress slows too. */
class Throttle extends Transform {
  constructor(private readonly link: Link) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let offset = 0;
    const next = () => {
      if (offset >= chunk.length) return done();
      const piece = chunk.subarray(offset, offset + SLICE);
      offset += piece.length;
      setTimeout(() => {
        // The client went away: stop spending the link's time on this body.
        if (this.destroyed) return done();
        this.push(piece);
        next();
      }, this.link.schedule(piece.length));
    };
    next();
  }
}

/** Keys of the request that belong to its body stream: they are answered by the throttled copy instead. */
const STREAM_KEYS = new Set<PropertyKey>([
  'on', 'once', 'off', 'addListener', 'removeListener', 'prependListener', 'prependOnceListener',
  'removeAllListeners', 'listeners', 'listenerCount', 'emit', 'pause', 'resume', 'isPaused', 'pipe',
  'unpipe', 'read', 'setEncoding', 'readable', 'readableFlowing', 'readableLength', 'readableEnded',
  Symbol.asyncIterator,
]);

/** The same request, whose body arrives through a `Throttle`. */
function slowBody(req: IncomingMessage, bytesPerSecond: number): IncomingMessage {
  let link = links.get(bytesPerSecond);
  if (!link) links.set(bytesPerSecond, (link = new Link(bytesPerSecond)));
  const body = new Throttle(link);
  req.pipe(body);
  req.on('error', (error) => body.destroy(error));
  // The client went away mid-body: end the copy too, so the reader sees an incomplete request.
  req.on('close', () => {
    if (!req.complete) body.destroy();
  });
  return new Proxy(req, {
    get(target, key) {
      if (key === 'complete') return target.complete && body.readableEnded;
      const source: object = STREAM_KEYS.has(key) ? body : target;
      const value: unknown = Reflect.get(source, key);
      return typeof value === 'function' ? value.bind(source) : value;
    },
  });
}
