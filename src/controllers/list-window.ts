// The window of a long list, loaded by list-window-controller.ts with the first list longer than FULL_LIST rows:
// pages whose lists stay short never download it.
// It takes Lit's templates from its caller: importing Lit here would split Lit out of the CDN bundle into a chunk.
import type { TemplateResult } from 'lit';
import type { ListWindowHost, Spacer } from './list-window-controller.js';

/**
 * Rows of a long list come in blocks: a block near the viewport (or holding focus) renders its rows, any other one
 * nothing, and spacers stand for the rows between. Each block keeps its slot among its siblings, so a row's DOM
 * always shows the same file and focus never jumps.
 */
const BLOCK = 10;
/** Rows beyond each edge of the viewport that are rendered too, so Tab always finds the next row's buttons. */
const OVERSCAN = 3;

/** The place of a rendered row in the list (0-based), from its `aria-posinset`. */
export const indexOfRow = (row?: Element | null): number | undefined => (row ? +row.getAttribute('aria-posinset')! - 1 : undefined);

/**
 * The window of a long list: renders only the rows near the viewport (measured after each render, scroll and
 * resize) and spacers for the others. Rows are `.item` elements with `aria-posinset`.
 */
export class ListWindow {
  readonly #host: ListWindowHost;
  /** Rows in the list at the last render. */
  #count = 0;
  /** In a long list, the rows [first, last) that are rendered (whole blocks); the others are spacers. Unmeasured: [0, 0]. */
  #window = [0, 0];
  /** Measured distance between rows (row + gap) of a long list. */
  #pitch = 72;
  #frame = 0;
  // Also a list shown again (display: none before) on a page scrolled meanwhile: no scroll, no resize. DOM
  // emulations (jsdom, happy-dom) have no ResizeObserver: they lay nothing out to measure anyway.
  readonly #resizes?: ResizeObserver;

  /** Lists up to this long are not windowed. */
  readonly #full: number;
  readonly #spacer: Spacer;

  constructor(host: ListWindowHost, full: number, spacer: Spacer) {
    this.#host = host;
    this.#full = full;
    this.#spacer = spacer;
    if (globalThis.ResizeObserver) this.#resizes = new ResizeObserver(this.#onViewportChange);
  }

  hostConnected(): void {
    // Capturing on window also hears the scrolling of any ancestor.
    addEventListener('scroll', this.#onViewportChange, { capture: true, passive: true });
    addEventListener('resize', this.#onViewportChange);
    this.#resizes?.observe(this.#host);
  }

  hostDisconnected(): void {
    removeEventListener('scroll', this.#onViewportChange, { capture: true });
    removeEventListener('resize', this.#onViewportChange);
    this.#resizes?.disconnect();
  }

  hostUpdated(): void {
    this.#onViewportChange();
  }

  /** The rows of `items` to render: blocks of rows made by `row(item, index)`, spacers between; `shown` gets the items rendered. */
  render<T>(items: readonly T[], row: (item: T, index: number) => TemplateResult, shown: T[]): unknown[] {
    const count = (this.#count = items.length);
    // Before the first measurement, as many rows as would fill the viewport from its top.
    if (!this.#window[1]) this.#window = [0, Math.ceil((innerHeight / this.#pitch + OVERSCAN) / BLOCK) * BLOCK];
    // A list that shrank below its window shows its last rows: the next measurement needs two rendered rows.
    if (this.#window[0] > count - 2) {
      const end = Math.ceil(count / BLOCK) * BLOCK;
      this.#window = [Math.max(0, end - this.#window[1] + this.#window[0]), end];
    }
    const [first, last] = count > this.#full ? this.#window : [0, count];
    // Besides the window, the block of the focused row stays rendered wherever the window goes: else focus would fall to the page.
    const kept = BLOCK * Math.floor((indexOfRow(this.#host.shadowRoot?.activeElement?.closest('li')) ?? -1) / BLOCK);
    // Every block keeps its slot, rendered (after a spacer for the rows since the previous rendered block) or empty,
    // so a row's DOM keeps showing the same file and focus stays where it is.
    const spacer = this.#spacer;
    const blocks: unknown[] = [];
    let end = 0;
    for (let start = 0; start < count; start += BLOCK) {
      if ((start >= first && start < last) || start == kept) {
        const block = items.slice(start, start + BLOCK);
        shown.push(...block);
        blocks.push([spacer(start - end), block.map((item, i) => row(item, start + i))]);
        end = start + block.length;
      } else blocks.push(spacer(0));
    }
    blocks.push(spacer(count - end));
    return blocks;
  }

  // Measured in the next frame, when layout is clean anyway: measuring right after a render would force it.
  #onViewportChange = () => {
    if (this.#count > this.#full && !this.#frame) {
      // jsdom has no animation frames unless asked to pretend it is visual.
      this.#frame = (globalThis.requestAnimationFrame ?? setTimeout)(() => {
        this.#frame = 0;
        this.#measure();
      });
    }
  };

  // Rows are about equally tall, so the rows in view follow from a rendered row's place and the distance between rows.
  #measure() {
    const rows = this.#host.renderRoot.querySelectorAll<HTMLElement>('.item');
    const count = this.#count;
    if (count <= this.#full || rows.length < 2) return;
    const [first, last] = this.#window;
    const [a, b] = [rows[0]!, rows[rows.length - 1]!];
    // Rects, not offsetTop/offsetHeight: those are rounded, and a rounding error adds up over many spacers.
    const { top: firstTop, height } = a.getBoundingClientRect();
    const pitch = (b.getBoundingClientRect().top - firstTop) / (indexOfRow(b)! - indexOfRow(a)!);
    // Not laid out (display: none, or not in the document): nothing to measure.
    if (!(pitch > 0)) return;
    const top = indexOfRow(a)! - firstTop / pitch;
    // At least two rows of the list stay rendered (the next measurement needs them), however far it is scrolled
    // past, and at least one block when far below it: else each frame would render again.
    const from = Math.max(0, Math.floor(Math.min(top - OVERSCAN, count - 2) / BLOCK) * BLOCK);
    const to = Math.max(from + BLOCK, Math.ceil((top + innerHeight / pitch + OVERSCAN) / BLOCK) * BLOCK);
    // The spacers' height follows these (CSS), with no render.
    const list = rows[0]!.parentElement!;
    list.style.setProperty('--_row', `${height}px`);
    list.style.setProperty('--_pitch', `${pitch}px`);
    this.#pitch = pitch;
    // Render again when rows in view are missing, or more than a block beyond them is rendered on either side.
    if (from < first || to > last || from - first > BLOCK || last - to > BLOCK) {
      this.#window = [from, to];
      this.#host.requestUpdate();
    }
  }
}
