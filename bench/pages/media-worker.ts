// The image worker as the bench starts it for the fallback rows: the same module (src/browser/media/image-worker.ts)
// behind media-hide.ts, which deletes what `?hide=…` on this script's URL names before the worker module runs.
import './media-hide.js';
import '../../src/browser/media/image-worker.js';
