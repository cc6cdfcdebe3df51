import { css } from 'lit';
import { theme } from './theme.styles.js';

// The shadow root holds one of: <img>, <video> or <audio>; the card (<div part="card">, its text in spans, its
// link an <a>); or a state (<div part="loading|processing"> with role="status", <div part="error"> with
// role="alert" and a button). So element and role selectors are exact here.
export const styles = [
  theme,
  css`
    :host {
      display: inline-block;
      max-width: 100%;
      vertical-align: top;
    }
    img,
    video,
    audio {
      display: block;
      max-width: 100%;
      height: auto;
      border-radius: var(--_radius);
    }
    audio {
      width: 100%;
      min-width: min(300px, 100%);
    }
    div,
    .meta {
      display: flex;
      flex-wrap: wrap;
    }
    div {
      align-items: center;
      gap: calc(var(--_gap) / 2) var(--_gap);
      min-width: min(16rem, 100%);
      padding: var(--_gap);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_background);
      line-height: 1.4;
    }
    [role='status'],
    .meta {
      color: var(--_muted);
    }
    [role='alert'] {
      color: var(--_danger);
      border-color: currentColor;
    }
    .info {
      display: grid;
      /* Wide enough for a name; narrower cards put the link on its own line instead of overlapping. */
      flex: 1 1 8rem;
      min-width: 0;
    }
    #name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .meta {
      gap: 0 0.75em;
      font-size: 0.875em;
    }
    a,
    button {
      padding: 0.375em 0.75em;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) / 1.5);
      background: none;
      color: var(--_accent);
      font-weight: 600;
      text-decoration: none;
    }
    :is(a, button):hover {
      border-color: currentColor;
    }
  `,
];
