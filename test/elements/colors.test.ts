// Colors follow the inherited color-scheme as native form controls do (SPEC §3 "What it renders", v2): measured two
// ways, by our own computed contrast (WCAG 2 ratio of every text's computed colour against the background it is
// painted on, alpha composited up the tree) and by axe, in light, dark and right to left, with every row state, the
// refused drag and the page overlay shown. Earlier axe misread light-dark(): neither tool alone is trusted.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import en from '../../src/locales/en.js';
import { expectNoSeriousAxeViolations } from '../helpers/axe.js';
import { uniqueName } from '../helpers/browser.js';

// HeadlessChrome/… or Chrome/…: emulateMedia needs Chromium's DevTools protocol.
const chromium = /Chrome\//.test(navigator.userAgent);

type RGBA = [number, number, number, number];

// A throwaway canvas turns any colour the engine computes (rgb(), color(srgb …) of color-mix, named) into sRGB bytes.
const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
function rgba(color: string): RGBA {
  const srgb = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.e-]+))?\)$/.exec(color);
  if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
  const rgb = /^rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:[,/] ?([\d.]+))?\)$/.exec(color);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = color;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!, a! / 255];
}

const over = ([r, g, b, a]: RGBA, [R, G, B]: RGBA): RGBA => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a), 1];

const luminance = ([r, g, b]: RGBA) => {
  const linear = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
};

const ratio = (a: RGBA, b: RGBA) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};

/** The element's parent across shadow roots (a shadow root's child: its host). */
const parentOf = (node: Element): Element | null => node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);

/** What the page is painted on where nothing paints: the Canvas colour of the root's color-scheme. */
function canvasColor(): RGBA {
  const root = rgba(getComputedStyle(document.documentElement).backgroundColor);
  if (root[3] === 1) return root;
  const body = rgba(getComputedStyle(document.body).backgroundColor);
  if (body[3] === 1) return body;
  const test = document.createElement('div');
  test.style.background = 'Canvas';
  document.documentElement.append(test);
  const canvas = rgba(getComputedStyle(test).backgroundColor);
  test.remove();
  return canvas;
}

/** The opaque colour behind `node`'s text: every background from it up to the page, composited. */
function backgroundOf(node: Element): RGBA {
  const layers: RGBA[] = [];
  for (let at: Element | null = node; at; at = parentOf(at)) {
    const color = rgba(getComputedStyle(at).backgroundColor);
    if (color[3] > 0) layers.push(color);
    if (color[3] === 1) break;
  }
  let result = layers.at(-1)?.[3] === 1 ? layers.pop()! : canvasColor();
  while (layers.length) result = over(layers.pop()!, result);
  return result;
}

/** Every element of the element's shadow root that shows text, with its contrast ratio. */
function contrasts(el: IttyUploaderElement) {
  const found: { what: string; text: string; ratio: number; color: string; background: string }[] = [];
  const walker = document.createTreeWalker(el.shadowRoot!, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const node = text.parentElement!;
    if (!text.textContent!.trim() || node.closest('style, .visually-hidden')) continue;
    const style = getComputedStyle(node);
    // Shown: a range over the text has boxes (a slot's own boxes are none: display: contents).
    const range = document.createRange();
    range.selectNodeContents(text);
    if (style.visibility === 'hidden' || !range.getClientRects().length) continue;
    const background = backgroundOf(node);
    const color = over(rgba(style.color), background);
    found.push({
      what: `${node.getAttribute('part') || node.classList[0] || node.closest('[part]')?.getAttribute('part')} (${node.closest('[part~=item]')?.getAttribute('part') ?? 'drop zone'})`,
      text: text.textContent!.trim().slice(0, 40),
      ratio: Math.round(ratio(color, background) * 100) / 100,
      color: style.color,
      background: `rgb(${background.slice(0, 3).map(Math.round).join(', ')})`,
    });
  }
  return found;
}

function expectContrast(el: IttyUploaderElement, label: string, parts: string[]) {
  const found = contrasts(el);
  const seen = new Set(found.map((entry) => entry.what.split(' ')[0]));
  for (const name of parts) expect(seen.has(name), `${label}: ${name} was measured (${[...seen].join(', ')})`).to.equal(true);
  const low = found.filter((entry) => entry.ratio < 4.5);
  expect(low, `${label}: text under 4.5:1\n${JSON.stringify(low, null, 1)}`).to.deep.equal([]);
}

/** Every state a row and the drop zone can show at once: done, failed with a server message, paused, rejected. */
async function everyState(lang = 'en', scheme = '') {
  const wrapper = await fixture<HTMLDivElement>(html`<div lang=${lang} style=${scheme ? `color-scheme: ${scheme}` : ''}>
    <itty-uploader endpoint="/upload-url" folder="colors" accept="text/plain,image/png" max-size="1KB" multiple drop-target="page" retries="0"></itty-uploader>
  </div>`);
  const el = wrapper.querySelector('itty-uploader')!;
  await el.updateComplete;
  if (lang !== 'en')
    await waitUntil(() => el.shadowRoot!.querySelector('[part=browse-button]')!.textContent!.trim() !== en.browse, 'the pack');
  const done = oneEvent(el, 'itty-queue-complete');
  el.addFiles([new File(['ok'], uniqueName('ok.txt'), { type: 'text/plain' })]);
  await done;
  // A signing request the server refuses (a folder outside the uploads): failed, with the server's message.
  el.folder = '../outside';
  const failed = oneEvent(el, 'itty-upload-error');
  el.addFiles([new File(['no'], uniqueName('refused.txt'), { type: 'text/plain' })]);
  await failed;
  el.folder = 'colors';
  el.addFiles([new File(['p'], uniqueName('paused.txt'), { type: 'text/plain' })]);
  el.pause(el.items.at(-1)!.id);
  // Last: the next selection replaces rejected rows.
  el.addFiles([new File(['x'], 'program.exe'), new File([new Uint8Array(2000)], 'big.txt', { type: 'text/plain' })]);
  await el.updateComplete;
  expect(el.items.map((item) => item.status).sort()).to.deep.equal(['done', 'error', 'paused', 'rejected', 'rejected']);
  return { el, wrapper };
}

/** The page overlay of a drag, refused (`accept`) or not. */
async function showOverlay(el: IttyUploaderElement, file: File) {
  const data = new DataTransfer();
  data.items.add(file);
  const event = (type: string) => new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true, composed: true });
  const overlay = () => el.shadowRoot!.querySelector<HTMLElement>('[part=page-drop-overlay]');
  await waitUntil(() => {
    document.body.dispatchEvent(event('dragenter'));
    return overlay();
  }, 'the overlay');
  overlay()!.dispatchEvent(event('dragenter'));
  await el.updateComplete;
  return overlay()!;
}

const hideOverlay = () => document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));

/**
 * The colours at the end of their fades (the drop zone's take 0.15 s): finished at once. In WebKitGTK a wait for the
 * fade under the page overlay timed out (it did not end there), so the test does not wait for it.
 */
const still = async (el: Element) => {
  await (el as IttyUploaderElement).updateComplete;
  for (const animation of el.shadowRoot!.getAnimations()) animation.finish();
};

const rowBackground = (el: IttyUploaderElement) => getComputedStyle(el.shadowRoot!.querySelector('[part~=item]')!).backgroundColor;

const TEXT_PARTS = ['prompt', 'browse-button', 'name', 'size', 'status', 'error', 'detail'];

describe('<itty-uploader> colours', () => {
  it('light-dark() works in this engine (the colours depend on it; there is no other path)', () => {
    expect(CSS.supports('color', 'light-dark(#000, #fff)')).to.equal(true);
  });

  it('follows the inherited color-scheme, as a native control: none declared is light, dark is dark, light inside dark is light', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <itty-uploader id="none" endpoint="/upload-url"></itty-uploader>
      <div style="color-scheme: dark"><itty-uploader id="dark" endpoint="/upload-url"></itty-uploader><input id="native-dark" />
        <div style="color-scheme: light"><itty-uploader id="light" endpoint="/upload-url"></itty-uploader></div>
      </div>
    </div>`);
    const zone = (id: string) => getComputedStyle(wrapper.querySelector(`#${id}`)!.shadowRoot!.querySelector('[part=dropzone]')!);
    const color = (id: string) => getComputedStyle(wrapper.querySelector(`#${id}`)!).color;
    await Promise.all([...wrapper.querySelectorAll('itty-uploader')].map((el) => (el as IttyUploaderElement).updateComplete));
    expect([zone('none').backgroundColor, color('none')]).to.deep.equal(['rgb(245, 245, 246)', 'rgb(24, 24, 27)']);
    expect([zone('dark').backgroundColor, color('dark')]).to.deep.equal(['rgb(32, 32, 36)', 'rgb(244, 244, 245)']);
    expect([zone('light').backgroundColor, color('light')]).to.deep.equal(['rgb(245, 245, 246)', 'rgb(24, 24, 27)']);
    // The element declares no scheme of its own: it inherits, as the native input beside it does.
    expect(getComputedStyle(wrapper.querySelector('#dark')!).colorScheme).to.equal('dark');
    // A page's own theme still wins over both schemes.
    const themed = wrapper.querySelector<IttyUploaderElement>('#dark')!;
    themed.style.setProperty('--itty-foreground', 'rgb(1, 2, 3)');
    expect(color('dark')).to.equal('rgb(1, 2, 3)');
  });

  it('switches with the OS setting only where the page declares color-scheme: light dark; prefers-color-scheme alone does not', async function () {
    // emulateMedia needs CDP: Chromium only.
    if (!chromium) this.skip();
    const el = await fixture<IttyUploaderElement>(html`<itty-uploader endpoint="/upload-url"></itty-uploader>`);
    const zone = () => getComputedStyle(el.shadowRoot!.querySelector('[part=dropzone]')!).backgroundColor;
    try {
      await emulateMedia({ colorScheme: 'dark' });
      await still(el);
      expect(zone(), 'a page that declares nothing stays light').to.equal('rgb(245, 245, 246)');
      document.documentElement.style.colorScheme = 'light dark';
      await still(el);
      expect(zone(), 'light dark under a dark OS: dark').to.equal('rgb(32, 32, 36)');
      await emulateMedia({ colorScheme: 'light' });
      await still(el);
      expect(zone(), 'light dark under a light OS: light').to.equal('rgb(245, 245, 246)');
    } finally {
      document.documentElement.style.colorScheme = '';
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('reads the failed row as status, reason, then the server’s message apart and quieter', async () => {
    const { el } = await everyState();
    const row = el.shadowRoot!.querySelector<HTMLElement>('[part~=item-error]')!;
    const line = row.querySelector('[part=status]')!.parentElement!;
    const words = line.textContent!.replace(/\s+/g, ' ').trim();
    expect(words).to.match(new RegExp(`^${en.statusFailed}: ${en.errorSignFailed.replace('.', '\\.')} \\S`));
    const detail = row.querySelector<HTMLElement>('[part=error] .detail')!;
    expect(detail.textContent!.trim().length).to.be.greaterThan(0);
    expect(getComputedStyle(detail).color, 'the detail is in the muted colour').to.equal(
      getComputedStyle(row.querySelector('[part=size]')!).color,
    );
    // On a line of its own, below the reason.
    const reason = row.querySelector('[part=error]')!.getClientRects()[0]!;
    expect(detail.getBoundingClientRect().top).to.be.at.least(reason.top + 4);
    // The colon is read, not shown.
    expect(line.querySelector('.visually-hidden')!.getBoundingClientRect().width).to.be.at.most(1);
    // A rejected row reads the same way.
    const rejected = el.shadowRoot!.querySelector('[part~=item-rejected] [part=status]')!.parentElement!;
    expect(rejected.textContent!.replace(/\s+/g, ' ').trim()).to.match(new RegExp(`^${en.statusRejected}: `));
  });

  for (const [label, scheme] of [
    ['light', 'light'],
    ['dark', 'dark'],
  ] as const) {
    it(`has text at 4.5:1 or more and no serious axe violation, ${label}, every row state, the refused drag and the page overlay`, async () => {
      const { el } = await everyState('en', scheme);
      await still(el);
      expect(rowBackground(el)).to.equal(scheme === 'dark' ? 'rgb(24, 24, 27)' : 'rgb(255, 255, 255)');
      expectContrast(el, `${label} rows`, TEXT_PARTS);
      await expectNoSeriousAxeViolations(el);

      const overlay = await showOverlay(el, new File(['t'], 'a.txt', { type: 'text/plain' }));
      await still(el);
      expectContrast(el, `${label} overlay`, ['page-drop-overlay']);
      await expectNoSeriousAxeViolations(el);
      const refused = await (async () => {
        hideOverlay();
        return showOverlay(el, new File(['t'], 'a.pdf', { type: 'application/pdf' }));
      })();
      expect(refused).to.not.equal(overlay);
      expect(el.hasAttribute('drag-invalid')).to.equal(true);
      await still(el);
      expectContrast(el, `${label} refused overlay and drop zone`, ['page-drop-overlay', 'prompt']);
      await expectNoSeriousAxeViolations(el);
      hideOverlay();
    });
  }

  it('right to left (ar), light and dark: text at 4.5:1 or more and no serious axe violation', async () => {
    for (const scheme of ['light', 'dark']) {
      const { el, wrapper } = await everyState('ar', scheme);
      expect(el.getAttribute('dir')).to.equal('rtl');
      await still(el);
      expectContrast(el, `rtl ${scheme}`, TEXT_PARTS);
      await expectNoSeriousAxeViolations(el);
      await showOverlay(el, new File(['t'], 'a.txt', { type: 'text/plain' }));
      await still(el);
      expectContrast(el, `rtl ${scheme} overlay`, ['page-drop-overlay']);
      await expectNoSeriousAxeViolations(el);
      hideOverlay();
      wrapper.remove();
    }
  });

  it('dark under a dark OS with color-scheme: light dark, as axe and the computed contrast see it (Chromium)', async function () {
    if (!chromium) this.skip();
    document.documentElement.style.colorScheme = 'light dark';
    await emulateMedia({ colorScheme: 'dark' });
    try {
      const { el } = await everyState();
      await still(el);
      expect(rowBackground(el)).to.equal('rgb(24, 24, 27)');
      expectContrast(el, 'os dark', TEXT_PARTS);
      await expectNoSeriousAxeViolations(el);
      await showOverlay(el, new File(['t'], 'a.txt', { type: 'text/plain' }));
      expectContrast(el, 'os dark overlay', ['page-drop-overlay']);
      await expectNoSeriousAxeViolations(el);
      hideOverlay();
    } finally {
      document.documentElement.style.colorScheme = '';
      await emulateMedia({ colorScheme: 'light' });
    }
  });
});
