import { css } from 'lit';

/**
 * Design tokens shared by both elements. Each public `--itty-*` property is copied into a private
 * `--_*` one with its default, so `:root { --itty-accent: … }` themes every element at once.
 * Dark defaults come from `prefers-color-scheme` (not `light-dark()`, whose computed colours
 * accessibility checkers cannot read yet).
 */
export const theme = css`
  :host {
    color-scheme: light dark;
    --_accent: var(--itty-accent, #4f46e5);
    --_on-accent: var(--itty-accent-foreground, #fff);
    --_border: var(--itty-border, #d4d4d8);
    --_background: var(--itty-background, #fff);
    --_foreground: var(--itty-foreground, #18181b);
    --_muted: var(--itty-muted, #5f5f69);
    --_danger: var(--itty-danger, #dc2626);
    --_surface: var(--itty-surface, #f5f5f6);
    --_success: var(--itty-success, #15803d);
    --_radius: var(--itty-radius, 12px);
    --_gap: var(--itty-gap, 12px);
    --_thumbnail-size: var(--itty-thumbnail-size, 40px);
    font-family: var(--itty-font, system-ui, sans-serif);
    color: var(--_foreground);
    box-sizing: border-box;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--itty-accent, #818cf8);
      --_on-accent: var(--itty-accent-foreground, #09090b);
      --_border: var(--itty-border, #3f3f46);
      --_background: var(--itty-background, #18181b);
      --_foreground: var(--itty-foreground, #f4f4f5);
      --_muted: var(--itty-muted, #a1a1aa);
      --_danger: var(--itty-danger, #f87171);
      --_surface: var(--itty-surface, #202024);
      --_success: var(--itty-success, #4ade80);
    }
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
