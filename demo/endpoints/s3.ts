// S3 or Cloudflare R2: a presigned PUT from the AWS SDK, in a fetch-style handler (Next.js route handler,
// SvelteKit, Workers). The element sends exactly the headers returned with the URL.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { sanitizeFilename, sanitizeFolder } from 'itty-uploader/server';
import { SignError, readUploadRequest } from './sign-for-user.js';
import { userIdFromCookie } from './auth.js';

const s3 = new S3Client({
  region: process.env.S3_REGION ?? 'auto', // 'auto' for R2
  endpoint: process.env.S3_ENDPOINT, // R2: https://<account id>.r2.cloudflarestorage.com; unset for AWS
  credentials: { accessKeyId: process.env.S3_ACCESS_KEY_ID!, secretAccessKey: process.env.S3_SECRET_ACCESS_KEY! },
  // Since SDK 3.729 the presigner otherwise signs the CRC32 of an empty body, which R2 and MinIO refuse.
  requestChecksumCalculation: 'WHEN_REQUIRED',
});

export async function POST(request: Request) {
  const userId = userIdFromCookie(request.headers.get('cookie')); // your auth
  if (!userId) return Response.json({ message: 'Sign in to upload' }, { status: 401 });
  try {
    const { filename, folder, type, size } = readUploadRequest(await request.json().catch(() => null));
    let key: string;
    try {
      key = [`users/${userId}`, sanitizeFolder(folder), sanitizeFilename(filename)].filter(Boolean).join('/');
    } catch (error) {
      throw new SignError(400, error instanceof Error ? error.message : 'Cannot store this file'); // a ".." folder
    }
    // Content-Type and Content-Length are signed: the storage refuses a body of another type or size.
    const command = new PutObjectCommand({ Bucket: process.env.S3_BUCKET!, Key: key, ContentType: type, ContentLength: size });
    const url = await getSignedUrl(s3, command, { expiresIn: 600, signableHeaders: new Set(['content-type', 'content-length']) });
    return Response.json({ url, headers: { 'Content-Type': type } });
  } catch (error) {
    if (error instanceof SignError) return Response.json({ message: error.message }, { status: error.status });
    throw error;
  }
}
