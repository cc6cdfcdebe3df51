// Deletes OffscreenCanvas from this scope (a worker), as in an engine without it. See canvasless-worker.ts.
delete (globalThis as Record<string, unknown>)['OffscreenCanvas'];
