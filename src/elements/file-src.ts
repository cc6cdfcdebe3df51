// `<itty-file src>`: fetching a File object JSON, with @lit/task's Task for its loading, error and retry. Loaded by
// the element (chunks/file-src-*.js) the first time it has a `src` to fetch, so pages that show File objects given as
// properties or attributes never download it (nor @lit/task). Like file-media.ts, it takes what it shares with the
// first load from the element rather than importing it.
import { Task, initialState } from '@lit/task';
import type { ReactiveControllerHost } from 'lit';
import type { IttyFile } from '../core/types.js';

// JSON's `null` and non-objects have no `url` either.
const isFile = (value: unknown): value is IttyFile => typeof (value as IttyFile | null)?.url === 'string';

/** What the task needs of `<itty-file>`. */
export interface SrcHost extends ReactiveControllerHost {
  file?: IttyFile;
  src: string;
}

/**
 * The `src` fetch. Latest call wins: a new `src` aborts the fetch in flight, and a superseded run never updates the
 * state. `badField` is the element's check of a File object's text fields, `fail` its `itty-file-error`.
 */
export const srcTask = (
  host: SrcHost,
  safeUrl: (url: string) => string | undefined,
  badField: (file: IttyFile) => string | undefined,
  fail: (error: Error) => void,
) =>
  new Task(host, {
    args: () => [host.file ? '' : host.src],
    task: async ([src], { signal }) => {
      if (!src) return initialState;
      const url = safeUrl(src);
      if (!url) throw new Error(`Refused to fetch ${src}`);
      const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`Could not fetch ${url}: HTTP ${response.status}`);
      // Invalid JSON and JSON that is not a File object fail alike (each engine words a syntax error its own way).
      const json = await response.json().catch(() => {});
      const file = isFile(json) ? json : json?.data;
      if (!isFile(file) || badField(file)) throw new Error(`${url} is not a File object in JSON`);
      return file;
    },
    // Everything the task throws is an Error: fetch rejects with a TypeError, the rest is thrown above.
    onError: (error) => fail(error as Error),
  });

export type SrcTask = ReturnType<typeof srcTask>;
