// Generates the framework type declarations in src/types/ from custom-elements.json, so they cannot drift
// from the elements: React 19 JSX (jsx.ts), Vue 3 GlobalComponents (vue.ts), Svelte 5 SvelteHTMLElements
// (svelte.ts). With --check, fails when the committed files are stale.
//
// The maintained generators (custom-element-{jsx,vuejs,svelte}-integration) give the per-element props with
// their JSDoc and the per-tag documentation. Their framework glue is rewritten here, because as released they:
//   - type a handler as `(e: CustomEvent<IttyUploadSuccessEvent>)`, so `e.detail` would be the event itself
//     (our events are Event subclasses with their own `detail`): handlers get the event class instead;
//   - import `Event` from our package (the `change` event's type): the global `Event` is used instead;
//   - emit Svelte 4's `on:event` / `bind:prop` and `svelteHTML` namespace: Svelte 5 uses `onevent` / `prop`
//     and the `svelte/elements` module;
//   - emit kebab-case attribute keys and `onitty-…` keys for Vue, whose template checker (vue-tsc) camelizes
//     both (`max-size` → `maxSize`, `@itty-upload-success` → `onIttyUploadSuccess`);
//   - declare a global `JSX` namespace for Vue, which would leak into React projects.
// Before generating, the manifest loses unnamed events (the analyzer adds one for a `dispatchEvent(new …)` it
// cannot name) and read-only fields (`items`, `value`, `validity`…), which no framework may set.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateJsxTypes } from 'custom-element-jsx-integration';
import { generateVuejsTypes } from 'custom-element-vuejs-integration';
import { generateSvelteTypes } from 'custom-element-svelte-integration';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'src', 'types');
const check = process.argv.includes('--check');

/** The elements' classes and event classes, relative to src/types/. */
const typesModule = '../index.js';

function loadManifest() {
  const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  for (const mod of manifest.modules ?? []) {
    for (const declaration of mod.declarations ?? []) {
      if (!declaration.customElement) continue;
      declaration.events = (declaration.events ?? []).filter((event) => event.name);
      declaration.members = (declaration.members ?? []).filter((member) => !(member.kind === 'field' && member.readonly));
    }
  }
  return manifest;
}

/** Runs one generator into a scratch folder and returns what it wrote. */
function generate(generator, fileName) {
  const scratch = mkdtempSync(join(tmpdir(), 'itty-types-'));
  try {
    // Each generator mutates the manifest it gets, so each gets its own copy. Some log despite `hideLogs`.
    const log = console.log;
    console.log = () => {};
    try {
      generator(loadManifest(), { outdir: scratch, fileName, globalTypePath: typesModule, hideLogs: true });
    } finally {
      console.log = log;
    }
    return readFileSync(join(scratch, fileName), 'utf8');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function fail(message) {
  throw new Error(`framework-types: ${message} (did a generator's output format change?)`);
}

/** The names the generator imports from our package, without the global `Event`. */
function importedNames(source) {
  const block = new RegExp(`import type \\{([^}]*)\\} from "${typesModule.replace(/\./g, '\\.')}";`).exec(source) ?? fail('no import block');
  return block[1].split(',').map((name) => name.trim()).filter((name) => name && name !== 'Event');
}

/** `{ ElementClassName: [{ doc, key, type }] }` from the generator's `type XProps = { … };` blocks. */
function propBlocks(source) {
  const blocks = {};
  for (const match of source.matchAll(/^(?:export )?type (\w+Element)Props = \{\n([\s\S]*?)\n\};/gm)) {
    const entries = [];
    for (const entry of match[2].matchAll(/^ {2}(\/\*\*[\s\S]*?\*\/)\n {2}("[^"]+"|\w+)\?: (.+);$/gm)) {
      entries.push({ doc: entry[1], key: entry[2].replace(/^"|"$/g, ''), type: entry[3] });
    }
    if (entries.length === 0) fail(`no props in ${match[1]}Props`);
    blocks[match[1]] = entries;
  }
  if (Object.keys(blocks).length === 0) fail('no props blocks');
  return blocks;
}

/** `[{ doc, tag, className }]` from the generator's per-tag documentation. */
function tagDocs(source) {
  const docs = [...source.matchAll(/^ {2}(\/\*\*\n[\s\S]*?\*\/)\n {2}"([a-z][\w-]*-[\w-]*)": (?:Partial<|DefineComponent<)(\w+Element)Props/gm)].map(
    (match) => ({ doc: match[1], tag: match[2], className: match[3] }),
  );
  if (docs.length === 0) fail('no tag documentation');
  return docs;
}

/** The event class a generator put in `(e: CustomEvent<X>) => void`, or undefined for a non-event entry. */
function eventType(type) {
  const match = /^\(e: CustomEvent<(\w+)>\) => void$/.exec(type);
  return match ? match[1] : undefined;
}

const camelize = (name) => name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
const quote = (key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));
/** Keeps the generator's wrapped JSDoc lines aligned inside an interface. */
const indent = (text, pad) => text.split('\n').map((line, index) => (index === 0 || line.startsWith(' ') ? pad + line.trimStart().replace(/^\*/, ' *') : pad + line)).join('\n');

function renderProps(name, entries, mapEntry) {
  const lines = [];
  for (const entry of entries) {
    const mapped = mapEntry(entry);
    if (!mapped) continue;
    lines.push(indent(entry.doc, '  '), `  ${quote(mapped.key)}?: ${mapped.type};`);
  }
  return `export interface ${name} {\n${lines.join('\n')}\n}`;
}

function header(generatorPackage) {
  const version = JSON.parse(readFileSync(join(root, 'node_modules', generatorPackage, 'package.json'), 'utf8')).version;
  return `// Generated from custom-elements.json by scripts/framework-types.mjs (${generatorPackage} ${version},\n// post-processed); do not edit: run \`npm run analyze\`.`;
}

function importLine(names, extra = []) {
  return `import type {\n${[...extra, ...names].map((name) => `  ${name},`).join('\n')}\n} from '${typesModule}';`;
}

/** React 19: `onitty-upload-success` handlers get the event class; attributes keep their HTML names. */
function reactJsx() {
  const source = generate(generateJsxTypes, 'jsx.d.ts');
  const blocks = propBlocks(source);
  const props = Object.entries(blocks).map(([className, entries]) =>
    renderProps(`${className}JsxProps`, entries, ({ key, type }) => {
      const event = eventType(type);
      return event ? { key, type: `(event: ${event}) => void` } : { key, type };
    }),
  );
  const tags = tagDocs(source)
    .map(({ doc, tag, className }) => `${indent(doc, '  ')}\n  ${JSON.stringify(tag)}: IttyJsxProps<${className}, ${className}JsxProps>;`)
    .join('\n');
  return `${header('custom-element-jsx-integration')}
//
// React 19 JSX types for the elements, applied to \`React.JSX.IntrinsicElements\` by importing any element entry
// (\`itty-uploader\`, \`itty-uploader/uploader\`, \`itty-uploader/file\`). They never require React: the
// augmentation goes through the global \`React\` namespace, which @types/react's UMD global merges with when
// it is installed; without React it is an unused namespace.
${importLine(importedNames(source))}

${props.join('\n\n')}

/** React's own props for an element of class \`E\` (\`key\`, \`ref\`, \`className\`, \`onClick\`…) plus the element's props \`P\`. */
export type IttyJsxProps<E, P> = Omit<React.HTMLAttributes<E>, keyof P> & React.ClassAttributes<E> & P;

/** The elements' JSX types, by tag name. */
export interface IttyJsxElements {
${tags}
}

declare global {
  namespace React {
    // Merge with @types/react's interfaces of the same name; empty (so \`IttyJsxProps\` is just \`P\`) without it.
    interface HTMLAttributes<T> {}
    interface ClassAttributes<T> {}
    namespace JSX {
      interface IntrinsicElements extends IttyJsxElements {}
    }
  }
}
`;
}

/** Vue 3: props under the names vue-tsc checks — camelCase properties and `onIttyUploadSuccess` handlers. */
function vue() {
  const source = generate(generateVuejsTypes, 'vue.d.ts');
  const blocks = propBlocks(source);
  const props = Object.entries(blocks).map(([className, entries]) =>
    renderProps(`${className}VueProps`, entries, ({ key, type }) => {
      const event = eventType(type);
      if (event) {
        const name = key.replace(/^on/, '');
        return { key: `on${camelize(`-${name}`)}`, type: `(event: ${event}) => void` };
      }
      // `"max-size"?: IttyUploaderElement["maxSize"]` → `maxSize`: the property the attribute reflects.
      const property = /^\w+\["(\w+)"\]$/.exec(type)?.[1];
      return { key: property ?? camelize(key), type };
    }),
  );
  const tags = tagDocs(source)
    .map(({ doc, tag, className }) => `${indent(doc, '    ')}\n    ${JSON.stringify(tag)}: DefineComponent<${className}VueProps>;`)
    .join('\n');
  return `${header('custom-element-vuejs-integration')}
//
// Vue 3 types for the elements: \`GlobalComponents\` entries that vue-tsc (Volar) uses to check templates, so
// \`@itty-upload-success="(e) => e.detail.file"\` and \`:file="file"\` type-check. Enable them with
// \`import type {} from 'itty-uploader/vue'\` in a .d.ts of the app (or "types": ["itty-uploader/vue"]).
// Vue itself must still be told that \`itty-*\` tags are custom elements (compilerOptions.isCustomElement).
import type { DefineComponent } from 'vue';
${importLine(importedNames(source))}

${props.join('\n\n')}

declare module 'vue' {
  interface GlobalComponents {
${tags}
  }
}
`;
}

/** Svelte 5: `onitty-upload-success` handlers and plain props on `SvelteHTMLElements`. */
function svelte() {
  const source = generate(generateSvelteTypes, 'svelte.d.ts');
  const blocks = propBlocks(source);
  const props = Object.entries(blocks).map(([className, entries]) =>
    renderProps(`${className}SvelteProps`, entries, ({ key, type }) => {
      const event = eventType(type);
      if (event) return { key: key.replace(/^on:/, 'on'), type: `(event: ${event}) => void` };
      return { key: key.replace(/^bind:/, ''), type };
    }),
  );
  const tags = tagDocs(source)
    .map(
      ({ doc, tag, className }) =>
        `${indent(doc, '    ')}\n    ${JSON.stringify(tag)}: Omit<HTMLAttributes<${className}>, keyof ${className}SvelteProps> & ${className}SvelteProps;`,
    )
    .join('\n');
  return `${header('custom-element-svelte-integration')}
//
// Svelte 5 types for the elements: \`SvelteHTMLElements\` entries, so \`onitty-upload-success={(e) => e.detail.file}\`
// and \`{file}\` type-check in svelte-check and the editor. Enable them with \`import type {} from 'itty-uploader/svelte'\`
// in a .d.ts of the app (or "types": ["itty-uploader/svelte"]).
import type { HTMLAttributes } from 'svelte/elements';
${importLine(importedNames(source))}

${props.join('\n\n')}

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
${tags}
  }
}
`;
}

const files = { 'jsx.ts': reactJsx(), 'vue.ts': vue(), 'svelte.ts': svelte() };
const stale = [];
for (const [name, text] of Object.entries(files)) {
  const target = join(outDir, name);
  if (check) {
    let current = '';
    try { current = readFileSync(target, 'utf8'); } catch {}
    if (current !== text) stale.push(`src/types/${name}`);
  } else {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(target, text);
  }
}
if (check) {
  if (stale.length) {
    console.error(`${stale.join(', ')} stale: run \`npm run analyze\` and commit the result.`);
    process.exit(1);
  }
  console.log('src/types/ is current.');
} else {
  console.log(`Wrote ${Object.keys(files).map((name) => `src/types/${name}`).join(', ')}`);
}
