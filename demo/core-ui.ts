// itty-uploader/core under a UI of your own (docs/core.md quotes this file; `npm run typecheck` compiles it).
import { createUploadQueue, createSigner, validateFiles, parseSize } from 'itty-uploader/core';
import { xhrTransport } from 'itty-uploader'; // the XHR transport (progress); or any { send(request, { signal, progress }) }
import type { UploadItem } from 'itty-uploader/core';

export function ownUploader(render: (items: readonly UploadItem<File>[]) => void) {
  const queue = createUploadQueue<File>({
    sign: createSigner({ endpoint: () => '/upload-url' }),
    transport: xhrTransport,
    concurrency: 3, retries: 3, chunkSize: parseSize('64MiB'),
    onChange: (items) => render(items),               // queued → signing → uploading → done | error | canceled
    onSuccess: (item, file) => console.log(file.url), // the File object
  });
  return (files: File[]) => {
    const { accepted, rejected } = validateFiles(files, { accept: 'image/*', maxSize: parseSize('10MB'), existing: queue.items.map((i) => i.source!) });
    queue.add(accepted);
    return rejected;
  };
}
