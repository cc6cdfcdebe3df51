// `npm run build`: unbundled ES modules + .d.ts in dist/ (for apps that bundle; source maps embed their sources,
// declaration maps point at src/, which ships), then the one-file CDN bundle dist/itty-uploader.js (Lit inside,
// minified) made by Vite, then the editor data generated from custom-elements.json.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getWebTypesData } from 'custom-element-jet-brains-integration';
import { getVsCodeCssCustomData, getVsCodeHtmlCustomData } from 'custom-element-vs-code-integration';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync('node', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
execFileSync('node', ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });

// The CDN bundle carries Lit inside it: its licence notices ship beside it (the minified file keeps no comments).
const bundled = ['lit', 'lit-html', 'lit-element', '@lit/reactive-element', '@lit/task'];
writeFileSync(
  `${root}dist/THIRD-PARTY-LICENSES.txt`,
  `dist/itty-uploader.js bundles these packages:\n\n${bundled
    .map((name) => `${name}\n${'-'.repeat(name.length)}\n${readFileSync(`${root}node_modules/${name}/LICENSE`, 'utf8').trim()}\n`)
    .join('\n')}`,
);

// Editor data from the manifest: VS Code's HTML and CSS custom data (`html.customData` / `css.customData`) and
// JetBrains web-types (package.json's `web-types`). Each generator gets its own copy: they mutate the manifest.
const manifest = readFileSync(`${root}custom-elements.json`, 'utf8');
const options = { hideLogs: true, descriptionSrc: 'summary' };
const editorData = {
  'vscode.html-custom-data.json': getVsCodeHtmlCustomData(JSON.parse(manifest), options),
  'vscode.css-custom-data.json': getVsCodeCssCustomData(JSON.parse(manifest), options),
  'web-types.json': getWebTypesData(JSON.parse(manifest), options),
};
for (const [name, text] of Object.entries(editorData))
  writeFileSync(`${root}dist/${name}`, `${JSON.stringify(JSON.parse(text), null, 2)}\n`);
