// Read by `cem analyze` (scripts/manifest.mjs). packagejson: false keeps the analyzer from rewriting
// package.json's "customElements" field to its scratch output folder.
//
// The manifest describes the package as published: the analyzer reads src/*.ts, and the plugin below points
// every module path at the built file in dist/ and lists which entry modules define which tags.

/** The entry modules that define elements, and the tags each one defines (src/index.ts, src/uploader.ts …). */
const DEFINITIONS = {
  'dist/index.js': ['itty-uploader', 'itty-file'],
  'dist/uploader.js': ['itty-uploader'],
  'dist/file.js': ['itty-file'],
  'dist/react.js': ['itty-uploader', 'itty-file'],
  'dist/itty-uploader.js': ['itty-uploader', 'itty-file'],
};

// A superclass in the package is named by its import specifier (`/src/elements/uploader-settings.js`).
const toDist = (path) => path.replace(/^\/?src\/(.*)\.[jt]s$/, 'dist/$1.js');

/**
 * Lists what a class inherits before what it declares itself (the analyzer appends it): the element's attributes and
 * properties, declared by its base class (src/elements/uploader-settings.ts), come before its methods, as before the
 * split, in the README's reference, the framework types and the editors' data.
 */
function inheritedFirst(declaration) {
  for (const key of ['slots', 'cssParts', 'cssProperties', 'attributes', 'members', 'events', 'cssStates']) {
    const list = declaration[key];
    if (list) declaration[key] = [...list.filter((item) => item.inheritedFrom), ...list.filter((item) => !item.inheritedFrom)];
  }
}

/** Rewrites every `path` and `module` that names a source file, anywhere in the manifest. */
function pointIntoDist(node) {
  if (Array.isArray(node)) for (const child of node) pointIntoDist(child);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'path' || key === 'module') && typeof value === 'string') node[key] = toDist(value);
      else pointIntoDist(value);
    }
  }
}

function publishedPaths() {
  return {
    name: 'itty-published-paths',
    packageLinkPhase({ customElementsManifest: manifest }) {
      for (const mod of manifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          inheritedFirst(declaration);
          // A base class (the uploader's settings and form control) is no element of its own: editors' data lists
          // every declaration marked as one, tag or not.
          if (!declaration.tagName) delete declaration.customElement;
        }
      }
      pointIntoDist(manifest.modules);
      const classes = new Map();
      for (const mod of manifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.tagName) classes.set(declaration.tagName, { name: declaration.name, module: mod.path });
        }
      }
      for (const [path, tags] of Object.entries(DEFINITIONS)) {
        const exports = tags.map((tag) => {
          const declaration = classes.get(tag);
          if (!declaration) throw new Error(`custom-elements-manifest.config.mjs: no element declares the tag ${tag}`);
          return { kind: 'custom-element-definition', name: tag, declaration };
        });
        manifest.modules.push({ kind: 'javascript-module', path, declarations: [], exports });
      }
    },
  };
}

export default {
  globs: ['src/elements/*.ts', 'src/events.ts'],
  // Only the element classes and the events: the other modules there are internal helpers.
  exclude: ['src/elements/*.styles.ts', 'src/elements/ssr.ts', 'src/elements/define.ts', 'src/elements/row*.ts', 'src/elements/words.ts'],
  litelement: true,
  packagejson: false,
  plugins: [publishedPaths()],
};
