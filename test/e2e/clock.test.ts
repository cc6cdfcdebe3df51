// SPEC §5.1 Clocks against the real upload server: this page's clock is three hours off (ahead, then behind). The
// element reads the signing answer's `Date` header (same origin: readable), so it neither signs again and again nor
// refuses a URL the server just made; the upload lands.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import { sha256, stored, uniqueName } from '../helpers/browser.js';

const HOUR = 3600 * 1000;
const realNow = Date.now;
let skew = 0;
// The element's clock is `Date.now`, read when its modules load: set it off before they do.
Date.now = () => realNow() + skew;
await import('../../src/index.js');

let signs = 0;
const realFetch = window.fetch;
window.fetch = (input, init) => {
  if (String(input instanceof Request ? input.url : input).includes('/upload-url')) signs += 1;
  return realFetch(input, init);
};

for (const [label, offset] of [
  ['three hours ahead', 3 * HOUR],
  ['three hours behind', -3 * HOUR],
] as const) {
  describe(`a device clock ${label}`, () => {
    before(() => {
      skew = offset;
    });
    after(() => {
      skew = 0;
    });

    it('signs once and uploads (single PUT and chunked)', async () => {
      for (const chunkSize of [undefined, 64 * 1024]) {
        signs = 0;
        const el = await fixture<IttyUploaderElement>(
          html`<itty-uploader endpoint="/upload-url" folder="clock" retries="0"></itty-uploader>`,
        );
        if (chunkSize) el.chunkSize = chunkSize;
        const source = new File([new Uint8Array(200 * 1024).map((_, i) => i % 251)], uniqueName('clock.bin'));
        const success = oneEvent(el, 'itty-upload-success');
        el.addFiles([source]);
        const { detail } = await success;
        expect(signs, `signing requests (chunk size ${chunkSize})`).to.equal(1);
        const path = new URL(detail.file.url).pathname.replace(/^\/uploads\//, '');
        expect(await stored(decodeURIComponent(path))).to.include({ exists: true, size: source.size, sha256: await sha256(source) });
      }
    });
  });
}
