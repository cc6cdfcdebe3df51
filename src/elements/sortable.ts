// Reordering the rows of `<itty-uploader sortable>` by their move handles: loaded by the element (chunks/sortable-*.js)
// once `sortable` is set, so lists that are never reordered never download it, and the first load holds only the hook
// of a row's template (elements/rows.ts) that renders the handle made here.
// It imports nothing but types, and takes Lit's `html` from its caller: a module both the first load and this chunk
// imported would become a third file loaded at once.
import type { html as Html } from 'lit';
import type { RowContext } from './rows.js';

/** What the sorter uses of `<itty-uploader>`. */
export interface SortHost extends HTMLElement {
  readonly items: readonly { id: string; status: string; source?: { name: string }; relativePath?: string }[];
  readonly value: readonly unknown[];
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
  readonly sortable: boolean;
  move(id: string, toIndex: number): void;
  requestUpdate(): void;
}

/** The element's live region: what it says at the next render. */
export interface Announcer {
  announcement: string;
}

/** The place (0-based) of a rendered row in the list, from its `aria-posinset`. */
const indexOfRow = (row: Element) => +row.getAttribute('aria-posinset')! - 1;

/** Rows after this many frames still not rendered (a window far from the viewport) are not waited for any longer. */
const FRAMES = 30;

/**
 * Returns the move handle of a row (none for rejected rows, which stay after the queue's files, and none while `host`
 * is not `sortable`), and asks `host` to
 * render again with it. The handle is a button labelled "Move {name}": ArrowUp / ArrowDown move its row one place, a
 * pointer (mouse, touch, pen) drags it, the rows between shifting while it moves, and drops it where it is let go.
 * Either way the new place is announced in `live`, `change` fires when the order of `value` changed, and focus is on
 * the moved row's handle.
 */
export function sorter(host: SortHost, live: Announcer, html: typeof Html): NonNullable<RowContext['handle']> {
  let words: RowContext['words'];
  /** Rows that can move: the queue's files, before the rejected rows. */
  const movable = () => host.items.filter((item) => item.status !== 'rejected').length;
  const rowsOf = () => [...host.renderRoot.querySelectorAll<HTMLElement>('li.item')];

  // Focuses the handle of the row at `index` once rendered: a long list renders it after its window followed.
  const focusRow = async (index: number) => {
    for (let frame = 0; frame < FRAMES; frame++) {
      await host.updateComplete;
      const handle = host.renderRoot.querySelector<HTMLElement>(`[aria-posinset="${index + 1}"] [part~=move-handle]`);
      if (handle) return handle.focus();
      await new Promise(requestAnimationFrame);
    }
  };

  // A user's move: the same as `move()`, plus `change` (when the order of `value` changed), the announcement and focus.
  const moveTo = (from: number, to: number) => {
    const item = host.items[from];
    if (!item || to === from) return;
    const before = host.value;
    host.move(item.id, to);
    const after = host.value;
    if (before.some((file, i) => file !== after[i])) host.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    live.announcement = words('announceMoved', {
      name: item.relativePath ?? item.source?.name ?? '',
      position: to + 1,
      total: host.items.length,
    });
    host.requestUpdate();
    void focusRow(to);
  };

  const onKey = (event: KeyboardEvent, from: number, handle: HTMLElement) => {
    const step = event.key === 'ArrowUp' ? -1 : event.key === 'ArrowDown' ? 1 : 0;
    if (!step || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const to = from + step;
    if (to < 0 || to >= movable()) return;
    // In view, so that a long list's window holds the rows next to it (not every engine scrolls to what gets focus).
    handle.scrollIntoView({ block: 'nearest' });
    moveTo(from, to);
  };

  const onPointer = (event: PointerEvent, from: number, handle: HTMLElement, row: HTMLElement) => {
    if (!event.isPrimary || event.button > 0) return;
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    const rows = rowsOf();
    const last = movable() - 1;
    const top = row.getBoundingClientRect().top;
    // The distance between two rows' tops (row + gap); a list of one row cannot move anyway.
    const next = rows.find((other) => other !== row);
    const pitch = next ? Math.abs(next.getBoundingClientRect().top - top) / Math.abs(indexOfRow(next) - from) || 1 : 1;
    const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
    let to = from;
    row.toggleAttribute('data-dragging', true);
    const place = (dy: number) => {
      to = Math.max(0, Math.min(last, from + Math.round(dy / pitch)));
      row.style.transform = `translateY(${dy}px)`;
      for (const other of rows) {
        if (other === row) continue;
        const index = indexOfRow(other);
        const shift = to > from && index > from && index <= to ? -pitch : to < from && index < from && index >= to ? pitch : 0;
        other.style.transition = reduced ? '' : 'transform .15s';
        other.style.transform = shift ? `translateY(${shift}px)` : '';
      }
    };
    const startY = event.clientY;
    const onMove = (move: PointerEvent) => place(move.clientY - startY);
    const end = (done: PointerEvent) => {
      handle.removeEventListener('pointermove', onMove);
      handle.removeEventListener('pointerup', end);
      handle.removeEventListener('pointercancel', end);
      const dropped = done.type === 'pointerup';
      if (dropped) place(done.clientY - startY);
      row.removeAttribute('data-dragging');
      for (const other of rows) other.style.transform = other.style.transition = '';
      if (dropped && to !== from) moveTo(from, to);
      else if (dropped) handle.focus();
    };
    handle.addEventListener('pointermove', onMove);
    handle.addEventListener('pointerup', end);
    handle.addEventListener('pointercancel', end);
  };

  // One listener for every handle's events, so that a render binds nothing new.
  const onEvent = (event: Event) => {
    const handle = event.currentTarget as HTMLButtonElement;
    // Some engines send pointer events to disabled buttons.
    if (handle.disabled) return;
    const row = handle.closest('li')!;
    const from = indexOfRow(row);
    if (event.type === 'keydown') onKey(event as KeyboardEvent, from, handle);
    else onPointer(event as PointerEvent, from, handle, row);
  };

  host.requestUpdate();
  return (item, name, c) => {
    words = c.words;
    return item.status === 'rejected' || !host.sortable
      ? ''
      : html`<button part="move-handle" class="handle" type="button" aria-label=${words('move', { name })} ?disabled=${c.off}
          @pointerdown=${onEvent} @keydown=${onEvent}></button>`;
  };
}
