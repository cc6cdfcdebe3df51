// SPEC §5.1 Clocks: a device clock hours off neither loops re-signing nor refuses to upload. The signer reads the
// signing answer's `Date` header (when readable) and moves the target's expiry onto the device clock; without it, the
// staleness check signs once more and then sends anyway, and the storage's answer decides.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUploadQueue } from '../../src/core/queue.js';
import { createSigner } from '../../src/core/sign.js';
import type { Source } from '../../src/core/types.js';
import { createClock, createTransport, fixedRandom, flush, makeSource } from './helpers.js';

const SERVER_NOW = 1_800_000_000_000;
const HOUR = 3600 * 1000;
const EXPIRED = '{"kind":"signature_expired","message":"The signature has expired"}';

/** A signing endpoint on the server's clock: ittybit-style URLs valid for an hour, its `Date` header readable or not. */
function endpoint({ exposeDate }: { exposeDate: boolean }) {
  let signs = 0;
  const fetch = (async () => {
    signs += 1;
    const expiry = Math.floor(SERVER_NOW / 1000) + 3600;
    const body = JSON.stringify({ url: `https://you.ittybit.net/a.bin?expiry=${expiry}&method=put&signature=s${signs}`, expiry });
    return new Response(body, {
      status: 200,
      headers: { 'Content-Type': 'application/json', ...(exposeDate ? { Date: new Date(SERVER_NOW).toUTCString() } : {}) },
    });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, signs: () => signs };
}

function setup(skew: number, exposeDate: boolean, answer: (url: string) => number = () => 201) {
  const clock = createClock(SERVER_NOW + skew);
  const server = endpoint({ exposeDate });
  const fake = createTransport((request) =>
    request.respond(
      answer(request.request.url),
      answer(request.request.url) === 201 ? '{"url":"https://you.ittybit.net/a.bin","kind":"other","type":"","filesize":5}' : EXPIRED,
    ),
  );
  const outcomes: string[] = [];
  const queue = createUploadQueue<Source>({
    sign: createSigner({ endpoint: () => 'https://app.test/sign', fetch: server.fetch, now: clock.now }),
    transport: fake.transport,
    clock,
    random: fixedRandom(0),
    retries: 0,
    onSuccess: () => outcomes.push('done'),
    onError: (_, error) => outcomes.push(error.code),
  });
  return { queue, fake, server, outcomes };
}

async function settle(outcomes: string[]) {
  for (let i = 0; i < 500 && !outcomes.length; i++) await flush();
}

describe('a device clock hours off (SPEC §5.1)', () => {
  for (const [label, skew] of [
    ['three hours ahead', 3 * HOUR],
    ['three hours behind', -3 * HOUR],
  ] as const) {
    it(`${label}, Date header readable: signs once and uploads`, async () => {
      const { queue, fake, server, outcomes } = setup(skew, true);
      queue.add([makeSource('a.bin', 5)]);
      await settle(outcomes);
      assert.deepEqual(outcomes, ['done']);
      assert.equal(server.signs(), 1);
      assert.equal(fake.requests.length, 1);
    });

    it(`${label}, no readable Date header: at most one more signing, then the upload goes`, async () => {
      const { queue, fake, server, outcomes } = setup(skew, false);
      queue.add([makeSource('a.bin', 5)]);
      await settle(outcomes);
      assert.deepEqual(outcomes, ['done']);
      // Ahead: the expiry looks past by our clock, so it signs once more (not a loop) and then trusts the storage.
      assert.equal(server.signs(), skew > 0 ? 2 : 1);
      assert.equal(fake.requests.length, 1);
    });
  }

  it('the expiry is moved onto the device clock by the Date header', async () => {
    const clock = createClock(SERVER_NOW + 3 * HOUR);
    const server = endpoint({ exposeDate: true });
    const sign = createSigner({ endpoint: () => 'https://app.test/sign', fetch: server.fetch, now: clock.now });
    const target = await sign(makeSource('a.bin', 5), { signal: new AbortController().signal });
    assert.equal(target.expiry, Math.floor(SERVER_NOW / 1000) + 3600 + 3 * 3600);
  });

  it('trusts the storage: an "expired" answer signs again once, and a second one is final (no loop)', async () => {
    const { queue, fake, server, outcomes } = setup(-3 * HOUR, true, () => 403);
    queue.add([makeSource('a.bin', 5)]);
    await settle(outcomes);
    assert.deepEqual(outcomes, ['expired']);
    assert.equal(server.signs(), 2);
    assert.equal(fake.requests.length, 2);
  });
});
