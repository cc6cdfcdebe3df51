// Helpers for browser tests that talk to the real upload server mounted in the test runner.

/** Asks the test server's signing endpoint for a signed PUT URL. */
export async function signedUrl(filename: string, size: number, folder = 'test'): Promise<string> {
  const response = await fetch('/upload-url', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filename, folder, size, type: 'application/octet-stream' }),
  });
  if (!response.ok) throw new Error(`signing failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { url: string }).url;
}

/** sha256 of a Blob, hex. */
export async function sha256(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What the server has on disk at `path` (relative to its upload folder); `prefix` picks another server's routes. */
export async function stored(path: string, prefix = '/__test'): Promise<{ exists: boolean; size?: number; sha256?: string }> {
  return (await fetch(`${prefix}/stored?path=${encodeURIComponent(path)}`)).json();
}

/** Every file under the server's upload folder, temp files included. */
export async function storedFiles(prefix = '/__test'): Promise<string[]> {
  return ((await (await fetch(`${prefix}/files`)).json()) as { files: string[] }).files;
}

/** Bytes that differ from position to position, so a misplaced chunk changes the hash. */
export function patternedBlob(size: number, type = 'application/octet-stream'): Blob {
  const block = new Uint8Array(1024 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31 + (i >> 8)) & 0xff;
  const parts: BlobPart[] = [];
  let offset = 0;
  let n = 0;
  while (offset < size) {
    const length = Math.min(block.length, size - offset);
    const part = block.slice(0, length);
    part[0] = n++ & 0xff; // make every MiB distinct
    parts.push(part);
    offset += length;
  }
  return new Blob(parts, { type });
}

export const uniqueName = (base: string) => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${base}`;
