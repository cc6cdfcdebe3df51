import { expect } from '@open-wc/testing';
import { xhrTransport } from '../../src/browser/xhr-transport.js';
import { UploadError } from '../../src/core/errors.js';
import { patternedBlob, sha256, signedUrl, stored, storedFiles, uniqueName } from '../helpers/browser.js';

afterEach(() => (globalThis as { gc?: () => void }).gc?.());

describe('xhrTransport against the real upload server', () => {
  it('reports monotonic progress for a 50 MB PUT and the server stores identical bytes', async () => {
    const size = 50 * 1024 * 1024;
    const blob = patternedBlob(size);
    const name = uniqueName('big.bin');
    const url = await signedUrl(name, size);
    const seen: number[] = [];
    const response = await xhrTransport.send(
      { url, method: 'PUT', headers: {}, body: blob },
      {
        signal: new AbortController().signal,
        progress: (sent, total) => {
          seen.push(sent);
          expect(total).to.equal(size);
        },
      },
    );
    expect(response.status).to.equal(201);
    const file = JSON.parse(response.text) as { filesize: number; id: string };
    expect(file.filesize).to.equal(size);
    expect(file.id).to.match(/^file_[a-z0-9]{12}$/);
    expect(seen.length).to.be.greaterThan(0);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).to.be.at.least(seen[i - 1]!);
    expect(seen.at(-1)).to.equal(size);
    const onDisk = await stored(`test/${name}`);
    expect(onDisk).to.deep.equal({ exists: true, size, sha256: await sha256(blob) });
  });

  it('exposes response headers and the body of an error', async () => {
    const url = (await signedUrl(uniqueName('x.bin'), 3)).replace(/signature=[^&]+/, 'signature=forged');
    const response = await xhrTransport.send(
      { url, method: 'PUT', headers: {}, body: new Blob(['abc']) },
      { signal: new AbortController().signal, progress: () => {} },
    );
    expect(response.status).to.equal(403);
    expect(JSON.parse(response.text).kind).to.equal('signature_invalid');
    expect(response.header('content-type')).to.contain('application/json');
  });

  it('aborts mid-body with an aborted UploadError and the server keeps nothing', async () => {
    const size = 40 * 1024 * 1024;
    const name = uniqueName('aborted.bin');
    const url = await signedUrl(name, size);
    const controller = new AbortController();
    const sending = xhrTransport.send(
      { url, method: 'PUT', headers: {}, body: patternedBlob(size) },
      {
        signal: controller.signal,
        progress: (sent) => {
          if (sent > 0) controller.abort();
        },
      },
    );
    setTimeout(() => controller.abort(), 50);
    const error = await sending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(UploadError);
    expect((error as UploadError).code).to.equal('aborted');
    // The server notices the dropped connection asynchronously: poll until its temp file is gone.
    let leftovers: string[] = [];
    for (let i = 0; i < 50; i++) {
      leftovers = (await storedFiles()).filter((file) => file.includes(name) || file.includes('.tmp'));
      if (leftovers.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(leftovers).to.deep.equal([]);
    expect((await stored(`test/${name}`)).exists).to.equal(false);
  });

  it('fails a request to an unreachable host with a network UploadError', async () => {
    const error = await xhrTransport
      .send(
        { url: 'http://127.0.0.1:9/nothing', method: 'PUT', headers: {}, body: new Blob(['x']) },
        { signal: new AbortController().signal, progress: () => {} },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((error as UploadError).code).to.equal('network');
  });
});
