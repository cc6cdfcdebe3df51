// Helpers shared inside the core; not exported from `itty-uploader/core`.
import { UploadError } from './errors.js';
import type { UploadTarget } from './types.js';
import { isHttpUrl } from './url.js';

export const isOk = (status: number) => status > 199 && status < 300;

/** The URL without its query and fragment. */
export const withoutQuery = (url: string) => url.split(/[?#]/, 1)[0]!;

/**
 * Returns `target` when it can be sent: an http(s) URL, and `PUT` (the one method a file is sent with; a signer
 * naming DELETE or PATCH must not get to choose what a request does); with form `fields`, `POST` (a presigned POST) and
 * nothing else.
 * @throws UploadError `invalid_target` otherwise.
 */
export const checkTarget = <T extends { url?: unknown; method?: UploadTarget['method']; fields?: unknown }>(target: T): T => {
  if (!isHttpUrl(target?.url) || !(target.fields ? /^post$/i : /^put$/i).test(target.method ?? 'PUT')) {
    throw new UploadError('invalid_target', 'The upload target is not an http(s) URL sent with PUT');
  }
  return target;
};

/**
 * Imports a module the first time it is needed, for code most pages never run (or run only once a file is sent).
 * A failed import (offline, or a chunk missing beside a copied bundle) is a retryable `unavailable` error naming the
 * chunk (`name`), and the next call tries again.
 */
export function lazy<T>(load: () => Promise<T>, name: string): () => Promise<T> {
  let module: Promise<T> | undefined;
  return () =>
    (module ??= load().catch((error: unknown) => {
      module = undefined;
      throw unavailable(name, error);
    }));
}

/** A part of the uploader that could not be loaded: `name` is its chunk (dist/chunks/<name>-*.js in the CDN bundle). */
export const unavailable = (name: string, cause: unknown): UploadError =>
  new UploadError('unavailable', `Could not load chunks/${name}-*.js: ${(cause as Error)?.message ?? cause}`, { cause });
