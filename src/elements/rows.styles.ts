// The styles of <itty-uploader>'s list and rows: part of the words chunk (elements/words.ts), which the element starts
// loading when it connects and adopts beside its own styles when it arrives (uploader.styles.ts keeps rows sized until
// then). A local `css` tag, not Lit's: the chunk holds no Lit, and the build minifies any `css` literal all the same.
const css = String.raw;

export const rowCss = css`
  ul {
    list-style: none;
    margin: var(--_gap) 0 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_gap) * 0.5);
  }
  .item {
    display: flex;
    align-items: center;
    gap: var(--_gap);
    padding: calc(var(--_gap) * 0.67);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_background);
  }
  /* Stands for --rows rows of a long list: as tall as they and the gaps between them (--_row, --_pitch: measured). */
  .spacer {
    height: calc((var(--rows) - 1) * var(--_pitch, 72px) + var(--_row, 66px));
  }
  .thumbnail {
    flex: none;
    width: var(--_thumbnail-size);
    height: var(--_thumbnail-size);
    border-radius: calc(var(--_radius) * 0.5);
    object-fit: cover;
    background: var(--_surface);
  }
  .badge {
    display: grid;
    place-items: center;
    font-size: 10px;
    font-weight: 700;
    letter-spacing: 0.02em;
    color: var(--_muted);
    border: 1px solid var(--_border);
    overflow: hidden;
  }
  .body {
    flex: 1;
    min-width: 0;
    display: grid;
    gap: 4px;
  }
  .line {
    display: flex;
    gap: calc(var(--_gap) * 0.5);
    align-items: baseline;
    min-width: 0;
  }
  .name {
    flex: 1;
    min-width: 0;
    font-weight: 500;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .size,
  .status {
    flex: none;
    color: var(--_muted);
    font-size: 12px;
    font-variant-numeric: tabular-nums;
  }
  .error {
    flex: 1;
    min-width: 0;
    color: var(--_danger);
    font-size: 12px;
    overflow-wrap: anywhere;
  }
  /* A failed upload's server message: after the reason, on a line of its own, quieter. */
  .detail {
    display: block;
    color: var(--_muted);
    font-size: 11px;
  }
  [part~='item-error'],
  [part~='item-rejected'] {
    border-color: color-mix(in srgb, var(--_danger) 50%, var(--_border));
  }
  [part~='item-error'] .status,
  [part~='item-rejected'] .status {
    color: var(--_danger);
  }
  [part~='item-done'] .status {
    color: var(--_success);
  }
  [part~='item-processing'] .status {
    color: var(--_muted);
  }
  .progress {
    height: 4px;
    border-radius: 2px;
    background: color-mix(in srgb, var(--_foreground) 10%, transparent);
    overflow: hidden;
  }
  .bar {
    height: 100%;
    background: var(--_accent);
    transform-origin: left;
    /* No transition: an animated bar repaints every frame of an upload and takes CPU from it (bench/). */
  }
  /* Right to left (the element sets dir for ar and he): the bar fills from the right. */
  :host(:dir(rtl)) .bar {
    transform-origin: right;
  }
  [part~='item-done'] .bar {
    background: var(--_success);
  }
  .actions {
    flex: none;
    display: flex;
    gap: 2px;
  }
  .actions button {
    display: grid;
    place-items: center;
    width: 32px;
    height: 32px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: none;
    color: var(--_muted);
  }
  .actions button:hover:not(:disabled) {
    background: var(--_surface);
    color: var(--_foreground);
  }
  .actions svg {
    width: 18px;
    height: 18px;
    stroke-width: 1.8;
  }
  /* The move handle (sortable): a grip of dots; a pointer drags it without scrolling the page. */
  .handle {
    flex: none;
    width: 12px;
    height: 18px;
    padding: 6px;
    border: 0;
    border-radius: 4px;
    background: radial-gradient(circle, var(--_muted) 1.5px, transparent 2px) content-box 0 0 / 6px 6px;
    cursor: grab;
    touch-action: none;
  }
  .handle:disabled {
    cursor: default;
    opacity: 0.5;
  }
  [data-dragging] {
    position: relative;
    z-index: 1;
    box-shadow: 0 4px 12px rgb(0 0 0 / 0.15);
  }
`;
