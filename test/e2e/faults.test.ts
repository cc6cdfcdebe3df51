// The engine's faults, end to end through <itty-uploader>: a signing endpoint and a storage mocked with
// MSW (same origin, so no CORS in the way) that fail the way real ones do. Retries use the real backoff
// (base 1 s), so retry counts stay low. MSW stops XHR upload progress, so these tests live in their own file.
import { expect, fixture, html } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import '../../src/index.js';
import type { UploadError } from '../../src/core/errors.js';
import type { IttyFile } from '../../src/core/types.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';

const SIGN = '/mock/sign';
const STORE = `${location.origin}/mock/store`;

/** Every request a mock handler answered, in order, with the time it arrived. */
interface Call {
  method: string;
  url: URL;
  at: number;
  headers: Headers;
  body: string;
  size: number;
}
let calls: Call[] = [];
const signCalls = () => calls.filter((call) => call.url.pathname === SIGN);
const storeCalls = () => calls.filter((call) => call.url.pathname.startsWith('/mock/store/'));

async function record(request: Request): Promise<Call> {
  const at = performance.now();
  const bytes = new Uint8Array(await request.arrayBuffer());
  const call = {
    method: request.method,
    url: new URL(request.url),
    at,
    headers: request.headers,
    body: new TextDecoder().decode(bytes),
    size: bytes.length,
  };
  calls.push(call);
  return call;
}

/** What the element sent to the signing endpoint. */
const signedName = (call: Call) => (JSON.parse(call.body) as { filename: string }).filename;

const fileObject = (name: string, size: number): IttyFile => ({
  id: 'file_abcdefgh1234',
  kind: 'other',
  type: 'text/plain',
  filesize: size,
  filename: name,
  url: `https://cdn.example/${name}`,
  status: 'ready',
});

/** A healthy endpoint: signs every file for the mock storage. */
const signer = (
  reply: (call: Call) => Response | Promise<Response> = (call) => HttpResponse.json({ url: `${STORE}/${signedName(call)}` }),
) => http.post(SIGN, async ({ request }) => reply(await record(request)));

/** A storage whose answer to the n-th PUT (0-based) the test chooses; a 201 File object by default. */
const storage = (reply: (call: Call, n: number) => Response | Promise<Response> | undefined = () => undefined) =>
  http.put(`${STORE}/*`, async ({ request }) => {
    const call = await record(request);
    const name = call.url.pathname.split('/').pop()!;
    return (await reply(call, storeCalls().length - 1)) ?? HttpResponse.json(fileObject(name, call.size), { status: 201 });
  });

// XMLHttpRequest is the only way the element sends a body: every URL opened is recorded, so a test can
// show that a refused target never got a request, even one the service worker would not see (javascript:).
let opened: string[] = [];
const originalOpen = XMLHttpRequest.prototype.open;

const worker = setupWorker();
const failures: unknown[] = [];
const onRejection = (event: PromiseRejectionEvent) => failures.push(event.reason);
const onError = (event: ErrorEvent) => failures.push(event.error ?? event.message);

/** Every final outcome of one element, in order. */
function outcomes(el: IttyUploaderElement) {
  const errors: UploadError[] = [];
  const successes: IttyFile[] = [];
  el.addEventListener('itty-upload-error', (event) => errors.push(event.detail.error));
  el.addEventListener('itty-upload-success', (event) => successes.push(event.detail.file));
  return { errors, successes };
}

/** Resolves with the next final outcome of `el`: the File object, or the UploadError. */
const nextOutcome = (el: IttyUploaderElement) =>
  new Promise<{ file?: IttyFile; error?: UploadError; at: number }>((resolve) => {
    const done = (outcome: { file?: IttyFile; error?: UploadError }) => {
      el.removeEventListener('itty-upload-success', success);
      el.removeEventListener('itty-upload-error', failure);
      resolve({ ...outcome, at: performance.now() });
    };
    const success = (event: HTMLElementEventMap['itty-upload-success']) => done({ file: event.detail.file });
    const failure = (event: HTMLElementEventMap['itty-upload-error']) => done({ error: event.detail.error });
    el.addEventListener('itty-upload-success', success);
    el.addEventListener('itty-upload-error', failure);
  });

const mount = (retries: number) =>
  fixture<IttyUploaderElement>(html`<itty-uploader endpoint=${SIGN} retries=${retries} multiple></itty-uploader>`);

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

const textFile = (name: string, text = `contents of ${name}`) => new File([text], name, { type: 'text/plain' });

describe('<itty-uploader> faults (MSW)', () => {
  before(async () => {
    window.addEventListener('unhandledrejection', onRejection);
    window.addEventListener('error', onError);
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
      opened.push(String(url));
      return (originalOpen as (...args: unknown[]) => void).call(this, method, url, ...rest);
    } as typeof XMLHttpRequest.prototype.open;
    await worker.start({
      serviceWorker: { url: '/test/mocks/mockServiceWorker.js', options: { scope: '/' } },
      onUnhandledRequest: 'bypass',
      quiet: true,
    });
  });

  beforeEach(() => {
    calls = [];
    opened = [];
  });

  afterEach(() => worker.resetHandlers());

  after(() => {
    worker.stop();
    XMLHttpRequest.prototype.open = originalOpen;
    window.removeEventListener('unhandledrejection', onRejection);
    window.removeEventListener('error', onError);
  });

  it('fails with sign_failed after its retries when the endpoint answers 500, keeps the file, and succeeds when retried', async () => {
    let healthy = false;
    worker.use(
      signer((call) =>
        healthy
          ? HttpResponse.json({ url: `${STORE}/${signedName(call)}` })
          : HttpResponse.json({ message: 'database down' }, { status: 500 }),
      ),
      storage(),
    );
    const el = await mount(1);
    const first = nextOutcome(el);
    el.addFiles([textFile('five-hundred.txt')]);
    const { error } = await first;
    expect(error!.code).to.equal('sign_failed');
    expect(error!.status).to.equal(500);
    expect(error!.serverMessage).to.equal('database down');
    expect(error!.message).to.contain('database down');
    // One try and one retry, and no PUT.
    expect(signCalls()).to.have.length(2);
    expect(storeCalls()).to.have.length(0);
    await el.updateComplete;
    expect(el.items).to.have.length(1);
    expect(el.items[0]!.status).to.equal('error');
    expect(part(el, 'item')!.getAttribute('part')).to.equal('item item-error');
    expect(part(el, 'error')!.textContent).to.contain('database down');

    healthy = true;
    const second = nextOutcome(el);
    part(el, 'retry-button')!.click();
    const { file } = await second;
    expect(file!.filename).to.equal('five-hundred.txt');
    expect(signCalls()).to.have.length(3);
    expect(storeCalls()).to.have.length(1);
    expect(el.items.map((item) => item.status)).to.deep.equal(['done']);
  });

  it('fails with sign_failed, not retried, when the endpoint answers malformed JSON', async () => {
    worker.use(
      signer(() => new HttpResponse('{"url": "/mock/store/x', { headers: { 'Content-Type': 'application/json' } })),
      storage(),
    );
    const el = await mount(2);
    const outcome = nextOutcome(el);
    el.addFiles([textFile('malformed.txt')]);
    const { error } = await outcome;
    expect(error!.code).to.equal('sign_failed');
    expect(error!.message).to.match(/not JSON/);
    // A 2xx that cannot be read is not transient: asking again would get the same answer.
    expect(signCalls()).to.have.length(1);
    expect(storeCalls()).to.have.length(0);
  });

  it('refuses javascript:, data:, file: and disguised upload URLs with invalid_target and sends nothing to them', async () => {
    const hostile: Record<string, string> = {
      'js.txt': 'javascript:alert(1)',
      'js-case.txt': ' \tJaVaScRiPt:window.__pwned=1',
      'data.txt': 'data:text/html,<script>window.__pwned=1</script>',
      'file.txt': 'file:///etc/passwd',
      'vbscript.txt': 'vbscript:msgbox(1)',
      'ftp.txt': 'ftp://example.com/upload',
    };
    // The same URLs as a bare string, a Signature-like object and an envelope.
    worker.use(
      signer((call) => {
        const name = signedName(call);
        const url = hostile[name]!;
        if (name === 'js.txt') return HttpResponse.json(url);
        if (name === 'file.txt') return HttpResponse.json({ data: { url, expiry: 9999999999, signature: 'x', method: 'put' } });
        return HttpResponse.json({ url });
      }),
      storage(),
    );
    const el = await mount(2);
    const { errors, successes } = outcomes(el);
    const settled = new Promise((resolve) => el.addEventListener('itty-queue-complete', resolve, { once: true }));
    el.concurrency = 10;
    el.addFiles(Object.keys(hostile).map((name) => textFile(name)));
    await settled;
    expect(successes).to.deep.equal([]);
    expect(errors.map((error) => error.code)).to.deep.equal(Object.keys(hostile).map(() => 'invalid_target'));
    // Not retried, and no request to any of those URLs: no PUT, no XHR opened at all.
    expect(signCalls()).to.have.length(Object.keys(hostile).length);
    expect(calls.filter((call) => call.method !== 'POST')).to.deep.equal([]);
    expect(opened).to.deep.equal([]);
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
  });

  it('refuses the same URLs when getUploadUrl returns them', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader retries="2" multiple></itty-uploader>`);
    const urls = ['javascript:alert(1)', 'data:application/octet-stream;base64,AAAA', 'file:///tmp/x', 'JAVASCRIPT:alert(1)'];
    el.getUploadUrl = async (file) => urls[Number(file.name.split('.')[0])]!;
    const { errors } = outcomes(el);
    const settled = new Promise((resolve) => el.addEventListener('itty-queue-complete', resolve, { once: true }));
    el.addFiles(urls.map((_, i) => textFile(`${i}.txt`)));
    await settled;
    expect(errors.map((error) => error.code)).to.deep.equal(urls.map(() => 'invalid_target'));
    expect(opened).to.deep.equal([]);
    expect(calls).to.deep.equal([]);
  });

  it('refuses a target that could not be sent (header injection, invalid header names, TRACE) with invalid_target', async () => {
    const targets: Record<string, { headers?: Record<string, string>; method?: string }> = {
      'crlf.txt': { headers: { 'X-Meta': 'a\r\nX-Injected: 1' } },
      'name.txt': { headers: { 'Bad Name': 'x' } },
      'nul.txt': { headers: { 'X-Meta': 'a\u0000b' } },
      'unicode.txt': { headers: { 'x-amz-meta-title': '日本' } },
      'trace.txt': { method: 'TRACE' },
      'method.txt': { method: 'P UT' },
    };
    worker.use(
      signer((call) => HttpResponse.json({ url: `${STORE}/${signedName(call)}`, ...targets[signedName(call)] })),
      storage(),
    );
    const el = await mount(2);
    const { errors, successes } = outcomes(el);
    const settled = new Promise((resolve) => el.addEventListener('itty-queue-complete', resolve, { once: true }));
    el.concurrency = 10;
    el.addFiles(Object.keys(targets).map((name) => textFile(name)));
    await settled;
    expect(successes).to.deep.equal([]);
    expect(errors.map((error) => error.code)).to.deep.equal(Object.keys(targets).map(() => 'invalid_target'));
    // Not retried (the endpoint would answer the same), and no request was attempted.
    expect(signCalls()).to.have.length(Object.keys(targets).length);
    expect(opened).to.deep.equal([]);
  });

  it('signs again when the PUT says the signature expired, without spending a retry', async () => {
    worker.use(
      signer(),
      storage((_, n) =>
        n === 0
          ? HttpResponse.json({ kind: 'signature_expired', message: 'The signed URL has expired; ask for a new one.' }, { status: 403 })
          : undefined,
      ),
    );
    // retries="0": a failure that used up a retry would be final.
    const el = await mount(0);
    const outcome = nextOutcome(el);
    el.addFiles([textFile('expired-once.txt')]);
    const { file, error } = await outcome;
    expect(error).to.equal(undefined);
    expect(file!.filename).to.equal('expired-once.txt');
    expect(signCalls()).to.have.length(2);
    expect(storeCalls()).to.have.length(2);
    // The endpoint was asked again before the second PUT, not after it.
    expect(calls.map((call) => call.method)).to.deep.equal(['POST', 'PUT', 'POST', 'PUT']);
  });

  it('signs again only once: a second expired answer is a final expired error', async () => {
    worker.use(
      signer(),
      storage(() => HttpResponse.json({ kind: 'signature_expired', message: 'expired' }, { status: 403 })),
    );
    const el = await mount(3);
    const outcome = nextOutcome(el);
    el.addFiles([textFile('expired-twice.txt')]);
    const { error } = await outcome;
    expect(error!.code).to.equal('expired');
    expect(error!.status).to.equal(403);
    expect(signCalls()).to.have.length(2);
    expect(storeCalls()).to.have.length(2);
  });

  it('retries a PUT answered 503 twice and succeeds with the third', async () => {
    worker.use(
      signer(),
      storage((_, n) => (n < 2 ? HttpResponse.json({ message: 'busy' }, { status: 503 }) : undefined)),
    );
    const el = await mount(2);
    const { errors } = outcomes(el);
    const outcome = nextOutcome(el);
    const source = textFile('three-puts.txt');
    el.addFiles([source]);
    const { file } = await outcome;
    expect(file!.filesize).to.equal(source.size);
    expect(storeCalls()).to.have.length(3);
    expect(storeCalls().map((call) => call.size)).to.deep.equal([source.size, source.size, source.size]);
    expect(errors).to.deep.equal([]);
    expect(el.items[0]!.status).to.equal('done');
  });

  it('waits for Retry-After after a 429, then succeeds', async () => {
    // 2 s, not 1: the first backoff without Retry-After is 0.5–1 s, so only a wait past 1 s proves the header counted.
    worker.use(
      signer(),
      storage((_, n) =>
        n === 0
          ? HttpResponse.json({ kind: 'rate_limited', message: 'slow down' }, { status: 429, headers: { 'Retry-After': '2' } })
          : undefined,
      ),
    );
    const el = await mount(1);
    const outcome = nextOutcome(el);
    el.addFiles([textFile('rate-limited.txt')]);
    const { file } = await outcome;
    expect(file).to.exist;
    const [first, second] = storeCalls();
    expect(second, 'a second PUT').to.exist;
    // Behaviour, not a performance budget: the retry came after the second the server asked for.
    expect(second!.at - first!.at).to.be.at.least(1900);
  });

  it('reads a retries attribute that is not a number as the default 3, not as endless retries', async () => {
    worker.use(
      signer(),
      storage(() => HttpResponse.json({ message: 'busy' }, { status: 503 })),
    );
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint=${SIGN} retries="lots"></itty-uploader>`);
    const outcome = nextOutcome(el);
    el.addFiles([textFile('typo.txt')]);
    // A guard, not a wait: three backoffs take at most 7 s; endless retries would never end.
    const guard = new Promise<'still retrying'>((resolve) => setTimeout(() => resolve('still retrying'), 15000));
    const result = await Promise.race([outcome, guard]);
    el.cancel();
    expect(result).to.not.equal('still retrying');
    expect((result as { error?: UploadError }).error!.code).to.equal('upload_failed');
    expect((result as { error?: UploadError }).error!.status).to.equal(503);
    expect(storeCalls()).to.have.length(4);
  });

  it('retries a connection dropped mid-body (network) and succeeds', async () => {
    worker.use(
      signer(),
      storage((_, n) => (n === 0 ? HttpResponse.error() : undefined)),
    );
    const el = await mount(1);
    const outcome = nextOutcome(el);
    el.addFiles([textFile('dropped.txt', 'x'.repeat(64 * 1024))]);
    const { file } = await outcome;
    expect(file!.filesize).to.equal(64 * 1024);
    expect(storeCalls()).to.have.length(2);
  });

  it('fails with network when the connection keeps dropping and no retry is left', async () => {
    worker.use(
      signer(),
      storage(() => HttpResponse.error()),
    );
    const el = await mount(0);
    const outcome = nextOutcome(el);
    el.addFiles([textFile('always-dropped.txt')]);
    const { error } = await outcome;
    expect(error!.code).to.equal('network');
    expect(error!.status).to.equal(undefined);
    expect(storeCalls()).to.have.length(1);
    await el.updateComplete;
    expect(part(el, 'retry-button')).to.exist;
  });

  it('fails with timeout after stall-timeout when the signing endpoint never answers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    worker.use(
      http.post(SIGN, async ({ request }) => {
        await record(request);
        await gate;
        return HttpResponse.json({ url: `${STORE}/late.txt` });
      }),
      storage(),
    );
    try {
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint=${SIGN} retries="0" stall-timeout="1500"></itty-uploader>`,
      );
      const started = performance.now();
      const outcome = nextOutcome(el);
      el.addFiles([textFile('hung.txt')]);
      const { error, at } = await outcome;
      expect(error!.code).to.equal('timeout');
      expect(error!.message).to.match(/no response for 1\.5 s/i);
      expect(at - started).to.be.at.least(1400);
      // Far below the 30 s default: the attribute was honoured.
      expect(at - started).to.be.below(10000);
      expect(signCalls()).to.have.length(1);
      expect(storeCalls()).to.have.length(0);
      await el.updateComplete;
      // The row says it in words (SPEC §3.9); the developer's message stays on the error.
      expect(part(el, 'error')!.textContent).to.equal('The upload stopped responding.');
    } finally {
      release();
    }
  });

  it('builds the File object itself for an S3-style target answering 200 with an empty body and an ETag', async () => {
    const s3 = `${STORE}/bucket/photos/photo.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=content-type&X-Amz-Signature=abc`;
    worker.use(
      signer(() => HttpResponse.json({ url: s3, method: 'PUT', headers: { 'Content-Type': 'image/png' } })),
      storage(() => new HttpResponse(null, { status: 200, headers: { ETag: '"9b2cf535f27731c974343645a3985328"' } })),
    );
    const el = await mount(0);
    const outcome = nextOutcome(el);
    const source = new File([new Uint8Array(300)], 'photo.png', { type: 'image/png' });
    el.addFiles([source]);
    const { file, error } = await outcome;
    expect(error).to.equal(undefined);
    expect(file).to.include({
      kind: 'image',
      type: 'image/png',
      filesize: 300,
      url: `${STORE}/bucket/photos/photo.png`,
      etag: '"9b2cf535f27731c974343645a3985328"',
    });
    const [put] = storeCalls();
    expect(put!.url.href).to.equal(s3);
    expect(put!.size).to.equal(300);
    // Exactly the signed headers: the Content-Type S3 signed, and never a Content-Range.
    expect(put!.headers.get('content-type')).to.equal('image/png');
    expect(put!.headers.has('content-range')).to.equal(false);
    expect(opened).to.deep.equal([s3]);
  });

  it('measures an image the storage did not describe: width and height from the browser', async () => {
    worker.use(
      signer(() => HttpResponse.json({ url: `${STORE}/bucket/pixel.png?X-Amz-Signature=abc`, headers: { 'Content-Type': 'image/png' } })),
      storage(() => new HttpResponse(null, { status: 200 })),
    );
    const png = await (await fetch('/test/fixtures/image-3x2.png')).blob();
    const el = await mount(0);
    const outcome = nextOutcome(el);
    el.addFiles([new File([png], 'pixel.png', { type: 'image/png' })]);
    const { file } = await outcome;
    expect(file).to.include({ kind: 'image', width: 3, height: 2, filesize: png.size });
  });

  it('sends no Content-Type to a presigned target that signed none', async () => {
    worker.use(
      signer(() => HttpResponse.json({ url: `${STORE}/bucket/raw.png?X-Amz-Signature=abc`, headers: {} })),
      storage(() => new HttpResponse(null, { status: 200 })),
    );
    const el = await mount(0);
    const outcome = nextOutcome(el);
    el.addFiles([new File([new Uint8Array(10)], 'raw.png', { type: 'image/png' })]);
    const { file } = await outcome;
    expect(file).to.include({ kind: 'image', type: 'image/png', filesize: 10 });
    expect(file!.etag).to.equal(undefined);
    expect(storeCalls()[0]!.headers.has('content-type')).to.equal(false);
  });

  it('fails with upload_failed and the S3 XML message on a 4xx, without retrying', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>';
    worker.use(
      signer(() => HttpResponse.json({ url: `${STORE}/bucket/denied.txt?X-Amz-Signature=abc` })),
      storage(() => new HttpResponse(xml, { status: 403, headers: { 'Content-Type': 'application/xml' } })),
    );
    const el = await mount(2);
    const outcome = nextOutcome(el);
    el.addFiles([textFile('denied.txt')]);
    const { error } = await outcome;
    expect(error!.code).to.equal('upload_failed');
    expect(error!.status).to.equal(403);
    expect(error!.serverMessage).to.equal('Access Denied');
    expect(error!.message).to.contain('Access Denied');
    expect(error!.message).to.not.contain('<');
    expect(signCalls()).to.have.length(1);
    expect(storeCalls()).to.have.length(1);
  });

  it('retries a failed chunk alone, and sends the final chunk last', async () => {
    // An ittybit-style URL (expiry + signature) is resumable: chunked when chunk-size is set.
    worker.use(
      signer((call) => HttpResponse.json({ url: `${STORE}/${signedName(call)}?expiry=9999999999&method=put&signature=abc` })),
      storage((call, n) => {
        if (n === 1) return HttpResponse.json({ message: 'busy' }, { status: 503 });
        const [, end, total] = /bytes \d+-(\d+)\/(\d+)/.exec(call.headers.get('content-range') ?? '')!.map(Number);
        return end! + 1 < total! ? new HttpResponse(null, { status: 202 }) : undefined;
      }),
    );
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint=${SIGN} retries="1" chunk-size="1000" parallel-chunks="1"></itty-uploader>`,
    );
    const outcome = nextOutcome(el);
    el.addFiles([textFile('chunked.txt', 'c'.repeat(3500))]);
    const { file } = await outcome;
    expect(file!.filename).to.equal('chunked.txt');
    expect(storeCalls().map((call) => call.headers.get('content-range'))).to.deep.equal([
      'bytes 0-999/3500',
      'bytes 1000-1999/3500',
      'bytes 1000-1999/3500',
      'bytes 2000-2999/3500',
      'bytes 3000-3499/3500',
    ]);
    // The file was signed once: a chunk's retry does not start the file over.
    expect(signCalls()).to.have.length(1);
  });

  it('let no promise rejection or error go unhandled in this file', () => {
    expect(failures).to.deep.equal([]);
  });
});
