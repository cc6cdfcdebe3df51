import { abortError } from '../core/errors.js';

/**
 * For the queue's `whenOnline`: `undefined` while the browser is online; otherwise a promise that
 * resolves on the `online` event (or rejects with `aborted` when the upload is canceled meanwhile).
 */
export function whenOnline(signal: AbortSignal): Promise<void> | undefined {
  if (navigator.onLine) return undefined;
  return new Promise((resolve, reject) => {
    const done = () => {
      removeEventListener('online', done);
      signal.removeEventListener('abort', abort);
      resolve();
    };
    const abort = () => {
      removeEventListener('online', done);
      reject(abortError());
    };
    addEventListener('online', done);
    signal.addEventListener('abort', abort, { once: true });
  });
}
