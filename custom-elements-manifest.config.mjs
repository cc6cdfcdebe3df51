// Read by `cem analyze` (scripts/manifest.mjs). packagejson: false keeps the analyzer from rewriting
// package.json's "customElements" field to its scratch output folder.
export default {
  globs: ['src/elements/*.ts', 'src/events.ts'],
  // Only the element classes and the events: the other modules there are internal helpers.
  exclude: ['src/elements/*.styles.ts', 'src/elements/ssr.ts', 'src/elements/define.ts', 'src/elements/rows.ts'],
  litelement: true,
  packagejson: false,
};
