import { UploadError } from '../core/errors.js';
import type { Transport, TransportIO, TransportRequest, TransportResponse } from '../core/types.js';

/** The one XMLHttpRequest in the package: the only browser API that reports upload progress. */
export const xhrTransport: Transport = {
  send(request: TransportRequest, { signal, progress }: TransportIO): Promise<TransportResponse> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new UploadError('aborted', 'Upload canceled'));
      const xhr = new XMLHttpRequest();
      const onAbort = () => xhr.abort();
      const settle = () => signal.removeEventListener('abort', onAbort);
      xhr.open(request.method, request.url);
      for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => progress(event.loaded, event.total);
      xhr.onload = () => {
        settle();
        resolve({
          status: xhr.status,
          text: xhr.responseText,
          header: (name) => xhr.getResponseHeader(name),
        });
      };
      xhr.onerror = () => {
        settle();
        reject(new UploadError('network', 'Network error: the connection failed or was dropped'));
      };
      xhr.onabort = () => {
        settle();
        reject(new UploadError('aborted', 'Upload canceled'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      xhr.send(request.body as XMLHttpRequestBodyInit);
    });
  },
};
