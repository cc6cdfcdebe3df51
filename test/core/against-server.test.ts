// The core's sending and error reading against the real upload server: what its answers mean to the engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { errorFromResponse, parseSignResponse } from '../../src/core/response.js';
import type { Clock, Transport, TransportRequest, TransportResponse } from '../../src/core/types.js';
import { uploadSource } from '../../src/core/upload.js';
import { raw, startServer, storedFiles, type RawResponse, type TestServer } from '../server/helpers.js';
import { makeSource, type TestSource } from './helpers.js';

/** Real time, but every backoff fires at once. */
const immediateClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn) => setTimeout(fn, 0),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Sends through Node's fetch to the real upload server; `tamper` may replace or throw instead of a response. */
function fetchTransport(tamper?: (request: TransportRequest, response: TransportResponse) => TransportResponse | void): Transport {
  return {
    async send(request, io) {
      const body = (request.body as TestSource).bytes;
      let res: Response;
      try {
        res = await fetch(request.url, { method: request.method, headers: request.headers, body: Buffer.from(body), signal: io.signal });
      } catch (error) {
        throw new UploadError(io.signal.aborted ? 'aborted' : 'network', 'Network error', { cause: error });
      }
      const text = await res.text();
      io.progress(body.length, body.length);
      const answer: TransportResponse = { status: res.status, text, header: (name) => res.headers.get(name) };
      return tamper?.(request, answer) ?? answer;
    },
  };
}

const asResponse = (r: RawResponse): TransportResponse => ({
  status: r.status,
  text: r.text,
  header: (name) => (r.headers[name.toLowerCase()] as string) ?? null,
});

describe('core against the real upload server', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function sign(filename: string) {
    const res = await raw(server.port, 'POST', '/upload-url', {
      body: JSON.stringify({ filename }),
      headers: { 'Content-Type': 'application/json' },
    });
    return parseSignResponse(res.status, res.text, { baseUrl: server.url });
  }

  it('does not call a malformed or missing signature "expired" (the server\'s messages mention "expiry")', async () => {
    const target = await sign('ms.bin');
    const url = new URL(target.url);
    // A signer that wrote the expiry in milliseconds (a classic mistake): 403 signature_invalid, "malformed".
    url.searchParams.set('expiry', String(Number(url.searchParams.get('expiry')) * 1000));
    const malformed = await raw(server.port, 'PUT', url.pathname + url.search, { body: 'x' });
    assert.equal(malformed.json()['kind'], 'signature_invalid');
    // No signature at all: 401 token_missing.
    const unsigned = await raw(server.port, 'PUT', url.pathname, { body: 'x' });
    assert.equal(unsigned.json()['kind'], 'token_missing');
    // A URL missing its signature parameter: 403 signature_invalid, "missing".
    url.searchParams.delete('signature');
    const missing = await raw(server.port, 'PUT', url.pathname + url.search, { body: 'x' });
    assert.equal(missing.json()['kind'], 'signature_invalid');

    for (const [name, res] of [
      ['malformed', malformed],
      ['unsigned', unsigned],
      ['missing', missing],
    ] as const) {
      const error = errorFromResponse(asResponse(res));
      assert.notEqual(error.code, 'expired', `${name}: ${res.status} ${res.text} became "${error.message}"`);
    }
  });

  it('does not fail a chunked upload whose final-chunk 201 was lost and retried (the file is stored)', async () => {
    const source = makeSource('lost.bin', 40);
    const target = await sign('lost.bin');
    let dropped = false;
    const transport = fetchTransport((request, answer) => {
      // The server stored the file and answered 201, but the connection died before the client read it.
      if (!dropped && request.headers['Content-Range']?.endsWith('-39/40') && answer.status === 201) {
        dropped = true;
        throw new UploadError('network', 'connection reset while reading the response');
      }
    });
    let result: unknown;
    try {
      result = await uploadSource(target, source, {
        transport,
        clock: immediateClock,
        random: () => 0,
        signal: new AbortController().signal,
        chunkSize: 10,
        stallTimeout: 0,
      });
    } catch (error) {
      result = error;
    }
    assert.ok(dropped);
    assert.ok((await storedFiles(server.dir)).includes('lost.bin'), 'the server did store the file');
    assert.ok(!(result instanceof Error), `the upload failed: ${String(result)}`);
    assert.equal((result as { filesize: number }).filesize, 40);
  });
});
