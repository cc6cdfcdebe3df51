import { css } from 'lit';

/**
 * Design tokens shared by both elements. Each public `--itty-*` property is copied into a private
 * `--_*` one with its default, so `:root { --itty-accent: … }` themes every element at once.
 * Light and dark come from `color-scheme` + `light-dark()`.
 */
export const theme = css`
  :host {
    color-scheme: light dark;
    --_accent: var(--itty-accent, light-dark(#4f46e5, #818cf8));
    --_radius: var(--itty-radius, 12px);
    --_border: var(--itty-border, light-dark(#d4d4d8, #3f3f46));
    --_background: var(--itty-background, light-dark(#ffffff, #18181b));
    --_foreground: var(--itty-foreground, light-dark(#18181b, #f4f4f5));
    --_muted: var(--itty-muted, light-dark(#5f5f69, #a1a1aa));
    --_danger: var(--itty-danger, light-dark(#dc2626, #f87171));
    --_font: var(--itty-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_gap: var(--itty-gap, 12px);
    --_thumbnail-size: var(--itty-thumbnail-size, 40px);
    --_surface: color-mix(in srgb, var(--_foreground) 4%, var(--_background));
    font-family: var(--_font);
    color: var(--_foreground);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
