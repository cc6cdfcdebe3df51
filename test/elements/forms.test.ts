// <itty-uploader> in forms, as a native control: min-files, manual with required ("Upload the selected files first"),
// invalid while an upload is in flight, paused or finalizing; labels, willValidate, setCustomValidity, reportValidity.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import { validityOf } from '../../src/controllers/form-controller.js';
import en from '../../src/locales/en.js';
import { uniqueName } from '../helpers/browser.js';

const file = (base: string) => {
  const name = uniqueName(base);
  return new File([name], name, { type: 'text/plain' });
};

async function settled(el: IttyUploaderElement) {
  while (el.items.some((item) => item.status === 'queued' || item.status === 'signing' || item.status === 'uploading')) {
    await oneEvent(el, 'itty-queue-complete');
  }
  await el.updateComplete;
}

const inForm = async (uploader: ReturnType<typeof html>) => {
  const form = await fixture<HTMLFormElement>(html`<form>${uploader}</form>`);
  const el = form.querySelector('itty-uploader')!;
  await el.updateComplete;
  return { form, el };
};

describe('<itty-uploader> in forms', () => {
  describe('min-files', () => {
    it('is invalid (tooShort) until that many files are uploaded, with a plural message, then submits them all', async () => {
      const { form, el } = await inForm(
        html`<itty-uploader name="photos" endpoint="/upload-url" folder="forms" multiple min-files="2"></itty-uploader>`,
      );
      expect(el.minFiles).to.equal(2);
      expect([el.validity.tooShort, el.validity.valueMissing, el.validity.valid]).to.deep.equal([true, false, false]);
      expect(el.validationMessage).to.equal('Please upload at least 2 files.');
      expect(form.checkValidity()).to.equal(false);

      el.addFiles([file('one.txt')]);
      await settled(el);
      expect(el.value).to.have.length(1);
      expect(el.validity.tooShort, 'one of two').to.equal(true);
      expect(el.validationMessage).to.equal('Please upload at least 2 files.');

      el.addFiles([file('two.txt')]);
      await settled(el);
      expect(el.validity.valid).to.equal(true);
      expect(el.validationMessage).to.equal('');
      expect(form.checkValidity()).to.equal(true);
      expect(new FormData(form).getAll('photos')).to.deep.equal(el.value.map((stored) => stored.url));

      // A removed file no longer counts.
      el.remove(el.items[0]!.id);
      await el.updateComplete;
      expect(el.validity.tooShort).to.equal(true);
    });

    it('counts only uploaded files: failed and rejected ones do not', async () => {
      const { el } = await inForm(
        html`<itty-uploader endpoint="/upload-url" folder="forms" multiple min-files="1" accept=".txt" retries="0"></itty-uploader>`,
      );
      el.addFiles([new File(['x'], 'no.exe')]);
      await el.updateComplete;
      expect(el.items.map((item) => item.status)).to.deep.equal(['rejected']);
      expect(el.validity.tooShort).to.equal(true);
      // One file: the message of a required field.
      expect(el.validationMessage).to.equal(en.valueMissing);
      el.endpoint = '/no-such-endpoint';
      el.addFiles([file('fails.txt')]);
      await settled(el);
      expect(el.items.map((item) => item.status)).to.include('error');
      expect(el.validity.tooShort).to.equal(true);
      el.endpoint = '/upload-url';
      el.retry();
      await settled(el);
      expect(el.validity.valid).to.equal(true);
    });

    it('says the message in the element language', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div lang="de"><form><itty-uploader endpoint="/upload-url" min-files="3"></itty-uploader></form></div>`,
      );
      const el = wrapper.querySelector('itty-uploader')!;
      const de = (await import('../../src/locales/de.js')).default;
      const want = (de.tooFewFiles as { other: string }).other.replace('{count}', '3');
      for (let i = 0; i < 50 && el.validationMessage !== want; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(el.validationMessage).to.equal(want);
    });
  });

  describe('manual', () => {
    it('with required: invalid with "Upload the selected files first" until upload(), "in progress" while uploading, then valid', async () => {
      const { form, el } = await inForm(
        html`<itty-uploader name="f" endpoint="/upload-url" folder="forms" manual required></itty-uploader>`,
      );
      expect(el.validity.valueMissing).to.equal(true);
      expect(el.validationMessage).to.equal(en.valueMissing);
      el.addFiles([file('later.txt')]);
      await el.updateComplete;
      expect(el.items[0]!.status).to.equal('queued');
      expect([el.validity.customError, el.validity.valueMissing]).to.deep.equal([true, true]);
      expect(el.validationMessage).to.equal(en.uploadFirst);
      let submitted = false;
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        submitted = true;
      });
      const invalid = oneEvent(el, 'invalid');
      form.requestSubmit();
      await invalid;
      expect(submitted, 'an invalid form is not submitted').to.equal(false);

      el.upload();
      await el.updateComplete;
      expect(el.validationMessage).to.equal(en.uploadsInProgress);
      await settled(el);
      expect(el.validity.valid).to.equal(true);
      form.requestSubmit();
      expect(submitted).to.equal(true);
    });

    it('without required: selected files waiting for upload() make the form invalid all the same', async () => {
      const { el } = await inForm(html`<itty-uploader endpoint="/upload-url" folder="forms" manual></itty-uploader>`);
      expect(el.validity.valid).to.equal(true);
      el.addFiles([file('waiting.txt')]);
      await el.updateComplete;
      expect(el.validationMessage).to.equal(en.uploadFirst);
      el.clear();
      await el.updateComplete;
      expect(el.validity.valid).to.equal(true);
    });
  });

  it('is invalid while an upload is paused', async () => {
    const { el } = await inForm(html`<itty-uploader endpoint="/upload-url" folder="forms"></itty-uploader>`);
    el.addFiles([file('paused.txt')]);
    el.pause();
    await el.updateComplete;
    expect(el.items[0]!.status).to.equal('paused');
    expect([el.validity.customError, el.validationMessage]).to.deep.equal([true, en.uploadsInProgress]);
    el.resume();
    await settled(el);
    expect(el.validity.valid).to.equal(true);
  });

  it('validityOf: finalizing counts as in progress (by status name), interrupted and failed items as nothing', () => {
    const items = (...statuses: string[]) => statuses.map((status) => ({ status }));
    expect(validityOf(items('done', 'finalizing'), 1, {})).to.deep.equal({
      flags: { valueMissing: undefined, tooShort: false, customError: true },
      key: 'uploadsInProgress',
    });
    expect(validityOf(items('queued'), 0, { manual: true }).key).to.equal('uploadFirst');
    expect(validityOf(items('queued'), 0, {}).key).to.equal('uploadsInProgress');
    expect(validityOf(items('done', 'error', 'rejected', 'canceled', 'interrupted'), 1, { required: true, minFiles: 1 })).to.deep.equal({
      flags: { valueMissing: false, tooShort: false, customError: false },
      key: undefined,
    });
    expect(validityOf([], 0, { required: true, minFiles: 3 }).key).to.equal('tooFewFiles');
  });

  describe('the native form API', () => {
    it('has labels (for= and wrapping) like a native control', async () => {
      const form = await fixture<HTMLFormElement>(html`<form>
        <label for="up">Cover</label>
        <label>Also <itty-uploader id="up" endpoint="/upload-url"></itty-uploader></label>
      </form>`);
      const el = form.querySelector('itty-uploader')!;
      expect([...el.labels].map((label) => label.textContent!.trim())).to.deep.equal(['Cover', 'Also']);
      const alone = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url"></itty-uploader>`);
      expect(alone.labels).to.be.instanceOf(NodeList);
      expect(alone.labels.length).to.equal(0);
    });

    it('willValidate is false when disabled, in a disabled fieldset and in a datalist, as a native input', async () => {
      const form = await fixture<HTMLFormElement>(html`<form>
        <itty-uploader id="a" endpoint="/upload-url" required></itty-uploader>
        <fieldset><itty-uploader id="b" endpoint="/upload-url" required></itty-uploader><input id="bi" required /></fieldset>
        <datalist><itty-uploader id="c" endpoint="/upload-url" required></itty-uploader><input id="ci" required /></datalist>
      </form>`);
      const get = (id: string) => form.querySelector<IttyUploaderElement & HTMLInputElement>(`#${id}`)!;
      expect(get('a').willValidate).to.equal(true);
      expect(get('c').willValidate).to.equal(get('ci').willValidate);
      get('a').disabled = true;
      await get('a').updateComplete;
      expect(get('a').willValidate).to.equal(false);
      // A control that is not validated does not block the form (the required one is disabled).
      expect(get('a').checkValidity()).to.equal(true);
      form.querySelector('fieldset')!.disabled = true;
      expect([get('b').willValidate, get('bi').willValidate]).to.deep.equal([false, false]);
      expect(get('b').disabled, 'its own disabled stays false, as an input in a disabled fieldset').to.equal(false);
      expect(get('b').matches(':disabled')).to.equal(true);
    });

    it('setCustomValidity: invalid with that message through uploads and renders, until set back to ""', async () => {
      const { form, el } = await inForm(html`<itty-uploader name="f" endpoint="/upload-url" folder="forms"></itty-uploader>`);
      el.setCustomValidity('Choose a cover image');
      expect([el.validity.customError, el.validity.valid, el.validationMessage]).to.deep.equal([true, false, 'Choose a cover image']);
      expect(el.checkValidity()).to.equal(false);
      const invalid = oneEvent(el, 'invalid');
      expect(el.reportValidity()).to.equal(false);
      expect((await invalid).cancelable).to.equal(true);
      el.addFiles([file('custom.txt')]);
      await settled(el);
      expect(el.validationMessage, 'an upload does not clear it').to.equal('Choose a cover image');
      expect(form.checkValidity()).to.equal(false);
      el.setCustomValidity('');
      expect([el.validity.valid, el.validationMessage]).to.deep.equal([true, '']);
      expect(form.checkValidity()).to.equal(true);
      // A custom message over the element's own problem: the custom one is said, and the flag of the problem stays.
      el.required = true;
      el.clear();
      await el.updateComplete;
      el.setCustomValidity('Mine');
      expect([el.validity.valueMissing, el.validity.customError, el.validationMessage]).to.deep.equal([true, true, 'Mine']);
      el.setCustomValidity('');
      expect(el.validationMessage).to.equal(en.valueMissing);
    });
  });
});
