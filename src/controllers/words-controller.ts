// The words of an element: the string pack of its inherited `lang` (loaded on demand), the user's `strings` over it,
// and the layout direction that goes with the language.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import en, { type MessageKey, type Pack } from '../locales/en.js';
import { formatPercent, formatSize, message } from '../locales/text.js';
import type { UploadError } from '../core/errors.js';
import { mergeTexts } from '../strings.js';

export type Values = Readonly<Record<string, string | number>>;

/** The words of an error's code (`sign_failed` → `errorSignFailed`), for a row and the live region. */
export const errorKey = (error: UploadError): MessageKey => {
  const key = `error${error.code.replace(/(?:^|_)(\w)/g, (_, letter: string) => letter.toUpperCase())}`;
  return (key in en ? key : 'errorUploadFailed') as MessageKey;
};

/** What the other parts of an element ask for words. */
export interface Words {
  /** The text of `key` with `values` filled in, in the element's language. */
  (key: MessageKey, values?: Values): string;
  /** A size in bytes, written for the language. */
  size(bytes: number): string;
  /** A whole percent (0-100), written for the language. */
  percent(whole: number): string;
}

interface WordsHost extends ReactiveControllerHost, HTMLElement {
  strings: unknown;
}

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
 * render (which also catches ancestors across shadow roots) — loads its pack (English is in the first load; for
 * another language the pack chooser `locales/packs.ts` and the pack come as chunks, and English stays until they
 * arrive), and sets the host's `dir` for right-to-left languages unless the page set one itself.
 */
export class WordsController implements ReactiveController {
  /** The language tag the words are in: the inherited `lang`, or `en`. */
  lang = 'en';
  readonly #host: WordsHost;
  #observer?: MutationObserver;
  #pack: Pack = en;
  #table: Pack = en;
  #merged: [Pack, unknown] = [en, undefined];
  /** The `dir` this controller set on the host, to tell it from one the page set. */
  #dir?: string;

  constructor(host: WordsHost) {
    this.#host = host;
    host.addController(this);
  }

  readonly words: Words = Object.assign((key: MessageKey, values?: Values) => message(this.#current(), key, values, this.lang), {
    size: (bytes: number) => formatSize(bytes, this.lang),
    percent: (whole: number) => formatPercent(whole / 100, this.lang),
  });

  hostConnected(): void {
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
  }

  /** Takes the host's inherited `lang` now; a render follows when it changed, and again when its pack arrives. */
  read(): void {
    const host = this.#host;
    const lang = inheritedLang(host) || 'en';
    if (lang === this.lang) return;
    this.lang = lang;
    if (/^en(-|$)/i.test(lang)) return this.#use(en, false);
    import('../locales/packs.js').then(
      async ({ loadBuiltInPack, isRightToLeft }) => {
        const pack = (await loadBuiltInPack(lang)) ?? en;
        if (this.lang === lang) this.#use(pack, isRightToLeft(lang));
      },
      (error: unknown) => console.warn('itty-uploader: the strings could not be loaded, so English is shown.', error),
    );
  }

  #use(pack: Pack, rtl: boolean) {
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

  // The merged table is rebuilt only when the pack or the `strings` object changed.
  #current(): Pack {
    const strings = this.#host.strings;
    if (this.#merged[0] !== this.#pack || this.#merged[1] !== strings) {
      this.#merged = [this.#pack, strings];
      this.#table = mergeTexts(this.#pack, strings);
    }
    return this.#table;
  }
}
