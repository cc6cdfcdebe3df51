// The words of an element: the string pack of its inherited `lang` (loaded on demand), the user's `strings` over it,
// and the layout direction that goes with the language.
import { adoptStyles, unsafeCSS, type CSSResult, type LitElement, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { html, nothing } from 'lit';
import type { MessageKey, Pack } from '../locales/en.js';
import { dropZone, rowWords } from '../locales/en-first.js';
import type { UploadError } from '../core/errors.js';
import type { QueueProgress } from '../core/progress.js';
import { fillTemplate } from '../core/strings.js';
import { formatSize } from '../core/units.js';

export type Values = Readonly<Record<string, string | number>>;

/** The words chunk (`elements/words.ts`): an element's words once files are in its list, and the list's styles. */
export interface WordsChunk {
  wordsOf(state: () => readonly [Pack | undefined, unknown, string]): ChunkWords;
  rowCss: string;
  /** The summary of a host's list (`elements/summary.ts`). */
  summary(host: SummaryHost, deps: SummaryDeps): Summary;
}

/** What the summary reads of its host and does with it: `<itty-uploader>`'s public API. */
/** What the summary reads of an item. */
export interface SummaryItem {
  readonly id: string;
  readonly status: string;
  readonly loaded: number;
  readonly total: number;
}

export interface SummaryHost extends ReactiveControllerHost, HTMLElement {
  readonly items: readonly SummaryItem[];
  readonly manual: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
  upload(): void;
  pause(id?: string): void;
  resume(id?: string): void;
  cancel(id?: string): void;
  retry(id?: string): void;
  remove(id?: string): void;
}

/** What the element gives its summary: Lit's template tags, the `itty-queue-progress` event class, a host state setter. */
export interface SummaryDeps {
  html: typeof html;
  nothing: typeof nothing;
  ProgressEvent: new (detail: QueueProgress) => Event;
  /** `itty-remove`'s class: Clear finished asks before each uploaded file leaves, as the row's remove button does. */
  RemoveEvent: new (detail: {
    item: never;
  }) => Event;
  state(name: string, on: boolean): void;
}

/** The summary: the whole list's progress and the `summary` part's template. */
export interface Summary {
  readonly progress: QueueProgress;
  render(lang: WordsController, off: boolean): unknown;
  /** A row's pause button while its file is in flight, its resume button while paused; nothing otherwise. */
  readonly rowButton: (
    item: SummaryItem,
    name: string,
    row: { words: Words; off: boolean; action(action: 'pause' | 'resume', id: string): void },
  ) => unknown;
}

/** The words of the words chunk. */
export interface ChunkWords {
  /** The text of `key` with `values` filled in, in the element's language. */
  (key: MessageKey, values?: Values): string;
  /** A size in bytes, written for the language. */
  size(bytes: number): string;
  /** A whole percent (0-100), written for the language. */
  percent(whole: number): string;
  /** What went wrong, in words, by the error's code ('' without the words chunk). */
  error(error: UploadError): string;
}

/** What the other parts of an element ask for words. */
export interface Words extends ChunkWords {
  /** Runs `fn` once the words chunk is in (or failed to load): at once when it is. */
  when(fn: () => void): void;
}

interface WordsHost extends ReactiveControllerHost, HTMLElement {
  strings: unknown;
}

/** The words chunk once it is in: one per page, shared by every element. */
let chunk: WordsChunk | undefined;
let loading: Promise<unknown> | undefined;
/** The list's and the rows' styles, from the words chunk: one style sheet for every element. */
let rowStyles: CSSResult | undefined;

/** Loads the words chunk once; a failed load (offline from a CDN) resolves all the same, and the next connect tries again. */
function loadChunk(load: () => Promise<WordsChunk>): Promise<unknown> {
  return (loading ??= load().then(
    (module) => (chunk = module),
    (error: unknown) => {
      loading = undefined;
      console.warn('itty-uploader: the words could not be loaded: rows say only a few English words.', error);
    },
  ));
}

/** The words a row and the drop zone show without the words chunk. */
const firstWords: Record<string, string> = { ...dropZone, ...rowWords };

/** The `lang` of the nearest ancestor that has one, crossing shadow roots; '' when none has. */
function inheritedLang(element: Element): string {
  for (let node: Element | null = element; node; node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null)) {
    const lang = node.getAttribute('lang');
    if (lang !== null) return lang;
  }
  return '';
}

/**
 * Follows the host's inherited `lang` — read on connect, when any `lang` in the document changes, and on each
 * render (which also catches ancestors across shadow roots) — loads its pack (English needs none; for another
 * language the pack chooser `locales/packs.ts` and the pack come as chunks, and English stays until they arrive),
 * and sets the host's `dir` for right-to-left languages unless the page set one itself.
 *
 * The words of the drop zone are in the first load; the rest (rows, rejections, announcements, plural forms, sizes
 * and percents for the language, `strings` merging) are the words chunk, which starts loading on connect and
 * renders the host when it arrives, its list's styles adopted beside the host's own. Until then, and for good when it
 * cannot load, rows say `en-first.ts`'s few words.
 */
export class WordsController implements ReactiveController {
  /** The language tag the words are in: the inherited `lang`, or `en`. */
  lang = 'en';
  readonly #host: WordsHost;
  #observer?: MutationObserver;
  /** The language's pack; undefined for English. */
  #pack?: Pack;
  /** The `dir` this controller set on the host, to tell it from one the page set. */
  #dir?: string;
  #ready?: Promise<unknown>;
  #chunkWords?: ChunkWords;
  #styled = false;

  readonly #loadChunk: () => Promise<WordsChunk>;

  /** `loadChunk` imports the words chunk: `() => import('../elements/words.js')`. */
  constructor(host: WordsHost, loadChunk: () => Promise<WordsChunk>) {
    this.#host = host;
    this.#loadChunk = loadChunk;
    host.addController(this);
  }

  /** Resolves when the words chunk is in, or failed to load (starting the load if nothing did). */
  get ready(): Promise<unknown> {
    return (this.#ready ??= this.#load());
  }

  /** The words chunk, once it is in. */
  get chunk(): WordsChunk | undefined {
    return chunk;
  }

  /** The words of the words chunk, once it is in. */
  get #in() {
    return chunk && (this.#chunkWords ??= chunk.wordsOf(() => [this.#pack, this.#host.strings, this.lang]));
  }

  readonly words: Words = Object.assign((key: MessageKey, values?: Values) => this.#in?.(key, values) ?? this.#first(key, values), {
    size: (bytes: number) => this.#in?.size(bytes) ?? formatSize(bytes),
    percent: (whole: number) => this.#in?.percent(whole) ?? `${whole}%`,
    error: (error: UploadError) => this.#in?.error(error) ?? '',
    when: (fn: () => void) => (chunk ? fn() : void this.ready.then(fn)),
  });

  hostConnected(): void {
    // Prefetch: picking files takes a user seconds, and the words are in by then.
    if (!chunk) this.#ready = this.#load();
    // One observer per element for the whole document: `lang` changes are rare, and the filter keeps the rest out.
    this.#observer ??= new MutationObserver(() => this.read());
    this.#observer.observe(this.#host.ownerDocument.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    this.read();
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
  }

  hostUpdate(): void {
    this.read();
    // The words chunk brought the list's styles: adopted beside the host's own, before any row renders with them.
    const root = this.#host.shadowRoot;
    if (chunk && !this.#styled && root) {
      this.#styled = true;
      adoptStyles(root, [...(this.#host.constructor as typeof LitElement).elementStyles, (rowStyles ??= unsafeCSS(chunk.rowCss))]);
    }
  }

  #load(): Promise<unknown> {
    return loadChunk(this.#loadChunk).then(() => this.#host.requestUpdate());
  }

  /** Takes the host's inherited `lang` now; a render follows when it changed, and again when its pack arrives. */
  read(): void {
    const host = this.#host;
    const lang = inheritedLang(host) || 'en';
    if (lang === this.lang) return;
    this.lang = lang;
    if (/^en(-|$)/i.test(lang)) return this.#use(undefined, false);
    import('../locales/packs.js').then(
      async ({ loadBuiltInPack, isRightToLeft }) => {
        const pack = await loadBuiltInPack(lang);
        if (this.lang === lang) this.#use(pack, isRightToLeft(lang));
      },
      (error: unknown) => console.warn('itty-uploader: the words could not be loaded: English is shown.', error),
    );
  }

  #use(pack: Pack | undefined, rtl: boolean) {
    const host = this.#host;
    this.#pack = pack;
    const dir = rtl ? 'rtl' : undefined;
    if (!host.hasAttribute('dir') || host.getAttribute('dir') === this.#dir) {
      if (dir) host.setAttribute('dir', dir);
      else host.removeAttribute('dir');
      this.#dir = dir;
    }
    host.requestUpdate();
  }

  /** Without the words chunk: a text of `strings`, else the pack's, else `en-first.ts`'s; '' for any other key. */
  #first(key: MessageKey, values: Values = {}): string {
    let text: unknown;
    try {
      text = (this.#host.strings as Record<string, unknown> | undefined)?.[key];
    } catch {
      // `strings` is the user's: the words chunk warns about what cannot be read.
    }
    if (typeof text !== 'string') text = this.#pack?.[key];
    if (typeof text !== 'string') text = firstWords[key];
    return typeof text === 'string' ? fillTemplate(text, values) : '';
  }
}
