// Regenerates custom-elements.json from the elements' JSDoc; with --check, fails when the committed one is stale.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The analyzer resolves --outdir against the working directory, so the scratch folder lives in the repo.
const out = join('node_modules', '.cache', `cem-${process.pid}`);
mkdirSync(join(root, out), { recursive: true });
execFileSync('node', ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--outdir', out, '--quiet'], {
  cwd: root,
  stdio: 'inherit',
});
const fresh = readFileSync(join(root, out, 'custom-elements.json'), 'utf8');
const target = join(root, 'custom-elements.json');
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  rmSync(join(root, out), { recursive: true, force: true });
  if (current !== fresh) {
    console.error('custom-elements.json is stale: run `npm run analyze` and commit the result.');
    process.exit(1);
  }
  console.log('custom-elements.json is current.');
} else {
  renameSync(join(root, out, 'custom-elements.json'), target);
  rmSync(join(root, out), { recursive: true, force: true });
  console.log('Wrote custom-elements.json');
}
