// The queue's `move(id, toIndex)`: the list order is the items array order, and what follows it (the order queued
// files start in, onComplete's `succeeded`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUploadQueue, type QueueOptions } from '../../src/core/queue.js';
import type { IttyFile, UploadItem } from '../../src/core/types.js';
import { createClock, createTransport, fixedRandom, flush, makeSource, type TestSource } from './helpers.js';

function setup(extra: Partial<QueueOptions<TestSource>> = {}) {
  const fake = createTransport();
  const changes: (readonly UploadItem<TestSource>[])[] = [];
  const completed: { succeeded: IttyFile[]; failed: UploadItem<TestSource>[] }[] = [];
  let id = 0;
  const queue = createUploadQueue<TestSource>({
    sign: async (source) => ({ url: `https://s.test/${source.name}?sig=1`, resumable: false }),
    transport: fake.transport,
    clock: createClock(),
    random: fixedRandom(0),
    createId: () => `f${(id += 1)}`,
    onChange: (items) => changes.push(items),
    onComplete: (result) => completed.push(result),
    ...extra,
  });
  return { queue, fake, changes, completed };
}

const files = (count: number) => Array.from({ length: count }, (_, i) => makeSource(`${i + 1}.txt`, 10 + i, 'text/plain'));
const ids = (items: readonly UploadItem[]) => items.map((item) => item.id).join(' ');

describe('queue.move', () => {
  it('moves an item to an index, the others keeping their order, and publishes a new array', () => {
    const { queue, changes } = setup({ autoStart: false });
    queue.add(files(4));
    const before = queue.items;
    changes.length = 0;
    queue.move('f4', 1);
    assert.equal(ids(queue.items), 'f1 f4 f2 f3');
    assert.notEqual(queue.items, before);
    assert.equal(changes.length, 1);
    assert.equal(queue.items[1], before[3], 'the moved item is the same object: nothing about it changed');
    queue.move('f1', 3);
    assert.equal(ids(queue.items), 'f4 f2 f3 f1');
    queue.move('f2', 0);
    assert.equal(ids(queue.items), 'f2 f4 f3 f1');
  });

  it('clamps the index to the list, rounds a fraction down and ignores unknown ids', () => {
    const { queue, changes } = setup({ autoStart: false });
    queue.add(files(3));
    changes.length = 0;
    queue.move('f1', 99);
    assert.equal(ids(queue.items), 'f2 f3 f1');
    queue.move('f1', -5);
    assert.equal(ids(queue.items), 'f1 f2 f3');
    queue.move('f3', 1.7);
    assert.equal(ids(queue.items), 'f1 f3 f2');
    queue.move('f2', Number.NaN);
    assert.equal(ids(queue.items), 'f2 f1 f3');
    queue.move('f2', Number.POSITIVE_INFINITY);
    assert.equal(ids(queue.items), 'f1 f3 f2');
    assert.equal(changes.length, 5);
    queue.move('nope', 0);
    assert.equal(changes.length, 5, 'no change published for an unknown id');
    assert.equal(ids(queue.items), 'f1 f3 f2');
  });

  it('starts queued files in list order: a file moved up starts sooner', async () => {
    const { queue, fake } = setup({ autoStart: false, concurrency: 1 });
    queue.add(files(3));
    queue.move('f3', 0);
    queue.upload();
    await flush();
    assert.deepEqual(
      fake.requests.map((request) => request.request.url),
      ['https://s.test/3.txt?sig=1'],
    );
    assert.equal(queue.items[0]!.status, 'uploading');
  });

  it("gives onComplete's succeeded in list order after a move, also of files already done", async () => {
    const { queue, fake, completed } = setup();
    queue.add(files(3));
    await flush();
    // Finished in the order 2, 1, 3; moved meanwhile: 3 first, 1 last.
    fake.requests[1]!.respond(201, '');
    await flush();
    queue.move('f3', 0);
    fake.requests[0]!.respond(201, '');
    await flush();
    queue.move('f1', 2);
    fake.requests[2]!.respond(201, '');
    await flush();
    assert.equal(ids(queue.items), 'f3 f2 f1');
    assert.equal(completed.length, 1);
    assert.deepEqual(
      completed[0]!.succeeded.map((file) => file.url),
      ['https://s.test/3.txt', 'https://s.test/2.txt', 'https://s.test/1.txt'],
    );
  });
});
