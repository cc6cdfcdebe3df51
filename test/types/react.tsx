// React 19 on the native tags: the JSX types that ship with the package (src/types/jsx.ts, generated from
// custom-elements.json) and apply on import. Compiled by `npm run typecheck`; never run.
import { useState } from 'react';
import type { IttyFile, IttyUploaderElement } from 'itty-uploader';

export function Uploads() {
  const [file, setFile] = useState<IttyFile>();
  return (
    <>
      <itty-uploader
        key="uploader"
        ref={(element: IttyUploaderElement | null) => element?.focus()}
        className="uploads"
        endpoint="/upload-url"
        accept="image/*"
        multiple
        max-size="10MB"
        chunk-size={8_000_000}
        form-value="id"
        getUploadUrl={async (source, { folder }) => `/sign?name=${source.name}&folder=${folder ?? ''}`}
        onClick={() => undefined}
        onitty-select={(event) => event.detail.files.length > 3 && event.preventDefault()}
        onitty-reject={(event) =>
          event.detail.reason satisfies 'type' | 'size' | 'count' | 'duplicate' | 'dimensions' | 'duration' | 'total-size' | 'custom'
        }
        onitty-upload-progress={(event) => event.detail.loaded / event.detail.total}
        onitty-upload-success={(event) => setFile(event.detail.file)}
        onitty-upload-error={(event) => event.detail.error.code}
        onitty-queue-complete={(event) => event.detail.succeeded.map((done) => done.url)}
      />
      <itty-file file={file} alt="" onitty-file-load={(event) => event.detail.file.kind} />
      <itty-file url="/uploads/a.png" kind="image" width={3} height={2} />
    </>
  );
}

export const misspelt = [
  // A hyphenated JSX attribute that matches nothing is allowed, but its handler then has no type:
  // @ts-expect-error misspelt event name: the handler's parameter is implicitly `any`.
  <itty-uploader onitty-upload-sucess={(event) => event} />,
  // @ts-expect-error misspelt event name in camelCase: no such prop.
  <itty-uploader onIttyUploadSuccess={(event: Event) => event} />,
  // @ts-expect-error misspelt attribute.
  <itty-uploader endpont="/upload-url" />,
  // @ts-expect-error misspelt tag.
  <itty-uploder endpoint="/upload-url" />,
];

export const wrongDetail = [
  // @ts-expect-error `detail.fiel` does not exist on IttyUploadSuccessEvent.
  <itty-uploader onitty-upload-success={(event) => event.detail.fiel} />,
  // @ts-expect-error `detail.file` is an IttyFile, whose `url` is a string.
  <itty-uploader onitty-upload-success={(event) => event.detail.file.url.toFixed()} />,
  // @ts-expect-error itty-file-error has `detail.error`, not `detail.file`.
  <itty-file onitty-file-error={(event) => event.detail.file} />,
];

export const wrongType = [
  // @ts-expect-error `multiple` is a boolean.
  <itty-uploader multiple="yes" />,
  // @ts-expect-error `form-value` is 'url' | 'id' | 'json'.
  <itty-uploader form-value="name" />,
  // @ts-expect-error `file` is an IttyFile object, not a URL.
  <itty-file file="/uploads/a.png" />,
  // @ts-expect-error `width` is a number.
  <itty-file width="3" />,
];
