import { useState, version } from 'react';
import { IttyFile, IttyUploader, type IttyFileObject } from 'itty-uploader/react';

export function App() {
  const [file, setFile] = useState<IttyFileObject>();
  return (
    <>
      {/* Which React the page was built with: the host test checks it is 18. */}
      <p className="muted" data-react-version>{`React ${version}`}</p>
      <IttyUploader
        endpoint="/upload-url"
        accept="image/*"
        onIttyUploadSuccess={(event) => setFile(event.detail.file)}
      />
      {file && (
        <>
          <p data-result>{`${file.id} ${file.kind} ${file.width}×${file.height}`}</p>
          <IttyFile file={file} />
        </>
      )}
    </>
  );
}
