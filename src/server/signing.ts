/**
 * ittybit-compatible URL signing and verification (protocol.md §2).
 * WebCrypto only, so it runs on Node ≥ 20, Deno, Bun and Workers: no `node:` imports here.
 */

export type SignatureMethod = 'get' | 'put';

/** ittybit's Signature object, as `POST /signatures` returns it. */
export interface Signature {
  domain: string;
  filename: string;
  folder?: string;
  /** Unix seconds; the URL works up to and including this second. */
  expiry: number;
  method: SignatureMethod;
  signature: string;
  url: string;
}

export interface SignUploadUrlOptions {
  /** The project's API key (the HMAC key). */
  key: string;
  /** Bare host (`you.ittybit.net`), or a URL with scheme and/or base path (`http://localhost:5173/uploads`). */
  domain: string;
  filename: string;
  folder?: string;
  /** Seconds from `now` until the URL expires; 3600 by default. Ignored when `expiry` is given. */
  expiresIn?: number;
  /** Absolute expiry in unix seconds. */
  expiry?: number;
  /** `put` (default) or `get`, any case. */
  method?: string;
  /** Current time in milliseconds (for tests); `Date.now()` by default. */
  now?: number;
}

export type VerifyFailureReason = 'missing' | 'malformed' | 'expired' | 'bad_signature' | 'method';

export type VerifyResult =
  | { ok: true /** The storage path, percent-decoded, without base path or leading slash. */; path: string; expiry: number }
  | { ok: false; reason: VerifyFailureReason };

export interface VerifyOptions {
  key: string;
  /** The HTTP verb of the request (`PUT`, `GET`, `HEAD`) or the signed method (`put`, `get`). */
  method: string;
  /** Current time in milliseconds; `Date.now()` by default. */
  now?: number;
  /** Part of the URL path before the signed path, e.g. `/uploads`. */
  basePath?: string;
}

const SAFE_RUN = /[^A-Za-z0-9._~()-]+/g;
const MAX_FILENAME = 200;
const MAX_SEGMENT = 100;
const MAX_FOLDER = 1000;
/** Folder levels; the file name is the 32nd segment, as far as the upload server's storage paths go. */
const MAX_DEPTH = 31;
/** Folder and file name together, as the upload server's storage paths allow. */
const MAX_PATH = 1024;
/** Twelve or fewer digits: any seconds value up to the year 33658. Thirteen digits look like milliseconds. */
const EXPIRY_DIGITS = /^\d{1,12}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

const encoder = new TextEncoder();

function cleanPart(text: string): string {
  // NFC first (the spec'd form); then fold accents (é → e) so Latin names stay readable.
  const folded = text
    .normalize('NFC')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
  return (
    folded
      .replace(SAFE_RUN, '-')
      // `UPLOAD~1` is how Windows spells a short (8.3) alias of another name: never make one.
      .replace(/~(?=\d)/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[.-]+|[.-]+$/g, '')
  );
}

/** FNV-1a over the UTF-16 code units, in base 36: short, stable, and the same on every runtime. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

/** Names Windows reserves for devices, with any extension (`CON`, `aux.txt`, `com1.tar.gz`). */
const RESERVED = /^(?:con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)$/i;

/** True when the part before the first dot is a reserved device name. */
export function isReservedName(name: string): boolean {
  return RESERVED.test(name.split('.', 1)[0]!.trim());
}

/** `CON.txt` → `CON-<hash>.txt`: the reserved part no longer stands alone. */
function unreserve(name: string, original: string): string {
  if (!isReservedName(name)) return name;
  const first = name.split('.', 1)[0]!;
  return `${first}-${shortHash(`reserved:${original}`)}${name.slice(first.length)}`;
}

/**
 * A folder segment: `cleanPart`, plus a hash of the original when letters had to go (Cyrillic, CJK, emoji…):
 * otherwise `отпуск` and `семья` would both become `_`, and their files would share a folder.
 */
function cleanSegment(text: string): string {
  const cleaned = cleanPart(text);
  const lossy = /[^\x00-\x7f]/.test(text.normalize('NFKD').replace(/\p{M}+/gu, '')) || /~\d/.test(text);
  if (!lossy) return unreserve(cleaned.slice(0, MAX_SEGMENT).replace(/[.-]+$/, '') || '_', text);
  const suffix = `-${shortHash(text.normalize('NFC'))}`;
  return unreserve((cleaned.slice(0, MAX_SEGMENT - suffix.length).replace(/[.-]+$/, '') || '_') + suffix, text);
}

/**
 * Makes a file name URL-safe: `[A-Za-z0-9._~()-]` only (anything else becomes `-`), no directory part, no
 * leading dot, at most 200 characters with the extension kept. Whenever that changed the name, a short hash of
 * the original is added to the stem, so two names never become one file (`a b.pdf`, `a+b.pdf` and `a-b.pdf`;
 * `résumé.pdf` and `resume.pdf`). Windows hazards are renamed too: reserved device names (`CON`, `aux.txt`),
 * trailing dots and spaces, 8.3 aliases (`UPLOAD~1`). Never returns `.`, `..` or ''.
 */
export function sanitizeFilename(name: string): string {
  const base = (String(name).split(/[/\\]/).pop() ?? '').normalize('NFC');
  const dot = base.lastIndexOf('.');
  const hasExtension = dot > 0 && dot < base.length - 1;
  const rawStem = hasExtension ? base.slice(0, dot) : base;
  const rawExtension = hasExtension ? base.slice(dot + 1) : '';
  const extension = cleanPart(rawExtension).slice(0, 16);
  const max = MAX_FILENAME - (extension ? extension.length + 1 : 0);
  const stem = cleanPart(rawStem);
  const changed = stem !== rawStem || extension !== rawExtension || stem.length > max;
  const suffix = `-${shortHash(base)}`;
  const kept = changed ? `${stem.slice(0, max - suffix.length).replace(/[.-]+$/, '') || 'file'}${suffix}` : stem;
  return unreserve(extension ? `${kept}.${extension}` : kept, base);
}

/**
 * Makes a folder path URL-safe: each `/`- or `\`-separated segment sanitised like a file name,
 * empty segments dropped. Throws a `RangeError` for `.`/`..` segments, more than 31 levels (the file
 * name is the 32nd), or more than 1000 characters. Returns '' for no folder.
 */
export function sanitizeFolder(folder: string): string {
  const segments: string[] = [];
  for (const raw of String(folder).split(/[/\\]+/)) {
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed === '.' || trimmed === '..') throw new RangeError(`folder may not contain "${trimmed}" segments`);
    segments.push(cleanSegment(trimmed));
  }
  if (segments.length > MAX_DEPTH) throw new RangeError(`folder is deeper than ${MAX_DEPTH} levels`);
  const joined = segments.join('/');
  if (joined.length > MAX_FOLDER) throw new RangeError(`folder is longer than ${MAX_FOLDER} characters`);
  return joined;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(key: string): Promise<CryptoKey> {
  let cached = keyCache.get(key);
  if (!cached) {
    if (keyCache.size >= 16) keyCache.clear();
    cached = globalThis.crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keyCache.set(key, cached);
  }
  return cached;
}

async function hmac(key: string, message: string): Promise<Uint8Array> {
  const mac = await globalThis.crypto.subtle.sign('HMAC', await hmacKey(key), encoder.encode(message));
  return new Uint8Array(mac);
}

/** base64url (unpadded) HMAC-SHA256 of `stringToSign`: the `signature` parameter of an ittybit URL. */
export async function createSignature(key: string, stringToSign: string): Promise<string> {
  if (typeof key !== 'string' || key === '') throw new TypeError('key must be a non-empty string');
  return toBase64Url(await hmac(key, stringToSign));
}

/** HMAC-SHA256 is 32 bytes: 43 base64 characters, plus one `=` when padded. */
const MAC_BYTES = 32;

/**
 * The one spelling of a signature this library accepts it under: unpadded base64url of 32 bytes.
 * Standard base64 (`+`, `/`), a `+` that a query decoder turned into a space, and the single `=` of correct
 * padding are read as the same signature; anything else (extra `=`, unused bits set in the last character,
 * another length) is undefined. So one signed URL has one identity, whatever way it is spelled.
 */
export function canonicalSignature(text: string): string | undefined {
  if (typeof text !== 'string' || text.length > 64) return undefined;
  const urlSafe = text.replace(/ /g, '+').replace(/\+/g, '-').replace(/\//g, '_');
  const unpadded = urlSafe.endsWith('=') ? urlSafe.slice(0, -1) : urlSafe;
  // Padding, when present, must be exactly what 32 bytes need: one `=`.
  if (unpadded !== urlSafe && unpadded.length !== 43) return undefined;
  const bytes = fromBase64Url(unpadded);
  if (!bytes || bytes.length !== MAC_BYTES) return undefined;
  // Round trip: a last character with its unused low bits set decodes to the same bytes; refuse it.
  return toBase64Url(bytes) === unpadded ? unpadded : undefined;
}

/** Compares every byte whatever the first difference, so timing does not reveal how much matched. */
function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ (b[i % Math.max(b.length, 1)] ?? 0);
  return difference === 0;
}

function normaliseMethod(method: string | undefined, fallback: SignatureMethod): SignatureMethod {
  const lower = (method ?? fallback).toLowerCase();
  if (lower !== 'get' && lower !== 'put') throw new RangeError(`method must be "get" or "put", not "${method}"`);
  return lower;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

/** `you.ittybit.net` → `https://you.ittybit.net`; a URL keeps its scheme and path; no trailing slash. */
function baseUrl(domain: string): string {
  if (typeof domain !== 'string' || domain.trim() === '') throw new TypeError('domain must be a non-empty string');
  const trimmed = domain.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)
    ? trimmed
    : `${LOOPBACK.test(trimmed.split('/')[0]!) ? 'http' : 'https'}://${trimmed}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    throw new TypeError(`domain is not a host or URL: "${domain}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError('domain must use http or https');
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new TypeError('domain may not carry a query, fragment or credentials');
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

function expiryFrom(options: SignUploadUrlOptions, nowMs: number): number {
  const expiresIn = options.expiresIn ?? 3600;
  if (options.expiry === undefined && !(Number.isFinite(expiresIn) && expiresIn > 0)) {
    throw new RangeError('expiresIn must be a positive number of seconds');
  }
  const expiry = options.expiry ?? Math.floor(nowMs / 1000) + Math.floor(expiresIn);
  // What verifySignedUrl reads as seconds: a huge expiresIn would otherwise sign a URL that never verifies.
  if (!Number.isSafeInteger(expiry) || expiry <= 0 || String(expiry).length > 12) {
    throw new RangeError(options.expiry === undefined ? 'expiresIn is too large' : 'expiry must be a positive integer of unix seconds');
  }
  return expiry;
}

const KNOWN_OPTIONS = new Set(['key', 'domain', 'filename', 'folder', 'expiresIn', 'expiry', 'method', 'now']);

/**
 * SPEC §6.1 (v2): a request body spread into the options must fail loudly, not sign a GET URL for another
 * path valid for a thousand years. TypeError naming the option for an unknown option, a missing or empty
 * filename, or a method other than put/get.
 */
function checkOptions(options: SignUploadUrlOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('signUploadUrl needs an options object');
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw new TypeError(`signUploadUrl: unknown option "${name}"`);
  }
  const { filename, method, folder } = options as { filename?: unknown; method?: unknown; folder?: unknown };
  if (typeof filename !== 'string' || filename.trim() === '') throw new TypeError('signUploadUrl: filename must be a non-empty string');
  if (folder !== undefined && folder !== null && typeof folder !== 'string') throw new TypeError('signUploadUrl: folder must be a string');
  if (method !== undefined && (typeof method !== 'string' || !/^(get|put)$/i.test(method))) {
    throw new TypeError(`signUploadUrl: method must be "put" or "get", not "${String(method)}"`);
  }
}

/**
 * Signs a URL for one file the way ittybit does: `signature = base64url(HMAC-SHA256(key, "path?expiry=E&method=M"))`.
 * The filename and folder are sanitised first and returned sanitised, so the URL path needs no escaping.
 */
export async function signUploadUrl(options: SignUploadUrlOptions): Promise<Signature> {
  checkOptions(options);
  const base = baseUrl(options.domain);
  const filename = sanitizeFilename(options.filename);
  const folder = options.folder === undefined || options.folder === null ? '' : sanitizeFolder(options.folder);
  const method = normaliseMethod(options.method, 'put');
  const expiry = expiryFrom(options, options.now ?? Date.now());
  const path = folder ? `${folder}/${filename}` : filename;
  if (path.length > MAX_PATH) throw new RangeError(`folder and filename are longer than ${MAX_PATH} characters together`);
  const stringToSign = `${path}?expiry=${expiry}&method=${method}`;
  const signature = await createSignature(options.key, stringToSign);
  return {
    domain: options.domain.trim().replace(/\/+$/, ''),
    filename,
    ...(folder ? { folder } : {}),
    expiry,
    method,
    signature,
    url: `${base}/${stringToSign}&signature=${signature}`,
  };
}

/** Splits a URL (absolute, or just path + query) without resolving dot segments or decoding anything. */
function splitUrl(url: string): { path: string; query: string } {
  const withoutOrigin = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const noHash = withoutOrigin.split('#', 1)[0]!;
  const q = noHash.indexOf('?');
  return q === -1 ? { path: noHash, query: '' } : { path: noHash.slice(0, q), query: noHash.slice(q + 1) };
}

function single(params: URLSearchParams, name: string): string | null | false {
  const values = params.getAll(name);
  if (values.length > 1) return false;
  return values[0] ?? null;
}

/**
 * Checks an ittybit-style signed URL. Rebuilds the signed string from the parsed parameters (so their order
 * and extra parameters do not matter), accepts standard or padded base64 signatures, and tries the path as it
 * was sent (percent-encoded) and then decoded. Expired means `now` is past the `expiry` second.
 */
export async function verifySignedUrl(url: string | URL, options: VerifyOptions): Promise<VerifyResult> {
  if (typeof options.key !== 'string' || options.key === '') throw new TypeError('key must be a non-empty string');
  const { path: rawPath, query } = splitUrl(String(url));
  const params = new URLSearchParams(query);
  const expiryText = single(params, 'expiry');
  const methodText = single(params, 'method');
  const signatureText = single(params, 'signature');
  if (expiryText === null || methodText === null || signatureText === null) return { ok: false, reason: 'missing' };
  if (expiryText === false || methodText === false || signatureText === false) return { ok: false, reason: 'malformed' };
  if (!EXPIRY_DIGITS.test(expiryText)) return { ok: false, reason: 'malformed' };

  const signedMethod = methodText.toLowerCase();
  if (signedMethod !== 'get' && signedMethod !== 'put') return { ok: false, reason: 'malformed' };
  const verb = options.method.toLowerCase();
  const expected = verb === 'head' ? 'get' : verb;
  if (signedMethod !== expected) return { ok: false, reason: 'method' };

  const canonical = canonicalSignature(signatureText);
  const given = canonical === undefined ? undefined : fromBase64Url(canonical);
  if (!given) return { ok: false, reason: 'malformed' };

  const base = (options.basePath ?? '').replace(/\/+$/, '');
  if (base && !(rawPath === base || rawPath.startsWith(`${base}/`))) return { ok: false, reason: 'malformed' };
  const wirePath = rawPath.slice(base.length).replace(/^\/+/, '');
  if (wirePath === '') return { ok: false, reason: 'malformed' };
  let decodedPath: string | undefined;
  try {
    decodedPath = decodeURIComponent(wirePath);
  } catch {
    decodedPath = undefined;
  }

  const candidates = decodedPath !== undefined && decodedPath !== wirePath ? [wirePath, decodedPath] : [wirePath];
  let matched = false;
  for (const candidate of candidates) {
    const mac = await hmac(options.key, `${candidate}?expiry=${expiryText}&method=${signedMethod}`);
    // Both candidates are always checked when present, so timing does not reveal which form matched.
    if (timingSafeEqual(mac, given)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'bad_signature' };

  const expiry = Number(expiryText);
  if (Math.floor((options.now ?? Date.now()) / 1000) > expiry) return { ok: false, reason: 'expired' };
  return { ok: true, path: decodedPath ?? wirePath, expiry };
}
