// lib/uploads.ts: the signing endpoint for S3, R2 or MinIO, with `itty-uploader/server/s3` (docs/s3.md). The route
// handlers in s3-next-route.ts and s3-express.ts serve this one handler; test/hosts/s3-endpoints.test.ts runs them.
import { sanitizeFilename } from 'itty-uploader/server';
import { createS3Uploads } from 'itty-uploader/server/s3';
import { userIdFromCookie } from './auth.js'; // your auth

/** The signed-in user's id as your server knows it (never a value the client sent), or undefined. */
const userIdFrom = (request: Request) => userIdFromCookie(request.headers.get('cookie'));

export const uploads = createS3Uploads({
  bucket: 'my-uploads',
  region: process.env.S3_REGION ?? 'auto', // 'eu-west-1'…; 'auto' for R2
  endpoint: process.env.S3_ENDPOINT, // R2: https://<account id>.r2.cloudflarestorage.com, MinIO: its URL; unset for AWS
  credentials: { accessKeyId: process.env.S3_KEY_ID!, secretAccessKey: process.env.S3_SECRET! },
  maxSize: 5 * 1024 ** 3,
  publicUrl: 'https://cdn.example.com', // optional: File object url = publicUrl/<key>
  key: (body, request) => `users/${userIdFrom(request)}/${crypto.randomUUID()}/${sanitizeFilename(body.filename)}`,
  authorize: (request) => userIdFrom(request) !== undefined, // false → 403; or return a Response
});
