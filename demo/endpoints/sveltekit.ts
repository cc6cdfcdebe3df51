// SvelteKit: src/routes/upload-url/+server.ts
import { env } from '$env/dynamic/private';
import { SignError, signForUser } from './sign-for-user.js';
import { userIdFromCookie } from './auth.js';

export async function POST({ request }: { request: Request }) {
  const userId = userIdFromCookie(request.headers.get('cookie')); // your auth, e.g. locals.user?.id
  if (!userId) return Response.json({ message: 'Sign in to upload' }, { status: 401 });
  try {
    const keys = { ITTYBIT_API_KEY: env.ITTYBIT_API_KEY!, ITTYBIT_DOMAIN: env.ITTYBIT_DOMAIN! };
    return Response.json(await signForUser(userId, await request.json().catch(() => null), keys));
  } catch (error) {
    if (error instanceof SignError) return Response.json({ message: error.message }, { status: error.status });
    throw error;
  }
}
