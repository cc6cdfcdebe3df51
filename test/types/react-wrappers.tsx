// React 18 and 19 through `itty-uploader/react`: @lit/react components whose event props are typed with our
// event classes. Compiled by `npm run typecheck`; never run.
import { useState } from 'react';
import { IttyFile, IttyUploader } from 'itty-uploader/react';
import type { IttyFileObject } from 'itty-uploader/react';

export function Uploads() {
  const [file, setFile] = useState<IttyFileObject>();
  return (
    <>
      <IttyUploader
        endpoint="/upload-url"
        accept="image/*"
        multiple
        maxSize="10MB"
        onIttySelect={(event) => event.detail.files.length}
        onIttyUploadProgress={(event) => event.detail.loaded}
        onIttyUploadSuccess={(event) => setFile(event.detail.file)}
        onIttyUploadError={(event) => event.detail.error.code}
      />
      {file && <IttyFile file={file} onIttyFileLoad={(event) => event.detail.file.url} />}
    </>
  );
}

export const misspelt = [
  // @ts-expect-error misspelt event prop.
  <IttyUploader onIttyUploadSucess={(event: Event) => event} />,
];

export const wrongDetail = [
  // @ts-expect-error `detail.fiel` does not exist on IttyUploadSuccessEvent.
  <IttyUploader onIttyUploadSuccess={(event) => event.detail.fiel} />,
  // @ts-expect-error itty-file-error has `detail.error`, not `detail.file`.
  <IttyFile onIttyFileError={(event) => event.detail.file} />,
];

export const wrongType = [
  // @ts-expect-error `multiple` is a boolean.
  <IttyUploader multiple="yes" />,
  // @ts-expect-error `file` is an IttyFile object.
  <IttyFile file="/uploads/a.png" />,
];
