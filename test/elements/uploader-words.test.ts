// Nothing silent (issue 19, first part): rejected files stay in the list with the reason in words, every text comes
// from the language's string pack (`lang` inherited, packs loaded on demand, `strings` over them, right to left for
// ar and he), and uploads waiting for the network say so.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import de from '../../src/locales/de.js';
import en from '../../src/locales/en.js';
import ptBR from '../../src/locales/pt-BR.js';
import { expectNoSeriousAxeViolations } from '../helpers/axe.js';
import { uniqueName } from '../helpers/browser.js';

const shadow = (el: Element) => el.shadowRoot!;
const part = (el: Element, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const parts = (el: Element, name: string) => [...shadow(el).querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
const text = (node: Element | null) => node?.textContent?.trim().replace(/\s+/g, ' ') ?? '';
const region = (el: Element) => shadow(el).querySelector('[role=status]')!;

/** What the live region says from now on, every change of it. */
function listen(el: Element): string[] {
  const heard: string[] = [];
  new MutationObserver(() => heard.push(text(region(el)))).observe(region(el), { childList: true, characterData: true, subtree: true });
  return heard;
}

/** Runs `fn` with errors thrown by event listeners caught (the browser reports them to `window.onerror`), returning them. */
function catchReported(fn: () => void): unknown[] {
  const reported: unknown[] = [];
  const previous = window.onerror;
  window.onerror = (_message, _source, _line, _column, error) => {
    reported.push(error);
    return true;
  };
  try {
    fn();
  } finally {
    window.onerror = previous;
  }
  return reported;
}

describe('<itty-uploader> nothing silent', () => {
  describe('rejected rows', () => {
    it('lists every refused file with the reason in words and a remove button, and announces it; none is uploaded', async () => {
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint="/upload-url" folder="rejected" accept="image/*,.pdf" max-size="10B" min-size="1" max-files="2" multiple></itty-uploader>`,
      );
      const heard = listen(el);
      const started: string[] = [];
      el.addEventListener('itty-upload-start', (event) => started.push(event.detail.item.source!.name));
      const ok = new File(['1234'], uniqueName('ok.png'), { type: 'image/png', lastModified: 1 });
      // One of each reason: type, too large, too small, duplicate (of ok), count (the third file).
      el.addFiles([
        ok,
        new File(['x'], 'notes.txt', { type: 'text/plain' }),
        new File(['12345678901'], 'big.png', { type: 'image/png' }),
        new File([], 'empty.pdf'),
        new File(['1234'], ok.name, { type: 'image/png', lastModified: 1 }),
        new File(['1'], 'b.pdf'),
        new File(['2'], 'c.gif', { type: 'image/gif' }),
      ]);
      await el.updateComplete;
      const rejected = el.items.filter((item) => item.status === 'rejected');
      expect(rejected.map((item) => [item.source.name, item.status === 'rejected' && item.reason])).to.deep.equal([
        ['notes.txt', 'type'],
        ['big.png', 'size'],
        ['empty.pdf', 'size'],
        [ok.name, 'duplicate'],
        ['c.gif', 'count'],
      ]);
      const rows = parts(el, 'item-rejected');
      expect(rows.map((row) => row.getAttribute('part'))).to.deep.equal(rows.map(() => 'item item-rejected'));
      const words = rows.map((row) => text(row.querySelector('[part=error]')));
      expect(words).to.deep.equal([
        'notes.txt is not an accepted file type (image/*,.pdf).',
        'big.png is too large: the limit is 10 bytes.',
        'empty.pdf is too small: the minimum is 1 byte.',
        `${ok.name} is already in the list.`,
        'c.gif was not added: at most 2 files are allowed.',
      ]);
      expect(rows.map((row) => text(row.querySelector('[part=status]')))).to.deep.equal(rows.map(() => en.statusRejected));
      expect(rows.map((row) => row.querySelector('[part=remove-button]')?.getAttribute('aria-label'))).to.deep.equal(
        rejected.map((item) => `Remove ${item.source.name}`),
      );
      expect(rows.some((row) => row.querySelector('[part=progress], [part=cancel-button], [part=retry-button]'))).to.equal(false);
      // Each refusal is said in the live region.
      for (const message of words) expect(heard.join(' ')).to.contain(message);
      // The accepted files upload; the rejected ones never start and are no part of `value`.
      await oneEvent(el, 'itty-queue-complete');
      expect(started.sort()).to.deep.equal([ok.name, 'b.pdf'].sort());
      expect(el.value).to.have.length(2);
      expect(el.items.filter((item) => item.status === 'rejected')).to.have.length(5);

      // The remove button takes one rejected row away, nothing else (`value` did not change: no `change`).
      let changes = 0;
      el.addEventListener('change', () => changes++);
      (rows[0]!.querySelector('[part=remove-button]') as HTMLButtonElement).click();
      await el.updateComplete;
      expect(parts(el, 'item-rejected').map((row) => text(row.querySelector('[part=name]')))).to.deep.equal([
        'big.png',
        'empty.pdf',
        ok.name,
        'c.gif',
      ]);
      expect(changes).to.equal(0);
      expect(el.value).to.have.length(2);
      // The next selection replaces them; clear() removes them too.
      el.addFiles([new File(['x'], 'other.txt', { type: 'text/plain' })]);
      await el.updateComplete;
      expect(parts(el, 'item-rejected').map((row) => text(row.querySelector('[part=name]')))).to.deep.equal(['other.txt']);
      el.clear();
      await el.updateComplete;
      expect(el.items).to.deep.equal([]);
      expect(part(el, 'list')).to.equal(null);
    });

    it('keeps a file out of the list when the app cancels its itty-reject', async () => {
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint="/upload-url" accept=".txt" multiple manual></itty-uploader>`,
      );
      const heard = listen(el);
      el.addEventListener('itty-reject', (event) => {
        expect(event.cancelable).to.equal(true);
        if (event.detail.source.name === 'handled.exe') event.preventDefault();
      });
      el.addFiles([new File(['x'], 'handled.exe'), new File(['y'], 'shown.exe'), new File(['z'], 'fine.txt')]);
      await el.updateComplete;
      expect(el.items.map((item) => `${item.source!.name} ${item.status}`)).to.deep.equal(['fine.txt queued', 'shown.exe rejected']);
      expect(heard.join(' ')).to.contain('shown.exe');
      expect(heard.join(' ')).to.not.contain('handled.exe');
    });

    it('goes on with the other files when an itty-reject listener throws', async () => {
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint="/upload-url" accept=".txt" multiple manual></itty-uploader>`,
      );
      const heardByLater: string[] = [];
      el.addEventListener('itty-reject', () => {
        throw new Error('a broken listener');
      });
      el.addEventListener('itty-reject', (event) => heardByLater.push(event.detail.source.name));
      const reported = catchReported(() => el.addFiles([new File(['a'], 'a.exe'), new File(['b'], 'b.exe'), new File(['c'], 'c.txt')]));
      await el.updateComplete;
      expect(reported.map((error) => (error as Error).message)).to.deep.equal(['a broken listener', 'a broken listener']);
      expect(heardByLater).to.deep.equal(['a.exe', 'b.exe']);
      expect(el.items.map((item) => `${item.source!.name} ${item.status}`)).to.deep.equal([
        'c.txt queued',
        'a.exe rejected',
        'b.exe rejected',
      ]);
    });

    it('shows a failed upload in words, with the server’s message as a detail', async () => {
      const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" retries="0"></itty-uploader>`);
      el.getUploadUrl = () => Promise.reject(new Error('no URL today'));
      const failed = oneEvent(el, 'itty-upload-error');
      el.addFiles([new File(['x'], 'a.txt')]);
      expect((await failed).detail.error.code).to.equal('sign_failed');
      await el.updateComplete;
      expect(text(part(el, 'status'))).to.equal(en.statusFailed);
      // The code's words, then what the app or server said (here getUploadUrl's own error) as a detail.
      expect(text(part(el, 'error'))).to.equal(`${en.errorSignFailed} no URL today`);
      expect(text(region(el))).to.contain(`a.txt failed: ${en.errorSignFailed}`);
    });
  });

  describe('words', () => {
    it('speaks the language of the nearest ancestor with lang, once its pack has loaded, sizes included', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div lang="de"><itty-uploader endpoint="/upload-url" max-size="1.5kB" multiple manual></itty-uploader></div>`,
      );
      const el = wrapper.querySelector('itty-uploader')!;
      await waitUntil(() => text(part(el, 'browse-button')) === de.browse, 'the German pack');
      expect(text(part(el, 'prompt'))).to.equal(de.prompt);
      el.addFiles([new File([new Uint8Array(1234)], 'a.bin'), new File([new Uint8Array(2000)], 'b.bin')]);
      await el.updateComplete;
      expect(text(part(el, 'size'))).to.equal('1,23 kB');
      expect(text(part(el, 'status'))).to.equal(de.statusQueued);
      expect(text(part(el, 'error'))).to.equal('b.bin ist zu groß (höchstens 1,5 kB).');
      expect(el.getAttribute('dir')).to.equal(null);
      // The ancestor's lang changes: the element follows.
      wrapper.setAttribute('lang', 'pt-PT');
      await waitUntil(() => text(part(el, 'browse-button')) === ptBR.browse, 'pt-PT gets the pt-BR pack');
      wrapper.setAttribute('lang', 'xx');
      await waitUntil(() => text(part(el, 'browse-button')) === en.browse, 'a language without a pack gets English');
    });

    it('takes any entry from strings over the pack, and 0.1’s renamed keys; ignores the rest with a warning', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div lang="de"><itty-uploader endpoint="/upload-url" manual></itty-uploader></div>`,
      );
      const el = wrapper.querySelector('itty-uploader')!;
      const warnings: unknown[][] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args);
      try {
        el.strings = {
          browse: 'Auswählen',
          cancel: 'Stopp: {name}',
          queued: 'Wartet noch',
          retry: (name: string) => `Nochmal ${name}`,
          nonsense: 'x',
          prompt: 42,
          uploadFiles: { other: '{count} hochladen', one: 1 },
        } as never;
        await waitUntil(() => text(part(el, 'prompt')) === de.prompt, 'the German pack');
      } finally {
        console.warn = warn;
      }
      expect(text(part(el, 'browse-button'))).to.equal('Auswählen');
      el.addFiles([new File(['x'], 'a.txt')]);
      await el.updateComplete;
      expect(part(el, 'cancel-button')!.getAttribute('aria-label')).to.equal('Stopp: a.txt');
      expect(text(part(el, 'status'))).to.equal('Wartet noch');
      // Unknown keys and values that are not texts (0.1's functions included) are ignored, each with a warning.
      expect([...new Set(warnings.map((args) => String(args[0]).match(/strings\.(\w+)/)?.[1]))].sort()).to.deep.equal([
        'nonsense',
        'prompt',
        'retry',
        'uploadFiles',
      ]);
    });

    it('reads 0.1’s count texts: rejectCountOne, and rejectCount with {limit}', async () => {
      const el = await fixture<IttyUploaderElement>(
        html`<itty-uploader endpoint="/upload-url" max-files="2" multiple manual></itty-uploader>`,
      );
      el.strings = { rejectCount: '{name}: höchstens {limit}', rejectCountOne: '{name}: nur eine' };
      el.addFiles(['a', 'b', 'c'].map((name) => new File([name], `${name}.txt`)));
      await el.updateComplete;
      expect(text(part(el, 'error'))).to.equal('c.txt: höchstens 2');
      const single = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual></itty-uploader>`);
      single.strings = { rejectCount: '{name}: höchstens {limit}', rejectCountOne: '{name}: nur eine' };
      single.addFiles(['a', 'b'].map((name) => new File([name], `${name}.txt`)));
      await single.updateComplete;
      expect(text(part(single, 'error'))).to.equal('b.txt: nur eine');
    });

    it('lays out right to left for Arabic and Hebrew', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div lang="ar"><itty-uploader endpoint="/upload-url" manual></itty-uploader></div>`,
      );
      const el = wrapper.querySelector('itty-uploader')!;
      await waitUntil(() => el.getAttribute('dir') === 'rtl', 'dir follows the language');
      expect(getComputedStyle(part(el, 'dropzone')!).direction).to.equal('rtl');
      el.addFiles([new File(['x'], 'a.txt')]);
      await el.updateComplete;
      // The bar fills from the right: its transform origin is its right edge (0px in left to right).
      expect(parseFloat(getComputedStyle(part(el, 'progress-bar')!).transformOrigin)).to.be.greaterThan(0);
      // A page's own dir wins; back to a left-to-right language, the element's own dir goes.
      wrapper.setAttribute('lang', 'de');
      await waitUntil(() => !el.hasAttribute('dir'), 'ltr again');
      el.setAttribute('dir', 'ltr');
      wrapper.setAttribute('lang', 'he');
      await waitUntil(
        () => text(part(el, 'browse-button')) !== 'Dateien auswählen' && text(part(el, 'browse-button')) !== en.browse,
        'the Hebrew pack',
      );
      expect(el.getAttribute('dir')).to.equal('ltr');
    });
  });

  describe('offline', () => {
    afterEach(() => {
      delete (navigator as { onLine?: boolean }).onLine;
      window.dispatchEvent(new Event('online'));
    });

    it('says "Waiting for network" on rows in flight while offline, with the host attribute offline', async () => {
      const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" multiple></itty-uploader>`);
      el.getUploadUrl = () => new Promise(() => {});
      el.addFiles([new File(['x'], 'a.txt')]);
      await el.updateComplete;
      expect(el.hasAttribute('offline')).to.equal(false);
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
      window.dispatchEvent(new Event('offline'));
      await el.updateComplete;
      expect(el.hasAttribute('offline')).to.equal(true);
      expect(el.matches(':state(offline)')).to.equal(true);
      expect(text(part(el, 'status'))).to.equal(en.statusOffline);
      delete (navigator as { onLine?: boolean }).onLine;
      window.dispatchEvent(new Event('online'));
      await el.updateComplete;
      expect(el.hasAttribute('offline')).to.equal(false);
      expect(text(part(el, 'status'))).to.equal(en.statusPreparing);
      el.cancel();
    });
  });

  describe('accessibility (axe) with rejected rows', () => {
    const withRows = async (lang: string) => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div lang=${lang}><itty-uploader endpoint="/upload-url" accept=".txt" max-size="10B" multiple manual></itty-uploader></div>`,
      );
      const el = wrapper.querySelector('itty-uploader')!;
      if (lang !== 'en') await waitUntil(() => text(part(el, 'browse-button')) !== en.browse, 'the pack');
      el.addFiles([new File(['x'], 'ok.txt'), new File(['x'], 'no.exe'), new File(['12345678901'], 'big.txt')]);
      await el.updateComplete;
      expect(parts(el, 'item-rejected')).to.have.length(2);
      return el;
    };

    it('has no serious violations in light and dark', async () => {
      const el = await withRows('en');
      await expectNoSeriousAxeViolations(el);
      // emulateMedia needs CDP: Chromium checks the dark scheme, Firefox and WebKit only the light one.
      if (!/Chrome\//.test(navigator.userAgent)) return;
      // The element follows the page's color-scheme (a page that declares none stays light).
      document.documentElement.style.colorScheme = 'light dark';
      await emulateMedia({ colorScheme: 'dark' });
      try {
        // The drop zone's colours fade (0.15 s): check once every transition has ended.
        await waitUntil(() => shadow(el).getAnimations().length === 0, 'the fade');
        await expectNoSeriousAxeViolations(el);
      } finally {
        await emulateMedia({ colorScheme: 'light' });
        document.documentElement.style.colorScheme = '';
      }
    });

    it('has no serious violations right to left', async () => {
      const el = await withRows('ar');
      expect(el.getAttribute('dir')).to.equal('rtl');
      await expectNoSeriousAxeViolations(el);
    });
  });
});
