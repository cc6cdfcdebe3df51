import { css } from 'lit';
import { theme } from './theme.styles.js';

export const styles = [
  theme,
  css`
    :host {
      display: inline-block;
      max-width: 100%;
      vertical-align: top;
    }
    [part~='media'] {
      display: block;
      max-width: 100%;
      height: auto;
      border-radius: var(--_radius);
    }
    [part~='audio'] {
      width: 100%;
      min-width: min(300px, 100%);
    }
    [part~='card'],
    [part~='loading'],
    [part~='processing'],
    [part~='error'] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--_gap) / 2) var(--_gap);
      min-width: min(16rem, 100%);
      padding: var(--_gap);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_background);
      line-height: 1.4;
    }
    [part~='loading'],
    [part~='processing'] {
      color: var(--_muted);
    }
    [part~='error'] {
      color: var(--_danger);
      border-color: currentColor;
    }
    .info {
      display: grid;
      /* Wide enough for a name; narrower cards put the link on its own line instead of overlapping. */
      flex: 1 1 8rem;
      min-width: 0;
    }
    [part~='name'] {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      gap: 0 0.75em;
      color: var(--_muted);
      font-size: 0.875em;
    }
    [part~='link'],
    button {
      padding: 0.375em 0.75em;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) / 1.5);
      background: none;
      color: var(--_accent);
      font-weight: 600;
      text-decoration: none;
    }
    :is([part~='link'], button):hover {
      border-color: currentColor;
    }
  `,
];
