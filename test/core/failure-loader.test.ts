// The failure chunk (failure.ts) loads on demand: what happens when it cannot load (offline, from a CDN).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { failedAnswer, lazyRetryPolicy, loadFailure } from '../../src/core/failure-loader.js';
import type { FailurePath } from '../../src/core/failure.js';
import type { RetryOptions } from '../../src/core/retry.js';
import { lazy } from '../../src/core/shared.js';
import { createClock, fixedRandom, response } from './helpers.js';

/** A loader whose import fails as a browser's does offline, until `back()`; it counts the imports tried. */
function offlineLoader() {
  let offline = true;
  const counter = { imports: 0, back: () => void (offline = false) };
  const load = lazy<FailurePath>(() => {
    counter.imports += 1;
    return offline ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : loadFailure();
  }, 'failure');
  return { counter, load };
}

const options = (overrides: Partial<RetryOptions> = {}): RetryOptions => ({
  clock: createClock(),
  random: fixedRandom(),
  signal: new AbortController().signal,
  ...overrides,
});

describe('the failure chunk, when it cannot load', () => {
  it('a failed answer is a retryable network error that keeps its HTTP status; read in full once the chunk loads', async () => {
    const { counter, load } = offlineLoader();
    const answer = response(403, '<Error><Message>Request has expired</Message></Error>');
    const offline = await failedAnswer(answer, 0, load);
    assert.ok(offline instanceof UploadError);
    assert.equal(offline.code, 'network');
    assert.equal(offline.status, 403);
    assert.equal(offline.retryable, true);
    assert.equal(offline.message, 'Upload failed (HTTP 403)');
    counter.back();
    const online = await failedAnswer(answer, 0, load);
    assert.equal(online.code, 'expired');
    assert.equal(online.serverMessage, 'Request has expired');
    assert.equal(counter.imports, 2, 'the import is tried again');
  });

  it('the retry policy waits for the network for a transient failure, then uses the loaded policy', async () => {
    const { counter, load } = offlineLoader();
    const retry = lazyRetryPolicy(load);
    let back!: () => void;
    const waited = new Promise<void>((resolve) => (back = resolve));
    const failure = new UploadError('upload_failed', 'Upload failed (HTTP 503)', { status: 503 });
    let asked = 0;
    const whenOnline = () => (asked++ === 0 ? waited : undefined);
    const wait = retry(failure, options({ whenOnline }));
    back();
    await wait;
    assert.equal(asked, 1);
    // Online, with the chunk in: the real policy (no retries left: the failure is final).
    counter.back();
    await assert.rejects(retry(failure, options({ whenOnline, retries: 0 })), (error) => error === failure);
    assert.equal(counter.imports, 2);
  });

  it('without the chunk, online, aborted or not transient: the failure is final', async () => {
    const { load } = offlineLoader();
    const transient = new UploadError('network', 'Network error');
    await assert.rejects(lazyRetryPolicy(load)(transient, options({ whenOnline: () => undefined })), (error) => error === transient);
    const refused = new UploadError('upload_failed', 'Upload failed (HTTP 400)', { status: 400 });
    let asked = false;
    const whenOnline = () => {
      asked = true;
      return Promise.resolve();
    };
    await assert.rejects(lazyRetryPolicy(load)(refused, options({ whenOnline })), (error) => error === refused);
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(lazyRetryPolicy(load)(transient, options({ whenOnline, signal: aborted.signal })), (error) => error === transient);
    assert.equal(asked, false, 'never waits for the network for a final failure');
  });
});
