import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestOrigin } from './request-target.js';

export type AllowedOrigins = readonly string[] | '*';

const EXPOSED = 'ETag, Location, Content-Range, Range, Retry-After';
const DEFAULT_REQUEST_HEADERS = 'Authorization, Content-Type, Content-Range, Accept-Version';
/** A header-name list: tokens separated by commas and spaces; anything else is not echoed back. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/**
 * A configured origin as a browser's `Origin` header spells it: `HTTP://App.Example:443/` → `https://app.example`.
 * `*` and `null` stay as they are; anything with a path, query or credentials, or not http(s), is a TypeError:
 * it could never match, and every cross-origin upload would be refused.
 */
export function normaliseOrigin(origin: string): string {
  if (origin === '*' || origin === 'null') return origin;
  // `http://localhost:*`: that host on any port (the CLI's default list is the loopback names like this).
  const anyPort = /^(https?:\/\/[^/:?#]+|https?:\/\/\[[0-9a-f:.]+\]):\*$/i.exec(origin);
  if (anyPort) return `${normaliseOrigin(anyPort[1]!)}:*`;
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password && !/[?#]$/.test(origin);
  if (!url || !bare || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`allowedOrigins: "${origin}" is not an origin like https://app.example`);
  }
  return url.origin;
}

/** Same-origin requests are always allowed (browsers send `Origin` on same-origin POSTs too). */
export function isOriginAllowed(req: IncomingMessage, allowed: AllowedOrigins): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed === '*' || origin === requestOrigin(req)) return true;
  return isListed(origin, allowed);
}

/** Listed by name, or by a `scheme://host:*` pattern. */
function isListed(origin: string, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  for (const entry of allowed) {
    if (
      entry.endsWith(':*') &&
      (origin === entry.slice(0, -2) || (origin.startsWith(entry.slice(0, -1)) && /^\d{1,5}$/.test(origin.slice(entry.length - 1))))
    )
      return true;
  }
  return false;
}

/** The loopback origins on any port: the CLI's default `allowedOrigins`. */
export const LOCALHOST_ORIGINS: readonly string[] = [
  'http://localhost:*',
  'https://localhost:*',
  'http://127.0.0.1:*',
  'https://127.0.0.1:*',
  'http://[::1]:*',
  'https://[::1]:*',
];

/**
 * Adds the CORS response headers for an allowed `Origin` and returns their names (so a request handed on with
 * `next()` can drop them again). Credentials are allowed only for origins listed by name.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: AllowedOrigins): string[] {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (origin === undefined || !isOriginAllowed(req, allowed)) return ['Vary'];
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
  const names = ['Vary', 'Access-Control-Allow-Origin', 'Access-Control-Expose-Headers'];
  if (allowed !== '*' && isListed(origin, allowed)) {
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    names.push('Access-Control-Allow-Credentials');
  }
  return names;
}

/**
 * Answers a preflight (call after `applyCors`): 204 with the allowed methods and the requested headers.
 * Chrome's private-network access is granted only to origins listed by name or pattern, never through `*`:
 * otherwise any page a developer visits could upload to the server on their laptop.
 */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, allowed: AllowedOrigins): void {
  const requested = req.headers['access-control-request-headers'];
  const headers: Record<string, string> = {
    'Access-Control-Allow-Methods': 'GET, HEAD, PUT, POST, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': requested && HEADER_LIST.test(requested.trim()) ? requested.trim() : DEFAULT_REQUEST_HEADERS,
    'Access-Control-Max-Age': '600',
    Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    Allow: 'GET, HEAD, PUT, POST, PATCH, DELETE, OPTIONS',
    'Content-Length': '0',
  };
  // Chrome's Private Network Access: a public page may call a dev server on localhost only with this answer.
  const origin = req.headers.origin;
  const listed = origin !== undefined && allowed !== '*' && isListed(origin, allowed);
  if (req.headers['access-control-request-private-network'] === 'true' && listed) headers['Access-Control-Allow-Private-Network'] = 'true';
  res.writeHead(204, headers);
  res.end();
}
