// `sortable` and `move()` of <itty-uploader>, against the real upload server: move handles, the arrow keys, a pointer
// drag, what follows the order (value, the form's entries, itty-queue-complete), and long (windowed) lists.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import { uniqueName } from '../helpers/browser.js';
import { expectNoSeriousAxeViolations } from '../helpers/axe.js';

const shadow = (el: Element) => el.shadowRoot!;
const handles = (el: Element) => [...shadow(el).querySelectorAll<HTMLButtonElement>('[part~="move-handle"]')];
const rowAt = (el: Element, index: number) => shadow(el).querySelector<HTMLElement>(`li[aria-posinset="${index + 1}"]`);
const handleAt = (el: Element, index: number) => rowAt(el, index)?.querySelector<HTMLButtonElement>('[part~="move-handle"]') ?? null;
const live = (el: Element) => shadow(el).querySelector('[role=status]')!.textContent!.trim();
const names = (el: IttyUploaderElement) => el.items.map((item) => item.source?.name);
const textFiles = (list: string[]) => list.map((name) => new File([name], name, { type: 'text/plain' }));

async function settled(el: IttyUploaderElement) {
  while (el.items.some((item) => item.status === 'queued' || item.status === 'signing' || item.status === 'uploading')) {
    await oneEvent(el, 'itty-queue-complete');
  }
  await el.updateComplete;
}

/** The uploader of a form, its files uploaded to the real server, the move handles rendered. */
async function uploadedForm(count = 3) {
  const form = await fixture<HTMLFormElement>(html`<form>
    <itty-uploader name="files" endpoint="/upload-url" folder="sortable" multiple sortable></itty-uploader>
  </form>`);
  const el = form.querySelector('itty-uploader')!;
  const list = Array.from({ length: count }, (_, i) => uniqueName(`${'abcdefgh'[i]}.txt`));
  el.addFiles(textFiles(list));
  await settled(el);
  await waitUntil(() => handles(el).length === count, 'the move handles render');
  let changes = 0;
  el.addEventListener('change', () => (changes += 1));
  return { form, el, list, changes: () => changes };
}

const center = (element: Element): [number, number] => {
  const { left, top, width, height } = element.getBoundingClientRect();
  return [Math.round(left + width / 2), Math.round(top + height / 2)];
};

describe('<itty-uploader sortable>', () => {
  afterEach(() => window.scrollTo(0, 0));

  it('renders a labelled move-handle button per file only with sortable, none on rejected rows', async () => {
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/upload-url" manual multiple accept=".txt"></itty-uploader>`,
    );
    el.addFiles([...textFiles(['one.txt', 'two.txt']), new File(['x'], 'bad.png', { type: 'image/png' })]);
    await el.updateComplete;
    expect(handles(el)).to.have.length(0);
    el.sortable = true;
    await waitUntil(() => handles(el).length === 2, 'handles appear once sortable is set');
    const [first] = handles(el);
    expect(first!.tagName).to.equal('BUTTON');
    expect(first!.type).to.equal('button');
    expect(first!.getAttribute('aria-label')).to.equal('Move one.txt');
    expect(rowAt(el, 2)!.getAttribute('part')).to.contain('item-rejected');
    expect(handleAt(el, 2)).to.equal(null);
    await expectNoSeriousAxeViolations(el);
    el.sortable = false;
    await el.updateComplete;
    expect(handles(el)).to.have.length(0);
  });

  it('moves a row with ArrowUp / ArrowDown: focus stays on its handle, the place is announced, change fires, value and form follow', async () => {
    const { form, el, list, changes } = await uploadedForm(3);
    const urls = () => el.value.map((file) => file.url);
    const stored = urls();
    handleAt(el, 2)!.focus();
    await sendKeys({ press: 'ArrowUp' });
    expect(names(el)).to.deep.equal([list[0], list[2], list[1]]);
    await waitUntil(() => shadow(el).activeElement === handleAt(el, 1), 'focus follows the moved row');
    expect(shadow(el).activeElement!.getAttribute('aria-label')).to.equal(`Move ${list[2]}`);
    expect(live(el)).to.equal(`${list[2]} moved to position 2 of 3`);
    expect(changes()).to.equal(1);
    expect(urls()).to.deep.equal([stored[0], stored[2], stored[1]]);
    expect(new FormData(form).getAll('files')).to.deep.equal([stored[0], stored[2], stored[1]]);

    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => shadow(el).activeElement === handleAt(el, 0));
    expect(names(el)).to.deep.equal([list[2], list[0], list[1]]);
    expect(live(el)).to.equal(`${list[2]} moved to position 1 of 3`);
    // At the top: nothing moves, nothing fires, and the key does not scroll the page.
    const scrolled = scrollY;
    await sendKeys({ press: 'ArrowUp' });
    await el.updateComplete;
    expect(names(el)).to.deep.equal([list[2], list[0], list[1]]);
    expect([changes(), scrollY]).to.deep.equal([2, scrolled]);

    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => shadow(el).activeElement === handleAt(el, 1));
    expect(names(el)).to.deep.equal([list[0], list[2], list[1]]);
    expect(new FormData(form).getAll('files')).to.deep.equal([stored[0], stored[2], stored[1]]);
    expect(changes()).to.equal(3);
  });

  it('drags a row with the pointer: the rows between shift while it moves, and it lands where it is dropped', async () => {
    const { form, el, list, changes } = await uploadedForm(4);
    const stored = el.value.map((file) => file.url);
    const pitch = rowAt(el, 1)!.getBoundingClientRect().top - rowAt(el, 0)!.getBoundingClientRect().top;
    const [x, y] = center(handleAt(el, 0)!);
    await sendMouse({ type: 'move', position: [x, y] });
    await sendMouse({ type: 'down' });
    for (let step = 1; step <= 4; step++) await sendMouse({ type: 'move', position: [x, Math.round(y + (step * pitch * 2) / 4)] });
    // While dragging: the dragged row follows the pointer, the two rows it passed shifted up a place, the last did not.
    const shift = (index: number) => Number(/translateY\((-?[\d.]+)px\)/.exec(rowAt(el, index)!.style.transform)?.[1] ?? 0);
    expect(shift(0)).to.be.closeTo(pitch * 2, 1);
    expect(shift(1)).to.be.closeTo(-pitch, 1);
    expect(shift(2)).to.be.closeTo(-pitch, 1);
    expect(shift(3)).to.equal(0);
    expect(changes()).to.equal(0);
    await sendMouse({ type: 'up' });
    expect(names(el)).to.deep.equal([list[1], list[2], list[0], list[3]]);
    expect(changes()).to.equal(1);
    expect(new FormData(form).getAll('files')).to.deep.equal([stored[1], stored[2], stored[0], stored[3]]);
    await waitUntil(() => shadow(el).activeElement === handleAt(el, 2), 'focus on the dropped row');
    expect(live(el)).to.equal(`${list[0]} moved to position 3 of 4`);
    await el.updateComplete;
    expect([0, 1, 2, 3].map((i) => rowAt(el, i)!.style.transform)).to.deep.equal(['', '', '', '']);
  });

  it('announces a move of files not yet uploaded without change (value did not change), and does nothing when disabled', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple sortable></itty-uploader>`);
    el.addFiles(textFiles(['one.txt', 'two.txt']));
    await waitUntil(() => handles(el).length === 2);
    let changes = 0;
    el.addEventListener('change', () => (changes += 1));
    handleAt(el, 0)!.focus();
    await sendKeys({ press: 'ArrowDown' });
    expect(names(el)).to.deep.equal(['two.txt', 'one.txt']);
    await waitUntil(() => shadow(el).activeElement === handleAt(el, 1));
    expect(live(el)).to.equal('one.txt moved to position 2 of 2');
    expect(changes).to.equal(0);
    el.disabled = true;
    await el.updateComplete;
    expect(handles(el).every((handle) => handle.disabled)).to.equal(true);
    const [x, y] = center(handleAt(el, 1)!);
    await sendMouse({ type: 'move', position: [x, y] });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: [x, y - 200] });
    await sendMouse({ type: 'up' });
    expect(names(el)).to.deep.equal(['two.txt', 'one.txt']);
  });

  it('drops a row back in place when the pointer returns: nothing moves, no change', async () => {
    const { el, list, changes } = await uploadedForm(2);
    const [x, y] = center(handleAt(el, 1)!);
    await sendMouse({ type: 'move', position: [x, y] });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: [x, y - 200] });
    await sendMouse({ type: 'move', position: [x, y + 3] });
    await sendMouse({ type: 'up' });
    expect(names(el)).to.deep.equal(list);
    expect(changes()).to.equal(0);
  });

  it('move() reorders any list without change; itty-queue-complete lists succeeded in list order', async () => {
    const el = await fixture<IttyUploaderElement>(
      html`<itty-uploader endpoint="/upload-url" folder="sortable" manual multiple></itty-uploader>`,
    );
    const list = ['a', 'b', 'c'].map((n) => uniqueName(`${n}.txt`));
    const [a, b, c] = el.addFiles(textFiles(list));
    let changes = 0;
    el.addEventListener('change', () => (changes += 1));
    el.move(c!.id, 0);
    el.move(a!.id, 99);
    expect(names(el)).to.deep.equal([list[2], list[1], list[0]]);
    await el.updateComplete;
    expect([...shadow(el).querySelectorAll('[part=name]')].map((name) => name.textContent)).to.deep.equal([list[2], list[1], list[0]]);
    const complete = oneEvent(el, 'itty-queue-complete');
    el.upload();
    const { detail } = (await complete) as CustomEvent<{ succeeded: { filename?: string }[] }>;
    expect(detail.succeeded.map((file) => file.filename)).to.deep.equal([list[2], list[1], list[0]]);
    expect(el.value.map((file) => file.filename)).to.deep.equal([list[2], list[1], list[0]]);
    const changesBefore = changes;
    el.move(b!.id, 0);
    expect(el.value.map((file) => file.filename)).to.deep.equal([list[1], list[2], list[0]]);
    expect(changes).to.equal(changesBefore, 'move() by code fires no change');
  });

  it("keeps focus on the handle while ArrowUp moves a row past the edge of a long list's window", async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple sortable></itty-uploader>`);
    el.addFiles(textFiles(Array.from({ length: 160 }, (_, i) => `row-${i}.txt`)));
    await import('../../src/controllers/list-window.js');
    await waitUntil(() => handles(el).length > 0 && shadow(el).querySelector('.spacer'), 'a window of rows with handles', {
      timeout: 5000,
    });
    // Scroll the list so that rows ~60 are at the top: the window starts a few rows above them.
    const list = shadow(el).querySelector<HTMLElement>('[part=list]')!;
    const pitch = rowAt(el, 1)!.getBoundingClientRect().top - rowAt(el, 0)!.getBoundingClientRect().top;
    window.scrollTo(0, list.getBoundingClientRect().top + scrollY + 60 * pitch);
    await waitUntil(() => !rowAt(el, 0) && rowAt(el, 60), 'the window followed the scroll', { timeout: 5000 });
    const first = Math.min(...[...shadow(el).querySelectorAll('li.item')].map((row) => +row.getAttribute('aria-posinset')! - 1));
    expect(rowAt(el, first - 1), 'the row above the window is not rendered').to.equal(null);
    handleAt(el, first)!.focus();
    for (let step = 1; step <= 12; step++) {
      await sendKeys({ press: 'ArrowUp' });
      await waitUntil(() => shadow(el).activeElement === handleAt(el, first - step), `focus on the moved row after ${step} moves`, {
        timeout: 5000,
      });
      expect(el.items[first - step]!.source!.name).to.equal(`row-${first}.txt`);
    }
    expect(live(el)).to.equal(`row-${first}.txt moved to position ${first - 11} of 160`);
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => shadow(el).activeElement === handleAt(el, first - 11));
    expect(el.items.map((item) => item.source!.name).indexOf(`row-${first}.txt`)).to.equal(first - 11);
  });
});
