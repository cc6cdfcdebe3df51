/**
 * The upload handle: how `createS3Uploads` knows that a multipart `{ uploadId, key }` pair sent back by a browser is
 * one it created itself, without keeping any state.
 *
 * The `uploadId` the browser sees is S3's UploadId, the creation time, and a 43-character MAC (unpadded base64url of
 * HMAC-SHA256) over the bucket, the key, S3's UploadId and that time:
 *
 *     handle = uploadId + "." + created + "." + base64url(HMAC-SHA256(K, "itty-uploader/s3 upload v1\n" + bucket + "\n" + key + "\n" + uploadId + "\n" + created))
 *     K      = HMAC-SHA256(secret, "itty-uploader/s3 upload handle key v1")
 *     created = the creation time in unix seconds, base 36
 *
 * `secret` is the `secret` option, or else the S3 secret access key; K is derived from it so that the secret itself
 * signs nothing but S3 requests. Every multipart action (sign-parts, complete, abort, list-parts) verifies the MAC
 * before anything reaches S3, so a browser can neither name another key, another bucket, nor an upload some other
 * endpoint started: changing any of them changes the MAC. The MAC is checked with WebCrypto's `verify` (constant
 * time), and only its canonical spelling is accepted. The handle carries no expiry: an S3 multipart upload lives
 * until it is completed, aborted, or removed by the bucket's lifecycle rule, and each action is still subject to
 * `authorize()`. The creation time lets a repeated `complete` (its first answer lost) recognise its own object.
 */

const encoder = new TextEncoder();
const MAC_LENGTH = 43;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const HANDLE = /^(.+)\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{43})$/;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '=');
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

const message = (bucket: string, key: string, uploadId: string, created: string) =>
  encoder.encode(`itty-uploader/s3 upload v1\n${bucket}\n${key}\n${uploadId}\n${created}`);

/** What a valid handle holds. */
export interface OpenedHandle {
  /** S3's UploadId. */
  uploadId: string;
  /** When the upload was created, in ms since the epoch (whole seconds). */
  created: number;
}

/** Seals and opens upload handles with one secret. */
export class HandleSealer {
  readonly #key: Promise<CryptoKey>;

  constructor(secret: string) {
    const subtle = globalThis.crypto.subtle;
    this.#key = subtle
      .importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      .then((root) => subtle.sign('HMAC', root, encoder.encode('itty-uploader/s3 upload handle key v1')))
      .then((derived) => subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']));
  }

  /** The handle the browser gets for S3's `uploadId` of `key` in `bucket`, created at `now` (ms). */
  async seal(bucket: string, key: string, uploadId: string, now = Date.now()): Promise<string> {
    const created = Math.floor(now / 1000).toString(36);
    const mac = await globalThis.crypto.subtle.sign('HMAC', await this.#key, message(bucket, key, uploadId, created));
    return `${uploadId}.${created}.${toBase64Url(new Uint8Array(mac))}`;
  }

  /** What `handle` holds when it was sealed for this bucket and key, else `undefined`. */
  async open(bucket: string, key: string, handle: string): Promise<OpenedHandle | undefined> {
    const match = HANDLE.exec(handle);
    if (!match) return undefined;
    const [, uploadId, created, mac] = match as unknown as [string, string, string, string];
    // The 43rd character holds 2 spare bits: only the canonical spelling of a MAC is accepted.
    if (mac.length !== MAC_LENGTH || !BASE64URL.test(mac) || toBase64Url(fromBase64Url(mac)) !== mac) return undefined;
    const ok = await globalThis.crypto.subtle.verify('HMAC', await this.#key, fromBase64Url(mac), message(bucket, key, uploadId, created));
    return ok ? { uploadId, created: parseInt(created, 36) * 1000 } : undefined;
  }
}
