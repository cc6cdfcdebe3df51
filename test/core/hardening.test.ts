import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { createUploadQueue } from '../../src/core/queue.js';
import { parseSignResponse } from '../../src/core/response.js';
import { createClock, createTransport, fixedRandom, flush, makeSource, type TestSource } from './helpers.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UploadError);
    return error.code;
  }
  return 'no error';
};

describe('targets that could never be sent', () => {
  const target = (extra: object) => JSON.stringify({ url: 'https://bucket.test/a.png?sig=1', ...extra });

  it('refuses header injection, invalid header names, non-Latin-1 values and unusable methods', () => {
    for (const extra of [
      { headers: { 'Content-Type': 'image/png\r\nX-Evil: 1' } },
      { headers: { 'Bad Name': 'x' } },
      { headers: { 'X-Name': 'naïve ☃' } },
      { headers: { 'X-Nul': 'a\0b' } },
      { method: 'TRACE' },
      { method: 'P UT' },
      // A file is sent with PUT only: a signer must not choose what the request does.
      { method: 'DELETE' },
      { method: 'PATCH' },
      { method: 'POST' },
      { method: 'GET' },
    ]) {
      assert.equal(
        code(() => parseSignResponse(200, target(extra))),
        'invalid_target',
        JSON.stringify(extra),
      );
    }
  });

  it('keeps ordinary headers and methods', () => {
    assert.deepEqual(parseSignResponse(200, target({ method: 'put', headers: { 'Content-Type': 'image/png', 'x-amz-acl': 'private' } })), {
      url: 'https://bucket.test/a.png?sig=1',
      method: 'PUT',
      headers: { 'Content-Type': 'image/png', 'x-amz-acl': 'private' },
      resumable: false,
    });
  });
});

describe('queue settings and image measuring', () => {
  const setup = (options: {
    retries?: number;
    measureImage?: (s: TestSource) => Promise<{ width: number; height: number } | undefined>;
  }) => {
    const clock = createClock();
    const fake = createTransport();
    const errors: string[] = [];
    const files: unknown[] = [];
    const queue = createUploadQueue<TestSource>({
      sign: async (source) => ({ url: `https://s.test/${source.name}?sig=1` }),
      transport: fake.transport,
      clock,
      random: fixedRandom(0),
      stallTimeout: 1e9,
      ...options,
      onError: (_, error) => errors.push(error.code),
      onSuccess: (_, file) => files.push(file),
    });
    return { clock, fake, queue, errors, files };
  };

  it('treats a retries value that is not a number as the default 3, not as "for ever"', async () => {
    const { clock, fake, queue, errors } = setup({ retries: Number('lots') });
    queue.add([makeSource('a.bin', 10)]);
    for (let attempt = 0; attempt < 10 && errors.length === 0; attempt++) {
      await flush();
      fake.pending()[0]?.respond(503);
      await clock.advance(60_000);
    }
    assert.deepEqual(errors, ['upload_failed']);
    assert.equal(fake.requests.length, 4);
  });

  it('measures an image the storage did not describe, and leaves a described one alone', async () => {
    const measured: string[] = [];
    const { fake, queue, files } = setup({
      measureImage: async (source) => {
        measured.push(source.name);
        return { width: 640, height: 480 };
      },
    });
    queue.add([makeSource('s3.png', 10, 'image/png'), makeSource('itty.png', 10, 'image/png')]);
    for (let i = 0; i < 20 && fake.pending().length < 2; i++) await flush();
    const [s3, itty] = fake.pending();
    s3!.respond(200, '');
    itty!.respond(
      201,
      JSON.stringify({ url: 'https://s.test/itty.png', kind: 'image', type: 'image/png', filesize: 10, width: 2, height: 1 }),
    );
    for (let i = 0; i < 20 && files.length < 2; i++) await flush();
    assert.deepEqual(measured, ['s3.png']);
    assert.deepEqual(files.map((file) => [(file as { url: string }).url, (file as { width: number }).width]).sort(), [
      ['https://s.test/itty.png', 2],
      ['https://s.test/s3.png', 640],
    ]);
  });
});
