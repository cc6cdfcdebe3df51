import assert from 'node:assert/strict';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KEY, listFiles, raw, startServer, storedFiles, type TestServer } from './helpers.js';

const SECRET = 'top secret, outside the upload folder';

const ATTACKS = [
  '/uploads/../secret.txt',
  '/uploads/../../secret.txt',
  '/uploads/a/../../secret.txt',
  '/uploads/./secret.txt',
  '/uploads/%2e%2e/secret.txt',
  '/uploads/%2E%2E/secret.txt',
  '/uploads/.%2e/secret.txt',
  '/uploads/%2e./secret.txt',
  '/uploads/..%2fsecret.txt',
  '/uploads/..%2Fsecret.txt',
  '/uploads/%2e%2e%2fsecret.txt',
  '/uploads/..%5csecret.txt',
  '/uploads/..%5Csecret.txt',
  '/uploads/..\\secret.txt',
  '/uploads/a\\..\\..\\secret.txt',
  '/uploads//secret.txt',
  '/uploads//tmp/evil.txt',
  '/uploads/%2ftmp%2fevil.txt',
  '/uploads/C:%5cevil.txt',
  '/uploads/C:/evil.txt',
  '/uploads/evil%00.txt',
  '/uploads/evil.txt%00.png',
  '/uploads/%c0%ae%c0%ae/secret.txt',
  '/uploads/%',
  `/uploads/${'a'.repeat(300)}.txt`,
  `/uploads/${Array.from({ length: 40 }, () => 'd').join('/')}/x.txt`,
  '/uploads/.itty-uploader/tmp/planted.part',
  '/uploads/.hidden',
];

describe('paths that try to leave the upload folder', () => {
  let server: TestServer;
  let outsideBefore: string[];
  before(async () => {
    server = await startServer({ basePath: '/uploads' });
    await writeFile(join(server.sandbox, 'secret.txt'), SECRET);
    await mkdir(join(server.sandbox, 'outside'));
    await mkdir(server.dir, { recursive: true });
    await symlink(join(server.sandbox, 'outside'), join(server.dir, 'link'));
    await symlink(join(server.sandbox, 'secret.txt'), join(server.dir, 'secret-link.txt'));
    outsideBefore = await listFiles(server.sandbox);
  });
  after(() => server.close());

  it('refuses every spelling on PUT with 400 and writes nothing anywhere', async () => {
    for (const path of ATTACKS) {
      const res = await raw(server.port, 'PUT', path, { body: 'pwned', headers: { Authorization: `Bearer ${KEY}` } });
      assert.ok(res.status === 400 || res.status === 404, `${path} → ${res.status}`);
      assert.equal(res.json()['kind'] === 'request_invalid' || res.json()['kind'] === 'not_found', true, path);
    }
    assert.equal(await readFile(join(server.sandbox, 'secret.txt'), 'utf8'), SECRET);
    assert.deepEqual(await storedFiles(server.dir), []);
    const outsideAfter = (await listFiles(server.sandbox)).filter((file) => !file.startsWith('uploads/.itty-uploader/'));
    assert.deepEqual(
      outsideAfter,
      outsideBefore.filter((file) => !file.startsWith('uploads/.itty-uploader/')),
    );
  });

  it('refuses every spelling on GET and HEAD with 404 and never sends the secret', async () => {
    for (const method of ['GET', 'HEAD']) {
      for (const path of [...ATTACKS, '/secret.txt', '/uploads/secret-link.txt', '/uploads/link/../secret.txt']) {
        const res = await raw(server.port, method, path);
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.text.includes('secret'), false, `${method} ${path}`);
      }
    }
  });

  it('does not follow a symlink out of the folder when writing', async () => {
    const res = await raw(server.port, 'PUT', '/uploads/link/planted.txt', { body: 'pwned', headers: { Authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 400);
    assert.deepEqual(await listFiles(join(server.sandbox, 'outside')), []);
  });

  it('stores a double-encoded name as that literal name, inside the folder', async () => {
    const res = await raw(server.port, 'PUT', '/uploads/%252e%252e/x.txt', { body: 'ok', headers: { Authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 201);
    assert.equal(await readFile(join(server.dir, '%2e%2e', 'x.txt'), 'utf8'), 'ok');
  });

  it('refuses dot segments in the folder given to the signing endpoint', async () => {
    for (const body of [
      { filename: 'a.txt', folder: '../x' },
      { filename: 'a.txt', relativePath: '../../a.txt' },
      { filename: 'a.txt', folder: 'a/./b' },
    ]) {
      const res = await raw(server.port, 'POST', '/upload-url', { body: JSON.stringify(body) });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
  });
});
