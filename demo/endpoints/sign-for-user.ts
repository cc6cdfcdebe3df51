// The policy every signing endpoint in the docs shares (README, "Your signing endpoint").
import { signUploadUrl } from 'itty-uploader/server';

/** The same limits as the element's `max-size` and `accept`: the browser checks them, and so does this. */
const MAX_SIZE = 100_000_000; // 100 MB
const ACCEPT = /^(image|video)\//;

/** A refusal to send back to the element: it shows `message` on the file's row. */
export class SignError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the element's request body. Only these four fields are used; anything else the client sends is ignored. */
export function readUploadRequest(body: unknown) {
  const { filename, folder = '', type, size } = (body ?? {}) as Record<string, unknown>;
  if (typeof filename !== 'string' || filename.trim() === '') throw new SignError(400, 'filename is required');
  if (typeof folder !== 'string') throw new SignError(400, 'folder must be text');
  if (typeof size !== 'number' || !(size >= 0)) throw new SignError(400, 'size is required');
  if (size > MAX_SIZE) throw new SignError(413, 'Files can be at most 100 MB');
  if (typeof type !== 'string' || !ACCEPT.test(type)) throw new SignError(415, 'Only images and videos');
  return { filename, folder, type, size };
}

/** Signs an ittybit upload URL for one file of a signed-in user, under `users/<id>/`. */
export async function signForUser(userId: string, body: unknown, env: { ITTYBIT_API_KEY: string; ITTYBIT_DOMAIN: string }) {
  const { filename, folder } = readUploadRequest(body);
  try {
    return await signUploadUrl({
      key: env.ITTYBIT_API_KEY, // the key, domain, method and expiry are the server's, never the client's
      domain: env.ITTYBIT_DOMAIN,
      filename,
      folder: `users/${userId}/${folder}`, // the client's folder only adds levels below the user's own
      expiresIn: 600,
    });
  } catch (error) {
    // A folder with "..", or a path too long to store.
    throw new SignError(400, error instanceof Error ? error.message : 'Cannot sign this file');
  }
}
