import { randomUUID } from 'node:crypto';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpError } from './http.js';
import type { FileRecord } from './metadata-store.js';

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
  /** Why the session was discarded when a write failed: the answer for its other writers too. */
  failure?: HttpError;
  readonly writers: Map<AbortController, Promise<unknown>>;
  readonly ready: Promise<void>;
}

export interface ChunkSessionsOptions {
  dir: string;
  /** The single-PUT temp folder: the sweep removes its files too once they are older than the TTL. */
  tmpDir: string;
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

function completedKey(path: string, total: number, scope: string | undefined): string | undefined {
  return scope === undefined ? undefined : `${scope} ${total}:${path}`;
}

export class ChunkSessions {
  readonly #sessions = new Map<string, ChunkSession>();
  /** Completed uploads by signed URL, path and total, kept for the TTL to answer a retried chunk (its 201 was lost). */
  readonly #completed = new Map<string, { record: Promise<FileRecord>; until: number }>();
  /** Session and temp files still in use: open, being written, or being committed. The sweep never removes them. */
  readonly #files = new Set<string>();
  readonly #options: ChunkSessionsOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  #filesSweptAt = Number.NEGATIVE_INFINITY;
  /** The last sweep found files of no session that were not old enough to remove yet. */
  #leftovers = false;

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
      this.#files.add(file);
      this.#startSweeping();
      const created = session;
      created.ready.catch(() => {
        this.#close(created);
        this.#files.delete(file);
      });
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

  /**
   * Remembers a completed session's commit for the TTL under `scope` (the signature of the URL it was completed
   * through), so a chunk of it sent again to that URL gets the same answer instead of opening a new session.
   * Without a scope (a Bearer upload) only the session file is kept from the sweep until the commit settles.
   */
  remember(session: ChunkSession, scope: string | undefined, committing: Promise<FileRecord>): void {
    const key = completedKey(session.path, session.total, scope);
    if (key) this.#completed.set(key, { record: committing, until: this.#options.now() + this.#options.ttl });
    void committing.then(
      () => this.#files.delete(session.file),
      () => {
        this.#files.delete(session.file);
        if (key && this.#completed.get(key)?.record === committing) this.#completed.delete(key);
      },
    );
  }

  /** Keeps a single PUT's temp file from the sweep while its upload is alive, however long it sits idle; call the result when done. */
  hold(file: string): () => void {
    this.#files.add(file);
    return () => this.#files.delete(file);
  }

  /** The commit of a recently completed upload of (path, total) through the URL `scope`, if there is one. */
  completed(path: string, total: number, scope: string | undefined): Promise<FileRecord> | undefined {
    const key = completedKey(path, total, scope);
    const entry = key ? this.#completed.get(key) : undefined;
    return entry && entry.until >= this.#options.now() ? entry.record : undefined;
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
    this.#files.delete(session.file);
  }

  /**
   * Removes sessions idle for longer than the TTL (and with no chunk in flight), and, at most once per sweep
   * interval, session and temp files no live session owns that are older than the TTL: what a process that
   * stopped mid-upload left behind.
   */
  async sweep(): Promise<void> {
    const now = this.#options.now();
    const deadline = now - this.#options.ttl;
    for (const [key, entry] of this.#completed) if (entry.until < now) this.#completed.delete(key);
    const stale = [...this.#sessions.values()].filter((s) => s.lastActivity < deadline && s.writers.size === 0);
    await Promise.all(stale.map((session) => this.discard(session)));
    if (now - this.#filesSweptAt < this.#interval()) return;
    this.#filesSweptAt = now;
    const kept = await Promise.all([this.#options.dir, this.#options.tmpDir].map((folder) => this.#removeOrphans(folder, deadline)));
    this.#leftovers = kept.includes(true);
    if (this.#leftovers) this.#startSweeping();
    else if (this.#sessions.size === 0) this.#stopSweeping();
  }

  /** Stops the sweep timer and removes every open session's file; chunks still arriving are answered 503, not 202. */
  async close(): Promise<void> {
    this.#stopSweeping();
    this.#completed.clear();
    const sessions = [...this.#sessions.values()];
    for (const session of sessions) {
      // Their bytes are about to be deleted: "accepted" would tell the client never to send them again.
      session.failure ??= new HttpError(503, 'service_unavailable', 'The upload server is shutting down; send this chunk again.', {
        'Retry-After': '1',
      });
    }
    await Promise.all(sessions.map((session) => this.discard(session)));
  }

  #close(session: ChunkSession): void {
    session.closed = true;
    const key = `${session.total}:${session.path}`;
    if (this.#sessions.get(key) === session) this.#sessions.delete(key);
    if (this.#sessions.size === 0 && !this.#leftovers) this.#stopSweeping();
  }

  /** Resolves true when files too young to remove were left. */
  async #removeOrphans(folder: string, olderThan: number): Promise<boolean> {
    let kept = false;
    for (const name of await readdir(folder).catch(() => [])) {
      const file = join(folder, name);
      if (this.#files.has(file)) continue;
      const info = await stat(file).catch(() => undefined);
      if (info && info.mtimeMs < olderThan) await rm(file, { force: true });
      else if (info) kept = true;
    }
    return kept;
  }

  #interval(): number {
    return Math.min(this.#options.ttl, 60_000);
  }

  #startSweeping(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.sweep().catch(() => {}), this.#interval());
    this.#timer.unref();
  }

  #stopSweeping(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
