// Issue 22: a client that trusts no answer. Keys that reach prototypes are dropped, answers have a size cap
// (a hostile endpoint or storage can neither hang the upload nor make it parse 300 MB), and a success status
// whose body cannot be used is `invalid_response`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { createUploadQueue } from '../../src/core/queue.js';
import { MAX_ANSWER_SIZE, parseSignResponse, parseUploadResponse } from '../../src/core/response.js';
import { requestUploadTarget } from '../../src/core/sign.js';
import { createClock, createTransport, fixedRandom, flush, makeSource, response } from './helpers.js';

const target = { url: 'https://bucket.test/a.png?sig=1' };
const source = makeSource('a.png', 42, 'image/png');

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UploadError);
    return error;
  }
  assert.fail('expected an UploadError');
};

describe('keys that reach prototypes', () => {
  const hostile =
    '{"id":"file_1","url":"https://h.test/a.png","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},' +
    '"prototype":1,"metadata":{"k":"v","__proto__":{"admin":true},"constructor":"c"}}';

  it('never become own keys of a File object, bare or in a { data } envelope, at any depth', () => {
    for (const text of [hostile, `{"data":${hostile}}`]) {
      const file = parseUploadResponse(response(201, text), { target, source });
      assert.equal(Object.getPrototypeOf(file), Object.prototype);
      for (const key of ['__proto__', 'constructor', 'prototype']) assert.equal(Object.hasOwn(file, key), false, key);
      assert.deepEqual(file.metadata, { k: 'v' });
      assert.equal(Object.getPrototypeOf(file.metadata), Object.prototype);
      // What `value` and the form's JSON would carry.
      assert.doesNotMatch(JSON.stringify(file), /__proto__|constructor|prototype|polluted|admin/);
      assert.equal(file.id, 'file_1');
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('never become headers of a signed target', () => {
    const answer =
      '{"url":"https://bucket.test/a.png?sig=1","headers":{"X-A":"1","constructor":"c","prototype":"p","__proto__":{"x":"y"}}}';
    assert.deepEqual(parseSignResponse(200, answer).headers, { 'X-A': '1' });
  });
});

describe('answer size cap', () => {
  const padded = (json: string, length: number) => json + ' '.repeat(length - json.length);
  const file = '{"id":"file_1","url":"https://h.test/a.png"}';

  it('is 1 MiB', () => {
    assert.equal(MAX_ANSWER_SIZE, 1024 * 1024);
  });

  it('refuses an upload answer longer than the cap with invalid_response, not retryable, keeping the status', () => {
    assert.equal(parseUploadResponse(response(201, padded(file, MAX_ANSWER_SIZE)), { target, source }).id, 'file_1');
    const error = failure(() => parseUploadResponse(response(201, padded(file, MAX_ANSWER_SIZE + 1)), { target, source }));
    assert.deepEqual([error.code, error.status, error.retryable], ['invalid_response', 201, false]);
  });

  it('fails the item once, without retries, when the storage answers a success that long', async () => {
    const fake = createTransport((request) => queueMicrotask(() => request.respond(201, padded(file, 3 * MAX_ANSWER_SIZE))));
    const errors: string[] = [];
    const queue = createUploadQueue({
      sign: async () => target,
      transport: fake.transport,
      clock: createClock(),
      random: fixedRandom(0),
      onError: (_, error) => errors.push(error.code),
    });
    queue.add([source]);
    for (let i = 0; i < 20 && !errors.length; i++) await flush();
    assert.deepEqual(errors, ['invalid_response']);
    assert.equal(fake.requests.length, 1);
  });

  it('stops reading a signing answer that never ends, cancels it and fails with sign_failed', async () => {
    let cancelled = false;
    let pulled = 0;
    const chunk = new TextEncoder().encode(`{"url":"https://bucket.test/a.png","pad":"${'x'.repeat(64 * 1024)}`);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        // "Never" ends at 16 MiB, so a client that reads it all fails this test instead of hanging it.
        if (pulled > 16 * MAX_ANSWER_SIZE) return controller.close();
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const fetch = (async () => new Response(endless, { status: 200 })) as typeof globalThis.fetch;
    const error = await requestUploadTarget('https://app.test/sign', source, { fetch, signal: new AbortController().signal }).then(
      () => assert.fail('expected a rejection'),
      (error: UploadError) => error,
    );
    assert.deepEqual([error.code, error.status], ['sign_failed', 200]);
    assert.match(error.message, /larger than 1 MiB/);
    assert.equal(cancelled, true);
    assert.ok(pulled < 2 * MAX_ANSWER_SIZE, `read ${pulled} bytes`);
  });

  it('streams a compressed signing answer even when its declared length is small (a decompression bomb)', async () => {
    let pulled = 0;
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    const bomb = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled > 16 * MAX_ANSWER_SIZE) return controller.close();
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const headers = { 'Content-Length': '2048', 'Content-Encoding': 'gzip' };
    const fetch = (async () => new Response(bomb, { status: 200, headers })) as typeof globalThis.fetch;
    const error = await requestUploadTarget('https://app.test/sign', source, { fetch, signal: new AbortController().signal }).then(
      () => assert.fail('expected a rejection'),
      (error: UploadError) => error,
    );
    assert.match(error.message, /larger than 1 MiB/);
    assert.ok(pulled < 2 * MAX_ANSWER_SIZE, `read ${pulled} bytes`);
  });

  it('reads a signing answer of a declared length within the cap whole', async () => {
    const body = '{"url":"https://bucket.test/a.png?sig=1"}';
    const fetch = (async () => new Response(body, { headers: { 'Content-Length': String(body.length) } })) as typeof globalThis.fetch;
    const signed = await requestUploadTarget('https://app.test/sign', source, { fetch, signal: new AbortController().signal });
    assert.equal(signed.url, 'https://bucket.test/a.png?sig=1');
  });

  it('reads a signing answer up to the cap whole, across chunks', async () => {
    const answer = padded('{"url":"https://bucket.test/ü.png?sig=1"}', MAX_ANSWER_SIZE);
    const bytes = new TextEncoder().encode(answer);
    const fetch = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            // Split inside the two-byte ü, so the decoder must carry it over.
            const cut = answer.indexOf('ü') + 1;
            controller.enqueue(bytes.subarray(0, cut));
            controller.enqueue(bytes.subarray(cut));
            controller.close();
          },
        }),
      )) as typeof globalThis.fetch;
    const signed = await requestUploadTarget('https://app.test/sign', source, { fetch, signal: new AbortController().signal });
    assert.equal(signed.url, 'https://bucket.test/%C3%BC.png?sig=1');
  });
});

describe('invalid_response: a success whose body cannot be used', () => {
  it('is what a JSON success body with an error and no File object gives, with the server message', () => {
    for (const [text, message] of [
      ['{"error":{"message":"quota exceeded"}}', 'quota exceeded'],
      ['{"meta":{},"data":null,"error":"disk full"}', 'disk full'],
    ] as const) {
      const error = failure(() => parseUploadResponse(response(200, text), { target, source }));
      assert.deepEqual([error.code, error.status, error.serverMessage, error.retryable], ['invalid_response', 200, message, false], text);
    }
  });

  it('is not what a File object beside error: null, an empty, XML or other JSON body gives (those build or keep a File object)', () => {
    const envelope = '{"meta":{},"data":{"id":"file_2","url":"https://h.test/b.png"},"error":null}';
    assert.equal(parseUploadResponse(response(201, envelope), { target, source }).id, 'file_2');
    for (const text of ['', '<PostResponse/>', '{"received":42}', '{"error":null}', '{"error":false}', '[]', 'null']) {
      assert.equal(parseUploadResponse(response(200, text), { target, source }).url, 'https://bucket.test/a.png', text);
    }
  });
});
