import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ListWindow } from './list-window.js';

export interface ListWindowHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** Stands for `rows` rows of a long list (none: nothing), as tall as they are (CSS). */
export type Spacer = (rows: number) => unknown;
const spacer: Spacer = (rows) => (rows > 0 ? html`<li class="spacer" aria-hidden="true" style="--rows: ${rows}"></li>` : nothing);

/** Lists up to this long render every row; longer ones only the blocks of rows near the viewport (list-window.ts). */
const FULL_LIST = 100;

/** While the window loads, a long list renders its first rows and a spacer for the rest: what one screen shows. */
const FIRST_ROWS = 20;

/**
 * The rows a list renders. Up to FULL_LIST rows, all of them; a longer list loads the window (list-window.ts: rows
 * near the viewport, spacers for the others) and renders its first rows until it has loaded (a thousand files added
 * at once paint as fast as before the window was split off), or every row for good should it fail to load (a copied
 * dist/ without its chunks): slower, but no file is ever left out. The window, once in, is one of the host's
 * controllers itself (it listens while the host is connected and measures after each render).
 */
export class ListWindowController {
  readonly #host: ListWindowHost;
  #window?: ListWindow;
  #loading = false;
  #failed = false;

  constructor(host: ListWindowHost) {
    this.#host = host;
  }

  /** The rows of `items` to render, each made by `row(item, index)`; `shown` gets the items rendered. */
  render<T>(items: readonly T[], row: (item: T, index: number) => TemplateResult, shown: T[]): unknown[] {
    if (items.length > FULL_LIST && !this.#failed) {
      if (this.#window) return this.#window.render(items, row, shown);
      this.#load();
      const first = items.slice(0, FIRST_ROWS);
      shown.push(...first);
      return [...first.map(row), spacer(items.length - first.length)];
    }
    shown.push(...items);
    return items.map(row);
  }

  #load() {
    const host = this.#host;
    if (this.#loading) return;
    this.#loading = true;
    import('./list-window.js').then(
      ({ ListWindow }) => {
        // A controller of the host from now on: connected at once when the host is.
        host.addController((this.#window = new ListWindow(host, FULL_LIST, spacer)));
        host.requestUpdate();
      },
      () => {
        this.#failed = true;
        host.requestUpdate();
      },
    );
  }
}
