// Read by `cem analyze` (scripts/manifest.mjs). packagejson: false keeps the analyzer from rewriting
// package.json's "customElements" field to its scratch output folder.
export default {
  globs: ['src/elements/*.ts', 'src/events.ts'],
  exclude: ['src/elements/*.styles.ts'],
  litelement: true,
  packagejson: false,
};
