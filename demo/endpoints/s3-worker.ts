// Cloudflare Worker with R2: POST /api/upload signs for the signed-in user. The R2 keys are Worker secrets.
import { sanitizeFilename } from 'itty-uploader/server';
import { createS3Uploads, type S3UploadsHandler } from 'itty-uploader/server/s3';
import { userIdFromCookie } from './auth.js'; // your auth

interface Env {
  R2_ENDPOINT: string; // https://<account id>.r2.cloudflarestorage.com
  R2_KEY_ID: string;
  R2_SECRET: string;
}

/** The signed-in user's id as your server knows it (never a value the client sent), or undefined. */
const userIdFrom = (request: Request) => userIdFromCookie(request.headers.get('cookie'));

let uploads: S3UploadsHandler | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    uploads ??= createS3Uploads({
      bucket: 'my-uploads',
      region: 'auto',
      endpoint: env.R2_ENDPOINT,
      credentials: { accessKeyId: env.R2_KEY_ID, secretAccessKey: env.R2_SECRET },
      maxSize: 5 * 1024 ** 3,
      key: (body, request) => `users/${userIdFrom(request)}/${crypto.randomUUID()}/${sanitizeFilename(body.filename)}`,
      authorize: (request) => userIdFrom(request) !== undefined,
    });
    if (new URL(request.url).pathname !== '/api/upload') return new Response('Not found', { status: 404 });
    return uploads(request);
  },
};
