// The core's side of `persist` (SPEC §3.6): `onAck` reports each acknowledged chunk, `add({ resume })` goes on from a
// state kept by an earlier visit, and a restored state asks the storage what it holds first (the status probe).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { heldChunks } from '../../src/core/chunked.js';
import { createUploadQueue } from '../../src/core/queue.js';
import type { UploadTarget } from '../../src/core/types.js';
import type { ResumeState } from '../../src/core/upload.js';
import {
  createClock,
  createTransport,
  fixedRandom,
  flush,
  loadChunkedPath,
  makeSource,
  type FakeRequest,
  type TestSource,
} from './helpers.js';

const FILE = (name: string, size: number) =>
  JSON.stringify({ id: `file_${name}`, url: `https://you.ittybit.net/${name}`, kind: 'other', type: '', filesize: size });
const range = (r: FakeRequest) => r.request.headers['Content-Range']?.replace(/^bytes /, '') ?? 'whole';
const target = (signature: string, expiry = 1_900_000_000): UploadTarget => ({
  url: `https://you.ittybit.net/big.bin?expiry=${expiry}&signature=${signature}`,
  resumable: true,
  expiry,
});

function setup(onRequest?: (request: FakeRequest) => void) {
  const fake = createTransport(onRequest);
  const clock = createClock();
  const acks: number[][] = [];
  let signs = 0;
  const history: string[] = [];
  const queue = createUploadQueue<TestSource>({
    sign: async () => target(`fresh${(signs += 1)}`),
    transport: fake.transport,
    clock,
    random: fixedRandom(0),
    createId: () => 'f1',
    chunkSize: 10,
    parallelChunks: 2,
    retries: 0,
    onAck: (state) => void acks.push([...state.acked].sort((a, b) => a - b)),
    onChange: (items) => {
      const lost = items[0]?.history?.length ?? 0;
      if (lost > history.length) history.push('session_lost');
    },
  });
  return { queue, fake, clock, acks, history, signs: () => signs };
}

/** Answers each pending chunk until none is left: 201 to the last one, else 202. */
async function answerAll(fake: ReturnType<typeof createTransport>, size: number) {
  for (let round = 0; round < 20 && fake.pending().length; round += 1) {
    for (const r of fake.pending()) r.respond(range(r).endsWith(`-${size - 1}/${size}`) ? 201 : 202, FILE('big.bin', size));
    await flush();
  }
}

describe('resume state for persist', () => {
  before(loadChunkedPath);

  it('heldChunks: the chunks that lie whole in a Range answer, never the last one', () => {
    assert.deepEqual([...heldChunks('bytes=0-19,30-39', 10, 45)], [0, 1, 3]);
    assert.deepEqual([...heldChunks('bytes=0-14', 10, 45)], [0], 'a chunk held in part is sent again');
    assert.deepEqual([...heldChunks('bytes=5-44', 10, 45)], [1, 2, 3], 'the last chunk always goes');
    assert.deepEqual([...heldChunks(null, 10, 45)], []);
    assert.deepEqual([...heldChunks('junk', 10, 45)], []);
  });

  it('onAck reports the target first, then each acknowledged chunk', async () => {
    const { queue, fake, acks } = setup();
    queue.add([makeSource('big.bin', 45)]);
    await flush();
    assert.deepEqual(acks, [[]], 'the target is reported before any chunk');
    await answerAll(fake, 45);
    assert.equal(queue.items[0]!.status, 'done');
    assert.deepEqual(acks.at(-1), [0, 1, 2, 3]);
    assert.equal(acks.length, 5);
  });

  it('add({ resume }) probes the recorded URL and sends only the chunks the storage does not hold', async () => {
    const { queue, fake, signs } = setup((r) => {
      if (r.request.headers['Content-Range'] === 'bytes */45') r.respond(308, '', { Range: 'bytes=0-9,20-29' });
    });
    // The record said 0 and 1; the storage holds 0 and 2 (1 was lost, 2 was acknowledged just before the reload).
    const resume: ResumeState = {
      target: target('old'),
      url: 'https://you.ittybit.net/big.bin',
      chunkSize: 10,
      acked: new Set([0, 1]),
      probe: true,
    };
    queue.add([{ source: makeSource('big.bin', 45), resume }]);
    assert.equal(queue.items[0]!.loaded, 20, 'what the record says, until the storage answers');
    await flush();
    assert.equal(signs(), 0, 'the recorded URL is still valid: not signed again');
    await answerAll(fake, 45);
    assert.equal(queue.items[0]!.status, 'done');
    assert.deepEqual(fake.requests.map(range), ['*/45', '10-19/45', '30-39/45', '40-44/45']);
    assert.ok(fake.requests.every((r) => r.request.url.includes('signature=old')));
    assert.equal(resume.probe, false, 'one probe');
  });

  it('a probe the storage does not understand trusts the record; 201 to it ends the upload', async () => {
    const trusting = setup((r) => {
      if (r.request.headers['Content-Range'] === 'bytes */45') r.respond(400, '{"message":"bad range"}');
    });
    trusting.queue.add([
      {
        source: makeSource('big.bin', 45),
        resume: { target: target('old'), url: 'https://you.ittybit.net/big.bin', chunkSize: 10, acked: new Set([0, 1]), probe: true },
      },
    ]);
    await flush();
    await answerAll(trusting.fake, 45);
    assert.deepEqual(trusting.fake.requests.map(range), ['*/45', '20-29/45', '30-39/45', '40-44/45']);

    const complete = setup((r) => {
      if (r.request.headers['Content-Range'] === 'bytes */45') r.respond(201, FILE('big.bin', 45));
    });
    complete.queue.add([
      {
        source: makeSource('big.bin', 45),
        resume: { target: target('old'), url: 'https://you.ittybit.net/big.bin', chunkSize: 10, acked: new Set([0]), probe: true },
      },
    ]);
    await flush();
    await flush();
    assert.equal(complete.queue.items[0]!.status, 'done');
    assert.deepEqual(complete.fake.requests.map(range), ['*/45']);
  });

  it('a probe lost to a transient failure is asked again after a backoff, not at once', async () => {
    let probes = 0;
    const { queue, fake, clock } = setup((r) => {
      if (r.request.headers['Content-Range'] !== 'bytes */45') return;
      probes += 1;
      if (probes === 1) r.respond(503);
      else if (probes === 2) r.fail('network');
      else r.respond(308, '', { Range: 'bytes=0-29' });
    });
    queue.add([
      {
        source: makeSource('big.bin', 45),
        resume: { target: target('old'), url: 'https://you.ittybit.net/big.bin', chunkSize: 10, acked: new Set([0]), probe: true },
      },
    ]);
    await flush();
    assert.equal(probes, 1, 'a storage that is restarting is not asked again in the same breath');
    await clock.advance(5_000);
    await answerAll(fake, 45);
    assert.equal(probes, 3);
    assert.deepEqual(fake.requests.map(range), ['*/45', '*/45', '*/45', '30-39/45', '40-44/45']);
    assert.equal(queue.items[0]!.status, 'done');
  });

  it('a probe that never gets an answer leaves the record to speak once its retries are spent', async () => {
    let probes = 0;
    const { queue, fake, clock } = setup((r) => {
      if (r.request.headers['Content-Range'] !== 'bytes */45') return;
      probes += 1;
      r.respond(503);
    });
    queue.add([
      {
        source: makeSource('big.bin', 45),
        resume: { target: target('old'), url: 'https://you.ittybit.net/big.bin', chunkSize: 10, acked: new Set([0, 1]), probe: true },
      },
    ]);
    await flush();
    await clock.advance(5_000);
    await answerAll(fake, 45);
    assert.equal(probes, 3, 'asked three times at least, even with retries="0"');
    assert.deepEqual(fake.requests.slice(3).map(range), ['20-29/45', '30-39/45', '40-44/45']);
    assert.equal(queue.items[0]!.status, 'done');
  });

  it('a storage that holds nothing of a recorded upload: session_lost, every chunk again', async () => {
    const { queue, fake, history } = setup((r) => {
      if (r.request.headers['Content-Range'] === 'bytes */45') r.respond(308);
    });
    queue.add([
      {
        source: makeSource('big.bin', 45),
        resume: { target: target('old'), url: 'https://you.ittybit.net/big.bin', chunkSize: 10, acked: new Set([0, 1, 2]), probe: true },
      },
    ]);
    await flush();
    await answerAll(fake, 45);
    assert.equal(queue.items[0]!.status, 'done');
    assert.deepEqual(history, ['session_lost']);
    assert.deepEqual(fake.requests.slice(1).map(range).sort(), ['0-9/45', '10-19/45', '20-29/45', '30-39/45', '40-44/45']);
  });

  it('an expired recorded URL is signed again; the chunks count through a URL of the same path', async () => {
    const { queue, fake, signs } = setup((r) => {
      if (r.request.headers['Content-Range'] === 'bytes */45') r.respond(308, '', { Range: 'bytes=0-19' });
    });
    queue.add([
      {
        source: makeSource('big.bin', 45),
        resume: { target: target('old', 1), url: 'https://you.ittybit.net/big.bin', chunkSize: 10, acked: new Set([0, 1]), probe: true },
      },
    ]);
    await flush();
    await answerAll(fake, 45);
    assert.equal(signs(), 1);
    assert.ok(fake.requests.every((r) => r.request.url.includes('signature=fresh1')));
    assert.deepEqual(fake.requests.map(range), ['*/45', '20-29/45', '30-39/45', '40-44/45']);
  });
});
