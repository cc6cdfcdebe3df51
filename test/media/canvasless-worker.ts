// The image worker in a scope without OffscreenCanvas, as in Safari before 16.4 and Firefox before 105: it decodes
// there and the page draws and encodes (prepareImage's 'split' road), tested in every engine this way. Modules run
// in the order they are imported, so the canvas is gone before the worker module looks for it. (A dynamic import()
// in a module worker took the test browser down.)
import './hide-canvas.js';
import '../../src/browser/media/image-worker.js';
