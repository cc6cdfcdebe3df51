import { useState } from 'react';
import type { IttyFile } from 'itty-uploader';

export function App() {
  const [file, setFile] = useState<IttyFile>();
  return (
    <>
      <itty-uploader
        endpoint="/upload-url"
        accept="image/*"
        onitty-upload-success={(event) => setFile(event.detail.file)}
      />
      {file && (
        <>
          <p data-result>{`${file.id} ${file.kind} ${file.width}×${file.height}`}</p>
          <itty-file file={file} />
        </>
      )}
    </>
  );
}
