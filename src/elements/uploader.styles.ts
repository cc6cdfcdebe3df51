import { css } from 'lit';
import { theme } from './theme.styles.js';

export const styles = [
  theme,
  css`
    :host {
      display: block;
      font-size: 14px;
      line-height: 1.4;
    }
    :host(:disabled) {
      opacity: 0.6;
    }
    .dropzone {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: center;
      gap: calc(var(--_gap) * 0.75);
      padding: calc(var(--_gap) * 2) var(--_gap);
      border: 1.5px dashed var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_muted);
      text-align: center;
      cursor: pointer;
      transition: border-color 0.15s, background-color 0.15s;
    }
    :host(:disabled) .dropzone {
      cursor: not-allowed;
    }
    .dropzone:hover,
    :host([dragover]) .dropzone {
      border-color: var(--_accent);
      background: color-mix(in srgb, var(--_accent) 7%, var(--_background));
    }
    :host([drag-invalid]) .dropzone {
      border-color: var(--_danger);
      background: color-mix(in srgb, var(--_danger) 7%, var(--_background));
      /* Towards the text colour: the danger colour alone is under 4.5:1 on its own tint (4.3:1 for the default). */
      color: color-mix(in srgb, var(--_danger) 80%, var(--_foreground));
    }
    svg {
      fill: none;
      stroke: currentColor;
      stroke-linecap: round;
      stroke-linejoin: round;
    }
    .icon {
      flex-basis: 100%;
      height: 28px;
      stroke-width: 1.6;
    }
    button {
      color: inherit;
    }
    button:disabled {
      cursor: not-allowed;
    }
    [part='browse-button'] {
      padding: 6px 14px;
      border: 0;
      border-radius: calc(var(--_radius) * 0.67);
      background: var(--_accent);
      color: var(--_on-accent);
      font-weight: 600;
    }
    [part='browse-button']:hover:not(:disabled) {
      background: color-mix(in srgb, var(--_accent) 85%, #000);
    }
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
    @media (prefers-reduced-motion: reduce) {
      .dropzone,
      .bar {
        transition: none;
      }
    }
  `,
];
