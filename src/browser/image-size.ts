// Past this an image is not "cheap" to open just for its size.
const MAX_BYTES = 50_000_000;

/** Width and height of an image file, read by the browser's own decoder; `undefined` if it cannot. */
export function measureImage(source: Blob): Promise<{ width: number; height: number } | undefined> {
  if (source.size > MAX_BYTES) return Promise.resolve(undefined);
  const url = URL.createObjectURL(source);
  const image = new Image();
  return new Promise<{ width: number; height: number } | undefined>((resolve) => {
    image.onload = () => resolve(image.naturalWidth ? { width: image.naturalWidth, height: image.naturalHeight } : undefined);
    image.onerror = () => resolve(undefined);
    image.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}
