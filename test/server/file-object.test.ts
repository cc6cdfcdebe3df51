import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KEY, raw, signedPath, startServer, type TestServer } from './helpers.js';

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
    const res = await raw(server.port, 'GET', `/files/${uploaded['id']}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), uploaded);

    const restarted = await startServer({ dir: server.dir });
    try {
      const again = (await raw(restarted.port, 'GET', `/files/${uploaded['id']}`)).json();
      assert.deepEqual(again, { ...uploaded, url: `${restarted.url}/kept/a.png` });
      const missing = await raw(restarted.port, 'GET', '/files/file_000000000000');
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
      assert.equal((await raw(server.port, 'GET', `/files/${uploaded['id']}`)).status, 404);
    } finally {
      await server.close();
    }
  });
});
