import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { UploadError } from '../../src/core/errors.js';
import type { UploadTarget } from '../../src/core/types.js';
import { uploadSource } from '../../src/core/upload.js';
import { createClock, createTransport, fixedRandom, flush, loadChunkedPath, makeSource, type FakeRequest } from './helpers.js';

const target = (path: string, n: number): UploadTarget => ({
  url: `https://you.ittybit.net/${path}?expiry=${1_800_000_000 + n}&method=put&signature=s${n}`,
  resumable: true,
});
const EXPIRED = '{"kind":"signature_expired","message":"Signature has expired"}';
const FILE = JSON.stringify({ id: 'file_1', url: 'https://you.ittybit.net/a.bin', kind: 'other', type: '', filesize: 10 });
const ranges = (requests: FakeRequest[]) =>
  requests.map((r) => `${r.request.headers['Content-Range']} ${new URL(r.request.url).searchParams.get('signature')}`);

// 10 bytes in chunks of 3: 0-2, 3-5, 6-8 (in parallel), then 9-9 alone.
async function upload(resignPath: string) {
  const fake = createTransport();
  let signs = 0;
  const result = uploadSource(target('a.bin', 0), makeSource('a.bin', 10), {
    transport: fake.transport,
    clock: createClock(),
    random: fixedRandom(0),
    signal: new AbortController().signal,
    chunkSize: 3,
    parallelChunks: 1,
    resign: async () => target(resignPath, (signs += 1)),
  }).catch((error: UploadError) => error);
  const step = async (status: number, body = '') => {
    await flush();
    fake.pending()[0]!.respond(status, body);
    await flush();
  };
  return { fake, result, step, signs: () => signs };
}

describe('chunked upload whose URL expires midway', () => {
  before(loadChunkedPath);

  it('signs again and sends only the chunks not yet acknowledged, without spending a retry', async () => {
    const { fake, result, step, signs } = await upload('a.bin');
    await step(202); // 0-2
    await step(403, EXPIRED); // 3-5 finds the URL expired
    await step(202); // 3-5 again, fresh URL
    await step(202); // 6-8
    await step(201, FILE); // 9-9
    assert.equal(((await result) as { id: string }).id, 'file_1');
    assert.equal(signs(), 1);
    assert.deepEqual(ranges(fake.requests), [
      'bytes 0-2/10 s0',
      'bytes 3-5/10 s0',
      'bytes 3-5/10 s1',
      'bytes 6-8/10 s1',
      'bytes 9-9/10 s1',
    ]);
  });

  it('gives the expiry back to the queue (which starts over) when the fresh URL names another file', async () => {
    const { result, step, signs } = await upload('elsewhere/a.bin');
    await step(202);
    await step(403, EXPIRED);
    const error = (await result) as UploadError;
    assert.equal(error.code, 'expired');
    assert.equal(signs(), 1);
  });

  it('does not loop when every fresh URL is called expired before any chunk gets through', async () => {
    const { result, step, signs } = await upload('a.bin');
    await step(202);
    await step(403, EXPIRED);
    await step(403, EXPIRED);
    assert.equal(((await result) as UploadError).code, 'expired');
    assert.equal(signs(), 1);
  });

  it('sends every chunk once more when the storage answers the last chunk with 202 (it lost the session)', async () => {
    const { fake, result, step } = await upload('a.bin');
    for (let i = 0; i < 4; i++) await step(202);
    for (let i = 0; i < 3; i++) await step(202);
    await step(201, FILE);
    assert.equal(((await result) as { id: string }).id, 'file_1');
    const sent = ['bytes 0-2/10 s0', 'bytes 3-5/10 s0', 'bytes 6-8/10 s0', 'bytes 9-9/10 s0'];
    assert.deepEqual(ranges(fake.requests), [...sent, ...sent]);
  });

  it('stops sending once any chunk is answered 201: the storage had the rest already', async () => {
    const { fake, result, step } = await upload('a.bin');
    for (let i = 0; i < 4; i++) await step(202);
    await step(202); // 0-2 again
    await step(201, FILE); // 3-5 completes the file
    assert.equal(((await result) as { id: string }).id, 'file_1');
    assert.equal(fake.requests.length, 6);
  });

  it('fails when the storage answers the last chunk with 202 twice: it is still missing bytes', async () => {
    const { fake, result, step } = await upload('a.bin');
    for (let i = 0; i < 8; i++) await step(202);
    const error = (await result) as UploadError;
    assert.equal(error.code, 'upload_failed');
    assert.equal(error.status, 202);
    assert.equal(fake.requests.length, 8);
  });
});
