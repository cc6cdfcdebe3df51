import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import type { UploadItem } from '../../src/events.js';
import { patternedBlob, sha256, stored, storedFiles, uniqueName } from '../helpers/browser.js';
import { expectNoSeriousAxeViolations } from '../helpers/axe.js';

// A real 2×1 PNG (red, blue): the server must report width 2, height 1.
const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DAwMDAAAAO/wH/2Gm4XgAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);

const mount = (template = html`<itty-uploader endpoint="/upload-url" folder="el" multiple></itty-uploader>`) =>
  fixture<IttyUploaderElement>(template);

const shadow = (el: Element) => el.shadowRoot!;
const part = (el: Element, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const parts = (el: Element, name: string) => [...shadow(el).querySelectorAll<HTMLElement>(`[part~="${name}"]`)];

async function settled(el: IttyUploaderElement) {
  while (el.items.some((item) => item.status === 'queued' || item.status === 'signing' || item.status === 'uploading')) {
    await oneEvent(el, 'itty-queue-complete');
  }
  await el.updateComplete;
}

describe('<itty-uploader>', () => {
  describe('rendering and the picker', () => {
    it('renders a drop zone whose browse button is the first tab stop and the file input never is', async () => {
      const before = document.createElement('button');
      before.textContent = 'before';
      document.body.prepend(before);
      const el = await mount();
      before.focus();
      await sendKeys({ press: 'Tab' });
      expect(shadow(el).activeElement).to.equal(part(el, 'browse-button'));
      const input = shadow(el).querySelector('input[type=file]') as HTMLInputElement;
      expect(input.tabIndex).to.equal(-1);
      expect(input.hidden).to.equal(true);
      before.remove();
    });

    it('passes accept, multiple, capture and directory to the file input', async () => {
      const el = await mount(
        html`<itty-uploader endpoint="/upload-url" accept="image/*" multiple capture="environment" directory></itty-uploader>`,
      );
      const input = shadow(el).querySelector('input[type=file]') as HTMLInputElement;
      expect([input.accept, input.multiple, input.getAttribute('capture'), input.webkitdirectory]).to.deep.equal([
        'image/*',
        true,
        'environment',
        true,
      ]);
      el.directory = false;
      el.removeAttribute('capture');
      await el.updateComplete;
      expect([input.webkitdirectory, input.hasAttribute('capture')]).to.deep.equal([false, false]);
    });

    it('opens the picker from the keyboard and from a click on the drop zone', async () => {
      const el = await mount();
      const input = shadow(el).querySelector('input[type=file]') as HTMLInputElement;
      let opened = 0;
      input.addEventListener('click', (event) => {
        opened++;
        event.preventDefault();
      });
      part(el, 'browse-button')!.focus();
      await sendKeys({ press: 'Enter' });
      // ' ' rather than 'Space': Puppeteer's Firefox (BiDi) driver knows only the former.
      await sendKeys({ press: ' ' });
      part(el, 'dropzone')!.click();
      expect(opened).to.equal(3);
    });

    it('renders hostile file names and server messages as text', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="xss" manual></itty-uploader>`);
      const name = '<img src=x onerror="window.__pwned=1">.png';
      el.addFiles([new File(['x'], name, { type: 'text/plain' })]);
      await el.updateComplete;
      expect(part(el, 'name')!.textContent).to.equal(name);
      expect(shadow(el).querySelector('img[src=x]')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    });
  });

  describe('uploading', () => {
    it('signs, uploads and reports the File object of a real image, with the bytes stored intact', async () => {
      const el = await mount();
      const name = uniqueName('pixel.png');
      const source = new File([PNG], name, { type: 'image/png' });
      const started = oneEvent(el, 'itty-upload-start');
      const success = oneEvent(el, 'itty-upload-success');
      const change = oneEvent(el, 'change');
      const [item] = el.addFiles([source]);
      expect(item!.status).to.equal('queued');
      expect((await started).detail.item.source).to.equal(source);
      const { detail } = await success;
      await change;
      expect(detail.file).to.include({
        kind: 'image',
        type: 'image/png',
        width: 2,
        height: 1,
        filesize: PNG.length,
        filename: name,
        folder: 'el',
      });
      expect(detail.file.id).to.match(/^file_/);
      expect(el.value).to.deep.equal([detail.file]);
      expect(el.items[0]!.status).to.equal('done');
      expect(await stored(`el/${name}`)).to.deep.equal({ exists: true, size: PNG.length, sha256: await sha256(new Blob([PNG])) });
      const view = await (await fetch(detail.file.url)).arrayBuffer();
      expect(new Uint8Array(view)).to.deep.equal(PNG);
      await el.updateComplete;
      expect(part(el, 'item')!.getAttribute('part')).to.equal('item item-done');
      expect(part(el, 'progress')!.getAttribute('aria-valuenow')).to.equal('100');
      // Not "Uploading …" once it is done: the label holds in every state the bar shows.
      expect(part(el, 'progress')!.getAttribute('aria-label')).to.equal(`Upload of ${name}`);
      expect(part(el, 'name')!.textContent).to.equal(name);
      // The preview is decoded at thumbnail size, then shown (issue 21).
      await waitUntil(() => /^blob:/.test((part(el, 'thumbnail') as HTMLImageElement).src ?? ''), 'the preview');
    });

    it('uploads in chunks when the file is larger than chunk-size, storing identical bytes', async () => {
      const el = await mount(
        html`<itty-uploader endpoint="/upload-url" folder="chunks" chunk-size="1MiB" parallel-chunks="2"></itty-uploader>`,
      );
      const blob = patternedBlob(5 * 1024 * 1024 + 123);
      const name = uniqueName('chunked.bin');
      const success = oneEvent(el, 'itty-upload-success');
      el.addFiles([new File([blob], name)]);
      const { detail } = await success;
      expect(detail.file.filesize).to.equal(blob.size);
      expect(await stored(`chunks/${name}`)).to.deep.equal({ exists: true, size: blob.size, sha256: await sha256(blob) });
    });

    it('waits for upload() in manual mode', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="manual" manual></itty-uploader>`);
      el.addFiles([new File(['hello'], uniqueName('m.txt'), { type: 'text/plain' })]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(el.items[0]!.status).to.equal('queued');
      const success = oneEvent(el, 'itty-upload-success');
      el.upload();
      expect((await success).detail.file.kind).to.equal('other');
    });

    it('cancels an upload in flight: a cancel event, a retry button, and nothing stored', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="cancel"></itty-uploader>`);
      const name = uniqueName('cancel.bin');
      el.addEventListener('itty-upload-progress', () => el.cancel(), { once: true });
      el.addEventListener('itty-upload-start', () => setTimeout(() => el.cancel(), 30), { once: true });
      const canceled = oneEvent(el, 'itty-upload-cancel');
      el.addFiles([new File([patternedBlob(60 * 1024 * 1024)], name)]);
      await canceled;
      await el.updateComplete;
      expect(el.items[0]!.status).to.equal('canceled');
      expect(part(el, 'retry-button')).to.exist;
      expect(part(el, 'cancel-button')).to.equal(null);
      // The server drops what it received of an aborted body as soon as it hears of the abort.
      await waitUntil(
        async () => (await storedFiles()).every((file) => !file.includes(name)),
        'a part of the canceled file stayed on the server',
        { timeout: 10000 },
      );
    });

    it('keeps a failed file in the list and succeeds when retried', async () => {
      const el = await mount(html`<itty-uploader endpoint="/no-such-endpoint" folder="retry" retries="0"></itty-uploader>`);
      const failed = oneEvent(el, 'itty-upload-error');
      el.addFiles([new File(['retry me'], uniqueName('r.txt'), { type: 'text/plain' })]);
      const { detail } = await failed;
      expect(detail.error.code).to.equal('sign_failed');
      expect(detail.error.status).to.equal(404);
      await el.updateComplete;
      expect(part(el, 'item')!.getAttribute('part')).to.equal('item item-error');
      expect(part(el, 'error')!.textContent).to.not.equal('');
      el.endpoint = '/upload-url';
      const success = oneEvent(el, 'itty-upload-success');
      (part(el, 'retry-button') as HTMLButtonElement).click();
      await success;
      expect(el.items[0]!.status).to.equal('done');
    });
  });

  describe('choosing files: itty-select and the rules', () => {
    it('drops the files when itty-select is canceled', async () => {
      const el = await mount();
      el.addEventListener('itty-select', (event) => event.preventDefault(), { once: true });
      const added = el.addFiles([new File(['x'], 'a.txt')]);
      expect(added).to.deep.equal([]);
      expect(el.items).to.have.length(0);
    });

    it('counts canceled and failed files as listed, for max-files and duplicates', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" max-files="2" multiple manual></itty-uploader>`);
      const reasons: string[] = [];
      el.addEventListener('itty-reject', (event) => reasons.push(event.detail.reason));
      const a = () => new File(['a'], 'a.txt', { lastModified: 1 });
      el.addFiles([a()]);
      el.cancel();
      el.addFiles([a(), new File(['b'], 'b.txt'), new File(['c'], 'c.txt')]);
      expect(reasons).to.deep.equal(['duplicate', 'count']);
      // The refused files stay in the list as rejected rows, after the queue's, and count for nothing.
      expect(el.items.map((item) => [item.source!.name, item.status])).to.deep.equal([
        ['a.txt', 'canceled'],
        ['b.txt', 'queued'],
        ['a.txt', 'rejected'],
        ['c.txt', 'rejected'],
      ]);
    });

    it('rejects files by type, size, count and duplicates, saying why', async () => {
      const el = await mount(
        html`<itty-uploader endpoint="/upload-url" accept="image/*,.pdf" max-size="10B" min-size="1" max-files="2" multiple manual></itty-uploader>`,
      );
      const reasons: string[] = [];
      const messages: string[] = [];
      el.addEventListener('itty-reject', (event) => {
        reasons.push(event.detail.reason);
        messages.push(event.detail.message);
      });
      const a = new File(['1234'], 'a.png', { type: 'image/png', lastModified: 1 });
      el.addFiles([
        new File(['x'], 'notes.txt', { type: 'text/plain' }),
        new File(['12345678901'], 'big.png', { type: 'image/png' }),
        new File([], 'empty.pdf'),
        a,
      ]);
      el.addFiles([new File(['1234'], 'a.png', { type: 'image/png', lastModified: 1 })]);
      el.addFiles([new File(['1'], 'b.PDF'), new File(['2'], 'c.gif', { type: 'image/gif' })]);
      expect(reasons).to.deep.equal(['type', 'size', 'size', 'duplicate', 'count']);
      expect(messages.every((message) => message.length > 0)).to.equal(true);
      expect(messages[0]).to.contain('notes.txt');
      // The last selection's rejected row replaced the earlier ones.
      expect(el.items.map((item) => [item.source!.name, item.status])).to.deep.equal([
        ['a.png', 'queued'],
        ['b.PDF', 'queued'],
        ['c.gif', 'rejected'],
      ]);
    });

    it('holds one file without multiple: a new pick replaces it (canceling it if in flight); extra or rejected files do not', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="single" accept=".txt" manual></itty-uploader>`);
      const reasons: string[] = [];
      el.addEventListener('itty-reject', (event) => reasons.push(event.detail.reason));
      const [first] = el.addFiles([new File(['1'], 'first.txt')]);
      el.upload();
      expect(el.items[0]!.status).to.equal('signing');
      const canceled = oneEvent(el, 'itty-upload-cancel');
      el.addFiles([new File(['2'], 'second.txt'), new File(['3'], 'third.txt')]);
      expect((await canceled).detail.item.id).to.equal(first!.id);
      expect(reasons).to.deep.equal(['count']);
      const names = () => el.items.map((item) => `${item.source!.name} ${item.status}`);
      expect(names()).to.deep.equal(['second.txt queued', 'third.txt rejected']);
      // A pick that is rejected whole keeps the file already there (and its rejected row replaces the last one).
      el.addFiles([new File(['x'], 'bad.exe')]);
      expect(reasons).to.deep.equal(['count', 'type']);
      expect(names()).to.deep.equal(['second.txt queued', 'bad.exe rejected']);
    });

    it('ignores input while disabled', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" disabled></itty-uploader>`);
      expect(el.addFiles([new File(['x'], 'x.txt')])).to.deep.equal([]);
      expect((part(el, 'browse-button') as HTMLButtonElement).disabled).to.equal(true);
    });
  });

  describe('forms', () => {
    it('takes part in forms: one entry per uploaded file, required, and invalid while uploading', async () => {
      const form = await fixture<HTMLFormElement>(html`<form>
        <itty-uploader name="attachments" endpoint="/upload-url" folder="form" multiple required></itty-uploader>
      </form>`);
      const el = form.querySelector('itty-uploader')!;
      await el.updateComplete;
      expect(form.checkValidity()).to.equal(false);
      expect(el.validity.valueMissing).to.equal(true);
      const names = [uniqueName('one.txt'), uniqueName('two.txt')];
      el.addFiles(names.map((name) => new File([name], name, { type: 'text/plain' })));
      await el.updateComplete;
      expect(el.validity.customError).to.equal(true);
      await settled(el);
      expect(form.checkValidity()).to.equal(true);
      const urls = new FormData(form).getAll('attachments');
      expect(urls).to.deep.equal(el.value.map((file) => file.url));
      el.formValue = 'json';
      await el.updateComplete;
      expect(JSON.parse(String(new FormData(form).get('attachments'))).filename).to.equal(names[0]);
      form.reset();
      await el.updateComplete;
      expect(el.items).to.have.length(0);
      expect(new FormData(form).getAll('attachments')).to.deep.equal([]);
    });

    it('has its form value and validity current in change and itty-queue-complete listeners (a form submitted when uploads finish)', async () => {
      const form = await fixture<HTMLFormElement>(html`<form>
        <itty-uploader name="files" endpoint="/upload-url" folder="form-sync" multiple required></itty-uploader>
      </form>`);
      const el = form.querySelector('itty-uploader')!;
      await el.updateComplete;
      const seen: unknown[] = [];
      el.addEventListener('change', () => seen.push(['change', form.checkValidity(), new FormData(form).getAll('files')]));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        seen.push(['submit', new FormData(form).getAll('files')]);
      });
      form.addEventListener('itty-queue-complete', () => form.requestSubmit());
      const complete = oneEvent(el, 'itty-queue-complete');
      el.addFiles([new File(['a'], uniqueName('a.txt'), { type: 'text/plain' })]);
      seen.push(['added', el.validity.customError]);
      await complete;
      const url = el.value[0]!.url;
      expect(seen).to.deep.equal([
        ['added', true],
        ['change', true, [url]],
        ['submit', [url]],
      ]);
    });

    it('has labels, willValidate and setCustomValidity as a native control, and fires a composed change', async () => {
      const form = await fixture<HTMLFormElement>(html`<form>
        <label for="up">Attachments</label>
        <itty-uploader id="up" name="files" endpoint="/upload-url" folder="form-native"></itty-uploader>
        <fieldset><itty-uploader name="inner" endpoint="/upload-url"></itty-uploader></fieldset>
      </form>`);
      const [el, inner] = [...form.querySelectorAll('itty-uploader')] as [IttyUploaderElement, IttyUploaderElement];
      await el.updateComplete;
      expect([...el.labels].map((label) => label.textContent)).to.deep.equal(['Attachments']);
      expect(el.willValidate).to.equal(true);
      form.querySelector('fieldset')!.disabled = true;
      expect(inner.willValidate).to.equal(false);
      el.setCustomValidity('Pick a cover image');
      expect(el.validity.customError).to.equal(true);
      expect(el.validationMessage).to.equal('Pick a cover image');
      expect(form.checkValidity()).to.equal(false);
      el.setCustomValidity('');
      expect(el.validity.valid).to.equal(true);
      expect(form.checkValidity()).to.equal(true);
      // `change` reaches a listener outside a shadow root the element sits in, like every itty- event (SPEC §3).
      const change = oneEvent(form, 'change');
      el.addFiles([new File(['c'], uniqueName('c.txt'), { type: 'text/plain' })]);
      const event = await change;
      expect(event.bubbles && event.composed).to.equal(true);
    });
  });

  describe('the list: removing and focus', () => {
    it('removes a file, fires change, and moves focus to the next row', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="remove" multiple></itty-uploader>`);
      el.addFiles([0, 1, 2].map((i) => new File([`f${i}`], uniqueName(`${i}.txt`), { type: 'text/plain' })));
      await settled(el);
      const first = el.items[0] as UploadItem;
      const change = oneEvent(el, 'change');
      parts(el, 'remove-button')[0]!.click();
      await change;
      await el.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      expect(el.items.some((item) => item.id === first.id)).to.equal(false);
      expect(el.items).to.have.length(2);
      expect(shadow(el).activeElement).to.equal(parts(el, 'remove-button')[0]);
      el.clear();
      await el.updateComplete;
      expect(parts(el, 'item')).to.have.length(0);
    });

    it('keeps keyboard focus in the row after Enter on cancel, then on retry (the pressed button goes away)', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
      el.getUploadUrl = () => new Promise(() => {});
      el.addFiles([0, 1, 2].map((i) => new File([`f${i}`], `${i}.txt`)));
      el.upload();
      await el.updateComplete;
      const row = () => parts(el, 'item')[1]!;
      const focusedRow = () => (shadow(el).activeElement?.closest('li') ?? null) === row();
      row().querySelector<HTMLButtonElement>('[part=cancel-button]')!.focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      expect([el.items[1]!.status, focusedRow()]).to.deep.equal(['canceled', true]);
      expect(shadow(el).activeElement!.getAttribute('part')).to.equal('retry-button');
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      expect([el.items[1]!.status !== 'canceled', focusedRow()]).to.deep.equal([true, true]);
      el.clear();
    });

    it('leaves the page where it is when a row far down the list is clicked (focus is not sent to the browse button)', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
      el.addFiles(Array.from({ length: 60 }, (_, i) => new File(['x'], `${i}.txt`)));
      await el.updateComplete;
      const name = parts(el, 'name').at(-1)!;
      name.scrollIntoView();
      await new Promise(requestAnimationFrame);
      const before = scrollY;
      const rect = name.getBoundingClientRect();
      await sendMouse({ type: 'click', position: [Math.round(rect.left + 5), Math.round(rect.top + rect.height / 2)] });
      await new Promise(requestAnimationFrame);
      expect([scrollY - before, shadow(el).activeElement?.getAttribute('part') ?? 'none']).to.deep.equal([0, 'list']);
    });

    it('labels the buttons and progress of files in a folder with their paths, which tell apart equal names', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
      const inFolder = (path: string) => {
        const file = new File([path], path.split('/').pop()!);
        return Object.defineProperty(file, 'webkitRelativePath', { value: path });
      };
      el.addFiles([inFolder('site/docs/readme.md'), inFolder('site/src/readme.md')]);
      await el.updateComplete;
      const labels = (name: string) => parts(el, name).map((node) => node.getAttribute('aria-label'));
      expect(labels('cancel-button')).to.deep.equal(['Cancel site/docs/readme.md', 'Cancel site/src/readme.md']);
      expect(labels('progress')).to.deep.equal(['Upload of site/docs/readme.md', 'Upload of site/src/readme.md']);
      el.cancel();
      await el.updateComplete;
      expect(labels('retry-button')).to.deep.equal(['Retry site/docs/readme.md', 'Retry site/src/readme.md']);
      expect(labels('remove-button')).to.deep.equal(['Remove site/docs/readme.md', 'Remove site/src/readme.md']);
    });
  });

  describe('drag, drop and paste', () => {
    it('adds dropped and pasted files, reflecting dragover and drag-invalid while dragging', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="drop" accept="image/*" multiple manual></itty-uploader>`);
      const data = new DataTransfer();
      data.items.add(new File([PNG], 'drop.png', { type: 'image/png' }));
      el.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
      expect(el.hasAttribute('dragover')).to.equal(true);
      expect(el.hasAttribute('drag-invalid')).to.equal(false);
      const selected = oneEvent(el, 'itty-select');
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      expect(el.hasAttribute('dragover')).to.equal(false);
      expect((await selected).detail.files.map((f: File) => f.name)).to.deep.equal(['drop.png']);

      const text = new DataTransfer();
      text.items.add(new File(['t'], 'notes.txt', { type: 'text/plain' }));
      el.dispatchEvent(new DragEvent('dragenter', { dataTransfer: text, bubbles: true, cancelable: true }));
      expect(el.hasAttribute('drag-invalid')).to.equal(true);
      el.dispatchEvent(new DragEvent('dragleave', { dataTransfer: text, bubbles: true }));
      expect(el.hasAttribute('dragover')).to.equal(false);

      const clip = new DataTransfer();
      clip.items.add(new File([PNG], 'pasted.png', { type: 'image/png' }));
      const pasted = oneEvent(el, 'itty-select');
      const paste = new ClipboardEvent('paste', { clipboardData: clip, bubbles: true, composed: true, cancelable: true });
      // Firefox copies no files into a constructed ClipboardEvent (a real paste has them): hand it ours.
      if (!paste.clipboardData?.files.length) Object.defineProperty(paste, 'clipboardData', { value: clip });
      part(el, 'browse-button')!.dispatchEvent(paste);
      await pasted;
      expect(el.items.map((item) => item.source!.name)).to.deep.equal(['drop.png', 'pasted.png']);
    });

    it('drops dragover and drag-invalid when a real drag leaves, though the prompt it entered was re-rendered away', async () => {
      const page = await fixture<HTMLDivElement>(html`<div style="padding: 20px">
        <div draggable="true" style="width: 100px; height: 40px">drag me</div>
        <itty-uploader endpoint="/upload-url" accept="image/*" manual></itty-uploader>
        <div style="height: 80px">outside</div>
      </div>`);
      const [source, el, outside] = [...page.children] as [HTMLElement, IttyUploaderElement, HTMLElement];
      const center = (target: Element) => {
        const rect = target.getBoundingClientRect();
        return [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)] as [number, number];
      };
      const entered: string[] = [];
      el.addEventListener('dragenter', (event) => entered.push((event.composedPath()[0] as Element).localName));
      source.addEventListener('dragstart', (event) => event.dataTransfer!.setData('text/plain', 'x'));
      // The browser drags for real (its own hit testing and dragenter/dragleave), but the test driver cannot carry a
      // file in it: the element is told that a text file is being dragged, which the accept list refuses.
      const proto = DataTransfer.prototype;
      const real = ['types', 'items'].map((key) => [key, Object.getOwnPropertyDescriptor(proto, key)!] as const);
      Object.defineProperty(proto, 'types', { configurable: true, get: () => ['Files'] });
      Object.defineProperty(proto, 'items', { configurable: true, get: () => [{ kind: 'file', type: 'text/plain' }] });
      try {
        const [x, y] = center(source);
        await sendMouse({ type: 'move', position: [x, y] });
        await sendMouse({ type: 'down' });
        await sendMouse({ type: 'move', position: [x + 5, y + 5] });
        // Onto the prompt: Chromium enters its <slot> first, which drag-invalid then replaces with the warning.
        const [px, py] = center(part(el, 'prompt')!);
        for (let i = 0; i <= 5; i++) await sendMouse({ type: 'move', position: [px - 40 + i * 4, py] });
        await el.updateComplete;
        const during = [el.hasAttribute('dragover'), el.hasAttribute('drag-invalid')];
        const [ox, oy] = center(outside);
        await sendMouse({ type: 'move', position: [ox, oy] });
        await sendMouse({ type: 'move', position: [ox + 3, oy] });
        await el.updateComplete;
        const after = [el.hasAttribute('dragover'), el.hasAttribute('drag-invalid'), part(el, 'prompt')!.textContent!.trim()];
        await sendMouse({ type: 'up' });
        // Only Chromium's driver makes real drags from the mouse: elsewhere nothing was dragged, nothing to check.
        if (!entered.length) return;
        expect(during).to.deep.equal([true, true]);
        expect(after).to.deep.equal([false, false, 'Drop files here, paste, or']);
      } finally {
        for (const [key, descriptor] of real) Object.defineProperty(proto, key, descriptor);
      }
    });

    it('exposes dragover, drag-invalid and uploading as custom states too (:state(…)), where the browser has them', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="states" accept="image/*"></itty-uploader>`);
      let supported = true;
      try {
        el.matches(':state(uploading)');
      } catch {
        supported = false;
      }
      // Each state is also a host attribute, which any engine matches.
      const is = (state: string) => el.hasAttribute(state) && (!supported || el.matches(`:state(${state})`));
      const isNot = (state: string) => !el.hasAttribute(state) && (!supported || !el.matches(`:state(${state})`));
      const text = new DataTransfer();
      text.items.add(new File(['t'], 'notes.txt', { type: 'text/plain' }));
      el.dispatchEvent(new DragEvent('dragenter', { dataTransfer: text, bubbles: true, cancelable: true }));
      expect(is('dragover') && is('drag-invalid')).to.equal(true);
      el.dispatchEvent(new DragEvent('dragleave', { dataTransfer: text, bubbles: true }));
      expect(isNot('dragover') && isNot('drag-invalid')).to.equal(true);
      const started = oneEvent(el, 'itty-upload-start');
      el.addFiles([new File([PNG], uniqueName('state.png'), { type: 'image/png' })]);
      await started;
      await el.updateComplete;
      expect(is('uploading')).to.equal(true);
      await settled(el);
      expect(isNot('uploading')).to.equal(true);
    });
  });

  describe('announcements', () => {
    it('says the paths of files in a folder in its announcements too', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" manual multiple retries="0"></itty-uploader>`);
      el.getUploadUrl = () => Promise.reject(new Error('no URL today'));
      const said: string[] = [];
      const region = shadow(el).querySelector('[role=status]')!;
      const observer = new MutationObserver(() => said.push(region.textContent!.trim()));
      observer.observe(region, { childList: true, characterData: true, subtree: true });
      const inFolder = (path: string) =>
        Object.defineProperty(new File([path], path.split('/').pop()!), 'webkitRelativePath', { value: path });
      el.addFiles([inFolder('site/docs/readme.md'), inFolder('site/src/readme.md')]);
      const complete = oneEvent(el, 'itty-queue-complete');
      el.upload();
      await complete;
      await el.updateComplete;
      observer.disconnect();
      const text = said.join(' ');
      expect([text.includes('site/docs/readme.md'), text.includes('site/src/readme.md')], text).to.deep.equal([true, true]);
    });

    it('announces milestones in one polite live region', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="live"></itty-uploader>`);
      const regions = shadow(el).querySelectorAll('[aria-live]');
      expect(regions).to.have.length(1);
      expect(regions[0]!.getAttribute('aria-live')).to.equal('polite');
      const name = uniqueName('live.txt');
      const success = oneEvent(el, 'itty-upload-success');
      el.addFiles([new File(['live'], name, { type: 'text/plain' })]);
      await success;
      await el.updateComplete;
      expect(regions[0]!.textContent).to.contain(`${name} uploaded`);
    });

    it('announces every file done, though the next one starts at the same moment', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="live" concurrency="1" multiple></itty-uploader>`);
      const region = shadow(el).querySelector('[aria-live]')!;
      const heard: string[] = [];
      new MutationObserver(() => heard.push(region.textContent!.trim())).observe(region, {
        subtree: true,
        childList: true,
        characterData: true,
      });
      const names = ['a', 'b', 'c'].map((name) => uniqueName(`${name}.txt`));
      const complete = oneEvent(el, 'itty-queue-complete');
      el.addFiles(names.map((name) => new File([name], name, { type: 'text/plain' })));
      await complete;
      await el.updateComplete;
      const said = (text: string) => heard.some((heardText) => heardText.includes(text));
      expect(names.map((name) => [said(`Uploading ${name}`), said(`${name} uploaded`)])).to.deep.equal(names.map(() => [true, true]));
      expect(heard.at(-1)).to.contain('All 3 files uploaded');
    });
  });

  describe('strings', () => {
    it('uses translated strings', async () => {
      const el = await mount();
      el.strings = { browse: 'Dateien wählen', prompt: 'Hierher ziehen oder' };
      await el.updateComplete;
      expect(part(el, 'browse-button')!.textContent!.trim()).to.equal('Dateien wählen');
      expect(part(el, 'prompt')!.textContent!.trim()).to.equal('Hierher ziehen oder');
    });

    it('translates its validation and rejection messages through strings too', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" name="f" accept=".txt" required manual></itty-uploader>`);
      el.strings = {
        valueMissing: 'Bitte eine Datei hochladen.',
        uploadsInProgress: 'Uploads laufen noch',
        rejectType: '{name}: Dateityp nicht erlaubt ({accept})',
      };
      await el.updateComplete;
      expect(el.validationMessage).to.equal('Bitte eine Datei hochladen.');
      const rejected = oneEvent(el, 'itty-reject');
      el.addFiles([new File(['x'], 'a.exe')]);
      expect((await rejected).detail.message).to.equal('a.exe: Dateityp nicht erlaubt (.txt)');
      el.getUploadUrl = () => new Promise(() => {});
      el.addFiles([new File(['x'], 'a.txt')]);
      el.upload();
      await el.updateComplete;
      expect(el.validationMessage).to.equal('Uploads laufen noch');
      el.cancel();
    });
  });

  describe('definition', () => {
    it('can be defined twice and under another tag', async () => {
      const { IttyUploaderElement } = await import('../../src/elements/uploader.js');
      expect(() => IttyUploaderElement.define()).to.not.throw();
      class Renamed extends IttyUploaderElement {}
      Renamed.define('my-uploader');
      expect(customElements.get('my-uploader')).to.equal(Renamed);
    });
  });

  describe('accessibility (axe)', () => {
    it('has no serious violations while a refused drag is over it, light and dark', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" accept="image/*" manual></itty-uploader>`);
      const data = new DataTransfer();
      data.items.add(new File(['t'], 'notes.txt', { type: 'text/plain' }));
      // The drop zone's colours fade (0.15 s): check once its background has.
      const faded = () =>
        new Promise<void>((resolve) =>
          part(el, 'dropzone')!.addEventListener('transitionend', function end(event) {
            if (event.propertyName !== 'background-color') return;
            this.removeEventListener('transitionend', end);
            resolve();
          }),
        );
      let fade = faded();
      // A transition runs from a style the page has computed: compute it before the drag changes it.
      getComputedStyle(part(el, 'dropzone')!).backgroundColor;
      el.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
      await el.updateComplete;
      expect(part(el, 'prompt')!.textContent!.trim()).to.equal('These files are not accepted here');
      await fade;
      await expectNoSeriousAxeViolations(el);
      if (!/Chrome\//.test(navigator.userAgent)) return;
      fade = faded();
      // The element follows the page's color-scheme (a page that declares none stays light).
      document.documentElement.style.colorScheme = 'light dark';
      await emulateMedia({ colorScheme: 'dark' });
      await fade;
      try {
        await expectNoSeriousAxeViolations(el);
      } finally {
        await emulateMedia({ colorScheme: 'light' });
        document.documentElement.style.colorScheme = '';
      }
    });

    it('has no serious violations when idle, uploading, failed and done', async () => {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="a11y" multiple manual></itty-uploader>`);
      await expectNoSeriousAxeViolations(el);
      el.addFiles([
        new File([PNG], uniqueName('ok.png'), { type: 'image/png' }),
        new File(['x'], uniqueName('fail.txt'), { type: 'text/plain' }),
      ]);
      await el.updateComplete;
      await expectNoSeriousAxeViolations(el);
      el.setAttribute('dragover', '');
      await expectNoSeriousAxeViolations(el);
      el.removeAttribute('dragover');
      el.upload();
      await settled(el);
      el.endpoint = '/no-such-endpoint';
      el.retries = 0;
      el.addFiles([new File(['y'], uniqueName('bad.txt'), { type: 'text/plain' })]);
      el.upload();
      await settled(el);
      expect(el.items.map((item) => item.status)).to.include.members(['done', 'error']);
      await expectNoSeriousAxeViolations(el);
      // The drop zone's background fades to the dark colour: check once the fade has ended.
      const faded = oneEvent(part(el, 'dropzone')!, 'transitionend');
      // emulateMedia needs CDP: Chromium checks the dark scheme, Firefox and WebKit (test:engines) only the light one.
      if (!/Chrome\//.test(navigator.userAgent)) return;
      // The element follows the page's color-scheme (a page that declares none stays light).
      document.documentElement.style.colorScheme = 'light dark';
      await emulateMedia({ colorScheme: 'dark' });
      await faded;
      try {
        await expectNoSeriousAxeViolations(el);
      } finally {
        await emulateMedia({ colorScheme: 'light' });
        document.documentElement.style.colorScheme = '';
      }
    });
  });
});
