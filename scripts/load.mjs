// `npm run test:load`: the load test at full size (300 files, 10 % faults; `npm test` runs 40) in Chromium.
//   LOAD_FILES=1000 FAULT_SEED=7 node scripts/load.mjs        another size or sequence of faults
//   node scripts/load.mjs firefox|webkit                      in another engine
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENGINES } from './engine-paths.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const engine = process.argv[2];
if (engine && !(engine in ENGINES)) {
  console.error(`Unknown engine ${engine}: choose from ${Object.keys(ENGINES).join(', ')} (Chromium without one).`);
  process.exit(2);
}
const config = engine ? ENGINES[engine].config : 'web-test-runner.config.mjs';
const env = { ...process.env, LOAD_FILES: process.env.LOAD_FILES ?? '300', WTR_FILES: 'test/e2e/load.test.ts' };
let output = '';
const started = Date.now();
const child = spawn('node', ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', config], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
child.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
child.stderr.on('data', (chunk) => {
  output += chunk;
  process.stderr.write(chunk);
});
child.on('close', (code) => {
  const counts = [...output.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  const pass = Number(counts?.[1] ?? 0);
  const fail = Number(counts?.[2] ?? 0) || (code !== 0 || pass === 0 ? 1 : 0);
  console.log(`\nload test (${env.LOAD_FILES} files) finished in ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(fail === 0 ? 0 : 1);
});
