import { css } from 'lit';
import { theme } from './theme.styles.js';

// The element's box, in the first load; the styles of what it shows come with its view (file-view.ts).
export const styles = [
  theme,
  css`
    :host {
      display: inline-block;
      max-width: 100%;
      vertical-align: top;
    }
  `,
];
