import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { targetFromBody } from '../../src/core/response.js';
import { createSigner, requestUploadTarget } from '../../src/core/sign.js';
import { makeSource } from './helpers.js';

type Call = { url: string; init: RequestInit };

const fakeFetch = (answer: (call: Call) => Response | Promise<Response>) => {
  const calls: Call[] = [];
  const fetch = (async (url: string | URL | Request, init: RequestInit = {}) => {
    const call = { url: String(url), init };
    calls.push(call);
    return answer(call);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
};

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const source = makeSource('cat.png', 12, 'image/png');
const signal = new AbortController().signal;

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UploadError);
    return error;
  }
  assert.fail('expected a rejection');
};

describe('requestUploadTarget', () => {
  it('POSTs the file description as JSON with the extra headers and same-origin credentials', async () => {
    const { fetch, calls } = fakeFetch(() => json({ url: 'https://s.test/cat.png' }));
    const target = await requestUploadTarget('https://app.test/api/sign', source, {
      fetch,
      signal,
      headers: { 'X-CSRF-Token': 't' },
      folder: 'avatars',
      relativePath: 'pets/cat.png',
    });
    assert.equal(target.url, 'https://s.test/cat.png');
    const { url, init } = calls[0]!;
    assert.equal(url, 'https://app.test/api/sign');
    assert.equal(init.method, 'POST');
    assert.equal(init.credentials, 'same-origin');
    assert.equal(init.signal, signal);
    assert.deepEqual(init.headers, { 'Content-Type': 'application/json', 'X-CSRF-Token': 't' });
    assert.deepEqual(JSON.parse(init.body as string), {
      filename: 'cat.png',
      folder: 'avatars',
      relativePath: 'pets/cat.png',
      type: 'image/png',
      size: 12,
    });
  });

  it('omits an empty folder, sends include with withCredentials, and resolves a relative endpoint', async () => {
    const { fetch, calls } = fakeFetch(() => json({ url: '/uploads/cat.png' }));
    const target = await requestUploadTarget('/api/sign', makeSource('x', 3), {
      fetch,
      signal,
      folder: '',
      withCredentials: true,
      baseUrl: 'https://app.test/page/',
    });
    assert.equal(calls[0]!.url, 'https://app.test/api/sign');
    assert.equal(calls[0]!.init.credentials, 'include');
    assert.deepEqual(JSON.parse(calls[0]!.init.body as string), { filename: 'x', type: 'application/octet-stream', size: 3 });
    assert.equal(target.url, 'https://app.test/uploads/cat.png');
  });

  it('turns a network failure into a retryable network error', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await rejection(requestUploadTarget('https://app.test/sign', source, { fetch, signal }));
    assert.deepEqual([error.code, error.retryable], ['network', true]);
  });

  it('turns an abort into aborted', async () => {
    const controller = new AbortController();
    const { fetch } = fakeFetch(() => {
      controller.abort();
      return Promise.reject(new DOMException('aborted', 'AbortError'));
    });
    const error = await rejection(requestUploadTarget('https://app.test/sign', source, { fetch, signal: controller.signal }));
    assert.equal(error.code, 'aborted');
    assert.equal(
      (await rejection(requestUploadTarget('https://app.test/sign', source, { fetch, signal: controller.signal }))).code,
      'aborted',
    );
  });

  it('keeps the status of an error answer so 5xx, 429 and 408 are retryable, with Retry-After', async () => {
    for (const [status, retryable] of [
      [500, true],
      [503, true],
      [429, true],
      [408, true],
      [400, false],
      [403, false],
    ] as const) {
      const { fetch } = fakeFetch(() => json({ message: 'nope' }, status, { 'Retry-After': '3' }));
      const error = await rejection(requestUploadTarget('https://app.test/sign', source, { fetch, signal }));
      assert.deepEqual(
        [error.code, error.status, error.retryable, error.serverMessage, error.retryAfter],
        ['sign_failed', status, retryable, 'nope', 3],
      );
    }
  });

  it('refuses a javascript: URL in the answer', async () => {
    const { fetch } = fakeFetch(() => json({ url: 'javascript:alert(1)' }));
    assert.equal((await rejection(requestUploadTarget('https://app.test/sign', source, { fetch, signal }))).code, 'invalid_target');
  });
});

describe('targetFromBody (what getUploadUrl returns)', () => {
  it('accepts a string or an object, with the same validation', () => {
    assert.deepEqual(targetFromBody('https://s.test/a'), { url: 'https://s.test/a', resumable: false });
    assert.equal(targetFromBody({ url: '/a' }, { baseUrl: 'https://app.test' }).url, 'https://app.test/a');
    assert.throws(() => targetFromBody('data:text/plain,x'), { code: 'invalid_target' });
    assert.throws(() => targetFromBody({ nope: 1 }), { code: 'sign_failed' });
    assert.throws(() => targetFromBody(undefined), { code: 'sign_failed' });
  });
});

describe('createSigner', () => {
  it('reads the current settings on every call', async () => {
    const settings = { endpoint: 'https://app.test/one', folder: 'a', headers: { A: '1' } };
    const { fetch, calls } = fakeFetch(() => json({ url: 'https://s.test/x' }));
    const sign = createSigner({ endpoint: () => settings.endpoint, folder: () => settings.folder, headers: () => settings.headers, fetch });
    await sign(source, { signal });
    settings.endpoint = 'https://app.test/two';
    settings.folder = 'b';
    settings.headers = { A: '2' };
    await sign(source, { signal, relativePath: 'dir/cat.png' });
    assert.deepEqual(
      calls.map((c) => c.url),
      ['https://app.test/one', 'https://app.test/two'],
    );
    const second = calls[1]!.init;
    assert.equal((second.headers as Record<string, string>).A, '2');
    assert.deepEqual(JSON.parse(second.body as string), {
      filename: 'cat.png',
      folder: 'b',
      relativePath: 'dir/cat.png',
      type: 'image/png',
      size: 12,
    });
  });

  it('uses getUploadUrl instead of the endpoint when set, passing folder, relativePath and signal', async () => {
    const seen: unknown[] = [];
    const sign = createSigner({
      endpoint: () => 'https://app.test/never',
      folder: () => 'f',
      baseUrl: () => 'https://app.test/',
      getUploadUrl: () => async (file, ctx) => {
        seen.push(file, ctx);
        return '/direct/' + file.name;
      },
      fetch: () => assert.fail('fetch must not be called'),
    });
    const target = await sign(source, { signal, relativePath: 'p/cat.png' });
    assert.equal(target.url, 'https://app.test/direct/cat.png');
    assert.deepEqual(seen, [source, { folder: 'f', relativePath: 'p/cat.png', signal }]);
  });

  it('turns an error thrown by getUploadUrl into sign_failed with its message', async () => {
    const sign = createSigner({
      getUploadUrl: () => async () => {
        throw new Error('Not logged in');
      },
    });
    const error = await rejection(sign(source, { signal }));
    assert.deepEqual(
      [error.code, error.message, error.serverMessage, error.retryable],
      ['sign_failed', 'Not logged in', 'Not logged in', false],
    );
    const kept = createSigner({
      getUploadUrl: () => () => {
        throw new UploadError('network', 'offline');
      },
    });
    assert.equal((await rejection(kept(source, { signal }))).code, 'network');
    const bad = createSigner({ getUploadUrl: () => () => ({ url: 'javascript:void 0' }) });
    assert.equal((await rejection(bad(source, { signal }))).code, 'invalid_target');
  });

  it('fails with sign_failed when neither endpoint nor getUploadUrl is set', async () => {
    const error = await rejection(createSigner({ endpoint: () => '' })(source, { signal }));
    assert.equal(error.code, 'sign_failed');
  });
});
