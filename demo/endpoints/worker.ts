// Cloudflare Workers (the README's example): POST /upload-url signs for the signed-in user.
import { SignError, signForUser } from './sign-for-user.js';
import { userIdFromCookie } from './auth.js';

interface Env {
  ITTYBIT_API_KEY: string;
  ITTYBIT_DOMAIN: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method !== 'POST' || pathname !== '/upload-url') return new Response('Not found', { status: 404 });
    const userId = userIdFromCookie(request.headers.get('cookie')); // your auth
    if (!userId) return Response.json({ message: 'Sign in to upload' }, { status: 401 });
    try {
      return Response.json(await signForUser(userId, await request.json().catch(() => null), env));
    } catch (error) {
      if (error instanceof SignError) return Response.json({ message: error.message }, { status: error.status });
      throw error;
    }
  },
};
