// `<itty-file src>` fetches with code loaded on demand (chunks/file-src-*.js). When that chunk cannot load — a page
// offline from its CDN — the element shows its error state and fires itty-file-error with the code `unavailable`,
// naming the part (SPEC §1): never a loading state forever. Its own test file: the chunk must not have been loaded in
// this page before.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import { render } from 'lit';
import '../../src/file.js';
import type { IttyFileElement } from '../../src/elements/file.js';

const worker = setupWorker(http.get(/\/src\/elements\/file-src\.(js|ts)(\?|$)/, () => HttpResponse.error()));
const part = (el: IttyFileElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

describe('<itty-file src> without its chunk', () => {
  before(() =>
    worker.start({
      serviceWorker: { url: '/test/mocks/mockServiceWorker.js', options: { scope: '/' } },
      onUnhandledRequest: 'bypass',
      quiet: true,
    }),
  );

  it('shows the error state and fires itty-file-error with the code unavailable, naming the chunk', async () => {
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    const error = oneEvent(container, 'itty-file-error');
    render(html`<itty-file src="/test/fixtures/file-image.json"></itty-file>`, container);
    const el = container.querySelector('itty-file')!;
    const { detail } = await error;
    expect((detail.error as Error & { code?: string }).code).to.equal('unavailable');
    expect(detail.error.message).to.contain('file-src');
    await el.updateComplete;
    expect(part(el, 'loading')).to.equal(null);
    expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
    expect(part(el, 'error')!.textContent).to.contain('Could not load the file.');
    expect(part(el, 'retry-button')!.textContent).to.equal('Retry');
    expect(part(el, 'media')).to.equal(null);
    // Back online, the retry button imports the chunk again. Chromium fetches a module whose fetch failed again (the HTML
    // standard's rule today) and shows the file; an engine that keeps the failure answers `unavailable` again, in the
    // error state: never a loading state forever.
    worker.stop();
    const outcome = Promise.race([
      oneEvent(container, 'itty-file-load').then(() => 'load'),
      oneEvent(container, 'itty-file-error').then((event) => (event.detail.error as Error & { code?: string }).code),
    ]);
    part(el, 'retry-button')!.click();
    if ((await outcome) === 'load') expect(part(el, 'image')!.getAttribute('src')).to.equal('/test/fixtures/image-2x1.png');
    else {
      expect(await outcome).to.equal('unavailable');
      await el.updateComplete;
      expect(part(el, 'retry-button')).to.exist;
      expect(navigator.userAgent).not.to.contain('Chrome');
    }
  });
});
