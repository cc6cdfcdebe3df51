import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import { patternedBlob, sha256, stored, uniqueName } from '../helpers/browser.js';

// Going offline for real (browser emulation) would also cut the test runner's own connection, so the
// test cuts the upload server's connections and tells the page it is offline, as a browser would.
// The page learns it is offline before the cut (and the server is back before the page hears so): otherwise
// the upload's error can win the race with the fetch that cuts it (it does in WebKitGTK).
async function setNetwork(up: boolean) {
  const tell = () => {
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => up });
    window.dispatchEvent(new Event(up ? 'online' : 'offline'));
  };
  if (!up) tell();
  await fetch(`/__test/network?down=${up ? 0 : 1}`, { method: 'POST' });
  if (up) tell();
}

describe('<itty-uploader> offline', () => {
  afterEach(async () => {
    await setNetwork(true);
    delete (navigator as { onLine?: boolean }).onLine;
  });

  it('pauses when the network goes away mid-upload and finishes when it is back, spending no retry', async () => {
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/upload-url" folder="offline" retries="0"></itty-uploader>`,
    );
    const blob = patternedBlob(48 * 1024 * 1024);
    const name = uniqueName('offline.bin');
    const errors: string[] = [];
    el.addEventListener('itty-upload-error', (event) => errors.push(event.detail.error.code));
    const cut = new Promise<void>((resolve) =>
      el.addEventListener('itty-upload-start', () => setTimeout(() => void setNetwork(false).then(resolve), 20), { once: true }),
    );
    const success = oneEvent(el, 'itty-upload-success');
    // The upload waits for the network by listening for `online` (browser/network.ts): that is the moment to look.
    const waiting = new Promise<void>((resolve) => {
      const listen = window.addEventListener;
      window.addEventListener = function (this: Window, ...args: Parameters<Window['addEventListener']>) {
        if (args[0] === 'online') {
          window.addEventListener = listen;
          resolve();
        }
        return listen.apply(this, args);
      } as Window['addEventListener'];
    });
    el.addFiles([new File([blob], name)]);
    await cut;
    await waiting;
    // With retries="0", a failure that was not paused would be final by now.
    expect(errors).to.deep.equal([]);
    expect(el.items[0]!.status).to.not.equal('error');
    await setNetwork(true);
    const { detail } = await success;
    expect(errors).to.deep.equal([]);
    expect(detail.file.filesize).to.equal(blob.size);
    expect(await stored(`offline/${name}`)).to.deep.equal({ exists: true, size: blob.size, sha256: await sha256(blob) });
  });
});
