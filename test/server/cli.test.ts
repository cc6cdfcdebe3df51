import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CliError, main, parseByteSize, parseDuration, USAGE } from '../../src/server/cli.js';
import { raw } from './helpers.js';

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
      const signature = (await (await fetch(`${running.url}/upload-url`, { method: 'POST', body: '{"filename":"a.txt","size":5}' })).json()) as { url: string };
      assert.equal((await fetch(signature.url, { method: 'PUT', body: 'hello' })).status, 201);
      assert.equal(await readFile(join(dir, 'a.txt'), 'utf8'), 'hello');
      const tooBig = await fetch(`${running.url}/upload-url`, { method: 'POST', body: '{"filename":"b.txt","size":1001}' });
      assert.equal(tooBig.status, 413);
      const api = await fetch(`${running.url}/signatures`, { method: 'POST', body: '{"filename":"a.txt"}', headers: { Authorization: 'Bearer env-key' } });
      assert.equal(api.status, 200);
    } finally {
      await running?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints the signing endpoint it really serves, whatever the spelling of --sign-path', async () => {
    for (const [given, served] of [['/api/sign/', '/api/sign'], ['/', '/upload-url']] as const) {
      const dir = await mkdtemp(join(tmpdir(), 'itty-cli-'));
      const printed: string[] = [];
      const running = await main(['serve', '--dir', dir, '--port', '0', '--sign-path', given], { out: (text) => printed.push(text), env: {} });
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
      const api = await fetch(`${running.url}/signatures`, { method: 'POST', body: '{"filename":"a.txt"}', headers: { Authorization: 'Bearer dev-key' } });
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
      assert.match((await cliError(['serve', '--dir', dir, '--port', String(port)])).message, new RegExp(`--port.*${port}|${port}.*--port`));
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
    const argv = ['serve', '--dir', dir, '--port', '0', '--origin', '*', '--allowed-host', 'uploads.example', '--public-url', 'https://uploads.example'];
    const running = await main([...argv, '--session-ttl', '30m', '--max-sessions', '10', '--min-body-rate', '2k', '--max-connections', '50'], { out: () => {}, env: {} });
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
    for (const bad of [['--session-ttl', 'soon'], ['--session-ttl', '0'], ['--max-sessions', 'many'], ['--min-body-rate', 'fast'], ['--max-connections', '-1']]) {
      assert.match((await cliError(['serve', '--port', '0', ...bad])).message, new RegExp(bad[0]!));
    }
    assert.equal(parseDuration('90s', 'x'), 90_000);
    assert.equal(parseDuration('30m', 'x'), 1_800_000);
    assert.equal(parseDuration('1h', 'x'), 3_600_000);
    assert.equal(parseDuration('45', 'x'), 45_000);
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
