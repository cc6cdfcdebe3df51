// pause / resume of a chunked upload against the real upload server: what it keeps, what is sent again, and what a
// session the server forgot (it expired while paused) does to the file.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { createUploadQueue, type UploadQueue } from '../../src/core/queue.js';
import { parseSignResponse } from '../../src/core/response.js';
import type { Clock, Transport, UploadItem } from '../../src/core/types.js';
import { bytes, raw, sha256, startServer, type TestServer } from '../server/helpers.js';
import { loadChunkedPath, makeSource, type TestSource } from './helpers.js';

/** Real time, but every backoff fires at once. */
const immediateClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn) => setTimeout(fn, 0),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

describe('pause and resume against the real upload server', () => {
  let server: TestServer;
  // The server's clock: moved forward to let a paused upload's session expire there.
  let serverAhead = 0;
  before(async () => {
    await loadChunkedPath();
    server = await startServer({ now: () => Date.now() + serverAhead, expiresIn: 7 * 24 * 3600 });
  });
  after(() => server.close());

  /** A queue sending through Node's fetch in 10-byte chunks, one at a time; `onChunk` sees each Content-Range first. */
  function setup(onChunk: (range: string, queue: UploadQueue<TestSource>) => void) {
    const sent: string[] = [];
    const loaded: number[] = [];
    const events: string[] = [];
    let signs = 0;
    let queue!: UploadQueue<TestSource>;
    const transport: Transport = {
      async send(request, io) {
        const range = request.headers['Content-Range'] ?? 'whole';
        onChunk(range, queue);
        if (io.signal.aborted) throw new UploadError('aborted', 'Upload canceled');
        const body = (request.body as TestSource).bytes;
        sent.push(range);
        let res: Response;
        try {
          res = await fetch(request.url, { method: request.method, headers: request.headers, body: Buffer.from(body), signal: io.signal });
        } catch (error) {
          throw new UploadError(io.signal.aborted ? 'aborted' : 'network', 'Network error', { cause: error });
        }
        const text = await res.text();
        io.progress(body.length, body.length);
        return { status: res.status, text, header: (name) => res.headers.get(name) };
      },
    };
    let settled!: (item: UploadItem<TestSource>) => void;
    const done = new Promise<UploadItem<TestSource>>((resolve) => (settled = resolve));
    queue = createUploadQueue<TestSource>({
      sign: async (source) => {
        signs += 1;
        const res = await raw(server.port, 'POST', '/upload-url', {
          body: JSON.stringify({ filename: source.name }),
          headers: { 'Content-Type': 'application/json' },
        });
        return parseSignResponse(res.status, res.text, { baseUrl: server.url });
      },
      transport,
      clock: immediateClock,
      random: () => 0,
      chunkSize: 10,
      parallelChunks: 1,
      stallTimeout: 0,
      onProgress: (_, value) => loaded.push(value),
      onPause: (item) => events.push(`pause ${item.loaded}`),
      onResume: (item) => events.push(`resume ${item.loaded}`),
      onSuccess: (item) => settled(item),
      onError: (item) => settled(item),
    });
    return { queue: () => queue, sent, loaded, events, done, signs: () => signs };
  }

  it('sends only the chunks the server had not acknowledged, through the same URL, and stores the file whole', async () => {
    const content = bytes(40, 3);
    let paused = false;
    const { queue, sent, events, done, signs } = setup((range, q) => {
      // Chunk 0 was acknowledged (202); pause as chunk 1 is about to go, then go on.
      if (range.startsWith('bytes 10-') && !paused) {
        paused = true;
        q.pause();
        queueMicrotask(() => q.resume());
      }
    });
    queue().add([makeSource('paused.bin', content)]);
    const item = await done;
    assert.equal(item.status, 'done', item.status === 'error' ? item.error.message : '');
    assert.deepEqual(sent, ['bytes 0-9/40', 'bytes 10-19/40', 'bytes 20-29/40', 'bytes 30-39/40']);
    assert.deepEqual(events, ['pause 10', 'resume 10']);
    assert.equal(signs(), 1);
    assert.equal(item.history, undefined);
    assert.equal(sha256(await readFile(join(server.dir, 'paused.bin'))), sha256(content));
  });

  it('starts again, with session_lost in the history, when the server forgot the session while paused', async () => {
    const content = bytes(40, 4);
    let paused = false;
    let resume!: () => void;
    const pausedNow = new Promise<void>((resolve) => (resume = resolve));
    const { queue, sent, loaded, done } = setup((range, q) => {
      if (range.startsWith('bytes 20-') && !paused) {
        paused = true;
        q.pause();
        resume();
      }
    });
    queue().add([makeSource('forgotten.bin', content)]);
    await pausedNow;
    assert.equal(queue().items[0]!.loaded, 20);
    // A session that received little expires after 5 minutes without a chunk: the server forgets chunks 0-19.
    serverAhead = 10 * 60 * 1000;
    const mark = loaded.length;
    queue().resume();
    const item = await done;
    serverAhead = 0;
    assert.equal(item.status, 'done', item.status === 'error' ? item.error.message : '');
    assert.deepEqual(
      item.history?.map((error) => [error.code, error.status]),
      [['session_lost', 202]],
    );
    // Before the pause 0-19; after it 20-39, into a new session (the last chunk answered 202); then from 0 again, and
    // the new session, which had 20-39, completes the file at 10-19 (201): the client stops there.
    assert.deepEqual(sent, ['bytes 0-9/40', 'bytes 10-19/40', 'bytes 20-29/40', 'bytes 30-39/40', 'bytes 0-9/40', 'bytes 10-19/40']);
    const after = loaded.slice(mark);
    assert.equal(after.filter((value, i) => i > 0 && value < after[i - 1]!).length, 1, 'progress goes back once: the restart');
    assert.equal(sha256(await readFile(join(server.dir, 'forgotten.bin'))), sha256(content));
  });
});
