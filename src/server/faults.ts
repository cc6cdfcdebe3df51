import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http.js';

/**
 * A failure the server can inject, for testing clients against flaky storage: `500` and `503` answers,
 * `429` with `Retry-After: 1`, `expired` (403 `signature_expired`, as for a URL past its expiry), and
 * `reset` (the connection is destroyed after part of the request body arrived).
 */
export type FaultKind = '500' | '503' | '429' | 'expired' | 'reset';

/** Requests that can fail: signed (or Bearer) PUTs, and POSTs to the signing endpoint. */
export type FaultRoute = 'put' | 'sign';

export const FAULT_KINDS: readonly FaultKind[] = ['500', '503', '429', 'expired', 'reset'];

export interface InjectedFault {
  kind: FaultKind;
  route: FaultRoute;
  method: string;
  /** The request's URL as received (signature included). */
  url: string;
}

export interface FaultOptions {
  /** Share of eligible requests that fail, from 0 to 1. */
  rate: number;
  /** Returns a number in [0, 1); `Math.random` by default. A seeded one makes the draws repeatable. */
  random?: () => number;
  /** Faults to choose from, evenly; all of them by default. The signing endpoint never gets `expired`. */
  kinds?: readonly FaultKind[];
  /** Requests that may fail; both by default. */
  routes?: readonly FaultRoute[];
  /** Called for every fault injected (to count or log them). */
  onFault?: (fault: InjectedFault) => void;
}

/** Decides for one request; true when the fault answered it (the server must not handle it). */
export type FaultInjector = (req: IncomingMessage, res: ServerResponse, route: FaultRoute) => boolean;

const ANSWERS = {
  '500': [500, 'internal_error', 'Injected fault: the server failed.', {}],
  '503': [503, 'service_unavailable', 'Injected fault: the service is unavailable; try again.', {}],
  '429': [429, 'rate_limited', 'Injected fault: too many requests; retry after 1 s.', { 'Retry-After': '1' }],
  expired: [403, 'signature_expired', 'The signed URL has expired; ask for a new one.', {}],
} as const;

/** Validates the options and returns the per-request decision. */
export function createFaultInjector(options: FaultOptions): FaultInjector {
  const { rate, random = Math.random, kinds = FAULT_KINDS, routes = ['put', 'sign'], onFault } = options;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new TypeError('faults.rate must be a number from 0 to 1');
  for (const kind of kinds) if (!FAULT_KINDS.includes(kind)) throw new TypeError(`Unknown fault kind "${kind}"`);
  const byRoute = { put: kinds, sign: kinds.filter((kind) => kind !== 'expired') };

  return (req, res, route) => {
    const choices = byRoute[route];
    if (!routes.includes(route) || choices.length === 0 || random() >= rate) return false;
    const kind = choices[Math.min(choices.length - 1, Math.floor(random() * choices.length))]!;
    onFault?.({ kind, route, method: req.method ?? '', url: req.url ?? '' });
    if (kind === 'reset') {
      cutBody(req, random);
      return false;
    }
    const [status, errorKind, message, headers] = ANSWERS[kind];
    // The body is not read: Node discards the rest, as it does for the server's own early answers.
    sendJson(res, status, { kind: errorKind, message }, headers);
    return true;
  };
}

/**
 * Lets the request through to its handler but destroys the connection once part of the body was read:
 * at least one byte arrives and at least one never does (a body of under 2 bytes is cut before it starts).
 * The handler sees the client go away mid-body; the client sees its connection reset.
 */
function cutBody(req: IncomingMessage, random: () => number): void {
  const reset = () => req.destroy(Object.assign(new Error('connection reset (injected fault)'), { code: 'ECONNRESET' }));
  // An 'error' with no listener would crash the process; the handler adds its own while it reads.
  req.on('error', () => {});
  const length = Number(req.headers['content-length']);
  if (!(length >= 2)) {
    reset();
    return;
  }
  const cutAt = 1 + Math.floor(random() * (length - 1));
  let seen = 0;
  let cut = false;
  const emit = req.emit;
  // Every body byte reaches listeners through 'data' (flowing mode and read() alike), so cutting here
  // is exact: nothing past `cutAt` is ever seen, not even what arrived in the same TCP segment.
  req.emit = function (this: IncomingMessage, event: string | symbol, ...args: unknown[]): boolean {
    if (cut && (event === 'data' || event === 'end')) return false;
    if (event === 'data') {
      const chunk = args[0] as Buffer;
      if (seen + chunk.length >= cutAt) {
        cut = true;
        const keep = chunk.subarray(0, cutAt - seen);
        seen = cutAt;
        if (keep.length > 0) emit.call(this, 'data', keep);
        reset();
        return true;
      }
      seen += chunk.length;
    }
    return emit.call(this, event, ...args);
  } as IncomingMessage['emit'];
}
