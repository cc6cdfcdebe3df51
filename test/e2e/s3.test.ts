// Real S3-protocol storage: presigned PUT URLs made by the AWS SDK presigner, uploaded to by the element, into
// s3rver with SigV4 checks in front (test/helpers/s3-server.mjs). The page and the bucket are cross-origin,
// so the bucket's CORS rules are in play too.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import type { GetUploadUrl, IttyUploaderElement } from '../../src/elements/uploader.js';
import type { UploadTarget } from '../../src/core/types.js';
import { sha256, uniqueName } from '../helpers/browser.js';

// A real 2×1 PNG.
const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DAwMDAAAAO/wH/2Gm4XgAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);

interface Presign {
  bucket?: string;
  key: string;
  contentType?: string;
  signedSecondsAgo?: number;
}

async function presign(request: Presign, signal?: AbortSignal): Promise<UploadTarget> {
  const response = await fetch('/__test/s3/presign', { method: 'POST', body: JSON.stringify(request), signal: signal ?? null });
  if (!response.ok) throw new Error(`presign failed: ${response.status}`);
  return response.json();
}

interface StoredObject {
  exists: boolean;
  size?: number;
  sha256?: string;
  contentType?: string;
  etag?: string;
}

const object = async (key: string, bucket = 'uploads'): Promise<StoredObject> =>
  (await fetch(`/__test/s3/object?bucket=${bucket}&key=${encodeURIComponent(key)}`)).json();

const keys = async (bucket = 'uploads'): Promise<string[]> =>
  ((await (await fetch(`/__test/s3/keys?bucket=${bucket}`)).json()) as { keys: string[] }).keys;

const mount = (getUploadUrl: GetUploadUrl) =>
  fixture<IttyUploaderElement>(html`<itty-uploader multiple retries="0" .getUploadUrl=${getUploadUrl}></itty-uploader>`);

describe('uploads to S3 through presigned PUT URLs', () => {
  it('sends a signed Content-Type; the object lands intact and the element builds the File object itself', async () => {
    const key = `browser/${uniqueName('pixel.png')}`;
    const targets: UploadTarget[] = [];
    const el = await mount(async (file, { signal }) => {
      const target = await presign({ key, contentType: file.type }, signal);
      targets.push(target);
      return target;
    });
    const source = new File([PNG], 'pixel.png', { type: 'image/png' });
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([source]);
    const { detail } = await success;

    const [target] = targets;
    expect(target!.headers).to.deep.equal({ 'Content-Type': 'image/png' });
    expect(new URL(target!.url).searchParams.get('X-Amz-SignedHeaders')).to.equal('content-type;host');
    const landed = await object(key);
    expect(landed).to.include({ exists: true, size: PNG.length, sha256: await sha256(source), contentType: 'image/png' });

    const url = new URL(target!.url);
    url.search = '';
    expect(detail.file).to.deep.equal({
      url: url.href,
      type: 'image/png',
      kind: 'image',
      filesize: PNG.length,
      filename: 'pixel.png',
      etag: landed.etag,
      // Measured by the browser: S3 answers no File object.
      width: 2,
      height: 1,
    });
    expect(detail.file.etag).to.match(/^"[0-9a-f]{32}"$/);
    expect(el.value).to.deep.equal([detail.file]);

    // Wired to <itty-file> the way apps do it, the locally built object shows as a sized image.
    const view = document.createElement('itty-file');
    view.file = detail.file;
    document.body.append(view);
    await view.updateComplete;
    const img = view.shadowRoot!.querySelector<HTMLImageElement>('img[part~=image]')!;
    expect(img.getAttribute('src')).to.equal(url.href);
    expect([img.getAttribute('width'), img.getAttribute('height')]).to.deep.equal(['2', '1']);
    view.remove();
    // The object is readable at the File object's URL (the bucket's CORS rule allows GET from the page).
    expect(new Uint8Array(await (await fetch(detail.file.url)).arrayBuffer())).to.deep.equal(PNG);
  });

  it('sends a typeless body when the URL signs no Content-Type', async () => {
    const key = `browser/${uniqueName('notes.txt')}`;
    const el = await mount((_file, { signal }) => presign({ key }, signal));
    const source = new File(['plain text, no signed type'], 'notes.txt', { type: 'text/plain' });
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([source]);
    const { detail } = await success;
    const landed = await object(key);
    expect(landed).to.include({ exists: true, size: source.size, sha256: await sha256(source) });
    // No Content-Type was sent, so S3 stores its default rather than the browser's guess.
    expect(landed.contentType).to.not.equal('text/plain');
    expect(detail.file).to.include({ type: 'text/plain', kind: 'other', filesize: source.size, filename: 'notes.txt', etag: landed.etag });
  });

  it('gets no etag when the bucket does not expose the ETag header', async () => {
    const key = `browser/${uniqueName('a.bin')}`;
    const el = await mount((_file, { signal }) => presign({ bucket: 'no-etag', key }, signal));
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([new File([new Uint8Array(1000)], 'a.bin')]);
    const { detail } = await success;
    expect((await object(key, 'no-etag')).exists).to.equal(true);
    expect(detail.file).to.include({ kind: 'other', filesize: 1000 });
    expect(detail.file).to.not.have.property('etag');
  });

  it("fails with S3's own message when the signed Content-Type is not sent, and stores nothing", async () => {
    const key = `browser/${uniqueName('mismatch.png')}`;
    // Signed for image/png, but the target does not ask for the header, so none is sent.
    const el = await mount(async (_file, { signal }) => ({ url: (await presign({ key, contentType: 'image/png' }, signal)).url }));
    const failed = oneEvent(el, 'itty-upload-error');
    el.addFiles([new File([PNG], 'mismatch.png', { type: 'image/png' })]);
    const { error } = (await failed).detail;
    expect(error).to.include({ code: 'upload_failed', status: 403 });
    expect(error.serverMessage).to.match(/signature we calculated does not match/);
    expect(await keys()).to.not.include(key);
  });

  it('signs again once when S3 says the URL expired, and then succeeds', async () => {
    const key = `browser/${uniqueName('late.bin')}`;
    let calls = 0;
    // The first URL was signed 10 minutes ago, valid for 5: S3 answers 403 "Request has expired".
    const el = await mount((_file, { signal }) => presign({ key, signedSecondsAgo: calls++ === 0 ? 600 : 0 }, signal));
    const success = oneEvent(el, 'itty-upload-success');
    const source = new File([new Uint8Array(4096).fill(7)], 'late.bin');
    el.addFiles([source]);
    await success;
    expect(calls).to.equal(2);
    expect(await object(key)).to.include({ exists: true, size: 4096, sha256: await sha256(source) });
  });
});
