// The lifecycle after the bytes land: the queue's `finish` hook (finalizing, complete_failed, retry of the call alone),
// stored items (`adopt`, `setFile`), `meta` in the signing context, the completion call and the status polling
// (core/lifecycle.ts) on a fake clock and a fake fetch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UploadError } from '../../src/core/errors.js';
import { failureTools } from '../../src/core/failure-loader.js';
import { failurePath } from '../../src/core/failure.js';
import { lifecycleCalls } from '../../src/core/lifecycle.js';
import { metaFits } from '../../src/core/meta.js';
import { createUploadQueue, type QueueOptions } from '../../src/core/queue.js';
import type { IttyFile, UploadItem } from '../../src/core/types.js';
import { createClock, createTransport, fixedRandom, flush, makeSource, type TestSource } from './helpers.js';

const calls = lifecycleCalls(failurePath(failureTools), failureTools.safeUrl);

function setup(extra: Partial<QueueOptions<TestSource>> = {}) {
  const clock = createClock();
  const fake = createTransport();
  const events: string[] = [];
  const signed: { meta?: Record<string, string> }[] = [];
  let id = 0;
  const queue = createUploadQueue<TestSource>({
    sign: async (source, ctx) => {
      signed.push(ctx);
      return { url: `https://s.test/${source.name}?sig=1`, resumable: false };
    },
    transport: fake.transport,
    clock,
    random: fixedRandom(0),
    createId: () => `f${(id += 1)}`,
    onStart: (item) => events.push(`start ${item.id}`),
    onSuccess: (item, file) => events.push(`success ${item.id} ${file.url}`),
    onError: (item, error) => events.push(`error ${item.id} ${error.code}`),
    onCancel: (item) => events.push(`cancel ${item.id}`),
    ...extra,
  });
  return { queue, clock, fake, events, signed };
}

type Deferred<T> = { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void };
const deferred = <T>(): Deferred<T> => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
};

const stored: IttyFile = { id: 'file_1', url: 'https://s.test/a.png', type: 'image/png', kind: 'image', filesize: 3, status: 'processing' };

describe('the queue after the storage accepted a file', () => {
  it('is finalizing while finish runs, then done with the File object finish gave', async () => {
    const finishing = deferred<IttyFile>();
    const seen: UploadItem<TestSource>[] = [];
    const { queue, fake, events } = setup({ finish: () => finishing.promise, onChange: (items) => seen.push(items[0]!) });
    queue.add([makeSource('a.txt', 'abc', 'text/plain')]);
    await flush();
    fake.requests[0]!.respond(201, JSON.stringify({ url: 'https://s.test/a.txt', id: 'file_a' }));
    await flush();
    const item = queue.items[0]!;
    assert.equal(item.status, 'finalizing');
    assert.equal(item.status === 'finalizing' && item.file.id, 'file_a');
    assert.equal(queue.idle, false);
    assert.deepEqual(events, ['start f1']);
    finishing.resolve({ ...stored, id: 'file_app' });
    await flush();
    assert.equal(queue.items[0]!.status === 'done' && queue.items[0]!.file.id, 'file_app');
    assert.deepEqual(events, ['start f1', 'success f1 https://s.test/a.png']);
    assert.ok(seen.some((one) => one.status === 'finalizing'));
  });

  it('is done at once when finish returns nothing (no completion endpoint)', async () => {
    const { queue, fake } = setup({ finish: () => undefined });
    queue.add([makeSource('a.txt', 'abc')]);
    await flush();
    fake.requests[0]!.respond(201, JSON.stringify({ url: 'https://s.test/a.txt' }));
    await flush();
    assert.equal(queue.items[0]!.status, 'done');
  });

  it('fails with complete_failed when finish rejects, and retry runs finish again without sending the bytes', async () => {
    let tries = 0;
    const { queue, fake, events } = setup({
      finish: async (_item, file) => {
        tries += 1;
        if (tries === 1) throw new Error('app down');
        return { ...file, id: 'file_saved' };
      },
    });
    queue.add([makeSource('a.txt', 'abc')]);
    await flush();
    fake.requests[0]!.respond(201, JSON.stringify({ url: 'https://s.test/a.txt' }));
    await flush();
    const failed = queue.items[0]!;
    assert.equal(failed.status === 'error' && failed.error.code, 'complete_failed');
    queue.retry('f1');
    await flush();
    assert.equal(fake.requests.length, 1, 'the bytes are not sent again');
    assert.equal(queue.items[0]!.status === 'done' && queue.items[0]!.file.id, 'file_saved');
    assert.equal(tries, 2);
    assert.deepEqual(events.slice(-1), ['success f1 https://s.test/a.txt']);
  });

  it('cancels a finalizing item: finish sees its signal abort and the item is canceled', async () => {
    let signal: AbortSignal | undefined;
    const { queue, fake, events } = setup({
      finish: (_item, _file, given) => {
        signal = given;
        return new Promise(() => {});
      },
    });
    queue.add([makeSource('a.txt', 'abc')]);
    await flush();
    fake.requests[0]!.respond(201, JSON.stringify({ url: 'https://s.test/a.txt' }));
    await flush();
    queue.cancel('f1');
    assert.equal(signal!.aborted, true);
    assert.equal(queue.items[0]!.status, 'canceled');
    assert.deepEqual(events, ['start f1', 'cancel f1']);
  });

  it('passes each item its meta when signing', async () => {
    const { queue, signed } = setup();
    queue.add([{ source: makeSource('a.txt', 'abc'), meta: { owner: 'u1' } }]);
    assert.deepEqual(queue.items[0]!.meta, { owner: 'u1' });
    await flush();
    assert.deepEqual(signed[0]!.meta, { owner: 'u1' });
  });

  it('adopts stored files as done items without a source, and setFile replaces a done one', async () => {
    const { queue, fake, events } = setup();
    queue.add([makeSource('a.txt', 'abc')]);
    await flush();
    queue.adopt([stored, { ...stored, id: 'file_2', url: '/b.pdf', kind: 'other', type: 'application/pdf' }]);
    assert.equal(fake.requests[0]!.io.signal.aborted, true, 'what was in flight is canceled');
    assert.deepEqual(events, ['start f1', 'cancel f1']);
    assert.deepEqual(
      queue.items.map((item) => [item.status, item.source, item.loaded, item.total]),
      [
        ['done', undefined, 3, 3],
        ['done', undefined, 3, 3],
      ],
    );
    const id = queue.items[0]!.id;
    assert.equal(queue.setFile(id, { ...stored, status: 'ready' }), true);
    assert.equal(queue.items[0]!.status === 'done' && queue.items[0]!.file.status, 'ready');
    assert.equal(queue.setFile('nope', stored), false);
  });
});

describe('metaFits', () => {
  it('takes what ittybit keeps and nothing more', () => {
    assert.equal(metaFits({ owner_1: 'x', b: 'y'.repeat(2048) }), true);
    assert.equal(metaFits(Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, 'v']))), true);
    assert.equal(metaFits(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']))), false);
    assert.equal(metaFits({ 'a-b': 'x' }), false);
    assert.equal(metaFits({ ['k'.repeat(33)]: 'x' }), false);
    assert.equal(metaFits({ a: 'y'.repeat(2049) }), false);
    assert.equal(metaFits({ a: 1 }), false);
    assert.equal(metaFits(['a']), false);
    assert.equal(metaFits(null), false);
  });
});

// A fetch that answers from a list, recording each request.
function fakeFetch(answers: (() => Response | Promise<Response>)[]) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    const answer = answers.shift();
    if (!answer) throw new TypeError('no answer left');
    return answer();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
}

const json =
  (body: unknown, status = 200) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('completeFile', () => {
  const file: IttyFile = { url: 'https://s.test/a.png', type: 'image/png', kind: 'image', filesize: 3, id: 'file_a' };

  it('POSTs the file, meta and relativePath with the headers, and takes the File object of the answer', async () => {
    for (const body of [{ ...file, id: 'file_app' }, { data: { ...file, id: 'file_app' } }, { file: { ...file, id: 'file_app' } }]) {
      const { fetch, requests } = fakeFetch([json(body)]);
      const result = await calls.completeFile('/complete', file, {
        fetch,
        clock: createClock(),
        signal: new AbortController().signal,
        headers: { 'X-CSRF': 't' },
        meta: { owner: 'u1' },
        relativePath: 'd/a.png',
      });
      assert.equal(result.id, 'file_app');
      assert.equal(requests[0]!.init.method, 'POST');
      assert.deepEqual(JSON.parse(requests[0]!.init.body as string), { file, meta: { owner: 'u1' }, relativePath: 'd/a.png' });
      assert.equal((requests[0]!.init.headers as Record<string, string>)['X-CSRF'], 't');
      assert.equal(requests[0]!.init.credentials, 'same-origin');
    }
  });

  it('keeps the stored File object for an empty answer, text that is not JSON, JSON without a File object or an unsafe url', async () => {
    for (const answer of [
      () => new Response(null, { status: 204 }),
      () => new Response('<html>ok</html>', { status: 200 }),
      json({ ok: true }),
      json({ url: 'javascript:alert(1)', kind: 'image', type: 'image/png', filesize: 3 }),
    ]) {
      const { fetch } = fakeFetch([answer]);
      assert.equal(
        await calls.completeFile('/complete', file, { fetch, clock: createClock(), signal: new AbortController().signal }),
        file,
      );
    }
  });

  it('retries transient failures with backoff, then fails with complete_failed', async () => {
    const clock = createClock();
    const { fetch, requests } = fakeFetch([
      () => {
        throw new TypeError('Failed to fetch');
      },
      json({ message: 'busy' }, 503),
      json({ message: 'still busy' }, 503),
    ]);
    const done = calls.completeFile('/complete', file, { fetch, clock, random: () => 0, retries: 2, signal: new AbortController().signal });
    const outcome = done.then(
      () => undefined,
      (error: UploadError) => error,
    );
    await clock.runAll();
    const error = await outcome;
    assert.equal(requests.length, 3);
    assert.equal(error?.code, 'complete_failed');
    assert.equal(error?.status, 503);
    assert.equal(error?.serverMessage, 'still busy');
    assert.deepEqual(clock.delays, [500, 1000]);
  });

  it('fails at once with complete_failed on a 4xx, and a network failure that stays is complete_failed too', async () => {
    const { fetch } = fakeFetch([json({ message: 'no such upload' }, 422)]);
    await assert.rejects(calls.completeFile('/complete', file, { fetch, clock: createClock(), signal: new AbortController().signal }), {
      code: 'complete_failed',
      status: 422,
    });
    const clock = createClock();
    const down = () => {
      throw new TypeError('Failed to fetch');
    };
    const { fetch: offline } = fakeFetch([down, down]);
    const outcome = calls
      .completeFile('/complete', file, { fetch: offline, clock, random: () => 0, retries: 1, signal: new AbortController().signal })
      .catch((error: UploadError) => error);
    await clock.runAll();
    assert.equal((await outcome).code, 'complete_failed');
  });
});

describe('pollStatus', () => {
  it('waits 1 s, then twice as long each time up to 30 s, and returns the File object once ready', async () => {
    const clock = createClock();
    const processing = json({ ...stored, status: 'processing' });
    const { fetch, requests } = fakeFetch([
      processing,
      json({ data: { ...stored, status: 'waiting' } }),
      processing,
      processing,
      processing,
      processing,
      processing,
      json({ ...stored, status: 'ready' }),
    ]);
    const result = calls.pollStatus(
      '/status/{id}?x=1',
      { ...stored, id: 'file 1/2' },
      { fetch, clock, signal: new AbortController().signal },
    );
    await clock.runAll();
    assert.equal((await result)?.status, 'ready');
    assert.deepEqual(clock.delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    assert.equal(requests[0]!.url, '/status/file%201%2F2?x=1');
    assert.equal(requests[0]!.init.method, 'GET');
  });

  it('stops at failed, and waits out failed requests and answers without a File object', async () => {
    const clock = createClock();
    const { fetch, requests } = fakeFetch([
      () => {
        throw new TypeError('Failed to fetch');
      },
      json({ message: 'oops' }, 500),
      () => new Response('not json'),
      json({ ...stored, status: 'failed' }),
    ]);
    const result = calls.pollStatus('/s/{id}', stored, { fetch, clock, signal: new AbortController().signal });
    await clock.runAll();
    assert.equal((await result)?.status, 'failed');
    assert.equal(requests.length, 4);
  });

  it('gives up after the cap (10 minutes by default) and resolves undefined', async () => {
    const clock = createClock();
    const answers = Array.from({ length: 100 }, () => json({ ...stored, status: 'processing' }));
    const { fetch, requests } = fakeFetch(answers);
    const started = clock.now();
    const result = calls.pollStatus('/s/{id}', stored, { fetch, clock, signal: new AbortController().signal });
    await clock.runAll();
    assert.equal(await result, undefined);
    assert.equal(clock.now() - started, 600000);
    // 1+2+4+8+16 s, then every 30 s up to 600 s: 5 + 18 requests, the last one clipped to end at the cap.
    assert.equal(requests.length, 24);
  });

  it('stops when its signal aborts, and does not poll a file without an id', async () => {
    const clock = createClock();
    const { fetch, requests } = fakeFetch([json({ ...stored, status: 'processing' })]);
    const run = new AbortController();
    const result = calls.pollStatus('/s/{id}', stored, { fetch, clock, signal: run.signal }).catch((error: UploadError) => error.code);
    await clock.advance(1000);
    run.abort();
    assert.equal(await result, 'aborted');
    assert.equal(requests.length, 1);
    assert.equal(await calls.pollStatus('/s/{id}', { ...stored, id: undefined }, { fetch, clock, signal: run.signal }), undefined);
  });
});
