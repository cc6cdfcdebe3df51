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
    /* Rows until the words chunk brings their styles (rows.styles.ts), and for good when it cannot load: sized, in a line. */
    .item {
      display: flex;
      align-items: center;
      gap: var(--_gap);
    }
    .thumbnail {
      flex: none;
      width: var(--_thumbnail-size);
      height: var(--_thumbnail-size);
      object-fit: cover;
    }
    .body {
      flex: 1;
      min-width: 0;
    }
    .actions svg {
      width: 18px;
      height: 18px;
    }
    @media (prefers-reduced-motion: reduce) {
      .dropzone {
        transition: none;
      }
    }
  `,
];
