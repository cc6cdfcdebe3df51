import { css } from 'lit';

/**
 * Design tokens shared by both elements. Each public `--itty-*` property is copied into a private
 * `--_*` one with its default, so `:root { --itty-accent: … }` themes every element at once.
 * Each default is `light-dark(light, dark)`: like a native form control, the element takes the `color-scheme` it
 * inherits (a page that declares `color-scheme: light dark` gets the dark look under a dark OS setting; a page that
 * declares nothing stays light), and `prefers-color-scheme` alone does not switch it.
 */
export const theme = css`
  :host {
    --_accent: var(--itty-accent, light-dark(#4f46e5, #818cf8));
    --_on-accent: var(--itty-accent-foreground, light-dark(#fff, #09090b));
    --_border: var(--itty-border, light-dark(#d4d4d8, #3f3f46));
    --_background: var(--itty-background, light-dark(#fff, #18181b));
    --_foreground: var(--itty-foreground, light-dark(#18181b, #f4f4f5));
    --_muted: var(--itty-muted, light-dark(#5f5f69, #a1a1aa));
    --_danger: var(--itty-danger, light-dark(#dc2626, #f87171));
    --_surface: var(--itty-surface, light-dark(#f5f5f6, #202024));
    --_success: var(--itty-success, light-dark(#15803d, #4ade80));
    --_radius: var(--itty-radius, 12px);
    --_gap: var(--itty-gap, 12px);
    --_thumbnail-size: var(--itty-thumbnail-size, 40px);
    font-family: var(--itty-font, system-ui, sans-serif);
    color: var(--_foreground);
    box-sizing: border-box;
  }
  /* The host's own display would otherwise beat the browser's [hidden] rule. */
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  /* Read by screen readers, not shown (a div: no border to reset). */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
