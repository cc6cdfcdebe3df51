import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import { IttyUploaderElement } from '../../src/elements/uploader.js';
import { expectNoSeriousAxeViolations } from '../helpers/axe.js';

// Renders and progress events per animation frame are counted against a storage that reports
// progress as often as WebKitGTK does (every ~8 KB): thousands of events, many within one frame.
// The page's XMLHttpRequest is replaced for these tests only, then restored.
class FloodingXHR extends EventTarget {
  static bursts = 40;
  static perBurst = 250;
  /** How far (a fraction of the body) progress gets before the response arrives. */
  static reach = 1;
  readonly upload = new EventTarget() as XMLHttpRequestUpload;
  status = 0;
  responseText = '';
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  #url = '';
  open(_method: string, url: string) {
    this.#url = url;
  }
  setRequestHeader() {}
  getResponseHeader() {
    return null;
  }
  abort() {
    this.onabort?.();
  }
  send(body: Blob) {
    const total = body.size;
    const steps = FloodingXHR.bursts * FloodingXHR.perBurst;
    let step = 0;
    const burst = () => {
      for (let i = 0; i < FloodingXHR.perBurst; i++) {
        step += 1;
        (this.upload as unknown as { onprogress?: (e: ProgressEvent) => void }).onprogress?.(
          new ProgressEvent('progress', { loaded: Math.round((total * FloodingXHR.reach * step) / steps), total, lengthComputable: true }),
        );
      }
      if (step < steps) setTimeout(burst, 4);
      else {
        this.status = 201;
        this.responseText = JSON.stringify({ url: this.#url.split('?')[0], kind: 'other', type: '', filesize: total });
        this.onload?.();
      }
    };
    setTimeout(burst, 0);
  }
}

let renders = 0;
class CountingUploader extends IttyUploaderElement {
  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    renders += 1;
  }
}
CountingUploader.define('counting-uploader');

// Right after a page loads, WebKitGTK may not deliver an animation frame for a moment (seen failing 1 run in 6); a
// flood that ends before the first frame reports no progress at all (the outcome supersedes it), which says nothing.
const framesFlowing = async () => {
  for (let i = 0; i < 3; i++) await new Promise(requestAnimationFrame);
};

describe('<itty-uploader> rendering', () => {
  const RealXHR = window.XMLHttpRequest;
  beforeEach(() => {
    window.XMLHttpRequest = FloodingXHR as unknown as typeof XMLHttpRequest;
  });
  afterEach(() => {
    window.XMLHttpRequest = RealXHR;
  });

  it('renders and reports progress at most once per animation frame, however many progress events arrive', async () => {
    const el = await fixture<CountingUploader>(html`<counting-uploader endpoint="/upload-url" folder="frames"></counting-uploader>`);
    let frames = 0;
    let counting = true;
    const tick = () => {
      frames += 1;
      if (counting) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const progressEvents: number[] = [];
    el.addEventListener('itty-upload-progress', (event) => progressEvents.push(event.detail.loaded));
    await framesFlowing();
    renders = 0;
    const success = oneEvent(el, 'itty-upload-success');
    el.addFiles([new File([new Uint8Array(1_000_000)], 'flood.bin')]);
    await success;
    await el.updateComplete;
    counting = false;
    const fired = FloodingXHR.bursts * FloodingXHR.perBurst;
    expect(progressEvents.length).to.be.greaterThan(0);
    // Status changes (queued, signing, uploading, done) render at once: at most a handful beyond one per frame.
    expect(renders).to.be.at.most(frames + 6);
    expect(progressEvents.length).to.be.at.most(frames + 1);
    expect(progressEvents.length).to.be.lessThan(fired / 10);
    for (let i = 1; i < progressEvents.length; i++) expect(progressEvents[i]).to.be.at.least(progressEvents[i - 1]!);
  });

  // Each requested frame is drawn even when nothing changed: in a 1 GiB chunked upload that took a third of the
  // page's CPU (npm run bench). Progress is paced by a timer instead.
  it('asks for no animation frame while uploading', async () => {
    const el = await fixture<CountingUploader>(html`<counting-uploader endpoint="/upload-url" folder="frames"></counting-uploader>`);
    const real = window.requestAnimationFrame;
    let asked = 0;
    window.requestAnimationFrame = (callback) => {
      asked += 1;
      return real.call(window, callback);
    };
    try {
      let progressEvents = 0;
      el.addEventListener('itty-upload-progress', () => (progressEvents += 1));
      const success = oneEvent(el, 'itty-upload-success');
      el.addFiles([new File([new Uint8Array(1_000_000)], 'frames.bin')]);
      await success;
      await el.updateComplete;
      expect([progressEvents > 0, asked]).to.deep.equal([true, 0]);
    } finally {
      window.requestAnimationFrame = real;
    }
  });

  it('keeps reporting progress but renders only when the shown percent changes', async () => {
    // A slow upload: progress crawls from 0 to 5 % over a second of frames, then the storage answers.
    Object.assign(FloodingXHR, { bursts: 200, perBurst: 5, reach: 0.05 });
    try {
      const el = await fixture<CountingUploader>(html`<counting-uploader endpoint="/upload-url" folder="frames"></counting-uploader>`);
      const stale: string[] = [];
      let progressEvents = 0;
      el.addEventListener('itty-upload-progress', ({ detail: { loaded, total } }) => {
        progressEvents += 1;
        // Once the frame's render (if any) is done, the row shows this progress.
        void Promise.resolve().then(async () => {
          await el.updateComplete;
          const shown = el.shadowRoot!.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow');
          if (shown !== String(Math.floor((loaded / total) * 100))) stale.push(`${loaded}/${total} shown as ${shown}`);
        });
      });
      await framesFlowing();
      renders = 0;
      const success = oneEvent(el, 'itty-upload-success');
      el.addFiles([new File([new Uint8Array(1_000_000)], 'slow.bin')]);
      await success;
      await el.updateComplete;
      // Progress crawls for 200 bursts at least 4 ms apart: 0.8 s or more, reported every 50 ms.
      expect(progressEvents).to.be.at.least(10);
      // Percents 1–5 and the status changes (queued, signing, uploading, done); one render per frame would be dozens.
      expect(renders).to.be.at.most(12);
      expect(stale).to.deep.equal([]);
    } finally {
      Object.assign(FloodingXHR, { bursts: 40, perBurst: 250, reach: 1 });
    }
  });
});

describe('<itty-uploader> long lists', () => {
  const files = (n: number) => Array.from({ length: n }, (_, i) => new File([String(i)], `file-${i}.txt`, { type: 'text/plain' }));
  const rows = (el: IttyUploaderElement) => [...el.shadowRoot!.querySelectorAll<HTMLLIElement>('[part~=item]')];
  const nameOf = (row: Element) => row.querySelector('[part=name]')!.textContent!;
  const indexOf = (row: Element) => Number(/\d+/.exec(nameOf(row))![0]);
  // A failed test must not leave the next one scrolled.
  afterEach(() => window.scrollTo(0, 0));
  const settle = async (el: IttyUploaderElement) => {
    // A long list loads its window on demand (every row renders until then); the element's own import of it
    // resolves first, and renders again.
    await import('../../src/controllers/list-window.js');
    // The window is measured in the frame after a render or a scroll; a second render may follow.
    for (let i = 0; i < 3; i++) {
      await new Promise(requestAnimationFrame);
      await el.updateComplete;
    }
  };

  // Found rendering every frame, for good, while idle: CPU and battery for nothing.
  it('does not render while idle when a long list is far below the viewport, or scrolled past', async () => {
    const below = await fixture<HTMLDivElement>(
      html`<div><div style="height: 20000px"></div><counting-uploader endpoint="/upload-url" manual multiple></counting-uploader></div>`,
    );
    const above = await fixture<HTMLDivElement>(
      html`<div><counting-uploader endpoint="/upload-url" manual multiple></counting-uploader><div style="height: 60000px"></div></div>`,
    );
    const [far, past] = [below, above].map((wrap) => wrap.querySelector<IttyUploaderElement>('counting-uploader')!);
    far!.addFiles(files(500));
    past!.addFiles(files(501));
    await settle(far!);
    await settle(past!);
    const list = past!.shadowRoot!.querySelector<HTMLElement>('[part=list]')!;
    window.scrollTo(0, list.getBoundingClientRect().bottom + scrollY + 20000);
    await settle(past!);
    await settle(past!);
    renders = 0;
    for (let i = 0; i < 10; i++) await settle(past!);
    expect(renders, 'renders in 30 idle frames').to.be.at.most(1);
    // Scrolled back, the list shows its rows again.
    window.scrollTo(0, list.getBoundingClientRect().top + scrollY);
    await settle(past!);
    expect(rows(past!).map(indexOf)).to.include(0);
  });

  it('shows the rows in view when a hidden long list is shown on a page already scrolled (tabs)', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div>
      <div id="other-tab" style="height: 40000px"></div>
      <itty-uploader endpoint="/upload-url" manual multiple style="display: none"></itty-uploader>
    </div>`);
    const el = wrap.querySelector('itty-uploader')!;
    el.addFiles(files(500));
    await settle(el);
    window.scrollTo(0, 15000);
    await settle(el);
    // The other tab hides, the uploader's shows; the page keeps its scroll position: no scroll, no resize event.
    wrap.querySelector<HTMLElement>('#other-tab')!.style.display = 'none';
    el.style.display = '';
    await settle(el);
    await settle(el);
    expect(scrollY).to.be.closeTo(15000, 50);
    const inView = rows(el).filter((row) => {
      const { top, bottom } = row.getBoundingClientRect();
      return bottom > 0 && top < innerHeight;
    });
    expect(inView.length, 'rows in the viewport').to.be.above(0);
  });

  it('renders every row of a list of up to 100 files', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
    el.addFiles(files(100));
    await settle(el);
    expect(rows(el)).to.have.length(100);
    expect(el.shadowRoot!.querySelector('.spacer')).to.equal(null);
  });

  it('renders only the rows near the viewport of a long list, as tall as in full, and follows scrolling', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
    const short = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
    short.addFiles(files(100));
    el.addFiles(files(2000));
    await settle(el);
    await settle(short);
    const shown = rows(el);
    expect(shown.length).to.be.within(2, 80);
    expect(nameOf(shown[0]!)).to.equal('file-0.txt');
    expect(shown[0]!.getAttribute('aria-posinset')).to.equal('1');
    expect(shown[0]!.getAttribute('aria-setsize')).to.equal('2000');
    // Spacers stand in for the other rows: the list is as tall as 2,000 rendered rows would be, to the pixel
    // (from 100 rendered rows: 100 rows and 99 gaps).
    const list = el.shadowRoot!.querySelector<HTMLElement>('[part=list]')!;
    const shortList = short.shadowRoot!.querySelector<HTMLElement>('[part=list]')!;
    const gap = parseFloat(getComputedStyle(shortList).rowGap);
    const pitch = (shortList.getBoundingClientRect().height + gap) / 100;
    expect(list.getBoundingClientRect().height).to.be.closeTo(2000 * pitch - gap, 2);

    // One spacer after the rendered rows (none before them at the top), whatever the length of the list.
    expect(el.shadowRoot!.querySelectorAll('.spacer')).to.have.length(1);
    const listTop = list.getBoundingClientRect().top + scrollY;
    window.scrollTo(0, listTop + list.getBoundingClientRect().height * 0.75 - innerHeight / 2);
    await settle(el);
    // Now one before and one after.
    expect(el.shadowRoot!.querySelectorAll('.spacer')).to.have.length(2);
    const indices = rows(el).map(indexOf);
    expect(indices).not.to.include(0);
    expect(indices.length).to.be.within(2, 80);
    // The rows shown are the ones in the viewport: one of them is at its middle (give or take the gap between rows).
    const middle = rows(el).find((row) => {
      const { top, bottom } = row.getBoundingClientRect();
      return top <= innerHeight / 2 + 10 && bottom >= innerHeight / 2 - 10;
    });
    expect(middle, 'a row is rendered in the middle of the viewport').to.not.equal(undefined);
    for (const row of rows(el)) expect(row.getAttribute('aria-posinset')).to.equal(String(indexOf(row) + 1));

    // Wherever the viewport stops, at least 3 rows beyond each of its edges are rendered (Tab, Shift+Tab).
    const step = pitch / 3;
    for (let i = 0; i < 16; i++) {
      window.scrollBy(0, step);
      await settle(el);
      const shownRects = rows(el).map((row) => row.getBoundingClientRect());
      expect(shownRects.filter((rect) => rect.top >= innerHeight).length, `rows below the viewport at step ${i}`).to.be.at.least(3);
      expect(shownRects.filter((rect) => rect.bottom <= 0).length, `rows above the viewport at step ${i}`).to.be.at.least(3);
    }
  });

  it('has the next row rendered before Tab reaches it, and keeps focus on the same file while the window moves', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
    el.addFiles(files(500));
    await settle(el);
    let row = rows(el).at(-1)!;
    for (let step = 0; step < 60; step++) {
      const index = indexOf(row);
      const button = row.querySelector('button')!;
      button.focus();
      await settle(el);
      expect(el.shadowRoot!.activeElement, `focus stays on row ${index}`).to.equal(button);
      expect(indexOf(button.closest('li')!)).to.equal(index);
      const next = rows(el).find((candidate) => indexOf(candidate) === index + 1);
      expect(next, `row ${index + 1} is rendered before Tab reaches it`).to.not.equal(undefined);
      row = next!;
    }
  });

  // Found: the focused row's block left with the window, and focus fell to the page (the next Tab started over).
  it('keeps the focused row rendered and focused when the list is scrolled far away from it, either way', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
    el.addFiles(files(2000));
    await settle(el);
    const list = el.shadowRoot!.querySelector<HTMLElement>('[part=list]')!;
    const height = list.getBoundingClientRect().height;
    const listTop = () => list.getBoundingClientRect().top + scrollY;
    const scrollToRow = async (index: number) => {
      window.scrollTo(0, listTop() + (height * index) / 2000 - innerHeight / 2);
      await settle(el);
      await settle(el);
    };
    const check = (where: string, focused: number) => {
      const shown = rows(el);
      const indices = shown.map(indexOf);
      expect(new Set(indices).size, `${where}: no row twice`).to.equal(indices.length);
      for (const row of shown) expect(row.getAttribute('aria-posinset'), `${where}: row place`).to.equal(String(indexOf(row) + 1));
      const inView = shown.filter(
        (row) => row.getBoundingClientRect().top < innerHeight / 2 + 10 && row.getBoundingClientRect().bottom > innerHeight / 2 - 10,
      );
      expect(inView.length, `${where}: a row is rendered in the middle of the viewport`).to.be.within(1, 2);
      // Each rendered row sits where it would with every row rendered.
      const pitch = (height + parseFloat(getComputedStyle(list).rowGap)) / 2000;
      for (const row of shown)
        expect(row.getBoundingClientRect().top - list.getBoundingClientRect().top, `${where}: row ${indexOf(row)}`).to.be.closeTo(
          indexOf(row) * pitch,
          2,
        );
      expect(list.getBoundingClientRect().height, `${where}: list height`).to.be.closeTo(height, 2);
      const active = el.shadowRoot!.activeElement;
      expect(active?.closest('li') ? indexOf(active.closest('li')!) : 'focus left the list', `${where}: focus`).to.equal(focused);
    };
    await scrollToRow(1000);
    const row = rows(el).find((candidate) => indexOf(candidate) === 1000)!;
    row.querySelector('button')!.focus();
    await scrollToRow(1800);
    check('scrolled down', 1000);
    await scrollToRow(150);
    check('scrolled up', 1000);
    await scrollToRow(1000);
    check('back', 1000);
    // Focus elsewhere: the block goes with the window again.
    el.shadowRoot!.querySelector<HTMLElement>('[part=browse-button]')!.focus();
    await scrollToRow(1800);
    expect(rows(el).map(indexOf)).not.to.include(1000);
  });

  it('keeps the measured row size while hidden, so a long list shown again is as tall as before', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
    el.addFiles(files(500));
    await settle(el);
    const list = el.shadowRoot!.querySelector<HTMLElement>('[part=list]')!;
    const height = list.getBoundingClientRect().height;
    el.style.display = 'none';
    el.addFiles(files(1).map((file) => new File([file], 'one-more.txt')));
    await settle(el);
    el.style.display = '';
    await el.updateComplete;
    expect(list.getBoundingClientRect().height).to.be.greaterThan(height);
  });

  it('shows rows again after the list shrinks below the rows it was showing', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
    el.addFiles(files(2000));
    await settle(el);
    el.shadowRoot!.querySelector('[part=list]')!.lastElementChild!.scrollIntoView({ block: 'end' });
    await settle(el);
    expect(rows(el).map(indexOf)).to.include(1999);
    el.clear();
    el.addFiles(files(150));
    await settle(el);
    // The page is shorter now: the browser scrolled up to the end of the 150 rows, and those are rendered.
    const shown = rows(el);
    expect(shown.map(indexOf)).to.include(149);
    expect(shown.some((row) => row.getBoundingClientRect().top < innerHeight && row.getBoundingClientRect().bottom > 0)).to.equal(true);
    const list = el.shadowRoot!.querySelector<HTMLElement>('[part=list]')!;
    const pitch = shown[1]!.getBoundingClientRect().top - shown[0]!.getBoundingClientRect().top;
    const gap = parseFloat(getComputedStyle(list).rowGap);
    expect(list.getBoundingClientRect().height).to.be.closeTo(150 * pitch - gap, 2);
  });

  it('shows the rows in view after the page was scrolled far past the list and back', async () => {
    const el = await fixture<IttyUploaderElement>(
      html`<div><itty-uploader endpoint="/upload-url" manual multiple></itty-uploader><div style="height: 30000px"></div></div>`,
    );
    const uploader = el.querySelector('itty-uploader')!;
    uploader.addFiles(files(500));
    await settle(uploader);
    const list = uploader.shadowRoot!.querySelector<HTMLElement>('[part=list]')!;
    const listTop = list.getBoundingClientRect().top + scrollY;
    window.scrollTo(0, listTop + list.getBoundingClientRect().height + 20000);
    await settle(uploader);
    window.scrollTo(0, listTop + list.getBoundingClientRect().height / 2 - innerHeight / 2);
    await settle(uploader);
    const middle = rows(uploader).find((row) => {
      const { top, bottom } = row.getBoundingClientRect();
      return top <= innerHeight / 2 + 10 && bottom >= innerHeight / 2 - 10;
    });
    expect(middle, 'a row is rendered in the middle of the viewport').to.not.equal(undefined);
    expect(indexOf(middle!)).to.be.within(200, 300);
  });

  it('has no serious axe violations as a long list (rows, spacers, positions)', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
    el.addFiles(files(300));
    await settle(el);
    expect(el.shadowRoot!.querySelector('.spacer')).to.not.equal(null);
    await expectNoSeriousAxeViolations(el);
  });

  it('moves focus to the next row when a row of a long list is removed', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" multiple></itty-uploader>`);
    el.addFiles(files(300));
    el.cancel();
    await settle(el);
    const row = rows(el)[5]!;
    row.querySelector<HTMLButtonElement>('[part=remove-button]')!.click();
    await settle(el);
    expect(el.items).to.have.length(299);
    expect(nameOf(el.shadowRoot!.activeElement!.closest('li')!)).to.equal('file-6.txt');
  });
});

describe('<itty-uploader> thumbnails', () => {
  it('makes an object URL for an image preview and revokes it when the file leaves the list', async () => {
    const made: string[] = [];
    const revoked: string[] = [];
    const { createObjectURL, revokeObjectURL } = URL;
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      const url = createObjectURL(blob);
      made.push(url);
      return url;
    };
    URL.revokeObjectURL = (url: string) => {
      revoked.push(url);
      revokeObjectURL(url);
    };
    try {
      const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" manual multiple></itty-uploader>`);
      // A real image: its preview is decoded at thumbnail size (issue 21), a broken one keeps the type badge.
      const png = Uint8Array.from(
        atob('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DAwMDAAAAO/wH/2Gm4XgAAAABJRU5ErkJggg=='),
        (c) => c.charCodeAt(0),
      );
      const [image] = el.addFiles([new File([png], 'a.png', { type: 'image/png' }), new File(['y'], 'b.txt', { type: 'text/plain' })]);
      await waitUntil(() => el.shadowRoot!.querySelector('img[part=thumbnail]'), 'the preview');
      expect(made).to.have.length(1);
      expect(el.shadowRoot!.querySelector<HTMLImageElement>('img[part=thumbnail]')!.src).to.equal(made[0]);
      el.remove(image!.id);
      await el.updateComplete;
      expect(revoked).to.deep.equal(made);
      el.addFiles([new File([png], 'c.png', { type: 'image/png' })]);
      await waitUntil(() => made.length === 2, 'the second preview');
      el.remove();
      expect(revoked).to.deep.equal(made);
    } finally {
      URL.createObjectURL = createObjectURL;
      URL.revokeObjectURL = revokeObjectURL;
    }
  });
});

describe('<itty-uploader> moved in the page', () => {
  it('shows its image previews after it is moved (a framework reordering the page), rows below the fold too', async () => {
    const PNG = Uint8Array.from(
      atob('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DAwMDAAAAO/wH/2Gm4XgAAAABJRU5ErkJggg=='),
      (c) => c.charCodeAt(0),
    );
    // Below the fold, so the lazy previews have not loaded yet when the element moves.
    const page = await fixture<HTMLDivElement>(
      html`<div><div style="height: 300vh"></div><div class="a"><itty-uploader endpoint="/upload-url" manual multiple></itty-uploader></div><div class="b"></div></div>`,
    );
    const el = page.querySelector('itty-uploader')!;
    el.addFiles([new File([PNG], 'a.png', { type: 'image/png' }), new File([PNG], 'b.png', { type: 'image/png' })]);
    await el.updateComplete;
    page.querySelector('.b')!.append(el);
    await el.updateComplete;
    // The previews are decoded again after the move (leaving the page released them).
    await waitUntil(() => el.shadowRoot!.querySelectorAll('img[part=thumbnail]').length === 2, 'the previews after the move');
    const thumbnails = [...el.shadowRoot!.querySelectorAll<HTMLImageElement>('img[part=thumbnail]')];
    el.scrollIntoView();
    // Not img.decode(): Firefox rejects it for a lazy image that has not started loading.
    await waitUntil(() => thumbnails.every((img) => img.complete), 'the previews never loaded nor failed');
    expect(thumbnails.map((img) => img.naturalWidth)).to.deep.equal([2, 2]);
  });
});

describe('the hidden attribute', () => {
  it('hides both elements, as it hides any element', async () => {
    const uploader = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" hidden></itty-uploader>`);
    const file = await fixture(html`<itty-file url="https://example.com/a.pdf" filename="a.pdf" hidden></itty-file>`);
    expect(getComputedStyle(uploader).display).to.equal('none');
    expect(getComputedStyle(file).display).to.equal('none');
    uploader.hidden = false;
    expect(getComputedStyle(uploader).display).to.not.equal('none');
  });
});

describe('<itty-uploader> page and form integration', () => {
  it('asks before the page unloads only while uploads are in flight, when guard-unload is set', async () => {
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url" guard-unload manual></itty-uploader>`);
    const unload = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(unload()).to.equal(false);
    el.addFiles([new File(['x'], 'queued.txt')]);
    expect(unload()).to.equal(false);
    el.getUploadUrl = () => new Promise(() => {});
    el.upload();
    expect(el.items[0]!.status).to.equal('signing');
    expect(unload()).to.equal(true);
    el.guardUnload = false;
    expect(unload()).to.equal(false);
    el.cancel();
  });

  it('is disabled by a disabled fieldset, and enabled again with it (as a native input)', async () => {
    const form = await fixture<HTMLFormElement>(
      html`<form><fieldset disabled><itty-uploader endpoint="/upload-url" manual></itty-uploader></fieldset></form>`,
    );
    const el = form.querySelector('itty-uploader')!;
    const browse = () => el.shadowRoot!.querySelector<HTMLButtonElement>('[part=browse-button]')!;
    await el.updateComplete;
    expect([el.matches(':disabled'), el.disabled, browse().disabled]).to.deep.equal([true, false, true]);
    expect(el.addFiles([new File(['x'], 'x.txt')])).to.deep.equal([]);
    form.querySelector('fieldset')!.disabled = false;
    await el.updateComplete;
    expect([el.matches(':disabled'), browse().disabled]).to.deep.equal([false, false]);
    expect(el.addFiles([new File(['x'], 'x.txt')])).to.have.length(1);
  });

  it('stays disabled by its own attribute when a fieldset around it is disabled and enabled again', async () => {
    const form = await fixture<HTMLFormElement>(
      html`<form><fieldset><itty-uploader endpoint="/upload-url" manual disabled></itty-uploader></fieldset></form>`,
    );
    const el = form.querySelector('itty-uploader')!;
    const fieldset = form.querySelector('fieldset')!;
    fieldset.disabled = true;
    await el.updateComplete;
    fieldset.disabled = false;
    await el.updateComplete;
    expect([el.disabled, el.matches(':disabled')]).to.deep.equal([true, true]);
    expect(el.addFiles([new File(['x'], 'x.txt')])).to.deep.equal([]);
  });
});
