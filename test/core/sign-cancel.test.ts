// Issue 18: a file canceled while the endpoint creates its S3 multipart upload. The signing request is not cut once
// sent (the endpoint may be creating the upload, which only its answer names): the caller hears `aborted` at once,
// and an answer that names an upload has it aborted at the endpoint (SPEC §5.4: no upload left in progress).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { createSigner } from '../../src/core/sign.js';
import { flush, makeSource } from './helpers.js';

type Call = { url: string; body: Record<string, unknown>; signal: AbortSignal; answer(response: Response): void };

/** A fetch whose answers the test gives, one call at a time. */
function heldFetch() {
  const calls: Call[] = [];
  const fetch = ((url: string | URL | Request, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal!;
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      calls.push({ url: String(url), body: JSON.parse(String(init.body)), signal, answer: resolve });
    })) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
const source = makeSource('film.mov', 50 * 1024 * 1024, 'video/quicktime');

describe('a signing request canceled under way', () => {
  it('rejects with aborted at once, lets the request finish, and aborts the multipart upload its answer names', async () => {
    const { fetch, calls } = heldFetch();
    const sign = createSigner({ endpoint: () => 'https://app.test/api/upload', fetch });
    const controller = new AbortController();
    const signing = sign(source, { signal: controller.signal });
    await flush();
    assert.equal(calls.length, 1);
    controller.abort();
    await assert.rejects(signing, (error: unknown) => error instanceof UploadError && error.code === 'aborted');
    assert.equal(calls[0]!.signal.aborted, false, 'the request goes on');
    calls[0]!.answer(json({ multipart: { uploadId: 'sealed-1', key: 'a/film.mov', partSize: 5 * 1024 * 1024 } }));
    for (let i = 0; i < 20 && calls.length < 2; i++) await flush();
    assert.equal(calls.length, 2);
    assert.equal(calls[1]!.url, 'https://app.test/api/upload');
    assert.deepEqual(calls[1]!.body, { action: 'abort', uploadId: 'sealed-1', key: 'a/film.mov' });
    calls[1]!.answer(json({ aborted: true }));
  });

  it('sends nothing more when the answer is a plain URL (nothing was created), and nothing at all when canceled before', async () => {
    const { fetch, calls } = heldFetch();
    const sign = createSigner({ endpoint: () => 'https://app.test/api/upload', fetch });
    const controller = new AbortController();
    const signing = sign(source, { signal: controller.signal });
    await flush();
    controller.abort();
    await assert.rejects(signing);
    calls[0]!.answer(json({ url: 'https://s3.test/a/film.mov?X-Amz-Signature=x' }));
    for (let i = 0; i < 20; i++) await flush();
    assert.equal(calls.length, 1);
    await assert.rejects(sign(source, { signal: controller.signal }), (error: unknown) => (error as UploadError).code === 'aborted');
    assert.equal(calls.length, 1);
  });
});
