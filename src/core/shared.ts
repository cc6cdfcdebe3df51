// Helpers shared inside the core; not exported from `itty-uploader/core`.
import { UploadError } from './errors.js';

export const isOk = (status: number) => status > 199 && status < 300;

/** The URL without its query and fragment. */
export const withoutQuery = (url: string) => url.split(/[?#]/, 1)[0]!;

export const notHttpUrl = () => new UploadError('invalid_target', 'The upload URL is not an http(s) URL');

/**
 * Imports a module the first time it is needed, for code most pages never run (or run only once a file is sent).
 * A failed import (offline, most likely) is a retryable `network` error, and the next call tries again.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let module: Promise<T> | undefined;
  return () =>
    (module ??= load().catch((error: unknown) => {
      module = undefined;
      throw new UploadError('network', 'Could not load part of the uploader', { cause: error });
    }));
}
