// `npm run build`: unbundled ES modules + .d.ts in dist/ (for apps that bundle), then the one-file
// CDN bundle dist/itty-uploader.js (Lit inside, minified) made by Vite.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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
