// React 18's `createRoot`, as an app on React 18 mounts: `react` and `react-dom` are React 18.3 in this page's
// build (`react18Build()` in demo/site.config.ts), which type-checks against the project's React 19 types.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
