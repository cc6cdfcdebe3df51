// `drop-target="page"` of <itty-uploader>: a chunk the element loads the first time the attribute is set.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MessageKey } from '../locales/en.js';

export interface PageDropHost extends ReactiveControllerHost, HTMLElement {
  dropTarget?: string;
}

const css = String.raw;

/** The overlay's styles: here, not in the first load. Top layer (a manual popover) where the browser has it. */
const overlayCss = css`
  [part='page-drop-overlay'] {
    position: fixed;
    inset: 0;
    z-index: 2147483647;
    width: auto;
    height: auto;
    max-width: none;
    max-height: none;
    margin: 0;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: var(--_gap);
    padding: var(--_gap);
    border: 3px dashed var(--_accent);
    border-radius: 0;
    background: color-mix(in srgb, var(--_background) 94%, transparent);
    color: var(--_foreground);
    font: 600 20px / 1.4 var(--itty-font, system-ui, sans-serif);
    text-align: center;
  }
  [part='page-drop-overlay'] svg {
    width: 48px;
    height: 48px;
    stroke-width: 1.6;
  }
  :host([drag-invalid]) [part='page-drop-overlay'] {
    border-color: var(--_danger);
    color: color-mix(in srgb, var(--_danger) 80%, var(--_foreground));
  }
`;

/**
 * While files are dragged anywhere over the page, shows a page-wide overlay (`part="page-drop-overlay"`) inside the
 * host's shadow root, so that the host's own drop handling (`DropController`: `accept`, `dragover`, `drag-invalid`,
 * the drop) takes the drag from there. The overlay goes when the drag leaves the window, is dropped or is canceled
 * (Escape). The document is listened to only while the host is connected with `drop-target="page"`.
 */
export class PageDropController implements ReactiveController {
  readonly #host: PageDropHost;
  readonly #words: (key: MessageKey) => string;
  #listening = false;
  #overlay?: HTMLElement;
  #style?: HTMLStyleElement;

  constructor(host: PageDropHost, words: (key: MessageKey) => string) {
    this.#host = host;
    this.#words = words;
    // Calls hostConnected at once when the host is connected.
    host.addController(this);
  }

  /** The overlay while it shows. */
  get overlay(): HTMLElement | undefined {
    return this.#overlay;
  }

  hostConnected(): void {
    this.hostUpdate();
  }

  hostDisconnected(): void {
    this.#listen(false);
  }

  hostUpdate(): void {
    const host = this.#host;
    this.#listen(host.isConnected && host.dropTarget === 'page');
    const text = this.#overlay?.lastElementChild;
    if (text) text.textContent = this.#words(host.hasAttribute('drag-invalid') ? 'dropInvalid' : 'pageDropOverlay');
  }

  #listen(on: boolean) {
    if (on === this.#listening) return;
    this.#listening = on;
    const host = this.#host;
    const document = host.ownerDocument;
    const method = on ? 'addEventListener' : 'removeEventListener';
    document[method]('dragenter', this.#onEnter as EventListener);
    document[method]('drop', this.#hide);
    document[method]('dragend', this.#hide);
    document[method]('keydown', this.#onKey as EventListener);
    // After the host's own drop handling (added first): it tells whether the drag is still over the host's overlay.
    host[method]('dragleave', this.#onLeave);
    host[method]('drop', this.#hide);
    if (!on) this.#hide();
  }

  #onEnter = (event: DragEvent) => {
    const host = this.#host;
    if (this.#overlay || !event.dataTransfer?.types.includes('Files') || host.matches(':disabled')) return;
    const document = host.ownerDocument;
    const overlay = document.createElement('div');
    overlay.setAttribute('part', 'page-drop-overlay');
    overlay.setAttribute('popover', 'manual');
    // The drop zone's icon (the element's styles draw it), then the words.
    overlay.innerHTML =
      '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2"/></svg><span></span>';
    // Its styles stay in the shadow root once there (a style element: the host's adopted sheets are the host's).
    if (!this.#style) {
      this.#style = document.createElement('style');
      this.#style.textContent = overlayCss;
      host.shadowRoot!.append(this.#style);
    }
    host.shadowRoot!.append(overlay);
    this.#overlay = overlay;
    // In the top layer, above any stacking context of the page; where popovers are missing, a fixed overlay.
    try {
      overlay.showPopover?.();
    } catch {}
    this.hostUpdate();
  };

  // Every drag over the page is over the overlay: when the host's drop handling says it left, it left the window.
  #onLeave = () => {
    if (!this.#host.hasAttribute('dragover')) this.#hide();
  };

  #onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') this.#hide();
  };

  #hide = () => {
    this.#overlay?.remove();
    this.#overlay = undefined;
  };
}

const controllers = new WeakMap<PageDropHost, PageDropController>();

/** Adds `drop-target="page"` handling to `host` once (it follows the host's `dropTarget` from then on). */
export const pageDrop = (host: PageDropHost, words: (key: MessageKey) => string): PageDropController => {
  let controller = controllers.get(host);
  if (!controller) controllers.set(host, (controller = new PageDropController(host, words)));
  return controller;
};
