// The one retry policy (core/retry.ts), driven directly and through its two callers: the queue (a whole file,
// one PUT) and the chunk loop (one chunk of a resumable upload). Both must decide alike for the same failures.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { createUploadQueue } from '../../src/core/queue.js';
import { retryPolicy, type RetryOptions } from '../../src/core/retry.js';
import type { UploadTarget } from '../../src/core/types.js';
import { uploadSource } from '../../src/core/upload.js';
import {
  createClock,
  createTransport,
  fixedRandom,
  flush,
  loadChunkedPath,
  makeSource,
  type FakeClock,
  type FakeRequest,
} from './helpers.js';

const transient = (status = 503, retryAfter?: number) =>
  new UploadError('upload_failed', 'Upload failed', { status, ...(retryAfter !== undefined && { retryAfter }) });
const expired = () => new UploadError('expired', 'The upload URL expired', { status: 403 });

/** Settles `promise` as 'again' or with the rejection's code, running timers when `clock` is given. */
async function decide(promise: Promise<void>, clock?: FakeClock): Promise<string> {
  const outcome = promise.then(
    () => 'again',
    (error: UploadError) => error.code,
  );
  if (clock) await clock.runAll();
  return outcome;
}

describe('retryPolicy', () => {
  const options = (extra: Partial<Omit<RetryOptions, 'clock'>> = {}): RetryOptions & { clock: FakeClock } => ({
    clock: createClock(),
    random: fixedRandom(0),
    signal: new AbortController().signal,
    ...extra,
  });

  it('waits the backoff before each transient retry, `retries` times, then gives the failure back', async () => {
    const retry = retryPolicy();
    const io = options({ retries: 3 });
    for (const delay of [500, 1000, 2000]) {
      assert.equal(await decide(retry(transient(), io), io.clock), 'again');
      assert.equal(io.clock.delays.at(-1), delay);
    }
    const failure = transient();
    await assert.rejects(retry(failure, io), (error) => error === failure);
    assert.equal(io.clock.delays.length, 3, 'no wait before a final failure');
  });

  it("honours the server's Retry-After instead of the backoff, and treats 408, 429, 5xx, network and timeout as transient", async () => {
    const io = options({ retries: 9 });
    const retry = retryPolicy();
    assert.equal(await decide(retry(transient(429, 7), io), io.clock), 'again');
    assert.equal(io.clock.delays.at(-1), 7000);
    for (const failure of [transient(408), transient(500), new UploadError('network', 'x'), new UploadError('timeout', 'x')]) {
      assert.equal(await decide(retry(failure, io), io.clock), 'again', failure.code);
    }
  });

  it('gives up at once on a failure that is not transient, without asking for the network', async () => {
    let asked = 0;
    const io = options({ whenOnline: () => (asked++, undefined) });
    for (const failure of [
      transient(400),
      new UploadError('rejected', 'x', { status: 413 }),
      new UploadError('invalid_target', 'x'),
      new UploadError('invalid_response', 'x', { status: 503 }),
      new UploadError('aborted', 'x'),
    ]) {
      assert.equal(await decide(retryPolicy()(failure, io)), failure.code);
    }
    assert.equal(asked, 0);
    assert.deepEqual(io.clock.delays, []);
  });

  it('renews an expired URL and tries again at once, without using a retry; expired is final when renew gives nothing', async () => {
    const io = options({ retries: 0, renew: async () => ({ url: 'https://fresh.test/' }) });
    const retry = retryPolicy();
    assert.equal(await decide(retry(expired(), io)), 'again');
    assert.equal(await decide(retry(expired(), io)), 'again');
    assert.deepEqual(io.clock.delays, []);
    assert.equal(await decide(retry(expired(), { ...io, renew: () => false })), 'expired');
    assert.equal(await decide(retry(expired(), { ...io, renew: undefined })), 'expired');
    const failed = new UploadError('sign_failed', 'The signer is down');
    await assert.rejects(retry(expired(), { ...io, renew: () => Promise.reject(failed) }), (error) => error === failed);
  });

  it('waits for the network while offline instead of using a retry', async () => {
    let online!: () => void;
    const io = options({ retries: 1, whenOnline: () => new Promise<void>((resolve) => (online = resolve)) });
    const retry = retryPolicy();
    for (let i = 0; i < 3; i++) {
      let settled = false;
      const waiting = retry(transient(), io).then(() => (settled = true));
      await flush();
      assert.equal(settled, false, 'still offline');
      online();
      await waiting;
    }
    assert.deepEqual(io.clock.delays, [], 'no backoff while offline');
    // Online again: the one retry is still there.
    const back = { ...io, whenOnline: () => undefined };
    assert.equal(await decide(retry(transient(), back), io.clock), 'again');
    assert.equal(await decide(retry(transient(), back), io.clock), 'upload_failed');
  });

  it('gives up once the signal aborted, also during a backoff, and renews nothing then', async () => {
    const controller = new AbortController();
    let renewed = 0;
    const io = options({ signal: controller.signal, renew: () => ++renewed });
    const waiting = decide(retryPolicy()(transient(), io));
    await flush();
    controller.abort();
    assert.equal(await waiting, 'aborted');
    assert.equal(io.clock.pending, 0);
    assert.equal(await decide(retryPolicy()(expired(), io)), 'expired');
    assert.equal(renewed, 0);
  });

  it('keeps one count per request: a new policy starts with every retry', async () => {
    const io = options({ retries: 1 });
    const first = retryPolicy();
    assert.equal(await decide(first(transient(), io), io.clock), 'again');
    assert.equal(await decide(first(transient(), io), io.clock), 'upload_failed');
    assert.equal(await decide(retryPolicy()(transient(), io), io.clock), 'again');
  });
});

// One failure script, played against a whole file sent by the queue and against one chunk of a resumable upload.
interface Answer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  network?: boolean;
}
const EXPIRED: Answer = { status: 403, body: '{"kind":"signature_expired","message":"Signature has expired"}' };
const FILE = JSON.stringify({ id: 'file_1', url: 'https://you.ittybit.net/a.bin', kind: 'other', type: '', filesize: 8 });
const STALL = 1e9;

interface Outcome {
  result: string;
  requests: number;
  delays: number[];
}

const answer = (request: FakeRequest, next: Answer | undefined, success: number) => {
  if (!next) return request.respond(success, FILE);
  if (next.network) return request.fail('network');
  request.respond(next.status!, next.body, next.headers);
};

const run = async (clock: FakeClock, done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await clock.advance(60_000);
};

/** A whole file through the queue (one PUT per attempt): the script answers its PUTs, then 201. */
async function throughQueue(script: Answer[], retries: number): Promise<Outcome & { signs: number }> {
  const clock = createClock();
  const fake = createTransport((request) => queueMicrotask(() => answer(request, script.shift(), 201)));
  let signs = 0;
  let result = '';
  const queue = createUploadQueue({
    sign: async (): Promise<UploadTarget> => ({ url: `https://s.test/a.bin?sig=${++signs}` }),
    transport: fake.transport,
    clock,
    random: fixedRandom(0),
    retries,
    stallTimeout: STALL,
    onSuccess: (_, file) => (result = `done ${file.id}`),
    onError: (_, error) => (result = error.code),
  });
  queue.add([makeSource('a.bin', 8)]);
  await run(clock, () => !!result);
  return { result, requests: fake.requests.length, signs, delays: clock.delays.filter((ms) => ms !== STALL) };
}

/** The first of two chunks of a resumable upload: the script answers its PUTs, then 202; the last chunk gets 201. */
async function throughChunk(script: Answer[], retries: number): Promise<Outcome & { signs: number }> {
  const clock = createClock();
  let signs = 0;
  const target = (n: number): UploadTarget => ({
    url: `https://you.ittybit.net/a.bin?expiry=1900000000&method=put&signature=s${n}`,
    resumable: true,
  });
  const fake = createTransport((request) =>
    queueMicrotask(() => {
      const first = request.request.headers['Content-Range']!.startsWith('bytes 0-');
      answer(request, first ? script.shift() : undefined, first ? 202 : 201);
    }),
  );
  let result = '';
  void uploadSource(target(++signs), makeSource('a.bin', 8), {
    transport: fake.transport,
    clock,
    random: fixedRandom(0),
    signal: new AbortController().signal,
    chunkSize: 4,
    parallelChunks: 1,
    retries,
    stallTimeout: STALL,
    resign: async () => target(++signs),
  }).then(
    (file) => (result = `done ${file.id}`),
    (error: UploadError) => (result = error.code),
  );
  await run(clock, () => !!result);
  const requests = fake.requests.filter((request) => request.request.headers['Content-Range']!.startsWith('bytes 0-')).length;
  return { result, requests, signs, delays: clock.delays.filter((ms) => ms !== STALL) };
}

describe('the same policy for a whole file (queue) and a chunk (chunk loop)', () => {
  before(loadChunkedPath);

  // `renewals`: how often the chunk loop signed again (the queue signs before every PUT it sends anyway).
  const cases: { name: string; script: Answer[]; retries: number; expect: Outcome; renewals: number }[] = [
    {
      name: 'transient failures: backoff 0.5 s, 1 s, 2 s, with Retry-After winning',
      script: [{ status: 503 }, { network: true }, { status: 429, headers: { 'Retry-After': '4' } }],
      retries: 3,
      expect: { result: 'done file_1', requests: 4, delays: [500, 1000, 4000] },
      renewals: 0,
    },
    {
      name: 'one transient failure more than `retries`: the last failure is final',
      script: [{ status: 500 }, { status: 502 }, { status: 503 }],
      retries: 2,
      expect: { result: 'upload_failed', requests: 3, delays: [500, 1000] },
      renewals: 0,
    },
    {
      name: 'a permanent failure: final at once',
      script: [{ status: 400, body: '{"message":"no"}' }],
      retries: 3,
      expect: { result: 'upload_failed', requests: 1, delays: [] },
      renewals: 0,
    },
    {
      name: 'an expired URL: signed again once, at once, no retry used',
      script: [EXPIRED, { status: 503 }],
      retries: 1,
      expect: { result: 'done file_1', requests: 3, delays: [500] },
      renewals: 1,
    },
    {
      name: 'expired again right after signing again: final',
      script: [EXPIRED, EXPIRED],
      retries: 3,
      expect: { result: 'expired', requests: 2, delays: [] },
      renewals: 1,
    },
  ];

  for (const { name, script, retries, expect, renewals } of cases) {
    it(name, async () => {
      const { signs: queueSigns, ...file } = await throughQueue([...script], retries);
      const { signs: chunkSigns, ...chunk } = await throughChunk([...script], retries);
      assert.deepEqual(file, expect, 'whole file, through the queue');
      assert.deepEqual(chunk, expect, 'one chunk, through the chunk loop');
      assert.equal(queueSigns, expect.requests, 'the queue signs before each PUT');
      assert.equal(chunkSigns, 1 + renewals, 'the chunk loop signs again only for an expired URL');
    });
  }
});
