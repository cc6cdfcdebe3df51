// What `<itty-file>` shows and its styles load on demand (chunks/file-view-*.js). When that chunk cannot load — a page
// offline from its CDN — the element shows an error state and fires itty-file-error with the code `unavailable`,
// naming the part (SPEC §1): never nothing in silence. Its own test file: the chunk must not have been loaded in this
// page before.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import { render } from 'lit';
import '../../src/file.js';
import type { IttyFileElement } from '../../src/elements/file.js';

const worker = setupWorker(http.get(/\/src\/elements\/file-view\.(js|ts)(\?|$)/, () => HttpResponse.error()));
const part = (el: IttyFileElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const pdf = { kind: 'other', type: 'application/pdf', url: '/files/report.pdf', filename: 'report.pdf', filesize: 1_200_000 };

describe('<itty-file> without its view chunk', () => {
  before(() =>
    worker.start({
      serviceWorker: { url: '/test/mocks/mockServiceWorker.js', options: { scope: '/' } },
      onUnhandledRequest: 'bypass',
      quiet: true,
    }),
  );

  it('shows an error state and fires itty-file-error with the code unavailable; reload() loads it once it can', async () => {
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    const error = oneEvent(container, 'itty-file-error');
    render(html`<itty-file .file=${pdf}></itty-file>`, container);
    const el = container.querySelector('itty-file')!;
    const { detail } = await error;
    expect((detail.error as Error & { code?: string }).code).to.equal('unavailable');
    expect(detail.error.message).to.contain('file-view');
    await el.updateComplete;
    expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
    expect(part(el, 'error')!.textContent).to.equal('Could not load the file.');
    expect(part(el, 'card')).to.equal(null);
    // Back online, reload() imports the view again. Chromium fetches a module whose fetch failed again (the HTML
    // standard's rule today), and the view brings its styles; an engine that keeps the failure answers `unavailable`
    // again, in the error state.
    worker.stop();
    const again = oneEvent(container, 'itty-file-error');
    await el.reload();
    await el.updateComplete;
    if (part(el, 'card')) {
      expect(part(el, 'error')).to.equal(null);
      expect(part(el, 'name')!.textContent).to.equal('report.pdf');
      expect(getComputedStyle(part(el, 'card')!).display).to.equal('flex');
      expect(getComputedStyle(part(el, 'link')!).fontWeight).to.equal('600');
    } else {
      expect((await again).detail.error.message).to.contain('file-view');
      expect(part(el, 'error')).to.exist;
      expect(navigator.userAgent).not.to.contain('Chrome');
    }
  });
});
