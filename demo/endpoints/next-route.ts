// Next.js App Router: app/upload-url/route.ts
import { SignError, signForUser } from './sign-for-user.js';
import { userIdFromCookie } from './auth.js';

export async function POST(request: Request) {
  const userId = userIdFromCookie(request.headers.get('cookie')); // your auth, e.g. (await auth())?.user?.id
  if (!userId) return Response.json({ message: 'Sign in to upload' }, { status: 401 });
  try {
    const env = { ITTYBIT_API_KEY: process.env.ITTYBIT_API_KEY!, ITTYBIT_DOMAIN: process.env.ITTYBIT_DOMAIN! };
    return Response.json(await signForUser(userId, await request.json().catch(() => null), env));
  } catch (error) {
    if (error instanceof SignError) return Response.json({ message: error.message }, { status: error.status });
    throw error;
  }
}
