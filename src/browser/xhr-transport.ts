import { abortError, UploadError } from '../core/errors.js';
import { MAX_ANSWER_SIZE } from '../core/answer.js';
import type { Transport } from '../core/types.js';

/** The one XMLHttpRequest in the package: the only browser API that reports upload progress. */
export const xhrTransport: Transport = {
  send: ({ url, method, headers, body }, { signal, progress }) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortError());
      const xhr = new XMLHttpRequest();
      const onAbort = () => xhr.abort();
      const answer = () => resolve({ status: xhr.status, text: xhr.responseText, header: (name) => xhr.getResponseHeader(name) });
      xhr.open(method, url);
      for (const name in headers) xhr.setRequestHeader(name, headers[name]!);
      xhr.upload.onprogress = (event) => progress(event.loaded, event.total);
      // An answer that goes on and on (a broken or hostile storage) is not read to its end: what came so far goes
      // to the core, which refuses it as longer than MAX_ANSWER_SIZE.
      xhr.onprogress = () => {
        if (xhr.responseText.length > MAX_ANSWER_SIZE) {
          answer();
          xhr.abort();
        }
      };
      // After load, error or abort.
      xhr.onloadend = () => signal.removeEventListener('abort', onAbort);
      xhr.onload = answer;
      xhr.onerror = () => reject(new UploadError('network', 'Network error: the connection failed'));
      xhr.onabort = () => reject(abortError());
      signal.addEventListener('abort', onAbort);
      xhr.send(body as XMLHttpRequestBodyInit);
    }),
};
