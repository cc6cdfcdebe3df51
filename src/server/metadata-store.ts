import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IttyFile } from '../core/types.js';
import { shuttingDown } from './http-error.js';

/** The named fields of `IttyFile` except `url`, which depends on the origin the file is read through. */
export type StoredFile = {
  [K in keyof IttyFile as string extends K ? never : number extends K ? never : K extends 'url' ? never : K]: IttyFile[K];
};

export interface FileRecord {
  /** Storage path relative to the upload folder, `/`-separated. */
  path: string;
  file: StoredFile;
  /** With the `processing` option: when (ms) the File object's `status` turns from `processing` to `ready`. */
  readyAt?: number;
}

const ID = /^file_[a-z0-9]{12}$/;

/**
 * File objects kept as JSON beside the uploads (in the hidden internal folder), so they survive a restart:
 * `records/<sha256 of path>.json` holds the record, `ids/<id>` the path it belongs to.
 */
export class MetadataStore {
  readonly #records: string;
  readonly #ids: string;
  readonly #locks = new Map<string, Promise<unknown>>();
  #closed = false;

  /** On a case-insensitive file system `A.png` and `a.png` are one file: they get one record. */
  #foldCase: boolean | undefined;

  constructor(internalDir: string, options: { caseInsensitive?: boolean } = {}) {
    this.#records = join(internalDir, 'records');
    this.#ids = join(internalDir, 'ids');
    this.#foldCase = options.caseInsensitive;
  }

  async init(): Promise<void> {
    await mkdir(this.#records, { recursive: true });
    await mkdir(this.#ids, { recursive: true });
    this.#foldCase ??= await isCaseInsensitive(this.#records);
  }

  async byPath(path: string): Promise<FileRecord | undefined> {
    const text = await readFile(this.#recordFile(path), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const record = JSON.parse(text) as FileRecord;
      return this.#same(record.path, path) ? record : undefined;
    } catch {
      return undefined;
    }
  }

  async byId(id: string): Promise<FileRecord | undefined> {
    if (!ID.test(id)) return undefined;
    const path = await readFile(join(this.#ids, id), 'utf8').catch(() => undefined);
    if (path === undefined) return undefined;
    const record = await this.byPath(path);
    return record?.file.id === id ? record : undefined;
  }

  #same(a: string, b: string): boolean {
    return this.#foldCase ? fold(a) === fold(b) : a === b;
  }

  async save(record: FileRecord): Promise<void> {
    await atomicWrite(join(this.#ids, record.file.id!), record.path);
    await atomicWrite(this.#recordFile(record.path), JSON.stringify(record));
  }

  /** Forgets a record and its id (call under the path's lock). */
  async remove(record: FileRecord): Promise<void> {
    await rm(this.#recordFile(record.path), { force: true });
    await rm(join(this.#ids, record.file.id!), { force: true });
  }

  /**
   * Runs `task` after every earlier task for the same path has settled: renames and record writes never interleave.
   * Once the store is closed, a task is refused (503): a server started next on the folder must not find a write of
   * this one's under way (it removes half-done record writes).
   */
  withPathLock<T>(name: string, task: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(shuttingDown());
    const path = this.#foldCase ? fold(name) : name;
    const previous = this.#locks.get(path) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(path, settled);
    void settled.then(() => {
      if (this.#locks.get(path) === settled) this.#locks.delete(path);
    });
    return run;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Refuses new tasks and resolves once every task under way (a commit, a record write) has settled. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#locks.values());
  }

  #recordFile(path: string): string {
    return join(
      this.#records,
      `${createHash('sha256')
        .update(this.#foldCase ? fold(path) : path)
        .digest('hex')}.json`,
    );
  }
}

/** How a case- and normalisation-insensitive file system (macOS, Windows) compares names. */
function fold(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

/** Writes a probe file and looks for it under another case. */
async function isCaseInsensitive(folder: string): Promise<boolean> {
  const name = `.case-${randomUUID()}-Aa`;
  try {
    await writeFile(join(folder, name), '');
    return await stat(join(folder, name.replace('-Aa', '-aA'))).then(
      () => true,
      () => false,
    );
  } catch {
    return false;
  } finally {
    await rm(join(folder, name), { force: true });
  }
}

async function atomicWrite(file: string, content: string): Promise<void> {
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, content);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
