import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CliError, main, parseByteSize, USAGE } from '../../src/server/cli.js';

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
