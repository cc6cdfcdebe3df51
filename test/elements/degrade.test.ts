// The DOM emulations that app unit tests use lack parts of the platform: jsdom has no ResizeObserver and no
// ElementInternals.setFormValue, happy-dom no attachInternals, older engines no CustomStateSet. Here each part is
// taken away from a real browser before an element is made: the element must render, take part in a form as far as
// it can, and upload, without throwing (SPEC §1 v2).
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import { uniqueName } from '../helpers/browser.js';

/** Takes `name` away from `target` (own or inherited) until the returned function puts it back. */
function without(target: object, name: string): () => void {
  let owner: object | null = target;
  while (owner && !Object.hasOwn(owner, name)) owner = Object.getPrototypeOf(owner);
  const descriptor = owner ? Object.getOwnPropertyDescriptor(owner, name) : undefined;
  if (owner) delete (owner as Record<string, unknown>)[name];
  return () => {
    if (owner && descriptor) Object.defineProperty(owner, name, descriptor);
  };
}

const cases: [string, () => Array<() => void>][] = [
  [
    'no ResizeObserver and no IntersectionObserver (jsdom)',
    () => [without(window, 'ResizeObserver'), without(window, 'IntersectionObserver')],
  ],
  ['no attachInternals (happy-dom)', () => [without(HTMLElement.prototype, 'attachInternals')]],
  ['no ElementInternals.setFormValue (jsdom)', () => [without(ElementInternals.prototype, 'setFormValue')]],
  [
    'no ElementInternals.setValidity, checkValidity or reportValidity',
    () => ['setValidity', 'checkValidity', 'reportValidity'].map((name) => without(ElementInternals.prototype, name)),
  ],
  ['no CustomStateSet (ElementInternals.states)', () => [without(ElementInternals.prototype, 'states')]],
];

describe('<itty-uploader> in a DOM emulation', () => {
  for (const [what, takeAway] of cases) {
    it(`renders in a form, uploads and answers the form API with ${what}`, async () => {
      const restore = takeAway();
      try {
        const form = await fixture<HTMLFormElement>(
          html`<form><label for="up">Files</label><itty-uploader id="up" name="files" endpoint="/upload-url" folder="degrade" required></itty-uploader></form>`,
        );
        const el = form.querySelector<IttyUploaderElement>('itty-uploader')!;
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('[part=browse-button]')).to.exist;
        expect(typeof el.checkValidity()).to.equal('boolean');
        expect(typeof el.reportValidity()).to.equal('boolean');
        expect(typeof el.willValidate).to.equal('boolean');
        expect(el.labels.length).to.be.at.most(1);
        expect(typeof el.validity.valid).to.equal('boolean');
        el.setCustomValidity('');
        const name = uniqueName('degrade.txt');
        const success = oneEvent(el, 'itty-upload-success');
        el.addFiles([new File(['degrade'], name, { type: 'text/plain' })]);
        expect((await success).detail.file.filename).to.equal(name);
        await el.updateComplete;
        expect(el.value).to.have.length(1);
        expect(el.hasAttribute('uploading')).to.equal(false);
      } finally {
        for (const put of restore) put();
      }
    });
  }

  it('renders a long list with no ResizeObserver and no requestAnimationFrame (jsdom)', async () => {
    const restore = [without(window, 'ResizeObserver'), without(window, 'requestAnimationFrame')];
    try {
      const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
      el.addFiles(Array.from({ length: 150 }, (_, i) => new File([String(i)], `long-${i}.txt`, { type: 'text/plain' })));
      await el.updateComplete;
      // The window of a long list loads on demand; the element renders again once it has.
      await import('../../src/controllers/list-window.js');
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve));
      await el.updateComplete;
      const rows = el.shadowRoot!.querySelectorAll('[part~=item]');
      expect(rows.length).to.be.within(2, 150);
      expect(rows[0]!.querySelector('[part=name]')!.textContent).to.equal('long-0.txt');
    } finally {
      for (const put of restore) put();
    }
  });
});
