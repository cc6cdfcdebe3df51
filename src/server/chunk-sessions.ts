import { randomUUID } from 'node:crypto';
import { open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addRange, coveredBytes, intersect } from './byte-ranges.js';
import { HttpError, shuttingDown } from './http.js';
import type { FileRecord } from './metadata-store.js';

/** One request writing a chunk into a session: its inclusive byte range, and when it has finished with the file. */
export interface ChunkWriter {
  readonly start: number;
  readonly end: number;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * One resumable upload in progress: chunks are written at their offsets into one session file, and the
 * byte ranges that arrived whole are tracked. A session belongs to one path *and* one signed URL (its
 * `owner`: a hash of the canonical signature, or `bearer`): uploads through different URLs never share bytes,
 * and one URL has at most one open session (a new total replaces it). The one exception is renewal: once the
 * owner URL has expired, another valid URL for the same path and total adopts the session (`adopt`).
 *
 * Sessions live on disk: `chunks/<id>.part` holds the bytes (sparse until filled) and `sessions/<id>.jsonl`
 * an append-only journal (a header line, then one line per range received whole, each appended and fsync'ed
 * after the range's bytes were fsync'ed, before its 202). A restarted server reads the journals back
 * (`load`), so uploads continue through the clients' ordinary retries.
 */
export interface ChunkSession {
  key: string;
  readonly id: string;
  readonly path: string;
  owner: string;
  /** The owners it had before renewed URLs adopted it (their chunks and probes still reach it, `#adopted`). */
  previous?: string[];
  /** Unix seconds after which the owner URL is expired (Infinity for Bearer uploads). */
  expiry: number;
  readonly total: number;
  readonly file: string;
  /** The session's journal file. */
  readonly journalFile: string;
  /** Appends to the journal run one after another; a discard waits for the last one before removing the file. */
  journal: Promise<void>;
  /** The ranges the journal on disk holds (a superset of `covered` while appends are ahead of `record`). */
  durable: Array<[number, number]>;
  /** Lines in the journal: past a bound it is rewritten compactly. */
  lines: number;
  /** Inclusive byte ranges received whole, sorted and merged. */
  covered: Array<[number, number]>;
  /** Bytes covered so far (a session that received little expires sooner). */
  received: number;
  lastActivity: number;
  /** Set once the session is complete (or discarded): later writers stop and new chunks start a new session. */
  closed: boolean;
  /** Why the session was discarded while chunks were arriving: the answer for its other writers too. */
  failure?: HttpError;
  /** Writers in flight, in the order they started (a later overlapping writer waits for the earlier ones). */
  readonly writers: Set<ChunkWriter>;
  readonly ready: Promise<void>;
}

/** What a completed chunked upload leaves for a retry of its completing chunk (whose 201 may have been lost). */
export interface CompletedUpload {
  readonly total: number;
  readonly start: number;
  readonly end: number;
  /** SHA-256 (hex) of the completing chunk's bytes: only the same bytes get the same answer. */
  readonly digest: string;
  readonly record: Promise<FileRecord>;
  readonly until: number;
  /** Where it is kept on disk (`sessions/<id>.done`), so that a restarted server still answers the retry. */
  readonly file?: string;
}

export interface ChunkSessionsOptions {
  dir: string;
  /** Folder of the session journals (`<id>.jsonl`). */
  journalDir: string;
  /** Folder of the completed uploads written down for a restart (`<id>.done`); none written without it. */
  completedDir?: string;
  /** Folders whose `*.tmp` leftovers (of atomic record writes a stopped process left) the sweep removes. */
  leftoverDirs?: readonly string[];
  /** The single-PUT temp folder: the sweep removes its files too once they are older than the TTL. */
  tmpDir: string;
  /** Milliseconds without a chunk after which a session and its file are removed. */
  ttl: number;
  /** Sessions open at once (all paths and URLs together). */
  maxSessions: number;
  /** Completed uploads remembered for retries of their last chunk; the least recently used go first. 1000 by default. */
  maxCompleted?: number;
  now: () => number;
}

/** A session that received less than this expires after `LITTLE_TTL` (or the TTL, when shorter). */
export const LITTLE_BYTES = 1024 * 1024;
export const LITTLE_TTL = 5 * 60 * 1000;

/** The range arithmetic is node-free (itty-uploader/testing's memory storage uses it too). */
export { addRange, intersect } from './byte-ranges.js';

export class ChunkSessions {
  /** By `owner + path`; kept in order of last activity (least recent first), so eviction looks at one entry. */
  readonly #sessions = new Map<string, ChunkSession>();
  /** Completed uploads by `owner + path`, least recently used first, at most `maxCompleted`. */
  readonly #completed = new Map<string, CompletedUpload>();
  /** Session and temp files still in use: open, being written, or being committed. The sweep never removes them. */
  readonly #files = new Set<string>();
  /** Owners told their URL expired by an injected fault, least recent first (capped like `#completed`). */
  readonly #expiredOwners = new Set<string>();
  /**
   * Sessions by the `owner + path` they had before a renewed URL adopted them (least recent first, capped like
   * `#completed`): a chunk still on its way through the expired URL (a retry sent while the renewal was under way)
   * lands in the session that goes on, instead of opening a short one that nothing completes.
   */
  readonly #adopted = new Map<string, ChunkSession>();
  /**
   * The `owner + path` a completed upload had before a renewed URL adopted its session → the key it completed under:
   * the completing chunk or a status probe still on its way through the expired URL (a page reloaded before it wrote
   * down the renewed one) gets the File object, not an empty 308 that would make its client start over.
   */
  readonly #completedAliases = new Map<string, string>();
  readonly #options: ChunkSessionsOptions;
  readonly #maxCompleted: number;
  /** Completed uploads being stored and written down: `close` waits for them (a restart then finds them). */
  readonly #finishing = new Set<Promise<unknown>>();
  /** Set by `close`: no session opens or is adopted after it (a journal written then could hide an older one at the next start). */
  #shut = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #filesSweptAt = Number.NEGATIVE_INFINITY;
  #sweeping: Promise<void> | undefined;

  constructor(options: ChunkSessionsOptions) {
    this.#options = options;
    this.#maxCompleted = options.maxCompleted ?? 1000;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** How many completed uploads are remembered (for tests and the attack run). */
  get completedSize(): number {
    return this.#completed.size;
  }

  /** Files kept from the sweep (for tests and the attack run). */
  get heldFiles(): number {
    return this.#files.size;
  }

  /** The open session of (path, owner), unless it has expired (it is then removed). */
  get(path: string, owner: string): ChunkSession | undefined {
    const key = keyOf(path, owner);
    let session = this.#sessions.get(key);
    const adopter = session ? undefined : this.#adopted.get(key);
    if (adopter) {
      if (!adopter.closed && this.#sessions.get(adopter.key) === adopter) session = adopter;
      else this.#adopted.delete(key);
    }
    if (session && this.#expired(session, this.#options.now())) {
      void this.discard(session);
      return undefined;
    }
    return session;
  }

  /**
   * The session of another, expired URL for the same path and total, now handed to `owner` (valid until
   * `expiry`): the renewal of SPEC §3.6 ("signing again if the URL expired") continues the upload instead of
   * starting over. While the first URL is valid its session is never handed on, so two live URLs never share
   * bytes; once adopted, the session is the new URL's (a third URL waits until that one expires too). Bearer
   * uploads neither adopt nor are adopted. Of several candidates, the most recently active one.
   */
  adopt(path: string, owner: string, expiry: number, total: number): ChunkSession | undefined {
    if (owner === BEARER || this.#shut) return undefined;
    const now = this.#options.now();
    const seconds = Math.floor(now / 1000);
    let found: ChunkSession | undefined;
    for (const session of this.#sessions.values()) {
      if (session.path !== path || session.total !== total || session.owner === owner || session.owner === BEARER) continue;
      if (session.closed || !(seconds > session.expiry) || this.#expired(session, now)) continue;
      found = session;
    }
    if (!found) return undefined;
    const key = keyOf(path, owner);
    const displaced = this.#sessions.get(key);
    if (displaced) {
      displaced.failure ??= new HttpError(
        409,
        'upload_conflict',
        'A newer upload through this URL replaced this one; sign again and start over.',
      );
      void this.discard(displaced);
    }
    this.#sessions.delete(found.key);
    this.#setAdopted(found.key, found);
    found.key = key;
    found.previous = [...(found.previous ?? []), found.owner].slice(-16);
    found.owner = owner;
    found.expiry = expiry;
    this.#sessions.set(key, found);
    this.#append(found, { owner, expiry: finite(expiry), t: now });
    return this.#touch(found);
  }

  #setAdopted(key: string, session: ChunkSession): void {
    this.#adopted.delete(key);
    this.#adopted.set(key, session);
    if (this.#adopted.size > this.#maxCompleted) this.#adopted.delete(this.#adopted.keys().next().value!);
  }

  /**
   * Treats `owner`'s URL as expired from now on (the server told its client so: an injected `expired` fault), so
   * that a re-signed URL continues its session as after a real expiry.
   */
  expireOwner(owner: string): void {
    if (owner === BEARER) return;
    // Also for a session this URL opens later (a chunk sent in parallel with the one told "expired").
    this.#expiredOwners.delete(owner);
    this.#expiredOwners.add(owner);
    if (this.#expiredOwners.size > this.#maxCompleted) this.#expiredOwners.delete(this.#expiredOwners.values().next().value!);
    for (const session of this.#sessions.values()) {
      if (session.owner !== owner || session.expiry === 0) continue;
      session.expiry = 0;
      void this.#append(session, { owner, expiry: 0, t: this.#options.now() }).catch(() => {});
    }
  }

  /** The byte ranges the open session of (path, owner) holds, for a status probe; undefined without one. */
  holding(path: string, owner: string, total: number): ReadonlyArray<[number, number]> | undefined {
    const session = this.get(path, owner);
    return session && session.total === total && !session.closed ? session.covered : undefined;
  }

  /**
   * Opens a new session for (path, owner) with an empty file, replacing one of another total. Past
   * `maxSessions`, the least recently active session is evicted if it has expired or received little and
   * sat idle for a while; otherwise 429.
   */
  async open(path: string, owner: string, total: number, expiry = Number.POSITIVE_INFINITY): Promise<ChunkSession> {
    // A request that reached a closed server (its process going down) opens nothing: the next process continues the
    // upload from the journals, and a second journal of the same URL would make it drop one of them.
    if (this.#shut) throw shuttingDown('send this chunk again');
    const key = keyOf(path, owner);
    const existing = this.#sessions.get(key);
    if (existing) {
      if (existing.total === total && !this.#expired(existing, this.#options.now())) return this.#touch(existing);
      existing.failure ??= new HttpError(
        409,
        'upload_conflict',
        'A newer upload through this URL replaced this one; sign again and start over.',
      );
      await this.discard(existing);
    }
    if (this.#sessions.size >= this.#options.maxSessions) await this.#evictOne();
    if (this.#sessions.size >= this.#options.maxSessions) {
      throw new HttpError(429, 'rate_limited', 'Too many resumable uploads in progress; try again later.', { 'Retry-After': '30' });
    }
    const again = this.#sessions.get(key);
    if (again && again.total === total) return this.#touch(again);
    if (again) return this.open(path, owner, total, expiry);
    if (this.#expiredOwners.has(owner)) expiry = 0;
    const id = randomUUID();
    const file = join(this.#options.dir, `${id}.part`);
    const journalFile = join(this.#options.journalDir, `${id}${JOURNAL}`);
    const now = this.#options.now();
    const header: JournalHeader = { v: 1, path, owner, expiry: finite(expiry), total, t: now };
    const session: ChunkSession = {
      key,
      id,
      path,
      owner,
      expiry,
      total,
      file,
      journalFile,
      journal: Promise.resolve(),
      durable: [],
      lines: 1,
      covered: [],
      received: 0,
      lastActivity: now,
      closed: false,
      writers: new Set(),
      // The data file first: a journal never names a file that was not there (the sweep takes a lone data file).
      ready: writeFile(file, '', { flag: 'wx' }).then(() => writeFile(journalFile, `${JSON.stringify(header)}\n`, { flag: 'wx' })),
    };
    // Journal lines wait for the journal's header: an append before it (an `expired` fault telling a parallel chunk
    // of this URL to renew, `expireOwner`) would create the file, and the header's exclusive write would then fail.
    session.journal = session.ready.catch(() => {});
    this.#sessions.set(key, session);
    this.#files.add(file);
    this.#files.add(journalFile);
    this.#startSweeping();
    session.ready.catch(() => {
      this.#close(session);
      void rm(file, { force: true });
      void rm(journalFile, { force: true });
      this.#files.delete(file);
      this.#files.delete(journalFile);
    });
    await session.ready;
    return session;
  }

  /**
   * Makes a received range durable: appends it to the session's journal and fsyncs it (the range's bytes are
   * fsync'ed by then). Only then may the chunk be acknowledged, so an acknowledged range survives a crash.
   */
  persist(session: ChunkSession, start: number, end: number): Promise<void> {
    return this.#append(session, { r: [start, end], t: this.#options.now() });
  }

  #append(session: ChunkSession, line: JournalLine): Promise<void> {
    const run = session.journal.then(async () => {
      // A closed session's journal is being (or was) removed: opening it to append would bring it back.
      if (session.closed) return;
      if ('r' in line) {
        const [start, end] = line.r;
        // A retry of bytes already on record adds nothing: the journal does not grow with repeated chunks.
        if (coveredBytes(intersect(session.durable, start, end)) === end - start + 1) return;
        const durable = addRange(session.durable, start, end);
        if (session.lines >= COMPACT_LINES && session.lines > 4 * durable.length) {
          await atomicWrite(session.journalFile, journalText({ ...session, covered: durable }, line.t));
          session.durable = durable;
          session.lines = 1 + durable.length;
          return;
        }
        await appendLine(session.journalFile, line);
        session.durable = durable;
      } else await appendLine(session.journalFile, line);
      session.lines += 1;
    });
    session.journal = run.catch(() => {});
    return run;
  }

  /**
   * Reads back the sessions a previous process left (at start, before the first sweep): each journal whose data
   * file is there and whose TTL has not passed becomes an open session again, with the ranges it acknowledged;
   * its journal is rewritten compactly (a torn last line, from a crash mid-append, was never acknowledged and
   * is dropped). Journals without their data file, unreadable ones and expired ones go, with their data files.
   */
  async load(): Promise<void> {
    const now = this.#options.now();
    // Half-done atomic writes of a process that stopped: nothing of this one's is in flight before it is ready.
    for (const folder of [this.#options.journalDir, ...(this.#options.leftoverDirs ?? [])]) {
      for (const name of await readdir(folder).catch(() => [] as string[])) {
        if (name.endsWith('.tmp')) await rm(join(folder, name), { force: true });
      }
    }
    await this.#loadCompleted(now);
    const names = await readdir(this.#options.journalDir).catch(() => [] as string[]);
    for (const name of names) {
      const journalFile = join(this.#options.journalDir, name);
      if (!name.endsWith(JOURNAL)) continue;
      const id = name.slice(0, -JOURNAL.length);
      const file = join(this.#options.dir, `${id}.part`);
      if (this.#files.has(journalFile)) continue;
      const restored = await readJournal(journalFile, now);
      const info = restored && (await stat(file).catch(() => undefined));
      const key = restored && keyOf(restored.path, restored.owner);
      const session: ChunkSession | undefined =
        restored && info?.isFile() && key !== undefined
          ? {
              key,
              id,
              path: restored.path,
              owner: restored.owner,
              previous: restored.previous,
              expiry: restored.expiry,
              total: restored.total,
              file,
              journalFile,
              journal: Promise.resolve(),
              durable: restored.covered,
              lines: 1 + restored.covered.length,
              covered: restored.covered,
              received: coveredBytes(restored.covered),
              lastActivity: restored.lastActivity,
              closed: false,
              writers: new Set(),
              ready: Promise.resolve(),
            }
          : undefined;
      const older = session && this.#sessions.get(session.key);
      if (!session || this.#expired(session, now) || (older && older.lastActivity >= session.lastActivity)) {
        await Promise.all([rm(journalFile, { force: true }), rm(file, { force: true })]);
        continue;
      }
      if (older) await this.discard(older);
      try {
        await atomicWrite(journalFile, journalText(session, now));
      } catch {
        await Promise.all([rm(journalFile, { force: true }), rm(file, { force: true })]);
        continue;
      }
      this.#sessions.set(session.key, session);
      for (const other of session.previous ?? []) this.#setAdopted(keyOf(session.path, other), session);
      this.#files.add(file);
      this.#files.add(journalFile);
    }
    // In order of last activity, as the eviction expects.
    const sorted = [...this.#sessions.values()].sort((a, b) => a.lastActivity - b.lastActivity);
    this.#sessions.clear();
    for (const session of sorted) this.#sessions.set(session.key, session);
    if (this.#sessions.size > 0) this.#startSweeping();
  }

  /** The completed uploads a previous process wrote down (`remember`), while their TTL lasts; the others go. */
  async #loadCompleted(now: number): Promise<void> {
    const dir = this.#options.completedDir;
    if (!dir) return;
    const found: Array<[string, CompletedUpload, string[]]> = [];
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const file = join(dir, name);
      if (!name.endsWith(DONE)) {
        if (name.endsWith('.tmp')) await rm(file, { force: true });
        continue;
      }
      const done = parseLine(await readFile(file, 'utf8').catch(() => undefined)) as Partial<DoneFile> | undefined;
      const valid =
        done?.v === 1 &&
        typeof done.path === 'string' &&
        typeof done.owner === 'string' &&
        done.owner !== BEARER &&
        typeof done.digest === 'string' &&
        [done.total, done.start, done.end, done.until].every(Number.isSafeInteger) &&
        typeof done.record?.path === 'string' &&
        done.until! >= now;
      if (!valid) {
        await rm(file, { force: true });
        continue;
      }
      const { path, owner, owners, total, start, end, digest, until, record } = done as DoneFile;
      const aliases = (Array.isArray(owners) ? owners : []).filter((other) => typeof other === 'string').map((other) => keyOf(path, other));
      found.push([keyOf(path, owner), { total, start, end, digest, until, record: Promise.resolve(record), file }, aliases]);
    }
    // Least recently completed first, as `#setCompleted` keeps them.
    found.sort(([, a], [, b]) => a.until - b.until);
    for (const [key, entry, aliases] of found) {
      this.#setCompleted(key, entry);
      for (const alias of aliases) this.#setAlias(alias, key);
    }
  }

  /** Whether recording [start, end] now would complete the session's coverage. */
  completes(session: ChunkSession, start: number, end: number): boolean {
    const [first, second] = addRange(session.covered, start, end);
    return second === undefined && first![0] === 0 && first![1] === session.total - 1;
  }

  /**
   * Records a chunk that arrived whole. Returns true for exactly one caller: the one whose chunk completed
   * coverage of 0..total-1. That caller owns the session from then on (it is closed and out of the map).
   */
  record(session: ChunkSession, start: number, end: number): boolean {
    if (session.closed) return false;
    session.covered = addRange(session.covered, start, end);
    session.received = coveredBytes(session.covered);
    this.#touch(session);
    const [first] = session.covered;
    const complete = session.covered.length === 1 && first![0] === 0 && first![1] === session.total - 1;
    if (complete) this.#close(session);
    return complete;
  }

  /**
   * Remembers a completed session's commit for the TTL (for a signed URL; a Bearer upload has no URL to retry
   * through), so the completing chunk sent again with the same bytes gets the same answer, and a status probe gets
   * the File object. It is kept on disk too (`completed/<id>.done`, written before the answer goes): a server
   * restarted after storing the file, whose 201 never reached the client, still answers its retry or its probe
   * with the File object instead of a 202 or an empty 308 that would make the client start over (`completedDir`). Resolves with
   * the record once it is stored and written down. The session file is kept from the sweep until the commit settles.
   */
  remember(
    session: ChunkSession,
    completing: { start: number; end: number; digest: string },
    committing: Promise<FileRecord>,
  ): Promise<FileRecord> {
    const key = session.key;
    const until = this.#options.now() + this.#options.ttl;
    const dir = this.#options.completedDir;
    const file = session.owner === BEARER || !dir ? undefined : join(dir, `${session.id}${DONE}`);
    // The URLs this upload had before renewed ones adopted its session.
    const before = (session.previous ?? []).map((other) => keyOf(session.path, other));
    if (file) {
      this.#setCompleted(key, { total: session.total, ...completing, record: committing, until, file });
      for (const alias of before) this.#setAlias(alias, key);
    }
    // The journal goes once the file is stored (or failed): a crash before that leaves a journal whose data file
    // was renamed away, which the next start drops.
    const forget = () => {
      this.#files.delete(session.file);
      void session.journal.then(() => rm(session.journalFile, { force: true })).finally(() => this.#files.delete(session.journalFile));
    };
    const finished = committing.then(
      async (record) => {
        const owners = session.previous ?? [];
        const done: DoneFile = {
          v: 1,
          path: session.path,
          owner: session.owner,
          owners,
          total: session.total,
          ...completing,
          until,
          record,
        };
        // Best effort: without it, a restart forgets this upload as it did before (the client sends it again).
        if (file && this.#completed.get(key)?.record === committing) await atomicWrite(file, JSON.stringify(done)).catch(() => {});
        forget();
        return record;
      },
      (error: unknown) => {
        forget();
        if (this.#completed.get(key)?.record === committing) this.#completed.delete(key);
        throw error;
      },
    );
    const tracked = finished.catch(() => {});
    this.#finishing.add(tracked);
    void tracked.then(() => this.#finishing.delete(tracked));
    return finished;
  }

  /** Keeps a completed upload (the most recent last), forgetting the least recently used past `maxCompleted`. */
  #setCompleted(key: string, entry: CompletedUpload): void {
    const old = this.#completed.get(key);
    this.#completed.delete(key);
    if (old?.file && old.file !== entry.file) void rm(old.file, { force: true });
    this.#completed.set(key, entry);
    while (this.#completed.size > this.#maxCompleted) this.#dropCompleted(this.#completed.keys().next().value!);
  }

  #setAlias(alias: string, key: string): void {
    this.#completedAliases.delete(alias);
    this.#completedAliases.set(alias, key);
    if (this.#completedAliases.size > this.#maxCompleted) this.#completedAliases.delete(this.#completedAliases.keys().next().value!);
  }

  #dropCompleted(key: string): void {
    const entry = this.#completed.get(key);
    this.#completed.delete(key);
    if (entry?.file) void rm(entry.file, { force: true });
  }

  /** The recently completed upload of (path, owner), if there is one. */
  completed(path: string, owner: string): CompletedUpload | undefined {
    let key = keyOf(path, owner);
    if (!this.#completed.has(key) && this.#completedAliases.has(key)) {
      const target = this.#completedAliases.get(key)!;
      if (!this.#completed.has(target)) this.#completedAliases.delete(key);
      key = target;
    }
    const entry = this.#completed.get(key);
    if (!entry) return undefined;
    if (entry.until < this.#options.now()) {
      this.#dropCompleted(key);
      return undefined;
    }
    return entry;
  }

  /** Forgets the completed uploads of `path` (its file was deleted): a retry of their last chunk is a new upload. */
  forgetCompleted(path: string): void {
    for (const key of [...this.#completed.keys()]) if (key.endsWith(`\n${path}`)) this.#dropCompleted(key);
  }

  /** Keeps a temp file from the sweep while its upload is alive, however long it sits idle; call the result when done. */
  hold(file: string): () => void {
    this.#files.add(file);
    return () => this.#files.delete(file);
  }

  /** Stops every other writer of a completed session and waits until they are done with its file. */
  async quiesce(session: ChunkSession, except?: ChunkWriter): Promise<void> {
    const others = [...session.writers].filter((writer) => writer !== except);
    for (const writer of others) writer.controller.abort();
    await Promise.allSettled(others.map((writer) => writer.done));
  }

  /** Closes and forgets a session and deletes its file. */
  async discard(session: ChunkSession): Promise<void> {
    this.#close(session);
    // A session replaced while its files were being created: removing them before they exist would leave them behind.
    await session.ready.catch(() => {});
    await this.quiesce(session);
    await session.journal;
    await Promise.all([rm(session.journalFile, { force: true }), rm(session.file, { force: true })]);
    this.#files.delete(session.file);
    this.#files.delete(session.journalFile);
  }

  /**
   * Runs on a timer (and at start), never per request: removes expired sessions and remembered uploads, and at
   * most once per sweep interval, session and temp files no live session owns that are older than the TTL
   * (what a process that stopped mid-upload left behind).
   */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweep().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async #sweep(): Promise<void> {
    const now = this.#options.now();
    for (const [key, entry] of [...this.#completed]) if (entry.until < now) this.#dropCompleted(key);
    const stale = [...this.#sessions.values()].filter((s) => this.#expired(s, now));
    await Promise.all(stale.map((session) => this.discard(session)));
    if (now - this.#filesSweptAt < this.#interval()) return;
    this.#filesSweptAt = now;
    const deadline = now - this.#options.ttl;
    const folders = [this.#options.dir, this.#options.tmpDir, this.#options.journalDir, this.#options.completedDir ?? []].flat();
    const kept = await Promise.all([
      ...folders.map((folder) => this.#removeOrphans(folder, deadline)),
      ...(this.#options.leftoverDirs ?? []).map((folder) => this.#removeOrphans(folder, deadline, '.tmp')),
    ]);
    if (kept.includes(true) || this.#sessions.size > 0 || this.#completed.size > 0) this.#startSweeping();
    else this.#stopSweeping();
  }

  /**
   * Stops the sweep timer and lets go of every open session; chunks still arriving are answered 503, not 202
   * (their ranges are not in the journal). The acknowledged ranges stay on disk, so a server started again on the
   * same folder continues the uploads; with `{ keepSessions: false }` their files are removed instead. Uploads being
   * stored finish first, and are written down for the next start (their clients may retry their last chunk).
   */
  async close({ keepSessions = true }: { keepSessions?: boolean } = {}): Promise<void> {
    this.#shut = true;
    this.#stopSweeping();
    const sessions = [...this.#sessions.values()];
    // "Accepted" would tell the client never to send these bytes again.
    for (const session of sessions) session.failure ??= shuttingDown('send this chunk again');
    if (!keepSessions) {
      await Promise.all(sessions.map((session) => this.discard(session)));
    } else {
      await Promise.all(
        sessions.map(async (session) => {
          this.#close(session);
          await this.quiesce(session);
          await session.journal;
          this.#files.delete(session.file);
          this.#files.delete(session.journalFile);
        }),
      );
    }
    await Promise.all(this.#finishing);
    if (keepSessions) this.#completed.clear();
    else for (const key of [...this.#completed.keys()]) this.#dropCompleted(key);
  }

  #expired(session: ChunkSession, now: number): boolean {
    if (session.writers.size > 0) return false;
    const ttl = session.received < LITTLE_BYTES ? Math.min(this.#options.ttl, LITTLE_TTL) : this.#options.ttl;
    return session.lastActivity + ttl < now;
  }

  /** Moves a session to the most recently active end of the map. */
  #touch(session: ChunkSession): ChunkSession {
    session.lastActivity = this.#options.now();
    if (this.#sessions.get(session.key) === session) {
      this.#sessions.delete(session.key);
      this.#sessions.set(session.key, session);
    }
    return session;
  }

  /** Frees a place when the least recently active session has expired, or received little and sat idle a minute. */
  async #evictOne(): Promise<void> {
    const now = this.#options.now();
    for (const session of this.#sessions.values()) {
      // The map is in activity order: the first session without writers is the stalest candidate.
      if (session.writers.size > 0) continue;
      const idle = now - session.lastActivity;
      const idleLong = this.#expired(session, now) || (session.received < LITTLE_BYTES && idle >= Math.min(this.#options.ttl, 60_000));
      if (idleLong) await this.discard(session);
      return;
    }
  }

  #close(session: ChunkSession): void {
    session.closed = true;
    if (this.#sessions.get(session.key) === session) this.#sessions.delete(session.key);
  }

  /** Resolves true when files too young to remove were left. With `suffix`, only files whose name ends so count. */
  async #removeOrphans(folder: string, olderThan: number, suffix?: string): Promise<boolean> {
    let kept = false;
    for (const name of await readdir(folder).catch(() => [])) {
      if (suffix !== undefined && !name.endsWith(suffix)) continue;
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

const JOURNAL = '.jsonl';
/** A completed upload written down for a restart (`remember`). */
const DONE = '.done';

interface DoneFile {
  v: 1;
  path: string;
  owner: string;
  /** The owners its session had before renewed URLs adopted it. */
  owners: string[];
  total: number;
  /** The completing chunk's range and the SHA-256 of its bytes. */
  start: number;
  end: number;
  digest: string;
  /** Until when (ms) it is remembered. */
  until: number;
  record: FileRecord;
}
/** A journal with this many lines, four times more than its merged ranges, is rewritten compactly. */
const COMPACT_LINES = 1024;

async function appendLine(file: string, line: JournalLine): Promise<void> {
  const handle = await open(file, 'a');
  try {
    await handle.write(`${JSON.stringify(line)}\n`);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

interface JournalHeader {
  v: 1;
  path: string;
  owner: string;
  /** Owners before the current one (written when the journal is rewritten). */
  previous?: string[];
  /** Unix seconds; null for never (Bearer). */
  expiry: number | null;
  total: number;
  t: number;
}

type JournalLine = { r: [number, number]; t: number } | { owner: string; expiry: number | null; t: number };

/** JSON has no Infinity. */
function finite(expiry: number): number | null {
  return Number.isFinite(expiry) ? expiry : null;
}

function journalText(session: ChunkSession, now: number): string {
  const header: JournalHeader = {
    v: 1,
    path: session.path,
    owner: session.owner,
    ...(session.previous?.length ? { previous: session.previous } : {}),
    expiry: finite(session.expiry),
    total: session.total,
    t: session.lastActivity,
  };
  const lines = [JSON.stringify(header), ...session.covered.map((r) => JSON.stringify({ r, t: now }))];
  return `${lines.join('\n')}\n`;
}

/** A journal's session, or undefined when its header is unreadable. Lines that do not parse (a torn append) are skipped. */
async function readJournal(
  file: string,
  now: number,
): Promise<
  | {
      path: string;
      owner: string;
      /** The owners before the last adoption (URLs whose chunks may still be on their way). */
      previous: string[];
      expiry: number;
      total: number;
      covered: Array<[number, number]>;
      lastActivity: number;
    }
  | undefined
> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const [first, ...rest] = text.split('\n');
  const header = parseLine(first) as Partial<JournalHeader> | undefined;
  if (header?.v !== 1 || typeof header.path !== 'string' || typeof header.owner !== 'string') return undefined;
  if (!Number.isSafeInteger(header.total) || header.total! < 1) return undefined;
  let { owner } = header;
  const previous = Array.isArray(header.previous) ? header.previous.filter((other) => typeof other === 'string') : [];
  let expiry = typeof header.expiry === 'number' ? header.expiry : Number.POSITIVE_INFINITY;
  let covered: Array<[number, number]> = [];
  let lastActivity = typeof header.t === 'number' ? header.t : now;
  for (const text of rest) {
    const line = parseLine(text) as Record<string, unknown> | undefined;
    if (!line) continue;
    if (typeof line['t'] === 'number') lastActivity = Math.max(lastActivity, line['t']);
    const range = line['r'];
    if (Array.isArray(range)) {
      const [start, end] = range as unknown[];
      if (
        Number.isSafeInteger(start) &&
        Number.isSafeInteger(end) &&
        (start as number) >= 0 &&
        (start as number) <= (end as number) &&
        (end as number) < header.total!
      ) {
        covered = addRange(covered, start as number, end as number);
      }
    } else if (typeof line['owner'] === 'string') {
      if (line['owner'] !== owner) previous.push(owner);
      owner = line['owner'];
      expiry = typeof line['expiry'] === 'number' ? line['expiry'] : Number.POSITIVE_INFINITY;
    }
  }
  return {
    path: header.path,
    owner,
    previous: previous.filter((other) => other !== owner),
    expiry,
    total: header.total!,
    covered,
    lastActivity,
  };
}

function parseLine(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `content` to a temp file beside `file`, fsyncs it and renames it over `file`. */
async function atomicWrite(file: string, content: string): Promise<void> {
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(content);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The owner of Bearer (simple, server-side) chunked uploads: no URL to tell them apart. */
export const BEARER = 'bearer';

function keyOf(path: string, owner: string): string {
  return `${owner}\n${path}`;
}

const BLOCK = 256 * 1024;

/** True when `length` bytes of `a` at `aOffset` equal those of `b` at `bOffset`. */
export async function sameBytes(a: string, aOffset: number, b: string, bOffset: number, length: number): Promise<boolean> {
  const [ha, hb] = await Promise.all([open(a, 'r'), open(b, 'r')]);
  try {
    const [ba, bb] = [Buffer.alloc(Math.min(BLOCK, length)), Buffer.alloc(Math.min(BLOCK, length))];
    for (let done = 0; done < length; ) {
      const size = Math.min(BLOCK, length - done);
      const [ra, rb] = await Promise.all([ha.read(ba, 0, size, aOffset + done), hb.read(bb, 0, size, bOffset + done)]);
      if (ra.bytesRead !== size || rb.bytesRead !== size || !ba.subarray(0, size).equals(bb.subarray(0, size))) return false;
      done += size;
    }
    return true;
  } finally {
    await Promise.all([ha.close(), hb.close()]);
  }
}

/** Copies all of `source` into `target` at `offset` (the target exists). */
export async function copyInto(source: string, target: string, offset: number): Promise<void> {
  const [from, to] = await Promise.all([open(source, 'r'), open(target, 'r+')]);
  try {
    const buffer = Buffer.alloc(BLOCK);
    for (let position = 0; ; ) {
      const { bytesRead } = await from.read(buffer, 0, BLOCK, position);
      // Durable before the range is acknowledged.
      if (bytesRead === 0) return await to.datasync();
      await to.write(buffer, 0, bytesRead, offset + position);
      position += bytesRead;
    }
  } finally {
    await Promise.all([from.close(), to.close()]);
  }
}
