// A stand-in for your app's auth, so the endpoint examples run in tests. Replace it with what your app
// already has: Passport's `req.user`, Auth.js's `auth()`, SvelteKit's `locals.user`, a JWT check…
// It must return the id of the signed-in user as your server knows it, never a value the client chose.

/** Server-side sessions: session id (the `session` cookie) → user id. Your app keeps these in its store. */
export const sessions = new Map<string, string>();

/** The signed-in user's id, or undefined when the request has no valid session. */
export function userIdFromCookie(cookie: string | null | undefined): string | undefined {
  const session = /(?:^|;\s*)session=([^;]+)/.exec(cookie ?? '')?.[1];
  return session === undefined ? undefined : sessions.get(session);
}

/**
 * For code that sees no request (a Next.js server action): your auth library reads the request itself, e.g.
 * Auth.js's `(await auth())?.user?.id`. Here the tests set the session.
 */
export const currentSession = { id: undefined as string | undefined };
export async function currentUserId(): Promise<string | undefined> {
  return currentSession.id === undefined ? undefined : sessions.get(currentSession.id);
}
