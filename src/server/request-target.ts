import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { invalid } from './http.js';

export interface RequestTarget {
  /** The path as sent: still percent-encoded, dot segments untouched. */
  path: string;
  /** Everything after `?`, without it. */
  query: string;
  /** The part of the URL a Connect/Express mount stripped from `req.url` (`app.use('/x', handler)`), or ''. */
  mountPrefix: string;
}

/** Splits `req.url` by hand: `new URL()` would resolve `..` and `%2e%2e` before we could refuse them. */
export function requestTarget(req: IncomingMessage): RequestTarget {
  const url = (req.url ?? '/').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  const original = (req as IncomingMessage & { originalUrl?: unknown }).originalUrl;
  let mountPrefix = '';
  if (typeof original === 'string' && original !== req.url && req.url && original.endsWith(req.url)) {
    const prefix = original.slice(0, original.length - req.url.length).replace(/\/+$/, '');
    if (/^(\/[A-Za-z0-9._~()!$&'*+,;=:@%-]+)+$/.test(prefix)) mountPrefix = prefix;
  }
  return { path: path === '' ? '/' : path, query, mountPrefix };
}

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * `http(s)://host[:port]` the request was addressed to; falls back to the socket's address. A Host the pattern
 * lets through but a URL cannot hold (port over 65535, a bogus IPv6 literal) is a 400.
 */
export function requestOrigin(req: IncomingMessage): string {
  const protocol = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  const host = req.headers.host;
  if (host && HOST.test(host)) {
    if (!URL.canParse(`${protocol}://${host}`)) throw invalid('The Host header is malformed.');
    return `${protocol}://${host}`;
  }
  const address = req.socket.localAddress ?? '127.0.0.1';
  const hostPart = address.includes(':') ? `[${address}]` : address;
  return `${protocol}://${hostPart}:${req.socket.localPort ?? 80}`;
}

/** Encodes each segment of a storage path for use in a URL (node-free, so itty-uploader/testing shares it). */
export { encodePath } from './wire-path.js';
