import { http, HttpResponse, type HttpHandler } from 'msw';
import { parseContentRange } from '../server/content-range.js';
import { signUploadUrl, verifySignedUrl } from '../server/signing.js';
import { encodePath, storagePath } from '../server/wire-path.js';
import { ensureReadableBlobs } from './blob-bytes.js';
import { invalid, TestHttpError, tooLarge } from './errors.js';
import { MemoryStorage, type Entry, type StoredUpload } from './memory-storage.js';
import { parseSignBody, readJsonBody } from './sign-body.js';

/** A failure to inject, as the upload server's `faults` option has them (`reset` is a network error here). */
export type FaultKind = '500' | '503' | '429' | 'expired' | 'reset';

/** Requests that can fail: storage uploads (`put`, chunks included) and the signing endpoint (`sign`). */
export type FaultRoute = 'put' | 'sign';

export interface InjectedFault {
  kind: FaultKind;
  route: FaultRoute;
  method: string;
  url: string;
}

/** Failures to inject, with the upload server's `faults` option's shape and answers (SPEC §6.2). */
export interface UploadHandlersFaults {
  /** Share of eligible requests that fail, from 0 to 1 (1: every one). */
  rate: number;
  /** Returns a number in [0, 1); `Math.random` by default. A seeded one makes the draws repeatable. */
  random?: () => number;
  /**
   * Faults to choose from, evenly; all by default: `500`, `503`, `429` (with `Retry-After: 1`), `expired`
   * (403 `signature_expired`) and `reset` (a network error). The signing endpoint never gets `expired`.
   */
  kinds?: readonly FaultKind[];
  /** Requests that may fail: `put` (storage uploads, chunks included) and `sign` (the signing endpoint); both by default. */
  routes?: readonly FaultRoute[];
  /** Called for every fault injected. */
  onFault?: (fault: InjectedFault) => void;
}

export interface UploadHandlersOptions {
  /**
   * The signing endpoint the element's `endpoint` points at: an absolute URL, or a path (matched on the page's
   * origin where there is a `location`, on any origin elsewhere). `/upload-url` by default, as the upload server's.
   */
  endpoint?: string;
  /** Origin, optionally with a base path, of the pretend storage: signed URLs and File object URLs point there. `https://uploads.itty.test` by default. */
  storageOrigin?: string;
  /** Largest file in bytes: a bigger `size` in a signing request, or a bigger upload, gets 413 `file_too_large`. No limit by default. */
  maxSize?: number;
  /** The key URLs are signed and checked with (and the Bearer token of a simple upload); `test-key` by default. */
  key?: string;
  /** Lifetime of signed URLs in seconds; 3600 by default. */
  expiresIn?: number;
  /** Clock in milliseconds (to test expired URLs); `Date.now` by default. */
  now?: () => number;
  /** Makes a share of requests fail on purpose, to test how the form copes. */
  faults?: UploadHandlersFaults;
  /**
   * The app's completion endpoint (`complete-endpoint`, SPEC §5.6): `POST { file, meta?, relativePath? }` answers
   * the stored File object (with `metadata` set from `meta`), 404 `file_not_found` for a file the storage does not
   * hold. A path or an absolute URL; not played unless set.
   */
  completeEndpoint?: string;
  /**
   * The app's status endpoint (`status-endpoint`, SPEC §5.7): a path or URL template with `{id}`, e.g.
   * `/files/{id}`; `GET` answers the stored File object with its current `status`. Not played unless set.
   */
  statusEndpoint?: string;
  /** New File objects answer `status: "processing"` until `ms` after the upload, then `ready` (SPEC §6.2). */
  processing?: { ms: number };
}

export interface UploadHandlers {
  /** The MSW request handlers: `setupServer(...handlers)` (Node, jsdom, happy-dom) or `setupWorker(...handlers)` (a browser). */
  handlers: HttpHandler[];
  /** What the storage holds, in the order it was first stored: path, File object, bytes, and how it arrived. */
  files(): StoredUpload[];
  /** Forgets every stored file and every unfinished chunked upload (call it in `afterEach`). */
  reset(): void;
}

const KNOWN_OPTIONS = new Set([
  'endpoint',
  'storageOrigin',
  'maxSize',
  'key',
  'expiresIn',
  'now',
  'faults',
  'completeEndpoint',
  'statusEndpoint',
  'processing',
]);
const META_KEY = /^[A-Za-z0-9_]{1,32}$/;
const FAULT_KINDS: readonly FaultKind[] = ['500', '503', '429', 'expired', 'reset'];
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Location, Content-Range, Retry-After',
};
const FAULT_ANSWERS = {
  '500': [500, 'internal_error', 'Injected fault: the server failed.', {}],
  '503': [503, 'service_unavailable', 'Injected fault: the service is unavailable; try again.', {}],
  '429': [429, 'rate_limited', 'Injected fault: too many requests; retry after 1 s.', { 'Retry-After': '1' }],
  expired: [403, 'signature_expired', 'The signed URL has expired; ask for a new one.', {}],
} as const;
const AUTH_MESSAGES = {
  missing: 'The signed URL is missing its expiry, method or signature parameter.',
  malformed: 'The signed URL is malformed (expiry must be unix seconds; method get or put).',
  method: 'The URL was signed for another method.',
  bad_signature: 'The signature does not match this URL.',
} as const;
/** What a jsdom Blob becomes when an environment turns it into a string instead of reading it. */
const STRINGIFIED_BLOB = /^\[object (?:Blob|File)\]$/;

function errorResponse(error: TestHttpError): Response {
  return HttpResponse.json({ kind: error.kind, message: error.message }, { status: error.status, headers: { ...CORS, ...error.headers } });
}

function storageBase(origin: string | undefined): URL {
  const text = origin ?? 'https://uploads.itty.test';
  if (typeof text !== 'string' || !URL.canParse(text)) throw new TypeError(`storageOrigin must be an http(s) URL, not "${text}"`);
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('storageOrigin must be an http(s) URL');
  if (url.search || url.hash) throw new TypeError('storageOrigin may not carry a query or fragment');
  return url;
}

function endpointOption(value: unknown, name: string): string {
  if (typeof value !== 'string' || !(value.startsWith('/') || /^https?:\/\//i.test(value))) {
    throw new TypeError(`${name} must be a path ("/upload-url") or an http(s) URL, not "${String(value)}"`);
  }
  return value;
}

/** True when `url` is the one `pattern` names: an absolute URL exactly; a path on the page's origin, or on any without a page. */
function sameEndpoint(url: URL, pattern: string): boolean {
  if (/^https?:\/\//i.test(pattern)) return url.href.split(/[?#]/, 1)[0] === new URL(pattern).href.split(/[?#]/, 1)[0];
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  if (page && URL.canParse(page)) return url.origin === new URL(page).origin && url.pathname === pattern;
  return url.pathname === pattern;
}

function checkOptions(options: UploadHandlersOptions) {
  if (typeof options !== 'object' || options === null) throw new TypeError('createUploadHandlers takes an options object');
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw new TypeError(`createUploadHandlers has no option "${name}"`);
  }
  const endpoint = endpointOption(options.endpoint ?? '/upload-url', 'endpoint');
  const completeEndpoint =
    options.completeEndpoint === undefined ? undefined : endpointOption(options.completeEndpoint, 'completeEndpoint');
  const statusEndpoint = options.statusEndpoint === undefined ? undefined : endpointOption(options.statusEndpoint, 'statusEndpoint');
  if (statusEndpoint !== undefined && statusEndpoint.split('{id}').length !== 2)
    throw new TypeError('statusEndpoint must hold {id} once, e.g. "/files/{id}"');
  const processingMs = options.processing?.ms ?? 0;
  if (typeof processingMs !== 'number' || !(processingMs >= 0)) throw new TypeError('processing.ms must be a number of milliseconds');
  const maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
  if (typeof maxSize !== 'number' || !(maxSize >= 0)) throw new TypeError('maxSize must be a number of bytes');
  const key = options.key ?? 'test-key';
  if (typeof key !== 'string' || key === '') throw new TypeError('key must be a non-empty string');
  const expiresIn = options.expiresIn ?? 3600;
  if (typeof expiresIn !== 'number' || !(expiresIn >= 1 && expiresIn < 1e11))
    throw new TypeError('expiresIn must be a number of seconds, at least 1');
  const faults = options.faults;
  if (faults !== undefined) {
    if (typeof faults.rate !== 'number' || !(faults.rate >= 0 && faults.rate <= 1))
      throw new TypeError('faults.rate must be a number from 0 to 1');
    for (const kind of faults.kinds ?? []) if (!FAULT_KINDS.includes(kind)) throw new TypeError(`Unknown fault kind "${kind}"`);
  }
  const base = storageBase(options.storageOrigin);
  return {
    endpoint,
    completeEndpoint,
    statusEndpoint,
    processingMs,
    maxSize,
    key,
    expiresIn,
    now: options.now ?? Date.now,
    faults,
    origin: base.origin,
    basePath: base.pathname.replace(/\/+$/, ''),
  };
}

/**
 * MSW handlers that play an app's signing endpoint and an ittybit-compatible storage in memory (SPEC §8):
 * `POST {endpoint}` answers ittybit's Signature object for a valid body and refuses a malformed one exactly as
 * the upload server does; `PUT {storageOrigin}/<path>?expiry&method&signature` checks the signature and stores
 * the bytes (a single PUT → 201 + File object; `Content-Range` chunks → 202 until every byte has arrived, then
 * 201 + File object); `GET`/`HEAD` serve what was stored. Use it with `setupServer` from `msw/node` (Vitest with
 * jsdom or happy-dom, Node) or `setupWorker` from `msw/browser` (Playwright, Storybook).
 */
export function createUploadHandlers(options: UploadHandlersOptions = {}): UploadHandlers {
  const config = checkOptions(options);
  const base = `${config.origin}${config.basePath}`;
  const storage = new MemoryStorage(base, config.now, config.processingMs);
  // Under jsdom a Blob body reaches MSW as the text "[object File]" unless Blob can be read (see blob-bytes.ts).
  ensureReadableBlobs();

  const isEndpoint = (url: URL) => sameEndpoint(url, config.endpoint);

  /** The `{id}` of a status request, or undefined for another URL. */
  function statusId(url: URL): string | undefined {
    if (config.statusEndpoint === undefined) return undefined;
    const [before, after] = config.statusEndpoint.split('{id}') as [string, string];
    const absolute = /^https?:\/\//i.test(before);
    const text = absolute ? url.href.split(/[?#]/, 1)[0]! : url.pathname;
    if (!text.startsWith(before) || !text.endsWith(after) || text.length <= before.length + after.length) return undefined;
    const raw = text.slice(before.length, text.length - after.length);
    if (raw.includes('/')) return undefined;
    if (!absolute && !sameEndpoint(url, url.pathname)) return undefined;
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }

  async function complete(request: Request): Promise<Response> {
    const body = await readJsonBody(request);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid('Send a JSON object: { file, meta?, relativePath? }.');
    const { file, meta, relativePath } = body as Record<string, unknown>;
    if (typeof file !== 'object' || file === null || typeof (file as { url?: unknown }).url !== 'string') {
      throw invalid('file must be the File object the storage answered.');
    }
    if (relativePath !== undefined && typeof relativePath !== 'string') throw invalid('relativePath must be a string.');
    if (meta !== undefined) {
      const entries = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? Object.entries(meta) : undefined;
      if (
        !entries ||
        entries.length > 32 ||
        entries.some(([key, value]) => !META_KEY.test(key) || typeof value !== 'string' || value.length > 2048)
      ) {
        throw invalid('meta must have at most 32 keys of [A-Za-z0-9_]{1,32} with string values of at most 2048 characters.');
      }
    }
    const { id, url } = file as { id?: unknown; url: string };
    const entry = (typeof id === 'string' ? storage.byId(id) : undefined) ?? storage.byUrl(url);
    if (!entry) throw new TestHttpError(404, 'file_not_found', 'The storage holds no file with this id or url.');
    entry.completion = {
      ...(meta !== undefined ? { meta: meta as Record<string, string> } : {}),
      ...(typeof relativePath === 'string' ? { relativePath } : {}),
    };
    if (meta !== undefined) entry.file = { ...entry.file, metadata: { ...(meta as Record<string, string>) } };
    return HttpResponse.json(storage.view(entry).file, { headers: CORS });
  }

  /** The URL path below the storage base, still percent-encoded; undefined for a request elsewhere. */
  function wirePathOf(request: Request): string | undefined {
    const href = request.url.split('#', 1)[0]!;
    const prefix = `${base}/`;
    if (!href.startsWith(prefix)) return undefined;
    const path = href.slice(prefix.length).split('?', 1)[0]!;
    return path === '' ? undefined : path;
  }

  /** An injected fault's answer, or undefined to go on. */
  function fault(route: FaultRoute, request: Request): Response | undefined {
    const faults = config.faults;
    if (!faults) return undefined;
    const random = faults.random ?? Math.random;
    const choices = (faults.kinds ?? FAULT_KINDS).filter((kind) => route === 'put' || kind !== 'expired');
    if (!(faults.routes ?? ['put', 'sign']).includes(route) || choices.length === 0 || random() >= faults.rate) return undefined;
    const kind = choices[Math.min(choices.length - 1, Math.floor(random() * choices.length))]!;
    faults.onFault?.({ kind, route, method: request.method, url: request.url });
    if (kind === 'reset') return HttpResponse.error();
    const [status, errorKind, message, headers] = FAULT_ANSWERS[kind];
    return errorResponse(new TestHttpError(status, errorKind, message, headers));
  }

  async function answer(work: () => Promise<Response>): Promise<Response> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof TestHttpError) return errorResponse(error);
      throw error;
    }
  }

  async function sign(request: Request): Promise<Response> {
    const body = parseSignBody(await readJsonBody(request), config.maxSize);
    let signature;
    try {
      signature = await signUploadUrl({
        key: config.key,
        domain: base,
        filename: body.filename,
        ...(body.folder ? { folder: body.folder } : {}),
        method: 'put',
        expiresIn: config.expiresIn,
        now: config.now(),
      });
    } catch (error) {
      // signUploadUrl's RangeError for a folder and file name over 1024 characters together.
      if (error instanceof RangeError) throw invalid('The folder and file name make a path that is too long.');
      throw error;
    }
    const path = signature.folder ? `${signature.folder}/${signature.filename}` : signature.filename;
    if (!storagePath(encodePath(path))) throw invalid('The folder and file name make a path that is too long.');
    if (isEndpoint(new URL(`${base}/${encodePath(path)}`))) {
      throw invalid(`"${path}" is the path of one of the upload server's own routes; choose another file name or folder.`);
    }
    return HttpResponse.json(signature, { headers: CORS });
  }

  async function authorize(request: Request): Promise<void> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (token === config.key) return;
    const params = new URL(request.url).searchParams;
    if (!params.has('signature') && !params.has('expiry')) {
      if (token !== undefined) throw new TestHttpError(401, 'token_invalid', 'The API key is not valid.');
      throw new TestHttpError(401, 'token_missing', 'This URL needs a signature (expiry, method, signature) or an API key.');
    }
    const result = await verifySignedUrl(request.url, { key: config.key, method: 'PUT', now: config.now(), basePath: config.basePath });
    if (result.ok) return;
    if (result.reason === 'expired') throw new TestHttpError(403, 'signature_expired', 'The signed URL has expired; ask for a new one.');
    throw new TestHttpError(403, 'signature_invalid', AUTH_MESSAGES[result.reason]);
  }

  async function put(request: Request, wirePath: string): Promise<Response> {
    const path = storagePath(wirePath);
    if (!path) throw invalid('The upload path is not allowed.');
    await authorize(request);
    const rangeHeader = request.headers.get('content-range');
    const declared = request.headers.get('content-length');
    const clientType = request.headers.get('content-type');
    if (rangeHeader === null) {
      if (declared !== null && Number(declared) > config.maxSize) throw tooLarge(config.maxSize);
      const bytes = await readBody(request);
      if (bytes.length > config.maxSize) throw tooLarge(config.maxSize);
      return created(storage.store(path, bytes, clientType, 'put'));
    }
    const range = parseContentRange(rangeHeader);
    if (!range) throw invalid('Content-Range must be "bytes start-end/total" with start <= end < total.');
    if (range.total > config.maxSize) throw tooLarge(config.maxSize);
    const length = range.end - range.start + 1;
    if (declared !== null && Number(declared) !== length) {
      throw invalid(`Content-Length ${declared} does not match Content-Range (${length} bytes).`);
    }
    const bytes = await readBody(request);
    // An intercepted request has no Content-Length header; browsers and Node always send one, equal to the body.
    if (bytes.length !== length) throw invalid(`Content-Length ${bytes.length} does not match Content-Range (${length} bytes).`);
    const scope = new URL(request.url).searchParams.get('signature') ?? undefined;
    const result = storage.writeChunk(path, range, bytes, clientType, scope);
    if (result === 'accepted') return new HttpResponse(null, { status: 202, headers: { ...CORS, 'Content-Length': '0' } });
    return created(result);
  }

  function created(record: Entry): Response {
    const { file } = storage.view(record);
    return HttpResponse.json(file, { status: 201, headers: { ...CORS, Location: file.url, ETag: file.etag as string } });
  }

  function read(request: Request, wirePath: string): Response | undefined {
    const path = storagePath(wirePath);
    const record = path === undefined ? undefined : storage.get(path);
    if (!record) {
      // The pretend storage's own origin has nothing else to serve; on the page's origin, other handlers may.
      const page = (globalThis as { location?: { origin?: string } }).location?.origin;
      if (config.basePath === '' && page === config.origin) return undefined;
      return errorResponse(new TestHttpError(404, 'not_found', 'Nothing here.'));
    }
    const headers = {
      ...CORS,
      'Content-Type': record.file.type,
      'Content-Length': String(record.bytes.length),
      ETag: record.file.etag as string,
      'X-Content-Type-Options': 'nosniff',
    };
    return new HttpResponse(request.method === 'HEAD' ? null : record.bytes.slice(), { status: 200, headers });
  }

  const handlers = [
    http.post('*', ({ request }) => {
      const url = new URL(request.url);
      if (config.completeEndpoint !== undefined && sameEndpoint(url, config.completeEndpoint)) return answer(() => complete(request));
      if (!isEndpoint(url)) return undefined;
      return fault('sign', request) ?? answer(() => sign(request));
    }),
    http.put('*', ({ request }) => {
      const wirePath = wirePathOf(request);
      if (wirePath === undefined) return undefined;
      return fault('put', request) ?? answer(() => put(request, wirePath));
    }),
    http.options('*', ({ request }) => {
      if (wirePathOf(request) === undefined && !isEndpoint(new URL(request.url))) return undefined;
      return new HttpResponse(null, {
        status: 204,
        headers: {
          ...CORS,
          'Access-Control-Allow-Methods': 'GET, HEAD, PUT, POST, OPTIONS',
          'Access-Control-Allow-Headers': request.headers.get('access-control-request-headers') ?? 'Content-Type, Content-Range',
          'Access-Control-Max-Age': '600',
        },
      });
    }),
    http.get('*', ({ request }) => {
      const id = statusId(new URL(request.url));
      if (id !== undefined) {
        const entry = storage.byId(id);
        if (!entry) return errorResponse(new TestHttpError(404, 'file_not_found', 'No file has this id.'));
        return HttpResponse.json(storage.view(entry).file, { headers: CORS });
      }
      const wirePath = wirePathOf(request);
      return wirePath === undefined ? undefined : read(request, wirePath);
    }),
    http.head('*', ({ request }) => {
      const wirePath = wirePathOf(request);
      return wirePath === undefined ? undefined : read(request, wirePath);
    }),
  ];

  return { handlers, files: () => storage.list(), reset: () => storage.reset() };
}

async function readBody(request: Request): Promise<Uint8Array> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length === 13 && STRINGIFIED_BLOB.test(new TextDecoder().decode(bytes))) {
    throw invalid(
      'The request body arrived as the text "[object File]": this test environment turned the Blob into a string ' +
        "instead of sending its bytes (jsdom's Blob has no arrayBuffer() or stream(), and no FileReader was found to add them).",
    );
  }
  return bytes;
}
