import type { Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';

/** Why a body was not received whole. */
export class BodyError extends Error {
  constructor(
    readonly reason: 'too_large' | 'client_gone' | 'stopped' | 'write_failed' | 'consumed' | 'too_slow',
    cause?: unknown,
  ) {
    super(`request body not received: ${reason}`, cause === undefined ? undefined : { cause });
  }
}

export interface ReceiveOptions {
  /** `wx` for a new temp file, `r+` to write into an existing chunk-session file. */
  flags: 'wx' | 'r+';
  /** Byte offset to start writing at. */
  start?: number;
  /** The body may not be longer than this many bytes. */
  limit: number;
  /** Aborting stops the write (the rest of the body is read and discarded). */
  signal?: AbortSignal;
  /** Fed every byte received (e.g. a SHA-256 of a chunk). */
  digest?: Hash;
  /** A body that delivers fewer than `bytes` in any `ms` window is cut off (`too_slow`); the file is closed first. */
  minRate?: MinBodyRate;
  /** Fsync the file before it is closed (and the promise resolves). */
  sync?: boolean;
}

export interface MinBodyRate {
  bytes: number;
  ms: number;
}

/**
 * Streams the request body into `file` with backpressure, counting bytes. Resolves with the byte count once
 * the file is closed. Rejects with a `BodyError` as soon as the body passes `limit` (without destroying the
 * request, so an answer can still be sent), the client goes away, or `signal` fires; the file is closed first.
 * Never buffers more than one socket read.
 */
export function receiveBody(req: IncomingMessage, file: string, options: ReceiveOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file, { flags: options.flags, start: options.start ?? 0, flush: options.sync ?? false });
    let received = 0;
    let settled = false;

    let seenAtCheck = 0;
    const slow =
      options.minRate && options.minRate.ms > 0
        ? setInterval(() => {
            if (received - seenAtCheck < options.minRate!.bytes) fail(new BodyError('too_slow'), false);
            seenAtCheck = received;
          }, options.minRate.ms)
        : undefined;
    slow?.unref();
    const detach = () => {
      if (slow) clearInterval(slow);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onRequestError);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: BodyError, drain: boolean) => {
      if (settled) return;
      settled = true;
      detach();
      if (drain) req.resume();
      const done = () => reject(error);
      if (out.closed) done();
      else {
        out.once('close', done);
        out.destroy();
      }
    };

    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > options.limit) return fail(new BodyError('too_large'), true);
      options.digest?.update(chunk);
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    };
    const onEnd = () => out.end();
    const onClose = () => {
      if (!req.complete) fail(new BodyError('client_gone'), false);
    };
    const onRequestError = (error: unknown) => fail(new BodyError('client_gone', error), false);
    const onAbort = () => fail(new BodyError('stopped'), true);

    out.on('error', (error) => fail(new BodyError('write_failed', error), true));
    out.on('close', () => {
      if (settled) return;
      settled = true;
      detach();
      resolve(received);
    });
    // Another middleware already read the body: there is nothing left to store.
    if (req.readableEnded) return fail(new BodyError('consumed'), false);
    // The client went away before we got here (e.g. while the signature was checked): 'close' has already fired.
    if (req.destroyed) return fail(new BodyError('client_gone'), false);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onRequestError);
  });
}
