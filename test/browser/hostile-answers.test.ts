// Issue 22, the client side, end to end in a real browser: a signing endpoint and a storage (mocked with MSW,
// same origin) that answer what an attacker or a broken proxy would. None of it may hang the upload, reach a
// prototype, or choose the request method.
import { expect, fixture, html } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import '../../src/index.js';
import { xhrTransport } from '../../src/browser/xhr-transport.js';
import type { UploadError } from '../../src/core/errors.js';
import { MAX_ANSWER_SIZE } from '../../src/core/response.js';
import type { IttyFile } from '../../src/core/types.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';

const SIGN = '/mock/hostile/sign';
const STORE = `${location.origin}/mock/hostile/store`;

const worker = setupWorker();
let opened: string[] = [];
const originalOpen = XMLHttpRequest.prototype.open;

/** An answer that "never" ends: 64 KiB chunks, up to 64 MiB (so a client that reads it all fails, not hangs). */
function endless() {
  const state = { sent: 0, cancelled: false };
  const chunk = new TextEncoder().encode(`{"id":"file_x","pad":"${'x'.repeat(64 * 1024)}`);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.sent > 64 * MAX_ANSWER_SIZE) return controller.close();
      state.sent += chunk.length;
      controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { state, body };
}

/**
 * Whether MSW hands a mocked body to the page as a stream. It transfers the ReadableStream to its service worker
 * where the browser can transfer streams (Chromium, Firefox); elsewhere (WebKit) it reads the whole body first
 * (`response.clone().arrayBuffer()` in its respondWith) and the page gets it in one piece (measured in WebKitGTK:
 * one 64 MiB chunk to fetch, all of it in xhr.responseText at the first progress event). There no client can stop
 * early, and what the mock sent says nothing about the client. The same check as MSW's own.
 */
function mswStreamsBodies(): boolean {
  try {
    const stream = new ReadableStream({ start: (controller) => controller.close() });
    new MessageChannel().port1.postMessage(stream, [stream as unknown as Transferable]);
    return true;
  } catch {
    return false;
  }
}

/** Where MSW streams: the client stopped reading well before the end. Elsewhere: MSW itself read it all. */
function expectStoppedEarly(state: { sent: number }) {
  if (mswStreamsBodies()) expect(state.sent).to.be.lessThan(16 * MAX_ANSWER_SIZE);
  else expect(state.sent, 'MSW reads the whole body before answering').to.be.greaterThan(64 * MAX_ANSWER_SIZE);
}

const nextOutcome = (el: IttyUploaderElement) =>
  new Promise<{ file?: IttyFile; error?: UploadError }>((resolve) => {
    el.addEventListener('itty-upload-success', (event) => resolve({ file: event.detail.file }), { once: true });
    el.addEventListener('itty-upload-error', (event) => resolve({ error: event.detail.error }), { once: true });
  });

const mount = () =>
  fixture<IttyUploaderElement>(html`<itty-uploader endpoint=${SIGN} retries="0" name="files" form-value="json"></itty-uploader>`);
const textFile = (name: string) => new File([`contents of ${name}`], name, { type: 'text/plain' });
const signer = (answer: () => Response) => http.post(SIGN, answer);
const storage = (answer: () => Response) => http.put(`${STORE}/*`, answer);

describe('hostile answers (MSW)', () => {
  before(async () => {
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
      opened.push(`${method} ${String(url)}`);
      return (originalOpen as (...args: unknown[]) => void).call(this, method, url, ...rest);
    } as typeof XMLHttpRequest.prototype.open;
    await worker.start({
      serviceWorker: { url: '/test/mocks/mockServiceWorker.js', options: { scope: '/' } },
      onUnhandledRequest: 'bypass',
      quiet: true,
    });
  });

  beforeEach(() => (opened = []));
  afterEach(() => worker.resetHandlers());

  after(() => {
    worker.stop();
    XMLHttpRequest.prototype.open = originalOpen;
  });

  it('xhrTransport stops reading an answer that never ends and hands over what came, longer than the cap', async () => {
    const { state, body } = endless();
    worker.use(storage(() => new HttpResponse(body, { status: 201, headers: { 'Content-Type': 'application/json' } })));
    const response = await xhrTransport.send(
      { url: `${STORE}/endless.txt`, method: 'PUT', headers: {}, body: new Blob(['abc']) },
      { signal: new AbortController().signal, progress: () => {} },
    );
    expect(response.status).to.equal(201);
    expect(response.text.length).to.be.greaterThan(MAX_ANSWER_SIZE);
    expectStoppedEarly(state);
  });

  it('fails the upload with invalid_response, without retrying, when the storage answers success without end', async () => {
    const { body } = endless();
    worker.use(
      signer(() => HttpResponse.json({ url: `${STORE}/endless.txt` })),
      storage(() => new HttpResponse(body, { status: 201, headers: { 'Content-Type': 'application/json' } })),
    );
    const el = await mount();
    const outcome = nextOutcome(el);
    el.addFiles([textFile('endless.txt')]);
    const { error } = await outcome;
    expect(error?.code).to.equal('invalid_response');
    expect(opened.filter((line) => line.startsWith('PUT'))).to.have.length(1);
  });

  it('fails with sign_failed when the signing endpoint answers without end', async () => {
    const { state, body } = endless();
    worker.use(signer(() => new HttpResponse(body, { status: 200, headers: { 'Content-Type': 'application/json' } })));
    const el = await mount();
    const outcome = nextOutcome(el);
    el.addFiles([textFile('endless-sign.txt')]);
    const { error } = await outcome;
    expect(error?.code).to.equal('sign_failed');
    expectStoppedEarly(state);
    expect(opened).to.deep.equal([]);
  });

  it('refuses a signer that names DELETE or PATCH with invalid_target, and opens no request', async () => {
    for (const method of ['DELETE', 'PATCH']) {
      worker.use(signer(() => HttpResponse.json({ url: `${STORE}/victim.txt`, method })));
      const el = await mount();
      const outcome = nextOutcome(el);
      el.addFiles([textFile('victim.txt')]);
      const { error } = await outcome;
      expect(error?.code, method).to.equal('invalid_target');
    }
    expect(opened).to.deep.equal([]);
  });

  it('keeps __proto__, constructor and prototype keys of a File object out of value and the form', async () => {
    const hostile =
      '{"id":"file_1","url":"https://cdn.example/a.txt","kind":"other","type":"text/plain","filesize":3,' +
      '"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"metadata":{"k":"v","__proto__":{"admin":true}}}';
    worker.use(
      signer(() => HttpResponse.json({ url: `${STORE}/a.txt` })),
      storage(() => new HttpResponse(hostile, { status: 201, headers: { 'Content-Type': 'application/json' } })),
    );
    const form = await fixture<HTMLFormElement>(html`<form></form>`);
    const el = await mount();
    form.append(el);
    const outcome = nextOutcome(el);
    el.addFiles([textFile('a.txt')]);
    const { file } = await outcome;
    expect(file?.id).to.equal('file_1');
    const [value] = el.value;
    expect(Object.getPrototypeOf(value)).to.equal(Object.prototype);
    expect(Object.keys(value!)).to.not.include.members(['__proto__', 'constructor']);
    expect(value!.metadata).to.deep.equal({ k: 'v' });
    await el.updateComplete;
    const json = new FormData(form).get('files') as string;
    expect(json).to.contain('file_1');
    expect(json).to.not.match(/__proto__|constructor|polluted|admin/);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});
