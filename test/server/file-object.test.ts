import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KEY, raw, signedPath, startServer, type TestServer } from './helpers.js';

const bearer = { headers: { Authorization: `Bearer ${KEY}` } };
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  body: JSON.stringify(body),
  headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', ...headers },
});

const fixture = (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url));

describe('the File object of an upload', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const upload = async (path: string, body: Buffer | string, headers: Record<string, string> = {}) => {
    const res = await raw(server.port, 'PUT', await signedPath(path), { body, headers });
    assert.equal(res.status, 201, res.text);
    return res.json();
  };

  it('gives real PNG, GIF and JPEG images their type and pixel size', async () => {
    const cases: Array<[string, string, number, number]> = [
      ['image-3x2.png', 'image/png', 3, 2],
      ['image-4x7.gif', 'image/gif', 4, 7],
      ['image-5x3.jpg', 'image/jpeg', 5, 3],
    ];
    for (const [name, type, width, height] of cases) {
      const file = await upload(`img/${name}`, await fixture(name));
      assert.equal(file['kind'], 'image', name);
      assert.equal(file['type'], type, name);
      assert.equal(file['width'], width, name);
      assert.equal(file['height'], height, name);
    }
  });

  it('reports the displayed size of a JPEG whose EXIF orientation turns it 90°', async () => {
    const file = await upload('img/rotated.jpg', await fixture('image-6x4-rotated.jpg'));
    assert.deepEqual([file['width'], file['height']], [4, 6]);
  });

  it('trusts the bytes over the name and the client', async () => {
    const file = await upload('img/really-a-png.txt', await fixture('image-3x2.png'), { 'Content-Type': 'text/plain' });
    assert.equal(file['type'], 'image/png');
    assert.equal(file['width'], 3);
  });

  it('survives an image it cannot measure', async () => {
    const truncated = (await fixture('image-5x3.jpg')).subarray(0, 12);
    const file = await upload('img/broken.jpg', truncated);
    assert.equal(file['kind'], 'image');
    assert.equal('width' in file, false);
    assert.equal('height' in file, false);
  });

  it('knows audio and SVG, and calls the rest "other"', async () => {
    const wav = await upload('media/tone.wav', await fixture('tone-100ms.wav'));
    assert.deepEqual([wav['kind'], wav['type']], ['audio', 'audio/wav']);
    const svg = await upload('media/icon.svg', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
    assert.equal(svg['type'], 'image/svg+xml');
    assert.equal(svg['kind'], 'image');
    const empty = await upload('media/empty', '');
    assert.deepEqual([empty['kind'], empty['type'], empty['filesize']], ['other', 'application/octet-stream', 0]);
  });
});

describe('GET /files/<id>', () => {
  it('returns the File object, also after a restart, and 404 for unknown ids', async () => {
    const server = await startServer();
    const uploaded = (await raw(server.port, 'PUT', await signedPath('kept/a.png'), { body: await fixture('image-3x2.png') })).json();
    const res = await raw(server.port, 'GET', `/files/${uploaded['id']}`, bearer);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), uploaded);

    const restarted = await startServer({ dir: server.dir });
    try {
      const again = (await raw(restarted.port, 'GET', `/files/${uploaded['id']}`, bearer)).json();
      assert.deepEqual(again, { ...uploaded, url: `${restarted.url}/kept/a.png` });
      const missing = await raw(restarted.port, 'GET', '/files/file_000000000000', bearer);
      assert.equal(missing.status, 404);
      assert.equal(missing.json()['kind'], 'file_not_found');
    } finally {
      await restarted.close();
      await server.close();
    }
  });

  it('answers 404 once the stored file is gone', async () => {
    const server = await startServer();
    try {
      const uploaded = (await raw(server.port, 'PUT', '/gone.txt', { body: 'x', headers: { Authorization: `Bearer ${KEY}` } })).json();
      await rm(join(server.dir, 'gone.txt'));
      assert.equal((await raw(server.port, 'GET', `/files/${uploaded['id']}`, bearer)).status, 404);
    } finally {
      await server.close();
    }
  });
});

describe('/files/<id> answers as ittybit does (issue 20: Bearer, PATCH metadata, DELETE)', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());
  const upload = async (path: string, body = 'x') =>
    (await raw(server.port, 'PUT', await signedPath(path), { body })).json<{
      id: string;
      url: string;
      metadata?: Record<string, string>;
    }>();

  it('GET and HEAD need the Bearer key: 401 without it or with another, before saying whether the id exists', async () => {
    const { id } = await upload('private.txt');
    for (const method of ['GET', 'HEAD'] as const) {
      const none = await raw(server.port, method, `/files/${id}`);
      assert.equal(none.status, 401, method);
      const wrong = await raw(server.port, method, `/files/${id}`, { headers: { Authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401, method);
      assert.equal((await raw(server.port, method, '/files/file_000000000000')).status, 401, method);
    }
    assert.equal((await raw(server.port, 'GET', `/files/${id}`)).json()['kind'], 'token_missing');
    assert.equal(
      (await raw(server.port, 'GET', `/files/${id}`, { headers: { Authorization: 'Bearer nope' } })).json()['kind'],
      'token_invalid',
    );
    assert.equal((await raw(server.port, 'GET', `/files/${id}`, bearer)).status, 200);
  });

  it('PATCH sets metadata and answers the updated File object; GET shows it, a restart keeps it, so does a re-upload', async () => {
    const uploaded = await upload('meta/photo.txt', 'one');
    const res = await raw(server.port, 'PATCH', `/files/${uploaded.id}`, json({ metadata: { title: 'Summer', owner_id: '42' } }));
    assert.equal(res.status, 200, res.text);
    const patched = res.json<{ id: string; metadata: Record<string, string>; url: string; status: string }>();
    assert.deepEqual(patched.metadata, { title: 'Summer', owner_id: '42' });
    assert.equal(patched.id, uploaded.id);
    assert.equal(patched.url, uploaded.url);
    assert.deepEqual((await raw(server.port, 'GET', `/files/${uploaded.id}`, bearer)).json(), patched);
    // Set, not merged: the new object replaces the old one.
    const replaced = await raw(server.port, 'PATCH', `/files/${uploaded.id}`, json({ metadata: { title: 'Winter' } }));
    assert.deepEqual(replaced.json()['metadata'], { title: 'Winter' });
    const again = (await raw(server.port, 'PUT', await signedPath('meta/photo.txt'), { body: 'two' })).json();
    assert.equal(again['id'], uploaded.id);
    assert.deepEqual(again['metadata'], { title: 'Winter' });
    const restarted = await startServer({ dir: server.dir });
    try {
      assert.deepEqual((await raw(restarted.port, 'GET', `/files/${uploaded.id}`, bearer)).json()['metadata'], { title: 'Winter' });
    } finally {
      await restarted.close();
    }
  });

  it("PATCH refuses metadata past ittybit's limits with 400, and changes nothing", async () => {
    const { id } = await upload('meta/limits.txt');
    const ok = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k_${i}`, 'v'.repeat(2048)]));
    assert.equal((await raw(server.port, 'PATCH', `/files/${id}`, json({ metadata: ok }))).status, 200);
    const bad: unknown[] = [
      { ...ok, k_32: 'one too many' },
      { 'bad-key': 'x' },
      { ['k'.repeat(33)]: 'x' },
      { '': 'x' },
      { a: 'v'.repeat(2049) },
      { a: 1 },
      { a: null },
      ['a'],
      'text',
      null,
    ];
    for (const metadata of bad) {
      const res = await raw(server.port, 'PATCH', `/files/${id}`, json({ metadata }));
      assert.equal(res.status, 400, JSON.stringify(metadata).slice(0, 80));
      assert.equal(res.json()['kind'], 'request_invalid');
    }
    assert.equal((await raw(server.port, 'PATCH', `/files/${id}`, json({ metadata: {}, filename: 'x.txt' }))).status, 400);
    assert.equal((await raw(server.port, 'PATCH', `/files/${id}`, json({}))).status, 400);
    assert.equal((await raw(server.port, 'PATCH', `/files/${id}`, { body: '{', headers: bearer.headers })).status, 400);
    assert.deepEqual((await raw(server.port, 'GET', `/files/${id}`, bearer)).json()['metadata'], ok);
    assert.equal((await raw(server.port, 'PATCH', `/files/${id}`, { body: JSON.stringify({ metadata: {} }) })).status, 401);
    assert.equal((await raw(server.port, 'PATCH', '/files/file_000000000000', json({ metadata: {} }))).status, 404);
    assert.deepEqual((await raw(server.port, 'PATCH', `/files/${id}`, json({ metadata: {} }))).json()['metadata'], {});
  });

  it('DELETE removes the file and its record: the id and the path answer 404, the path can be uploaded again', async () => {
    const { id } = await upload('trash/old.txt', 'bytes');
    assert.equal((await raw(server.port, 'DELETE', `/files/${id}`)).status, 401);
    assert.equal((await raw(server.port, 'GET', '/trash/old.txt')).status, 200, 'a refused DELETE deletes nothing');
    const res = await raw(server.port, 'DELETE', `/files/${id}`, bearer);
    assert.equal(res.status, 204);
    assert.equal((await raw(server.port, 'GET', `/files/${id}`, bearer)).status, 404);
    assert.equal((await raw(server.port, 'GET', '/trash/old.txt')).status, 404);
    assert.equal((await raw(server.port, 'DELETE', `/files/${id}`, bearer)).status, 404);
    await assert.rejects(readFile(join(server.dir, 'trash/old.txt')));
    const fresh = await upload('trash/old.txt', 'new');
    assert.notEqual(fresh.id, id, 'a new upload is a new File');
    assert.equal((await raw(server.port, 'GET', `/files/${fresh.id}`, bearer)).status, 200);
  });

  it('after DELETE, the completing chunk sent again is a new upload, not the deleted File answered again', async () => {
    const url = await signedPath('trash/chunked.bin');
    assert.equal((await raw(server.port, 'PUT', url, { body: 'ab', headers: { 'Content-Range': 'bytes 0-1/4' } })).status, 202);
    const done = await raw(server.port, 'PUT', url, { body: 'cd', headers: { 'Content-Range': 'bytes 2-3/4' } });
    assert.equal(done.status, 201);
    assert.equal((await raw(server.port, 'PUT', url, { headers: { 'Content-Range': 'bytes */4', 'Content-Length': '0' } })).status, 201);
    assert.equal((await raw(server.port, 'DELETE', `/files/${done.json()['id']}`, bearer)).status, 204);
    assert.equal((await raw(server.port, 'PUT', url, { headers: { 'Content-Range': 'bytes */4', 'Content-Length': '0' } })).status, 308);
    assert.equal((await raw(server.port, 'PUT', url, { body: 'cd', headers: { 'Content-Range': 'bytes 2-3/4' } })).status, 202);
    assert.equal((await raw(server.port, 'GET', '/trash/chunked.bin')).status, 404);
  });

  it('answers CORS preflights for PATCH and DELETE, and refuses them from origins not allowed', async () => {
    const limited = await startServer({ allowedOrigins: ['https://app.example'] });
    try {
      const { id } = (await raw(limited.port, 'PUT', await signedPath('cors.txt'), { body: 'x' })).json<{ id: string }>();
      const preflight = await raw(limited.port, 'OPTIONS', `/files/${id}`, {
        headers: {
          Origin: 'https://app.example',
          'Access-Control-Request-Method': 'DELETE',
          'Access-Control-Request-Headers': 'authorization',
        },
      });
      assert.equal(preflight.status, 204);
      assert.match(String(preflight.headers['access-control-allow-methods']), /PATCH, DELETE/);
      const foreign = await raw(limited.port, 'DELETE', `/files/${id}`, { headers: { ...bearer.headers, Origin: 'https://evil.example' } });
      assert.equal(foreign.status, 403);
      assert.equal((await raw(limited.port, 'GET', `/files/${id}`, bearer)).status, 200);
    } finally {
      await limited.close();
    }
  });
});

describe('the processing option (issue 20)', () => {
  it('new File objects answer "processing" until processing.ms after the upload, then "ready"', async () => {
    let clock = Date.now();
    const server = await startServer({ processing: { ms: 5000 }, now: () => clock });
    try {
      const expiry = Math.floor(clock / 1000) + 3600;
      const created = await raw(server.port, 'PUT', await signedPath('slow.mp4', { expiry }), { body: 'x' });
      assert.equal(created.status, 201);
      assert.equal(created.json()['status'], 'processing');
      const id = created.json()['id'];
      assert.equal((await raw(server.port, 'GET', `/files/${id}`, bearer)).json()['status'], 'processing');
      // The bytes are there all along.
      assert.equal((await raw(server.port, 'GET', '/slow.mp4')).status, 200);
      clock += 4999;
      assert.equal((await raw(server.port, 'GET', `/files/${id}`, bearer)).json()['status'], 'processing');
      clock += 2;
      assert.equal((await raw(server.port, 'GET', `/files/${id}`, bearer)).json()['status'], 'ready');
      // Chunked uploads too, and a re-upload starts processing again.
      const chunked = await signedPath('slow.mp4', { expiry });
      assert.equal((await raw(server.port, 'PUT', chunked, { body: 'ab', headers: { 'Content-Range': 'bytes 0-1/4' } })).status, 202);
      const done = await raw(server.port, 'PUT', chunked, { body: 'cd', headers: { 'Content-Range': 'bytes 2-3/4' } });
      assert.equal(done.json()['status'], 'processing');
      clock += 5001;
      assert.equal((await raw(server.port, 'GET', `/files/${id}`, bearer)).json()['status'], 'ready');
    } finally {
      await server.close();
    }
  });

  it('is off by default ("ready" at once) and refuses a bad value', async () => {
    const server = await startServer();
    try {
      assert.equal((await raw(server.port, 'PUT', await signedPath('fast.txt'), { body: 'x' })).json()['status'], 'ready');
    } finally {
      await server.close();
    }
    for (const processing of [{ ms: -1 }, { ms: 'soon' }, 5, null]) {
      await assert.rejects(startServer({ processing: processing as never }), /processing/);
    }
  });
});
