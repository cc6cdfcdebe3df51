// Express 5 (or 4): mount it with `app.post('/upload-url', express.json(), uploadUrl)`.
import type { Request, Response } from 'express';
import { SignError, signForUser } from './sign-for-user.js';
import { userIdFromCookie } from './auth.js';

export async function uploadUrl(req: Request, res: Response) {
  const userId = userIdFromCookie(req.headers.cookie); // your auth, e.g. req.user?.id with Passport
  if (!userId) {
    res.status(401).json({ message: 'Sign in to upload' });
    return;
  }
  try {
    const env = { ITTYBIT_API_KEY: process.env.ITTYBIT_API_KEY!, ITTYBIT_DOMAIN: process.env.ITTYBIT_DOMAIN! };
    res.json(await signForUser(userId, req.body, env));
  } catch (error) {
    if (!(error instanceof SignError)) throw error;
    res.status(error.status).json({ message: error.message });
  }
}
