// The words chunk (every word besides the drop zone's, and the rows' styles) cannot load — a page offline from its
// CDN: the drop zone still says its words, rows and rejections say a few built-in English words, never a key's name
// and never nothing. Its own test file: the chunk must not have been loaded in this page before.
import { expect, fixture, html } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';

const worker = setupWorker(http.get(/\/src\/elements\/words\.(js|ts)(\?|$)/, () => HttpResponse.error()));
const text = (node: Element | null | undefined) => node?.textContent?.trim().replace(/\s+/g, ' ') ?? '';
/** Every text and label of the element's shadow tree. */
const said = (el: Element) =>
  [el.shadowRoot!.textContent, ...[...el.shadowRoot!.querySelectorAll('[aria-label]')].map((node) => node.getAttribute('aria-label'))].join(
    ' | ',
  );

describe('<itty-uploader> without its words chunk', () => {
  const warned: unknown[][] = [];
  const originalWarn = console.warn;
  before(async () => {
    await worker.start({
      serviceWorker: { url: '/test/mocks/mockServiceWorker.js', options: { scope: '/' } },
      onUnhandledRequest: 'bypass',
      quiet: true,
    });
    console.warn = (...args: unknown[]) => warned.push(args);
  });
  after(() => {
    console.warn = originalWarn;
    worker.stop();
  });

  it('keeps the drop zone, and rows and rejections say a few English words', async () => {
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/upload-url" accept="image/*" manual multiple></itty-uploader>`,
    );
    expect(warned.some(([message]) => String(message).includes('the words could not be loaded'))).to.equal(true);
    expect(text(el.shadowRoot!.querySelector('[part=prompt]'))).to.equal('Drop files here, paste, or');
    expect(text(el.shadowRoot!.querySelector('[part=browse-button]'))).to.equal('Browse files');

    const messages: string[] = [];
    el.addEventListener('itty-reject', (event) => messages.push(event.detail.message));
    const added = el.addFiles([
      new File(['1234'], 'photo.png', { type: 'image/png' }),
      new File(['x'], 'notes.txt', { type: 'text/plain' }),
    ]);
    expect(added.map((item) => item.source!.name)).to.deep.equal(['photo.png']);
    await el.updateComplete;
    expect(messages).to.deep.equal(['Not added']);
    expect(el.items.map((item) => item.status)).to.deep.equal(['queued', 'rejected']);
    const rows = [...el.shadowRoot!.querySelectorAll('[part~=item]')];
    expect(rows.map((row) => text(row.querySelector('[part=status]')))).to.deep.equal(['Waiting', 'Not added']);
    expect(rows.map((row) => text(row.querySelector('[part=size]')))).to.deep.equal(['4 B', '1 B']);
    expect(rows[0]!.querySelector('[part=cancel-button]')?.getAttribute('aria-label')).to.equal('Cancel photo.png');
    expect(rows[1]!.querySelector('[part=remove-button]')?.getAttribute('aria-label')).to.equal('Remove notes.txt');
    // Sized without the chunk's styles: a thumbnail is the theme's 40px, a button's icon 18px.
    expect(rows[0]!.querySelector('[part=thumbnail]')!.getBoundingClientRect().width).to.equal(40);
    expect(rows[0]!.querySelector('[part=cancel-button] svg')!.getBoundingClientRect().width).to.equal(18);
    expect(said(el)).not.to.match(/\b(status|reject|error|announce|summary)[A-Z]\w*/);
  });
});
