// The image worker as the bench starts it for the fallback rows: the same module (src/browser/media/image-worker.ts)
// after media-hide.ts, which deletes what `?hide=…` on this script's URL names. package.json's `sideEffects` marks
// these modules pure, so esbuild drops a bare `import './x.js'` of them: the hide's result is used, and the worker
// module is imported after it, dynamically (which always runs it).
import { hidden } from './media-hide.js';

(globalThis as { benchHidden?: readonly string[] }).benchHidden = hidden;
await import('../../src/browser/media/image-worker.js');
