// Past this an image is not "cheap" to open just for its size.
const MAX_BYTES = 50_000_000;

/** Width and height of an image file, read by the browser's own decoder; `undefined` if it cannot. */
export async function measureImage(source: Blob): Promise<{ width: number; height: number } | undefined> {
  if (source.size > MAX_BYTES) return;
  const image = new Image();
  image.src = URL.createObjectURL(source);
  // A file the browser cannot decode ends in `error`, with no natural size.
  await new Promise((done) => (image.onload = image.onerror = done));
  URL.revokeObjectURL(image.src);
  const { naturalWidth: width, naturalHeight: height } = image;
  return width ? { width, height } : undefined;
}
