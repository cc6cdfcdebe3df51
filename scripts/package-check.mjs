// The package as npm publishes it (`npm test`, `npm run check:package`), checked on the packed tarball after
// `npm run build`:
//   1. publint and @arethetypeswrong/cli (ESM-only profile) on the tarball;
//   2. what this project promises beyond them: LICENSE, CHANGELOG.md and README.md ship; every JavaScript source
//      map embeds its sources; every declaration map points at a TypeScript source that ships (so "go to
//      definition" lands in src/); every sourceMappingURL names a map that ships; custom-elements.json's module
//      paths point at shipped files in dist/ and define every tag; the editor data ships (package.json web-types);
//   3. what each entry imports, as a bundler follows it (static and dynamic imports): every package it names is a
//      dependency or peer, and an optional peer only from the entries that document it, so a browser-only install
//      needs nothing but `dependencies`.
// Prints one line per check; exits non-zero when any fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Optional peers, and the entries allowed to import them (each documents it). */
const OPTIONAL_PEER_USERS = {
  '@lit/react': ['./react'],
  react: ['./react'],
  'file-type': ['./server/node'],
  'image-size': ['./server/node'],
  msw: ['./testing'],
};

/**
 * The entries a page or an edge function imports: what `dependencies` is for (everything else is an optional peer).
 * `/server/s3` counts: it runs in Workers and edge routes, and its one dependency (aws4fetch, SigV4 on WebCrypto)
 * is small and has none of its own.
 */
const BROWSER_ENTRIES = ['.', './uploader', './file', './elements', './browser', './core', './server', './server/s3'];

const scratch = mkdtempSync(join(tmpdir(), 'itty-pack-'));
const failures = [];
let checks = 0;
function check(name, problems) {
  checks += 1;
  if (problems.length === 0) console.log(`✔ ${name}`);
  else {
    failures.push(name);
    console.error(`✖ ${name}\n${problems.map((p) => `    ${p}`).join('\n')}`);
  }
}
function tool(name, command, args) {
  checks += 1;
  try {
    execFileSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    console.log(`✔ ${name}`);
  } catch (error) {
    failures.push(name);
    console.error(`✖ ${name}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}

try {
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }),
  );
  const tarball = join(scratch, filename);
  execFileSync('tar', ['-xzf', tarball, '-C', scratch]);
  const pkgDir = join(scratch, 'package');
  const files = new Set(readdirSync(pkgDir, { recursive: true }).map((name) => String(name).split('\\').join('/')));
  const read = (file) => readFileSync(join(pkgDir, file), 'utf8');
  const pkg = JSON.parse(read('package.json'));
  console.log(`${filename}: ${files.size} entries`);

  // 1. The standard tools.
  tool('publint (strict)', bin('publint'), ['run', tarball, '--strict']);
  tool('are the types wrong (ESM-only profile)', bin('attw'), [
    tarball,
    '--profile',
    'esm-only',
    '--no-definitely-typed',
    '--format',
    'table-flipped',
    '--no-color',
  ]);

  // 2. What we promise beyond them.
  check(
    'LICENSE, CHANGELOG.md and README.md ship',
    ['LICENSE', 'CHANGELOG.md', 'README.md'].filter((file) => !files.has(file)).map((file) => `${file} is not in the tarball`),
  );

  const maps = [...files].filter((file) => file.endsWith('.map'));
  const jsMaps = maps.filter((file) => file.endsWith('.js.map'));
  const dtsMaps = maps.filter((file) => file.endsWith('.d.ts.map'));
  check(
    `the ${jsMaps.length} JavaScript source maps embed their sources`,
    jsMaps.flatMap((file) => {
      const map = JSON.parse(read(file));
      const missing = map.sources.filter((_, i) => typeof map.sourcesContent?.[i] !== 'string');
      return missing.length ? [`${file}: no sourcesContent for ${missing.join(', ')}`] : [];
    }),
  );
  check(
    `the ${dtsMaps.length} declaration maps point at TypeScript sources that ship`,
    dtsMaps.flatMap((file) => {
      const map = JSON.parse(read(file));
      return map.sources
        .map((source) =>
          relative(pkgDir, resolve(pkgDir, dirname(file), map.sourceRoot ?? '', source))
            .split('\\')
            .join('/'),
        )
        .filter((source) => !source.endsWith('.ts') || !files.has(source))
        .map((source) => `${file} → ${source} does not ship`);
    }),
  );
  check(
    'every sourceMappingURL names a map that ships',
    [...files]
      .filter((file) => /\.(js|d\.ts)$/.test(file))
      .flatMap((file) => {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(file))?.[1];
        if (!url) return file.startsWith('dist/') && !file.endsWith('.d.ts') ? [`${file} has no source map`] : [];
        const map = relative(pkgDir, resolve(pkgDir, dirname(file), url))
          .split('\\')
          .join('/');
        return files.has(map) ? [] : [`${file} → ${map} does not ship`];
      }),
  );

  const manifest = JSON.parse(read(pkg.customElements));
  const tags = manifest.modules.flatMap((mod) => (mod.declarations ?? []).filter((d) => d.tagName).map((d) => d.tagName));
  const defined = new Set(
    manifest.modules.flatMap((mod) => (mod.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => e.name)),
  );
  const modulePaths = [];
  JSON.stringify(manifest, (key, value) => {
    if ((key === 'path' || key === 'module') && typeof value === 'string') modulePaths.push(value);
    return value;
  });
  check('custom-elements.json points into dist/ and defines every tag', [
    ...(tags.length ? [] : ['it declares no element']),
    ...[...new Set(modulePaths)]
      .filter((path) => !path.startsWith('dist/') || !files.has(path))
      .map((path) => `${path} is not a shipped file in dist/`),
    ...tags.filter((tag) => !defined.has(tag)).map((tag) => `no custom-element-definition for <${tag}>`),
  ]);
  check(
    'editor data ships: VS Code custom data and web-types (package.json web-types)',
    [pkg['web-types'], 'dist/vscode.html-custom-data.json', 'dist/vscode.css-custom-data.json']
      .map((file) => String(file).replace(/^\.\//, ''))
      .filter((file) => !files.has(file))
      .map((file) => `${file} is not in the tarball`),
  );

  // 3. What each entry pulls in.
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const optional = new Set(
    Object.entries(pkg.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta.optional)
      .map(([name]) => name),
  );
  const packageOf = (specifier) =>
    specifier
      .split('/')
      .slice(0, specifier.startsWith('@') ? 2 : 1)
      .join('/');
  const problems = [];
  const browserImports = new Set();
  for (const [entry, target] of Object.entries(pkg.exports)) {
    const pattern = typeof target === 'string' ? target : target.default;
    if (!pattern.endsWith('.js')) continue;
    // A subpath pattern (`./dist/locales/*.js`) is checked through every shipped file it matches.
    const [before, after = ''] = pattern.replace(/^\.\//, '').split('*');
    const entryFiles = pattern.includes('*')
      ? [...files].filter((f) => f.startsWith(before) && f.endsWith(after) && !f.slice(before.length).includes('/'))
      : [pattern];
    const result = await build({
      entryPoints: entryFiles.map((file) => join(pkgDir, file)),
      bundle: true,
      write: false,
      outdir: join(scratch, 'out'),
      format: 'esm',
      platform: 'neutral',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
    });
    const imported = new Set(
      Object.values(result.metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path)),
    );
    for (const specifier of imported) {
      if (specifier.startsWith('node:')) continue;
      if (BROWSER_ENTRIES.includes(entry)) browserImports.add(packageOf(specifier));
      const name = packageOf(specifier);
      if (!declared.has(name)) problems.push(`${entry} imports ${specifier}, which is neither a dependency nor a peer`);
      else if (optional.has(name) && !(OPTIONAL_PEER_USERS[name] ?? []).includes(entry)) {
        problems.push(
          `${entry} imports the optional peer ${specifier} (allowed only from ${(OPTIONAL_PEER_USERS[name] ?? []).join(', ') || 'no entry'})`,
        );
      }
    }
  }
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (!browserImports.has(name))
      problems.push(`the dependency ${name} is not used by the browser or edge entries: make it an optional peer`);
  }
  check(
    'each entry imports only dependencies, and optional peers only where documented; every dependency is browser or edge code',
    problems,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log(`${checks - failures.length} of ${checks} package checks passed`);
process.exit(failures.length ? 1 : 0);
