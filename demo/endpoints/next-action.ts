// Next.js server action: the element calls it through `getUploadUrl` instead of POSTing to an endpoint.
'use server';
import { signForUser } from './sign-for-user.js';
import { currentUserId } from './auth.js';

export async function getUploadUrl(file: { filename: string; folder?: string; type: string; size: number }) {
  const userId = await currentUserId(); // your auth, e.g. (await auth())?.user?.id
  if (!userId) throw new Error('Sign in to upload');
  const env = { ITTYBIT_API_KEY: process.env.ITTYBIT_API_KEY!, ITTYBIT_DOMAIN: process.env.ITTYBIT_DOMAIN! };
  return (await signForUser(userId, file, env)).url;
}
