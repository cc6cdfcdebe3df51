// Hostile input end to end: markup in names and server messages, dangerous URLs in File objects, forged
// and tampered signed URLs, path traversal, oversized and truncated bodies, and files whose type lies.
// Everything runs against the real upload server except the last block, which needs a misbehaving
// server and uses MSW (started there and stopped after it, so the uploads above keep their progress).
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { render } from 'lit';
import { http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import '../../src/index.js';
import type { UploadError } from '../../src/core/errors.js';
import type { IttyFile } from '../../src/core/types.js';
import type { IttyFileElement } from '../../src/elements/file.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import { sha256, signedUrl, stored, storedFiles, uniqueName } from '../helpers/browser.js';

const KEY = 'test-key'; // the key web-test-runner.config.mjs gives the upload server
const encoder = new TextEncoder();

/** ittybit's signature, computed here with the server's key: base64url(HMAC-SHA256(key, "path?expiry=E&method=M")). */
async function hmac(path: string, expiry: number, method = 'put'): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(KEY), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${path}?expiry=${expiry}&method=${method}`)));
  return btoa(String.fromCharCode(...mac))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** A URL under /uploads/ signed for `wirePath` exactly as written (percent-encoding and all). */
const selfSigned = async (wirePath: string, expiry = Math.floor(Date.now() / 1000) + 600) =>
  `/uploads/${wirePath}?expiry=${expiry}&method=put&signature=${await hmac(wirePath, expiry)}`;

async function put(url: string, body: BodyInit, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'PUT', body, headers });
  const text = await response.text();
  let json: { kind?: string; message?: string; url?: string; filename?: string; folder?: string } = {};
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, json };
}

const pwned = () => (window as { __pwned?: unknown }).__pwned;

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const parts = (el: Element, name: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];

/** Elements in `root` that markup from a name or message could have created. */
const injected = (root: ParentNode) =>
  [...root.querySelectorAll('*')].filter(
    (el) =>
      ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'B', 'FORM'].includes(el.tagName) ||
      el.getAttributeNames().some((name) => name.startsWith('on')) ||
      el.getAttribute('src') === 'x',
  );

async function settled(el: IttyUploaderElement) {
  while (el.items.some((item) => item.status === 'queued' || item.status === 'signing' || item.status === 'uploading')) {
    await oneEvent(el, 'itty-queue-complete');
  }
  await el.updateComplete;
}

/** A File with `webkitRelativePath` set, as a folder pick gives it. */
function inFolder(file: File, relativePath: string): File {
  Object.defineProperty(file, 'webkitRelativePath', { value: relativePath });
  return file;
}

/** Renders one `<itty-file>` per File object into a fresh container. */
async function showFiles(files: IttyFile[]): Promise<IttyFileElement[]> {
  const container = await fixture<HTMLDivElement>(html`<div></div>`);
  render(html`${files.map((file) => html`<itty-file .file=${file}></itty-file>`)}`, container);
  const elements = [...container.querySelectorAll('itty-file')];
  await Promise.all(elements.map((el) => el.updateComplete));
  return elements;
}

describe('hostile input', () => {
  afterEach(() => {
    // A leak would fail its own test; do not let it fail the next one too.
    delete (window as { __pwned?: unknown }).__pwned;
    (globalThis as { gc?: () => void }).gc?.();
  });

  describe('markup in names (real server)', () => {
    it('shows hostile file and folder names as text, and the server stores them under safe names', async () => {
      const id = uniqueName('x');
      const names = [
        `<img src=x onerror="window.__pwned=1">${id}.txt`,
        `"><svg onload=window.__pwned=1>${id}.txt`,
        `<script>window.__pwned=1</script>${id}.txt`,
      ];
      const folderPath = `<b onmouseover=window.__pwned=1>bold</b>/<iframe src=javascript:window.__pwned=1>/${id}-in-folder.txt`;
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint="/upload-url" folder="<form onsubmit=alert(1)>" multiple manual></itty-uploader>`,
      );
      const files: IttyFile[] = [];
      el.addEventListener('itty-upload-success', (event) => files.push(event.detail.file));
      el.addFiles([
        ...names.map((name) => new File([name], name, { type: 'text/plain' })),
        inFolder(new File(['in a folder'], `${id}-in-folder.txt`, { type: 'text/plain' }), folderPath),
      ]);
      await el.updateComplete;
      expect(parts(el, 'name').map((name) => name.textContent)).to.deep.equal([...names, folderPath]);
      expect(parts(el, 'name').map((name) => name.title)).to.deep.equal([...names, folderPath]);
      expect(injected(el.shadowRoot!)).to.deep.equal([]);

      el.upload();
      await settled(el);
      expect(el.items.map((item) => item.status)).to.deep.equal(['done', 'done', 'done', 'done']);
      expect(parts(el, 'name').map((name) => name.textContent)).to.deep.equal([...names, folderPath]);
      // The live region announces names as text only.
      expect(el.shadowRoot!.querySelector('[aria-live]')!.children).to.have.length(0);
      expect(injected(el.shadowRoot!)).to.deep.equal([]);

      // The server made every name URL-safe: no markup, no separators, nothing outside its folder.
      const onDisk = await storedFiles();
      for (const file of files) {
        expect(file.filename).to.match(/^[A-Za-z0-9._~()-]+$/);
        expect(file.folder).to.match(/^[A-Za-z0-9._~()/-]+$/);
        expect(file.folder!.split('/')).to.not.include('..');
        expect(new URL(file.url).pathname).to.equal(`/uploads/${file.folder}/${file.filename}`);
        expect(onDisk).to.include(`${file.folder}/${file.filename}`);
      }
      // The picked folder's directories went under the folder attribute, each one a safe segment.
      const nested = files.find((file) => file.filename === `${id}-in-folder.txt`)!;
      expect(nested.folder!.split('/')).to.have.length(4);

      const shown = await showFiles(files);
      for (const [i, view] of shown.entries()) {
        expect(part(view, 'name')!.textContent).to.equal(files[i]!.filename);
        expect(part(view, 'link')!.getAttribute('href')).to.equal(files[i]!.url);
        expect(injected(view.shadowRoot!)).to.deep.equal([]);
      }
      expect(pwned()).to.equal(undefined);
    });

    it('fails a file whose folder attribute climbs out (../) at signing, and stores nothing', async () => {
      const name = uniqueName('climb.txt');
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint="/upload-url" folder="../../etc" retries="2"></itty-uploader>`,
      );
      const failed = oneEvent(el, 'itty-upload-error');
      el.addFiles([new File(['x'], name, { type: 'text/plain' })]);
      const { error } = (await failed).detail as { error: UploadError };
      expect(error.code).to.equal('sign_failed');
      expect(error.status).to.equal(400);
      expect(error.serverMessage).to.contain('..');
      expect((await storedFiles()).filter((file) => file.includes(name))).to.deep.equal([]);
    });
  });

  describe('active content in uploads (real server)', () => {
    it('serves uploaded HTML and SVG as sandboxed attachments, and nothing sniffed', async () => {
      const id = uniqueName('x');
      const script = '<script>parent.__pwned=1</script>';
      const sources = [
        new File([`<!doctype html><title>x</title>${script}`], `${id}.html`, { type: 'text/html' }),
        new File([`<svg xmlns="http://www.w3.org/2000/svg" onload="parent.__pwned=1">${script}</svg>`], `${id}.svg`, {
          type: 'image/svg+xml',
        }),
        // HTML bytes under an image name and type.
        new File([`<html>${script}</html>`], `${id}-polyglot.png`, { type: 'image/png' }),
      ];
      const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" folder="hostile" multiple></itty-uploader>`);
      const files: Record<string, IttyFile> = {};
      el.addEventListener('itty-upload-success', (event) => (files[event.detail.item.source!.name] = event.detail.file));
      el.addFiles(sources);
      await settled(el);
      expect(Object.keys(files)).to.have.length(3);
      for (const source of sources) {
        const response = await fetch(files[source.name]!.url);
        expect(await response.text()).to.equal(await source.text());
        expect(response.headers.get('x-content-type-options'), source.name).to.equal('nosniff');
        if (source.name.endsWith('.png')) {
          expect(response.headers.get('content-type')).to.equal('image/png');
        } else {
          expect(response.headers.get('content-disposition'), source.name).to.match(/^attachment/);
          expect(response.headers.get('content-security-policy'), source.name).to.match(/sandbox/);
        }
      }
      expect(pwned()).to.equal(undefined);
    });
  });

  describe('forged and tampered signed URLs (real server)', () => {
    it('accepts a URL signed with the key (the control for the cases below)', async () => {
      const name = uniqueName('control.txt');
      const { status, json } = await put(await selfSigned(`hostile/${name}`), 'signed by the test');
      expect(status).to.equal(201);
      expect(json.filename).to.equal(name);
      expect((await stored(`hostile/${name}`)).exists).to.equal(true);
    });

    it('refuses tampered, forged, wrong-method and expired signatures with 401/403 and stores nothing', async () => {
      const name = uniqueName('victim.txt');
      const other = uniqueName('other.txt');
      const url = await signedUrl(name, 5, 'hostile');
      const expiry = Number(new URL(url, location.href).searchParams.get('expiry'));
      const past = Math.floor(Date.now() / 1000) - 60;
      const cases: Array<[string, string, number, string]> = [
        ['another path, same query', url.replace(name, other), 403, 'signature_invalid'],
        ['a later expiry', url.replace(`expiry=${expiry}`, `expiry=${expiry + 3600}`), 403, 'signature_invalid'],
        ['a forged signature', url.replace(/signature=[^&]+/, 'signature=forged'), 403, 'signature_invalid'],
        ['the signature of an empty string', url.replace(/signature=[^&]+/, 'signature='), 403, 'signature_invalid'],
        ['method=get', url.replace('method=put', 'method=get'), 403, 'signature_invalid'],
        ['two signatures', `${url}&signature=forged`, 403, 'signature_invalid'],
        ['no query at all', url.split('?')[0]!, 401, 'token_missing'],
        [
          'a GET signature used for PUT',
          `/uploads/hostile/${name}?expiry=${expiry}&method=get&signature=${await hmac(`hostile/${name}`, expiry, 'get')}`,
          403,
          'signature_invalid',
        ],
        ['a valid signature that expired', await selfSigned(`hostile/${name}`, past), 403, 'signature_expired'],
      ];
      for (const [label, tampered, status, kind] of cases) {
        const response = await put(tampered, 'hacked');
        expect([label, response.status, response.json.kind], label).to.deep.equal([label, status, kind]);
      }
      const wrongKey = await put(url.split('?')[0]!, 'hacked', { Authorization: 'Bearer not-the-key' });
      expect([wrongKey.status, wrongKey.json.kind]).to.deep.equal([401, 'token_invalid']);
      expect((await storedFiles()).filter((file) => file.includes(name) || file.includes(other))).to.deep.equal([]);
    });

    it('refuses traversal paths with 4xx even when they are validly signed, and stores nothing', async () => {
      const id = uniqueName('escape.txt');
      const wirePaths = [
        `hostile/..%2f..%2f${id}`,
        `..%2f${id}`,
        `hostile/..%5c..%5c${id}`,
        `hostile/%2e%2e%2f${id}`,
        `hostile/.%2e%2f${id}`,
        `hostile/..%2F${id}`,
        `.itty/${id}`,
        `hostile/.${id}`,
        `hostile/${id}%00.png`,
        `hostile//${id}`,
        `hostile/a:${id}`,
      ];
      for (const wirePath of wirePaths) {
        const { status } = await put(await selfSigned(wirePath), 'escaped');
        expect([wirePath, status]).to.deep.equal([wirePath, 400]);
      }
      // (Plain dot segments, `../` or `%2e%2e/`, never reach a server from a browser: URL parsing resolves them first.)
      expect((await storedFiles()).filter((file) => file.includes(id))).to.deep.equal([]);
    });

    it('keeps a traversal file name inside its folder when the endpoint signs it', async () => {
      const id = uniqueName('escape.txt');
      const response = await fetch('/upload-url', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ filename: `../../../${id}`, folder: 'hostile', size: 3 }),
      });
      const signature = (await response.json()) as { url: string; filename: string; folder: string };
      expect(signature.filename).to.equal(id);
      expect(signature.folder).to.equal('hostile');
      const { status, json } = await put(signature.url, 'in!');
      expect(status).to.equal(201);
      expect(new URL(json.url!).pathname).to.equal(`/uploads/hostile/${id}`);
      expect((await storedFiles()).filter((file) => file.includes(id))).to.deep.equal([`hostile/${id}`]);
    });
  });

  describe('oversized and truncated bodies (real server)', () => {
    it('refuses to sign a file over the size limit: 413 at the endpoint, sign_failed in the element, no PUT', async () => {
      const response = await fetch('/upload-url', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ filename: 'huge.bin', folder: 'hostile', size: 2 * 1024 ** 3, type: 'application/octet-stream' }),
      });
      expect(response.status).to.equal(413);
      expect(((await response.json()) as { kind: string }).kind).to.equal('file_too_large');

      // A 2 GiB File without 2 GiB of memory: only its size is read before the endpoint answers.
      const name = uniqueName('huge.bin');
      const huge = new File(['tiny'], name);
      Object.defineProperty(huge, 'size', { value: 2 * 1024 ** 3 });
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint="/upload-url" folder="hostile" retries="2"></itty-uploader>`,
      );
      const failed = oneEvent(el, 'itty-upload-error');
      el.addFiles([huge]);
      const { error } = (await failed).detail as { error: UploadError };
      expect(error.code).to.equal('sign_failed');
      expect(error.status).to.equal(413);
      expect(error.serverMessage).to.match(/larger|limit|too large/i);
      expect((await storedFiles()).filter((file) => file.includes(name))).to.deep.equal([]);
    });

    it('refuses a Content-Range past its total, a total over the limit, and a body longer than its range', async () => {
      const name = uniqueName('range.bin');
      const url = await signedUrl(name, 10, 'hostile');
      const cases: Array<[string, string, number]> = [
        ['bytes 0-9/5', 'x'.repeat(10), 400],
        ['bytes 5-9/9', 'x'.repeat(5), 400],
        ['bytes 9-0/10', 'x', 400],
        ['bytes 0-0/2000000000000', 'x', 413],
        ['bytes 0-1/10', 'x'.repeat(5), 400],
        ['bytes */10', 'x', 400], // the status probe (server extension) has an empty body...
        ['bytes */10', '', 308], // ...and then answers 308 without a Location: the page gets it as is
        ['bytes */0', '', 400],
        ['bytes 0-9/10, bytes 0-9/10', 'x'.repeat(10), 400],
      ];
      for (const [range, body, status] of cases) {
        const response = await put(url, body, { 'Content-Range': range });
        expect([range, response.status]).to.deep.equal([range, status]);
      }
      expect((await stored(`hostile/${name}`)).exists).to.equal(false);
    });

    it('stores nothing while chunks are missing, and the whole file once the gap is filled', async () => {
      const name = uniqueName('gappy.bin');
      const bytes = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff);
      const url = await signedUrl(name, bytes.length, 'hostile');
      const chunk = (start: number, end: number) =>
        put(url, bytes.slice(start, end), { 'Content-Range': `bytes ${start}-${end - 1}/${bytes.length}` });
      // First and last chunk, never the middle one: the declared total is never reached.
      expect((await chunk(0, 1000)).status).to.equal(202);
      expect((await chunk(2000, 3000)).status).to.equal(202);
      expect(await stored(`hostile/${name}`)).to.deep.equal({ exists: false });
      expect((await storedFiles()).filter((file) => file.endsWith(name))).to.deep.equal([]);
      // The control: the missing chunk completes it, byte for byte.
      const last = await chunk(1000, 2000);
      expect(last.status).to.equal(201);
      expect(await stored(`hostile/${name}`)).to.deep.equal({ exists: true, size: 3000, sha256: await sha256(new Blob([bytes])) });
    });
  });

  describe('files whose type lies', () => {
    const reasons = async (accept: string, files: File[]) => {
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint="/upload-url" accept=${accept} multiple manual></itty-uploader>`,
      );
      const rejected: Record<string, string> = {};
      el.addEventListener(
        'itty-reject',
        (event) => (rejected[event.detail.source.name] = `${event.detail.reason}: ${event.detail.message}`),
      );
      el.addFiles(files);
      return { accepted: el.items.flatMap((item) => (item.status === 'rejected' ? [] : [item.source!.name])), rejected };
    };

    it('matches accept by name or by declared type, as <input accept> does', async () => {
      const exeAsPng = () => new File(['MZ'], 'evil.exe', { type: 'image/png' });
      const pngAsExe = () => new File(['MZ'], 'evil.png', { type: 'application/x-msdownload' });
      // An extension token matches the name only: the declared type does not rescue evil.exe.
      const byExtension = await reasons('.png', [exeAsPng(), pngAsExe()]);
      expect(byExtension.accepted).to.deep.equal(['evil.png']);
      expect(Object.keys(byExtension.rejected)).to.deep.equal(['evil.exe']);
      expect(byExtension.rejected['evil.exe']).to.match(/^type: .*evil\.exe/);
      // A MIME token matches the declared type only: the name does not matter.
      const byType = await reasons('image/png', [exeAsPng(), pngAsExe()]);
      expect(byType.accepted).to.deep.equal(['evil.exe']);
      expect(Object.keys(byType.rejected)).to.deep.equal(['evil.png']);
      const wildcard = await reasons('image/*', [exeAsPng(), new File(['x'], 'no-type.png')]);
      expect(wildcard.accepted).to.deep.equal(['evil.exe']);
      expect(Object.keys(wildcard.rejected)).to.deep.equal(['no-type.png']);
    });

    it('gets the type from the bytes on the server: an executable named .png is not an image', async () => {
      const name = uniqueName('evil.png');
      // A DOS/PE header: enough for the server to recognise an executable.
      const exe = new Uint8Array(512);
      exe.set([0x4d, 0x5a, 0x90, 0x00]);
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint="/upload-url" folder="hostile" accept=".png"></itty-uploader>`,
      );
      const success = oneEvent(el, 'itty-upload-success');
      el.addFiles([new File([exe], name, { type: 'image/png' })]);
      const { file } = (await success).detail as { file: IttyFile };
      expect(file.kind).to.not.equal('image');
      expect(file.type).to.not.equal('image/png');
      const [view] = await showFiles([file]);
      expect(view!.shadowRoot!.querySelector('img')).to.equal(null);
      expect(part(view!, 'card')).to.exist;
    });
  });

  describe('a hostile server (MSW)', () => {
    const worker = setupWorker();
    let puts = 0;

    before(() =>
      worker.start({
        serviceWorker: { url: '/test/mocks/mockServiceWorker.js', options: { scope: '/' } },
        onUnhandledRequest: 'bypass',
        quiet: true,
      }),
    );
    beforeEach(() => (puts = 0));
    afterEach(() => worker.resetHandlers());
    after(() => worker.stop());

    const fromName = async (request: Request) => (JSON.parse(await request.text()) as { filename: string }).filename;

    it('shows markup in server error messages as text: JSON, XML and HTML bodies', async () => {
      const bodies: Record<string, () => Response> = {
        'json.txt': () => HttpResponse.json({ message: '<img src=x onerror="window.__pwned=1">' }, { status: 400 }),
        'nested.txt': () => HttpResponse.json({ error: { message: '<script>window.__pwned=1</script>' } }, { status: 422 }),
        'html.txt': () =>
          new HttpResponse('<html><body><script>window.__pwned=1</script><h1>Bad gateway</h1></body></html>', {
            status: 502,
            headers: { 'Content-Type': 'text/html' },
          }),
        'long.txt': () => HttpResponse.json({ message: `<b>${'a'.repeat(10000)}</b>` }, { status: 400 }),
        'upload.txt': () => HttpResponse.json({ url: `${location.origin}/mock/store/upload.txt` }),
      };
      worker.use(
        http.post('/mock/sign', async ({ request }) => bodies[await fromName(request)]!()),
        http.put('/mock/store/*', () => {
          puts += 1;
          const xml = '<Error><Code>AccessDenied</Code><Message>&lt;img src=x onerror=window.__pwned=1&gt;</Message></Error>';
          return new HttpResponse(xml, { status: 403, headers: { 'Content-Type': 'application/xml' } });
        }),
      );
      const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/mock/sign" retries="0" multiple></itty-uploader>`);
      const errors: Record<string, UploadError> = {};
      el.addEventListener('itty-upload-error', (event) => (errors[event.detail.item.source!.name] = event.detail.error));
      el.addFiles(Object.keys(bodies).map((name) => new File(['x'], name, { type: 'text/plain' })));
      await settled(el);
      expect(errors['json.txt']!.serverMessage).to.equal('<img src=x onerror="window.__pwned=1">');
      expect(errors['nested.txt']!.serverMessage).to.equal('<script>window.__pwned=1</script>');
      // An HTML page is never parsed for a message: only the status is reported.
      expect(errors['html.txt']!.serverMessage).to.equal(undefined);
      expect(errors['html.txt']!.message).to.not.contain('<');
      expect(errors['long.txt']!.serverMessage!.length).to.be.at.most(300);
      expect(errors['upload.txt']!.code).to.equal('upload_failed');
      // XML entities are kept as they are: shown as text, never decoded into markup.
      expect(errors['upload.txt']!.serverMessage).to.equal('&lt;img src=x onerror=window.__pwned=1&gt;');
      expect(puts).to.equal(1);

      const shown = parts(el, 'error').map((error) => error.textContent);
      // Each row: its code in words, then the server's message (when one was given) as text.
      expect(shown).to.deep.equal(
        el.items.map((item) =>
          item.status === 'error'
            ? [
                item.error.code === 'upload_failed' ? 'The storage refused the file.' : 'The upload could not be started.',
                item.error.serverMessage,
              ]
                .filter(Boolean)
                .join(' ')
            : '',
        ),
      );
      expect(shown[0]).to.contain('<img src=x onerror="window.__pwned=1">');
      expect(injected(el.shadowRoot!)).to.deep.equal([]);
      expect(pwned()).to.equal(undefined);
    });

    it('never puts a hostile url from a File object into <itty-file> src or href', async () => {
      const urls = [
        'javascript:window.__pwned=1',
        '  JaVaScRiPt:window.__pwned=1',
        'java\tscript:window.__pwned=1',
        '\u0001javascript:window.__pwned=1',
        'jav&#x09;ascript:window.__pwned=1',
        '&#106;avascript:window.__pwned=1',
        'data:text/html,<script>window.__pwned=1</script>',
        'DATA:image/svg+xml,<svg onload="window.__pwned=1"/>',
        'vbscript:msgbox(1)',
        'VBScript:msgbox(1)',
      ];
      const kinds = ['image', 'video', 'audio', 'other'];
      const hostileName = (i: number) => `<img src=x onerror="window.__pwned=1">${i}.bin`;
      worker.use(
        http.post('/mock/sign', async ({ request }) =>
          HttpResponse.json({ url: `${location.origin}/mock/store/${await fromName(request)}` }),
        ),
        http.put('/mock/store/:name', ({ params }) => {
          puts += 1;
          const i = Number(String(params.name).split('.')[0]);
          return HttpResponse.json(
            {
              id: `file_hostile${i}`,
              url: urls[i],
              kind: kinds[i % kinds.length],
              type: 'text/html',
              filesize: 1,
              filename: hostileName(i),
              status: 'ready',
            },
            { status: 201 },
          );
        }),
      );
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint="/mock/sign" retries="0" concurrency="10" multiple></itty-uploader>`,
      );
      const files: IttyFile[] = [];
      el.addEventListener('itty-upload-success', (event) => files.push(event.detail.file));
      el.addFiles(urls.map((_, i) => new File(['x'], `${i}.bin`)));
      await settled(el);
      expect(puts).to.equal(urls.length);
      files.sort((a, b) => String(a.id).localeCompare(String(b.id), 'en', { numeric: true }));
      // The uploader never reports such a url (value, form, events): it keeps the upload target's instead.
      expect(files.map((file) => file.url)).to.deep.equal(urls.map((_, i) => `${location.origin}/mock/store/${i}.bin`));

      // And <itty-file> never renders one, whoever built the File object.
      const shown = await showFiles(files.map((file, i) => ({ ...file, url: urls[i]! })));
      for (const [i, view] of shown.entries()) {
        const root = view.shadowRoot!;
        expect([urls[i], root.querySelectorAll('[src], [href]').length]).to.deep.equal([urls[i], 0]);
        expect(root.querySelector('img, video, audio, a')).to.equal(null);
        expect(part(view, 'card'), urls[i]).to.exist;
        expect(part(view, 'name')!.textContent).to.equal(hostileName(i));
        expect(injected(root)).to.deep.equal([]);
      }
      expect(pwned()).to.equal(undefined);
    });
  });
});
