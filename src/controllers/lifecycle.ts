// The lifecycle of an element's files after the bytes land: its completion calls (`complete-endpoint`) and the polling
// of `status-endpoint` while ittybit processes a file. Loaded on demand by UploadController (the CDN bundle's
// `chunks/lifecycle-*.js`) the first time either endpoint is needed; it imports nothing at run time but
// core/lifecycle.ts: what it shares with the first load comes in as arguments.
import type { FailurePath } from '../core/failure.js';
import type { failureTools } from '../core/failure-loader.js';
import { isProcessing, lifecycleCalls, pollTiming } from '../core/lifecycle.js';
import type { Clock, IttyFile } from '../core/types.js';
import type { UploadItem } from '../events.js';

/** What the lifecycle reads of its element and its list. */
export interface LifecycleHost {
  readonly completeEndpoint?: string;
  readonly statusEndpoint?: string;
  readonly endpointHeaders: Record<string, string>;
  readonly withCredentials: boolean;
  readonly retries: number;
}

export interface LifecycleList {
  readonly items: readonly UploadItem[];
  /** Replaces a done item's File object (`updateFile`): `change`, and `itty-upload-processed` when it is ready or failed. */
  updateFile(id: string, file: IttyFile): void;
}

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The lifecycle of one element's list. */
export function lifecycle(
  host: LifecycleHost,
  list: LifecycleList,
  path: FailurePath,
  tools: typeof failureTools,
  whenOnline?: (signal: AbortSignal) => Promise<void> | undefined,
) {
  const calls = lifecycleCalls(path, tools.safeUrl);
  // The poll of each item, by id, with the File object it polls for.
  const polls = new Map<string, [AbortController, IttyFile]>();
  const settings = () => ({ headers: host.endpointHeaders, withCredentials: host.withCredentials, baseUrl: document.baseURI, clock });

  return {
    /** The completion call of one stored file (`complete-endpoint`). */
    complete: (item: UploadItem, file: IttyFile, signal: AbortSignal) =>
      calls.completeFile(host.completeEndpoint!, file, {
        ...settings(),
        signal,
        retries: host.retries,
        whenOnline,
        meta: item.meta,
        relativePath: item.relativePath,
      }),

    /**
     * Polls `status-endpoint` for each done item whose File object is `waiting` or `processing` (one poll per File
     * object), and stops the polls of items that left the list or whose File object changed.
     */
    watch(): void {
      const template = host.statusEndpoint;
      const current = new Map(list.items.map((item) => [item.id, item.status === 'done' ? item.file : undefined]));
      for (const [id, [run, file]] of polls) {
        if (current.get(id) !== file) {
          run.abort();
          polls.delete(id);
        }
      }
      if (!template) return;
      for (const [id, file] of current) {
        if (!file || polls.has(id) || !isProcessing(file) || typeof file.id != 'string') continue;
        const run = new AbortController();
        polls.set(id, [run, file]);
        calls.pollStatus(template, file, { ...settings(), ...pollTiming, signal: run.signal }).then(
          (done) => {
            polls.delete(id);
            // The app may have set another File object meanwhile (`updateFile`): that one stands.
            if (done) {
              if (list.items.some((item) => item.id === id && item.status === 'done' && item.file === file)) list.updateFile(id, done);
            } else
              console.info(
                `<itty-uploader>: ${template} did not report ${file.id} ready or failed within ${pollTiming.cap / 60000} minutes; polling stopped.`,
              );
          },
          () => polls.delete(id),
        );
      }
    },
  };
}

export type Lifecycle = ReturnType<typeof lifecycle>;
