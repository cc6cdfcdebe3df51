import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpError } from './http.js';

/**
 * One resumable upload in progress: chunks are written at their offsets into one session file, and the
 * byte ranges that arrived whole are tracked. Sessions are keyed on (path, total size).
 */
export interface ChunkSession {
  readonly path: string;
  readonly total: number;
  readonly file: string;
  /** Inclusive byte ranges received whole, sorted and merged. */
  covered: Array<[number, number]>;
  lastActivity: number;
  /** Set once the session is complete (or discarded): later writers stop and new chunks start a new session. */
  closed: boolean;
  readonly writers: Map<AbortController, Promise<unknown>>;
  readonly ready: Promise<void>;
}

export interface ChunkSessionsOptions {
  dir: string;
  /** Milliseconds without a chunk after which a session and its file are removed. */
  ttl: number;
  maxSessions: number;
  now: () => number;
}

/** Adds [start, end] to sorted, merged inclusive ranges; adjacent ranges join. */
export function addRange(ranges: Array<[number, number]>, start: number, end: number): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  let [s, e] = [start, end];
  for (const [a, b] of ranges) {
    if (b + 1 < s) result.push([a, b]);
    else if (e + 1 < a) {
      result.push([s, e]);
      [s, e] = [a, b];
    } else [s, e] = [Math.min(a, s), Math.max(b, e)];
  }
  result.push([s, e]);
  return result;
}

export class ChunkSessions {
  readonly #sessions = new Map<string, ChunkSession>();
  readonly #options: ChunkSessionsOptions;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: ChunkSessionsOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** The open session for (path, total), created (with an empty file) when there is none. */
  async open(path: string, total: number): Promise<ChunkSession> {
    const key = `${total}:${path}`;
    let session = this.#sessions.get(key);
    if (!session) {
      if (this.#sessions.size >= this.#options.maxSessions) {
        throw new HttpError(429, 'rate_limited', 'Too many resumable uploads in progress; try again later.', {
          'Retry-After': '30',
        });
      }
      const file = join(this.#options.dir, `${randomUUID()}.part`);
      session = {
        path,
        total,
        file,
        covered: [],
        lastActivity: this.#options.now(),
        closed: false,
        writers: new Map(),
        ready: writeFile(file, '', { flag: 'wx' }),
      };
      this.#sessions.set(key, session);
      this.#startSweeping();
      const created = session;
      created.ready.catch(() => this.#close(created));
    }
    session.lastActivity = this.#options.now();
    await session.ready;
    return session;
  }

  /**
   * Records a chunk that arrived whole. Returns true for exactly one caller: the one whose chunk completed
   * coverage of 0..total-1. That caller owns the session from then on (it is closed and out of the map).
   */
  record(session: ChunkSession, start: number, end: number): boolean {
    if (session.closed) return false;
    session.covered = addRange(session.covered, start, end);
    session.lastActivity = this.#options.now();
    const [first] = session.covered;
    const complete = session.covered.length === 1 && first![0] === 0 && first![1] === session.total - 1;
    if (complete) this.#close(session);
    return complete;
  }

  /** Stops every other writer of a completed session and waits until their files are closed. */
  async quiesce(session: ChunkSession, except?: AbortController): Promise<void> {
    const others = [...session.writers].filter(([controller]) => controller !== except);
    for (const [controller] of others) controller.abort();
    await Promise.allSettled(others.map(([, done]) => done));
  }

  /** Closes and forgets a session and deletes its file. */
  async discard(session: ChunkSession): Promise<void> {
    this.#close(session);
    await this.quiesce(session);
    await rm(session.file, { force: true });
  }

  /** Removes sessions idle for longer than the TTL (and with no chunk in flight). */
  async sweep(): Promise<void> {
    const deadline = this.#options.now() - this.#options.ttl;
    const stale = [...this.#sessions.values()].filter((s) => s.lastActivity < deadline && s.writers.size === 0);
    await Promise.all(stale.map((session) => this.discard(session)));
  }

  /** Stops the sweep timer and removes every open session's file. */
  async close(): Promise<void> {
    this.#stopSweeping();
    await Promise.all([...this.#sessions.values()].map((session) => this.discard(session)));
  }

  #close(session: ChunkSession): void {
    session.closed = true;
    const key = `${session.total}:${session.path}`;
    if (this.#sessions.get(key) === session) this.#sessions.delete(key);
    if (this.#sessions.size === 0) this.#stopSweeping();
  }

  #startSweeping(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.sweep().catch(() => {}), Math.min(this.#options.ttl, 60_000));
    this.#timer.unref();
  }

  #stopSweeping(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
