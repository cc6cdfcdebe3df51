// Lit's browser build (the one inside dist/itty-uploader.js, and the one bundlers pick for Workers) touches the DOM
// as it loads: it extends `HTMLElement`, and lit-html makes a TreeWalker of `document`. Where there is no DOM (Node,
// workerd: server rendering), stand-ins let the element classes load, and leave again once they have: the global
// scope stays as it was (no library is told it runs in a browser), and nothing gets defined.
// Each element module imports this first, before Lit, and calls `loaded()` in its body.
// Runtimes whose resolver picks Lit's Node build (Node, Deno and Bun: the `node` export condition) get none: that
// build extends a DOM shim of its own, which Lit's server rendering needs. The CDN bundle always holds the browser
// build (vite.config.ts defines __ITTY_BUNDLE__ for it).
declare const __ITTY_BUNDLE__: true | undefined;
const scope = globalThis as Record<string, unknown> & { process?: { versions?: { node?: string } } };
const stands: Record<string, unknown> =
  typeof __ITTY_BUNDLE__ == 'undefined' && scope.process?.versions?.node
    ? {}
    : { HTMLElement: class {}, document: { createTreeWalker() {} } };
for (const name in stands) {
  if (name in scope) delete stands[name];
  else scope[name] = stands[name];
}

/** Lit has loaded: the stand-ins (if any) leave. */
export const loaded = (): void => {
  for (const name in stands) if (scope[name] === stands[name]) delete scope[name];
};
