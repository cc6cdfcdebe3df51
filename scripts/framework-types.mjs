// Generates the framework type declarations in src/types/ from custom-elements.json, so they cannot drift
// from the elements: React 19 JSX (jsx.ts), Vue 3 GlobalComponents (vue.ts), Svelte 5 SvelteHTMLElements
// (svelte.ts). With --check, fails when the committed files are stale.
//
// The templates are the project's own (below): each reads the manifest and writes the names its framework
// checks. What goes in, per element:
//   - every attribute backed by a property, typed as that property (`"max-size"?: IttyUploaderElement["maxSize"]`);
//     attributes with no property (`dragover`, `uploading`: states the element sets for CSS) are not props;
//   - every public, writable instance field without an attribute (`getUploadUrl`, `strings`, `file`);
//   - every named event as a handler that gets the event's own class (ours are Event subclasses with their own
//     `detail`, so never `CustomEvent<…>`), or the global `Event` for `change`.
// Per framework, the names: React 19 keeps HTML attribute names and `onitty-upload-success`; Vue's template
// checker (vue-tsc) camelizes both (`maxSize`, `onIttyUploadSuccess`); Svelte 5 uses attribute names and
// `onitty-upload-success` on `svelte/elements`' `SvelteHTMLElements`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'src', 'types');
const check = process.argv.includes('--check');

/** The elements' classes and event classes, relative to src/types/. */
const typesModule = '../index.js';

const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
const elements = manifest.modules
  .flatMap((mod) => mod.declarations ?? [])
  .filter((declaration) => declaration.customElement && declaration.tagName)
  .sort((a, b) => a.tagName.localeCompare(b.tagName));
if (elements.length === 0) throw new Error('framework-types: custom-elements.json declares no element');

const camelize = (name) => name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
const quote = (key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`);
const isPublic = (member) => (member.privacy ?? 'public') === 'public' && !/^[#_]/.test(member.name) && !member.static;

/** `/** … *\/` at `pad`, one line when the text has one. */
function doc(text, pad) {
  const lines = String(text ?? '')
    .trim()
    .split('\n')
    .map((line) => line.trim().replaceAll('*/', '*\\/'));
  if (!lines[0]) return [];
  if (lines.length === 1) return [`${pad}/** ${lines[0]} */`];
  return [`${pad}/**`, ...lines.map((line) => (line ? `${pad} * ${line}` : `${pad} *`)), `${pad} */`];
}

/**
 * What a framework may set on one element: `{ kind: 'attribute', name, field, description }`,
 * `{ kind: 'property', field, description }` and `{ kind: 'event', name, type, description }`.
 */
function inputs(element) {
  const fields = new Map((element.members ?? []).filter((m) => m.kind === 'field' && isPublic(m)).map((m) => [m.name, m]));
  const writable = (name) => fields.has(name) && !fields.get(name).readonly;
  const attributes = (element.attributes ?? []).filter((a) => a.fieldName && writable(a.fieldName));
  const withAttribute = new Set(attributes.map((a) => a.fieldName));
  return [
    ...attributes.map((a) => ({
      kind: 'attribute',
      name: a.name,
      field: a.fieldName,
      description: a.description ?? fields.get(a.fieldName).description,
    })),
    ...[...fields.values()]
      .filter((f) => !f.readonly && !withAttribute.has(f.name))
      .map((f) => ({ kind: 'property', field: f.name, description: f.description })),
    ...(element.events ?? [])
      .filter((e) => e.name)
      .map((e) => ({ kind: 'event', name: e.name, type: e.type?.text ?? 'Event', description: e.description })),
  ];
}

/** The element's documentation shown on hover over the tag: summary, events, methods, slots, states, styling. */
function tagDoc(element, pad) {
  const list = (title, entries) => (entries.length ? ['', `### ${title}`, ...entries.map((line) => `- ${line}`)] : []);
  const describe = (name, description) => `**${name}**${description ? ` - ${description.replace(/\s*\n\s*/g, ' ')}` : ''}`;
  const methods = (element.members ?? []).filter((m) => m.kind === 'method' && isPublic(m) && m.description);
  const signature = (m) => `${m.name}(${(m.parameters ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}`).join(', ')})`;
  const text = [
    element.summary ?? element.description ?? '',
    ...list(
      'Events',
      (element.events ?? []).filter((e) => e.name).map((e) => describe(e.name, e.description)),
    ),
    ...list(
      'Methods',
      methods.map((m) => describe(signature(m), m.description)),
    ),
    ...list(
      'Slots',
      (element.slots ?? []).map((s) => describe(s.name || '(default)', s.description)),
    ),
    ...list(
      'Custom states',
      (element.cssStates ?? []).map((s) => describe(`:state(${s.name})`, s.description)),
    ),
    ...list(
      'CSS custom properties',
      (element.cssProperties ?? []).map((p) => `${describe(p.name, p.description)}${p.default ? ` _(default: ${p.default})_` : ''}`),
    ),
    ...list(
      'CSS parts',
      (element.cssParts ?? []).map((p) => describe(p.name, p.description)),
    ),
  ].join('\n');
  return doc(text, pad);
}

/** The event classes the handlers name, to import beside the element classes (the global `Event` is not). */
const imported = elements.flatMap((element) => [
  element.name,
  ...inputs(element)
    .filter((input) => input.kind === 'event' && input.type !== 'Event')
    .map((input) => input.type),
]);
const importLine = `import type {\n${[...new Set(imported)].map((name) => `  ${name},`).join('\n')}\n} from '${typesModule}';`;

/** One `export interface <Class><suffix>` per element, with the keys `key(input)` names. */
function propsInterfaces(suffix, key) {
  return elements
    .map((element) => {
      const lines = inputs(element).flatMap((input) => {
        const type = input.kind === 'event' ? `(event: ${input.type}) => void` : `${element.name}['${input.field}']`;
        return [...doc(input.description, '  '), `  ${quote(key(input))}?: ${type};`];
      });
      return `export interface ${element.name}${suffix} {\n${lines.join('\n')}\n}`;
    })
    .join('\n\n');
}

function tags(pad, type) {
  return elements.map((element) => [...tagDoc(element, pad), `${pad}'${element.tagName}': ${type(element.name)};`].join('\n')).join('\n');
}

const header = `// Generated from custom-elements.json by scripts/framework-types.mjs; do not edit: run \`npm run analyze\`.`;

/** React 19: attributes keep their HTML names; `onitty-upload-success` handlers get the event class. */
const reactJsx = () => `${header}
//
// React 19 JSX types for the elements, applied to \`React.JSX.IntrinsicElements\` by importing any element entry
// (\`itty-uploader\`, \`itty-uploader/uploader\`, \`itty-uploader/file\`). They never require React: the
// augmentation goes through the global \`React\` namespace, which @types/react's UMD global merges with when
// it is installed; without React it is an unused namespace.
${importLine}

${propsInterfaces('JsxProps', (input) => (input.kind === 'event' ? `on${input.name}` : (input.name ?? input.field)))}

/** React's own props for an element of class \`E\` (\`key\`, \`ref\`, \`className\`, \`onClick\`…) plus the element's props \`P\`. */
export type IttyJsxProps<E, P> = Omit<React.HTMLAttributes<E>, keyof P> & React.ClassAttributes<E> & P;

/** The elements' JSX types, by tag name. */
export interface IttyJsxElements {
${tags('  ', (name) => `IttyJsxProps<${name}, ${name}JsxProps>`)}
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

/** Vue 3: vue-tsc camelizes template names, so props are properties and handlers `onIttyUploadSuccess`. */
const vue = () => `${header}
//
// Vue 3 types for the elements: \`GlobalComponents\` entries that vue-tsc (Volar) uses to check templates, so
// \`@itty-upload-success="(e) => e.detail.file"\` and \`:file="file"\` type-check. Enable them with
// \`import type {} from 'itty-uploader/vue'\` in a .d.ts of the app (or "types": ["itty-uploader/vue"]).
// Vue itself must still be told that \`itty-*\` tags are custom elements (compilerOptions.isCustomElement).
import type { DefineComponent } from 'vue';
${importLine}

${propsInterfaces('VueProps', (input) => (input.kind === 'event' ? `on${camelize(`-${input.name}`)}` : input.field))}

declare module 'vue' {
  interface GlobalComponents {
${tags('    ', (name) => `DefineComponent<${name}VueProps>`)}
  }
}
`;

/** Svelte 5: attribute names and \`onitty-upload-success\` handlers on \`SvelteHTMLElements\`. */
const svelte = () => `${header}
//
// Svelte 5 types for the elements: \`SvelteHTMLElements\` entries, so \`onitty-upload-success={(e) => e.detail.file}\`
// and \`{file}\` type-check in svelte-check and the editor. Enable them with \`import type {} from 'itty-uploader/svelte'\`
// in a .d.ts of the app (or "types": ["itty-uploader/svelte"]).
import type { HTMLAttributes } from 'svelte/elements';
${importLine}

${propsInterfaces('SvelteProps', (input) => (input.kind === 'event' ? `on${input.name}` : (input.name ?? input.field)))}

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
${tags('    ', (name) => `Omit<HTMLAttributes<${name}>, keyof ${name}SvelteProps> & ${name}SvelteProps`)}
  }
}
`;

const files = { 'jsx.ts': reactJsx(), 'vue.ts': vue(), 'svelte.ts': svelte() };
const stale = [];
for (const [name, text] of Object.entries(files)) {
  const target = join(outDir, name);
  if (check) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {}
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
  console.log(
    `Wrote ${Object.keys(files)
      .map((name) => `src/types/${name}`)
      .join(', ')}`,
  );
}
