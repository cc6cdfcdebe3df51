import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CliError, main, parseByteSize, parseDuration, USAGE } from '../../src/server/cli.js';
import { createTryPage } from '../../src/server/try-page.js';
import { ensureDist } from '../helpers/dist.js';
import { raw } from './helpers.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** The CliError `main` rejects with; a server it started instead is closed again, and the test fails. */
async function cliError(argv: string[]): Promise<CliError> {
  let running;
  try {
    running = await main(argv, { out: () => {}, env: {} });
  } catch (error) {
    assert.ok(error instanceof CliError, String(error));
    return error;
  }
  await running?.close();
  assert.fail(`itty-uploader ${argv.join(' ')} started a server`);
}

describe('itty-uploader CLI', () => {
  it('serves a folder and prints where', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'itty-cli-'));
    const printed: string[] = [];
    const running = await main(['serve', '--dir', dir, '--port', '0', '--max-size', '1KB', '--origin', 'https://a.example'], {
      out: (text) => printed.push(text),
      env: { ITTYBIT_API_KEY: 'env-key' },
    });
    try {
      assert.ok(running);
      assert.match(printed.join(''), new RegExp(`serving ${dir} at ${running.url}`));
      assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const signature = (await (
        await fetch(`${running.url}/upload-url`, { method: 'POST', body: '{"filename":"a.txt","size":5}' })
      ).json()) as { url: string };
      assert.equal((await fetch(signature.url, { method: 'PUT', body: 'hello' })).status, 201);
      assert.equal(await readFile(join(dir, 'a.txt'), 'utf8'), 'hello');
      const tooBig = await fetch(`${running.url}/upload-url`, { method: 'POST', body: '{"filename":"b.txt","size":1001}' });
      assert.equal(tooBig.status, 413);
      const api = await fetch(`${running.url}/signatures`, {
        method: 'POST',
        body: '{"filename":"a.txt"}',
        headers: { Authorization: 'Bearer env-key' },
      });
      assert.equal(api.status, 200);
    } finally {
      await running?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints the signing endpoint it really serves, whatever the spelling of --sign-path', async () => {
    for (const [given, served] of [
      ['/api/sign/', '/api/sign'],
      ['/', '/upload-url'],
    ] as const) {
      const dir = await mkdtemp(join(tmpdir(), 'itty-cli-'));
      const printed: string[] = [];
      const running = await main(['serve', '--dir', dir, '--port', '0', '--sign-path', given], {
        out: (text) => printed.push(text),
        env: {},
      });
      try {
        assert.ok(running);
        const endpoint = /signing endpoint\s+POST (\S+)/.exec(printed.join(''))?.[1];
        assert.equal(endpoint, `${running.url}${served}`, given);
        const res = await fetch(endpoint, { method: 'POST', body: '{"filename":"a.txt"}' });
        assert.equal(res.status, 200, given);
      } finally {
        await running?.close();
        await rm(dir, { recursive: true, force: true });
      }
    }
  });

  it('takes an empty ITTYBIT_API_KEY as unset and starts with the dev key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'itty-cli-'));
    const printed: string[] = [];
    const running = await main(['serve', '--dir', dir, '--port', '0'], { out: (text) => printed.push(text), env: { ITTYBIT_API_KEY: '' } });
    try {
      assert.ok(running);
      assert.match(printed.join(''), /"dev-key"/);
      const api = await fetch(`${running.url}/signatures`, {
        method: 'POST',
        body: '{"filename":"a.txt"}',
        headers: { Authorization: 'Bearer dev-key' },
      });
      assert.equal(api.status, 200);
    } finally {
      await running?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a --dir that is a file, instead of serving and answering every upload with 500', async () => {
    const sandbox = await mkdtemp(join(tmpdir(), 'itty-cli-'));
    try {
      const file = join(sandbox, 'photo.jpg');
      await writeFile(file, 'not a folder');
      assert.match((await cliError(['serve', '--dir', file, '--port', '0'])).message, /--dir/);
      assert.match((await cliError(['serve', '--dir', join(file, 'below'), '--port', '0'])).message, /--dir/);
    } finally {
      await rm(sandbox, { recursive: true, force: true });
    }
  });

  it('reports a port in use as a usage error naming --port, not a crash', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    const dir = await mkdtemp(join(tmpdir(), 'itty-cli-'));
    try {
      // Before: the raw EADDRINUSE error, printed with its stack trace.
      assert.match(
        (await cliError(['serve', '--dir', dir, '--port', String(port)])).message,
        new RegExp(`--port.*${port}|${port}.*--port`),
      );
    } finally {
      await new Promise((resolve) => busy.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is safe on a laptop by default: localhost origins only, Host checked, signed URLs on the listening address (issue 22)', async () => {
    // Before: CORS "*" with private-network access for every origin, any Host accepted and reflected into signed URLs.
    const dir = await mkdtemp(join(tmpdir(), 'itty-cli-'));
    const running = await main(['serve', '--dir', dir, '--port', '0'], { out: () => {}, env: {} });
    assert.ok(running);
    const port = Number(new URL(running.url).port);
    const sign = (headers: Record<string, string>) =>
      raw(port, 'POST', '/upload-url', { body: '{"filename":"a.txt"}', headers: { 'Content-Type': 'application/json', ...headers } });
    try {
      const evil = await sign({ Origin: 'https://evil.example' });
      assert.equal(evil.status, 403);
      assert.equal(evil.json().kind, 'origin_not_allowed');
      const local = await sign({ Origin: 'http://localhost:5173' });
      assert.equal(local.status, 200);
      assert.equal(local.headers['access-control-allow-origin'], 'http://localhost:5173');
      const preflight = (origin: string) =>
        raw(port, 'OPTIONS', '/a.txt', {
          headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Private-Network': 'true' },
        });
      assert.equal((await preflight('https://evil.example')).headers['access-control-allow-private-network'], undefined);
      assert.equal((await preflight('http://localhost:3000')).headers['access-control-allow-private-network'], 'true');
      // DNS rebinding: a page on rebind.evil.example resolving to 127.0.0.1 sends its own name as Host.
      const rebound = await sign({ Host: `rebind.evil.example:${port}` });
      assert.equal(rebound.status, 403);
      assert.equal(rebound.json().kind, 'host_not_allowed');
      // A Host that is allowed is still not reflected: signed URLs name the address the server listens on.
      const viaLocalhost = await sign({ Host: `localhost:${port}` });
      assert.ok(viaLocalhost.json<{ url: string }>().url.startsWith(`${running.url}/a.txt?`), viaLocalhost.text);
    } finally {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('opens up with --origin "*", --allowed-host and --public-url, and reads --session-ttl, --max-sessions, --min-body-rate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'itty-cli-'));
    const argv = [
      'serve',
      '--dir',
      dir,
      '--port',
      '0',
      '--origin',
      '*',
      '--allowed-host',
      'uploads.example',
      '--public-url',
      'https://uploads.example',
    ];
    const running = await main(
      [...argv, '--session-ttl', '30m', '--max-sessions', '10', '--min-body-rate', '2k', '--max-connections', '50'],
      { out: () => {}, env: {} },
    );
    assert.ok(running);
    const port = Number(new URL(running.url).port);
    try {
      assert.equal(running.server.maxConnections, 50);
      const res = await raw(port, 'POST', '/upload-url', {
        body: '{"filename":"a.txt"}',
        headers: { 'Content-Type': 'application/json', Origin: 'https://any.example', Host: 'uploads.example' },
      });
      assert.equal(res.status, 200, res.text);
      assert.ok(res.json<{ url: string }>().url.startsWith('https://uploads.example/a.txt?'));
    } finally {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    }
    for (const bad of [
      ['--session-ttl', 'soon'],
      ['--session-ttl', '0'],
      ['--max-sessions', 'many'],
      ['--min-body-rate', 'fast'],
      ['--max-connections', '-1'],
    ]) {
      assert.match((await cliError(['serve', '--port', '0', ...bad])).message, new RegExp(bad[0]!));
    }
    assert.equal(parseDuration('90s', 'x'), 90_000);
    assert.equal(parseDuration('30m', 'x'), 1_800_000);
    assert.equal(parseDuration('1h', 'x'), 3_600_000);
    assert.equal(parseDuration('45', 'x'), 45_000);
  });

  it('--processing makes new File objects say "processing" (to develop a status endpoint locally)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'itty-cli-'));
    const running = await main(['serve', '--dir', dir, '--port', '0', '--processing', '1h'], { out: () => {}, env: {} });
    assert.ok(running);
    const port = Number(new URL(running.url).port);
    const host = new URL(running.url).host;
    try {
      const signed = await raw(port, 'POST', '/upload-url', {
        body: '{"filename":"a.txt"}',
        headers: { 'Content-Type': 'application/json', Host: host },
      });
      assert.equal(signed.status, 200, signed.text);
      const url = new URL(signed.json<{ url: string }>().url);
      const put = await raw(port, 'PUT', `${url.pathname}${url.search}`, {
        body: 'hi',
        headers: { 'Content-Type': 'text/plain', Host: host },
      });
      assert.equal(put.status, 201, put.text);
      assert.equal(put.json<{ status: string }>().status, 'processing');
    } finally {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    }
    assert.match((await cliError(['serve', '--port', '0', '--processing', 'later'])).message, /--processing/);
  });

  it('serves a try page at / with the built bundle beside it, and nothing else (its page and scripts, GET and HEAD only)', async () => {
    ensureDist();
    const dir = await mkdtemp(join(tmpdir(), 'itty-cli-'));
    const printed: string[] = [];
    const running = await main(['serve', '--dir', dir, '--port', '0'], { out: (text) => printed.push(text), env: {} });
    assert.ok(running);
    const port = Number(new URL(running.url).port);
    try {
      assert.equal(/try it\s+(\S+)/.exec(printed.join(''))?.[1], `${running.url}/`);
      const page = await raw(port, 'GET', '/');
      assert.equal(page.status, 200);
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      const csp = String(page.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /(^|; )script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(page.text, /<html lang="en">/);
      assert.match(page.text, /<title>[^<]+<\/title>/);
      assert.match(page.text, /<h1>/);
      assert.match(page.text, /color-scheme: light dark/);
      assert.match(page.text, /<itty-uploader endpoint="\/upload-url" multiple>/);
      assert.doesNotMatch(page.text, /<script(?![^>]*\ssrc=)/, 'no inline script');
      // The scripts the page names, and a chunk the bundle loads by a URL relative to itself.
      const scripts = [...page.text.matchAll(/<script type="module" src="([^"]+)"/g)].map((match) => match[1]!);
      assert.equal(scripts.length, 2);
      for (const path of scripts) {
        const script = await raw(port, 'GET', path);
        assert.equal(script.status, 200, path);
        assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8', path);
        assert.equal(script.headers['x-content-type-options'], 'nosniff', path);
      }
      const bundlePath = scripts.find((path) => path.endsWith('/itty-uploader.js'))!;
      const bundle = await raw(port, 'GET', bundlePath);
      assert.deepEqual(bundle.body, readFileSync(`${dist}itty-uploader.js`));
      const chunk = /\.\/(chunks\/[\w-]+\.js)/.exec(bundle.text)?.[1];
      assert.ok(chunk, 'the bundle loads a chunk');
      const chunkRes = await raw(port, 'GET', new URL(`./${chunk}`, `http://x${bundlePath}`).pathname);
      assert.equal(chunkRes.status, 200);
      assert.deepEqual(chunkRes.body, readFileSync(`${dist}${chunk}`));
      // HEAD: the headers of GET, no body.
      const head = await raw(port, 'HEAD', bundlePath);
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], String(bundle.body.length));
      assert.equal(head.body.length, 0);
      assert.equal((await raw(port, 'HEAD', '/')).headers['content-length'], String(page.body.length));
      // Only GET and HEAD.
      for (const [method, path] of [
        ['POST', '/'],
        ['PUT', '/'],
        ['DELETE', bundlePath],
        ['POST', bundlePath],
      ] as const) {
        const res = await raw(port, method, path, { body: 'x' });
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.equal(res.headers['allow'], 'GET, HEAD');
      }
      // Nothing but those paths: no traversal in any spelling, no directory listing, no other file of dist/.
      const secret = readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8');
      const prefix = bundlePath.slice(0, bundlePath.lastIndexOf('/') + 1);
      const attempts = [
        '/../package.json',
        '/%2e%2e/package.json',
        '/%2e%2e/',
        '/.%2e/package.json',
        `${bundlePath}/..`,
        `${bundlePath}/../../package.json`,
        `${prefix}../package.json`,
        `${prefix}%2e%2e/package.json`,
        `${prefix}..%2fpackage.json`,
        `${prefix}chunks/../../package.json`,
        `${prefix}chunks/..%2f..%2fpackage.json`,
        `${prefix}chunks/`,
        prefix,
        `${prefix}`.slice(0, -1),
        `${prefix}/itty-uploader.js`,
        `${prefix}server/cli.js`,
        `${prefix}index.js`,
        `${prefix}itty-uploader.js%00`,
        `${prefix}itty-uploader%2ejs`,
        `${prefix}%69tty-uploader.js`,
        `${prefix}..\\package.json`,
        '/index.html',
        '/package.json',
      ];
      for (const path of attempts) {
        const res = await raw(port, 'GET', path);
        assert.ok(res.status === 404 || res.status === 400, `${path}: ${res.status}`);
        assert.ok(!res.text.includes('"devDependencies"') && !res.text.includes(secret.slice(0, 40)), path);
      }
      // The Host check the upload server makes (DNS rebinding) covers the page too.
      assert.equal((await raw(port, 'GET', '/', { headers: { Host: `rebind.evil.example:${port}` } })).status, 403);
    } finally {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("lets its try page upload whatever --origin says: the page is on the server's own origin", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'itty-cli-'));
    const running = await main(['serve', '--dir', dir, '--port', '0', '--origin', 'https://a.example', '--sign-path', '/api/sign/'], {
      out: () => {},
      env: {},
    });
    assert.ok(running);
    const port = Number(new URL(running.url).port);
    try {
      assert.match((await raw(port, 'GET', '/')).text, /<itty-uploader endpoint="\/api\/sign" multiple>/);
      const sign = (origin: string) =>
        raw(port, 'POST', '/api/sign', { body: '{"filename":"a.txt"}', headers: { 'Content-Type': 'application/json', Origin: origin } });
      assert.equal((await sign(running.url)).status, 200);
      assert.equal((await sign('http://localhost:5173')).status, 403);
    } finally {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says "run npm run build" on the try page when dist/ has no bundle, instead of breaking', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'itty-cli-'));
    const tryPage = createTryPage({ signPath: '/upload-url', allowedHosts: ['127.0.0.1'], distDir: `${empty}/` });
    const server = createServer((req, res) => tryPage(req, res) || res.writeHead(418).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const page = await raw(port, 'GET', '/');
      assert.equal(page.status, 200);
      assert.match(page.text, /npm run build/);
      assert.doesNotMatch(page.text, /<script/);
      assert.equal((await raw(port, 'GET', '/.itty/itty-uploader.js')).status, 404);
      // Requests that are not the page's own go on to the next handler.
      assert.equal((await raw(port, 'GET', '/a.txt')).status, 418);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('prints help', async () => {
    const printed: string[] = [];
    assert.equal(await main(['--help'], { out: (text) => printed.push(text), env: {} }), undefined);
    assert.equal(printed.join(''), USAGE);
  });

  it('rejects unknown commands and bad values with a CliError', async () => {
    const io = { out: () => {}, env: {} };
    await assert.rejects(main(['launch'], io), CliError);
    await assert.rejects(main(['serve', '--port', 'eighty'], io), CliError);
    await assert.rejects(main(['serve', '--max-size', 'lots'], io), CliError);
    await assert.rejects(main(['serve', '--nope'], io), CliError);
    await assert.rejects(main(['serve', '--base-path', 'no-slash'], io), CliError);
    // Not just "Invalid URL": the message says which value.
    assert.match((await cliError(['serve', '--public-url', 'localhost 8080'])).message, /publicUrl|public-url/);
  });

  it('reads byte sizes in decimal and binary units', () => {
    assert.equal(parseByteSize('100MB'), 100_000_000);
    assert.equal(parseByteSize('1.5GiB'), 1.5 * 1024 ** 3);
    assert.equal(parseByteSize('512 kib'), 512 * 1024);
    assert.equal(parseByteSize('42'), 42);
    // The element's max-size grammar (core's parseSize): before, '2k' was refused.
    assert.equal(parseByteSize('2k'), 2000);
    assert.equal(parseByteSize('2ki'), 2048);
    assert.equal(parseByteSize('1.5 MB'), 1_500_000);
    assert.throws(() => parseByteSize('-1MB'), CliError);
    assert.throws(() => parseByteSize('1XB'), CliError);
  });
});
