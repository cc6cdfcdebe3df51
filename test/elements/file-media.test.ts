// <itty-file>'s v2 inputs against files stored on the real upload server: ittybit Media objects (original, poster,
// placeholder), `poster`, and `getFileUrl` for private files whose signed URLs expire or fail.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import '../../src/file.js';
import type { IttyFile, IttyMedia } from '../../src/file.js';
import { signedUrl, uniqueName } from '../helpers/browser.js';

/** Uploads a fixture to the real server; returns the File object it answered. */
async function store(fixture: string, type: string): Promise<IttyFile> {
  const bytes = await (await fetch(`/test/fixtures/${fixture}`)).blob();
  const url = await signedUrl(uniqueName(fixture), bytes.size, 'file-media');
  const response = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': type } });
  expect(response.status).to.be.oneOf([200, 201]);
  const file = (await response.json()) as IttyFile;
  return { ...file, type };
}

async function mount(template: TemplateResult) {
  const container = await fixture<HTMLDivElement>(html`<div></div>`);
  const load = oneEvent(container, 'itty-file-load');
  render(template, container);
  const el = container.querySelector('itty-file')!;
  await el.updateComplete;
  return { el, container, load };
}

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const linked = (el: Element) =>
  [...el.shadowRoot!.querySelectorAll('[src], [href], [poster]')].flatMap((node) =>
    ['src', 'href', 'poster'].map((name) => node.getAttribute(name)).filter((value) => value !== null),
  );
const past = () => Math.floor(Date.now() / 1000) - 60;
const future = () => Math.floor(Date.now() / 1000) + 3600;
const withExpiry = (url: string, expiry: number) => `${url}${url.includes('?') ? '&' : '?'}expiry=${expiry}&method=get&signature=x`;
const PLACEHOLDER =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DAwMDAAAAO/wH/2Gm4XgAAAABJRU5ErkJggg==';

describe('<itty-file> media, poster and getFileUrl', () => {
  let png: IttyFile;
  let video: IttyFile;
  before(async () => {
    png = await store('image-2x1.png', 'image/png');
    video = await store('video-4x2.webm', 'video/webm');
  });

  it("renders a Media object's original file, with its poster file as the video's poster", async () => {
    const media: IttyMedia = {
      object: 'media',
      files: [
        { ...png, ref: 'thumbnail' },
        { ...video, kind: 'video', ref: 'original' },
        { ...png, url: `${png.url}?poster`, ref: 'poster' },
      ],
    };
    const { el, load } = await mount(html`<itty-file .media=${media}></itty-file>`);
    await load;
    const player = part(el, 'video') as HTMLVideoElement;
    expect(player.getAttribute('src')).to.equal(video.url);
    expect(player.getAttribute('poster')).to.equal(`${png.url}?poster`);
    // Without a poster file, the thumbnail; the `poster` property wins over both.
    el.media = {
      object: 'media',
      files: [
        { ...video, kind: 'video', ref: 'original' },
        { ...png, ref: 'thumbnail' },
      ],
    };
    await el.updateComplete;
    expect(part(el, 'video')!.getAttribute('poster')).to.equal(png.url);
    el.poster = '/custom-poster.png';
    await el.updateComplete;
    expect(part(el, 'video')!.getAttribute('poster')).to.equal('/custom-poster.png');
    // Back to a plain File object: no poster is left over from the Media object.
    el.poster = '';
    el.media = undefined;
    el.file = { ...video, kind: 'video', url: `${video.url}?plain` };
    await el.updateComplete;
    expect(part(el, 'video')!.getAttribute('src')).to.equal(`${video.url}?plain`);
    expect(part(el, 'video')!.hasAttribute('poster')).to.equal(false);
  });

  it('renders the first playable file when there is no original, and the card when none is playable', async () => {
    const card: IttyFile = { url: '/files/notes.txt', kind: 'other', type: 'text/plain', filesize: 5, filename: 'notes.txt' };
    const media: IttyMedia = { object: 'media', files: [card, { ...png, ref: 'large' }] };
    const { el, load } = await mount(html`<itty-file .media=${media}></itty-file>`);
    await load;
    expect(part(el, 'image')!.getAttribute('src')).to.equal(png.url);
    el.media = { object: 'media', files: [card] };
    await el.updateComplete;
    expect(part(el, 'card')).to.not.equal(null);
    expect(part(el, 'name')!.textContent).to.equal('notes.txt');
    el.media = { object: 'media', files: 'nope' } as unknown as IttyMedia;
    await el.updateComplete;
    expect(part(el, 'card')).to.not.equal(null);
    expect(part(el, 'link')).to.equal(null);
  });

  it('shows the placeholder as a blurred background until the image loaded, never as a src', async () => {
    await import('../../src/elements/file-media.js');
    const media: IttyMedia = {
      object: 'media',
      files: [{ ...png, url: `${png.url}?fresh`, ref: 'original' }],
      urls: { placeholder: PLACEHOLDER },
    };
    // Watched from the start (not after `updateComplete`, which waits for the view and may see the image in already).
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    const load = oneEvent(container, 'itty-file-load');
    render(html`<itty-file .media=${media}></itty-file>`, container);
    const el = container.querySelector('itty-file')!;
    // The image's style as it was inserted: it may load right after.
    let inserted: { src: string | null; background: string; filter: string } | undefined;
    const watch = new MutationObserver(() => {
      const image = part(el, 'image');
      if (image && !inserted)
        inserted = { src: image.getAttribute('src'), background: image.style.backgroundImage, filter: image.style.filter };
    });
    watch.observe(el.shadowRoot!, { childList: true, subtree: true });
    await waitUntil(() => inserted, 'the image renders once the media code is in');
    watch.disconnect();
    expect(inserted!.src).to.equal(`${png.url}?fresh`);
    expect(inserted!.background).to.contain('data:image/png;base64');
    expect(inserted!.filter).to.contain('blur');
    const image = part(el, 'image')!;
    await load;
    // (WebKit may keep an empty style attribute.)
    await waitUntil(() => !image.getAttribute('style'), 'the placeholder leaves once the image loaded');
    // A placeholder that is not a base64 image, or would end the CSS url(), is never used.
    for (const placeholder of [
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:image/png;base64,AAA") red',
      'javascript:alert(1)',
      'https://x.test/a.png',
    ]) {
      el.media = { object: 'media', files: [{ ...png, url: `${png.url}?${placeholder.length}`, ref: 'original' }], urls: { placeholder } };
      await el.updateComplete;
      expect(part(el, 'image')!.getAttribute('style') ?? '', placeholder).to.equal('');
    }
  });

  it('never puts a hostile URL of a Media object, a poster or getFileUrl into src, href or poster', async () => {
    const hostile = ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', ' java\tscript:alert(1)', 'vbscript:x'];
    for (const url of hostile) {
      const media: IttyMedia = {
        object: 'media',
        files: [
          { ...video, kind: 'video', url, ref: 'original' },
          { ...png, url, ref: 'poster' },
        ],
        urls: { placeholder: url },
      };
      const { el } = await mount(html`<itty-file .media=${media} poster=${url}></itty-file>`);
      await waitUntil(() => !part(el, 'loading'));
      expect(linked(el), url).to.deep.equal([]);
      const fresh = await mount(
        html`<itty-file .file=${{ ...png, url: withExpiry(png.url, past()) }} .getFileUrl=${async () => url}></itty-file>`,
      );
      await waitUntil(() => !part(fresh.el, 'loading'));
      expect(linked(fresh.el), url).to.deep.equal([]);
    }
    const { el } = await mount(html`<itty-file .file=${video} poster="javascript:alert(1)"></itty-file>`);
    await waitUntil(() => part(el, 'video'), 'the video renders once the poster code is in');
    expect(part(el, 'video')!.hasAttribute('poster')).to.equal(false);
    el.poster = '/posters/p.png';
    await el.updateComplete;
    expect(part(el, 'video')!.getAttribute('poster'), 'a safe poster on a plain File object').to.equal('/posters/p.png');
  });

  it('asks getFileUrl for a fresh URL before rendering a file whose expiry passed, and uses it', async () => {
    const calls: IttyFile[] = [];
    const expired = { ...png, url: withExpiry(png.url, past()) };
    const fresh = withExpiry(png.url, future());
    const getFileUrl = async (file: IttyFile) => {
      calls.push(file);
      return fresh;
    };
    const { el, load } = await mount(html`<itty-file .file=${expired} .getFileUrl=${getFileUrl}></itty-file>`);
    await load;
    expect(calls.map((file) => file.url)).to.deep.equal([expired.url]);
    expect(part(el, 'image')!.getAttribute('src')).to.equal(fresh);
    // A URL still valid is used as it is: no call.
    const valid = { ...png, url: withExpiry(png.url, future()) };
    const second = await mount(html`<itty-file .file=${valid} .getFileUrl=${getFileUrl}></itty-file>`);
    await second.load;
    expect(calls).to.have.length(1);
    expect(part(second.el, 'image')!.getAttribute('src')).to.equal(valid.url);
  });

  it('asks getFileUrl once more when the media fails to load, and uses the fresh URL', async () => {
    let calls = 0;
    const broken = { ...png, url: withExpiry(`${png.url}-gone`, future()) };
    const getFileUrl = async () => {
      calls += 1;
      return png.url;
    };
    const { el, load } = await mount(html`<itty-file .file=${broken} .getFileUrl=${getFileUrl}></itty-file>`);
    const { detail } = (await load) as CustomEvent<{ file: IttyFile }>;
    expect(calls).to.equal(1);
    expect(detail.file.url).to.equal(png.url);
    expect(part(el, 'image')!.getAttribute('src')).to.equal(png.url);
  });

  it('never loops: a fresh URL that fails too is reported once, after exactly one more call', async () => {
    let calls = 0;
    const broken = { ...png, url: `${png.url}-gone` };
    const getFileUrl = async () => {
      calls += 1;
      return `${png.url}-gone-${calls}`;
    };
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    let errors = 0;
    container.addEventListener('itty-file-error', () => (errors += 1));
    const error = oneEvent(container, 'itty-file-error');
    render(html`<itty-file .file=${broken} .getFileUrl=${getFileUrl}></itty-file>`, container);
    await error;
    const el = container.querySelector('itty-file')!;
    // Whatever more could happen happens within a few frames and renders.
    for (let i = 0; i < 10; i++) {
      await el.updateComplete;
      await new Promise(requestAnimationFrame);
    }
    expect([calls, errors]).to.deep.equal([1, 1]);
    expect(part(el, 'image')!.getAttribute('src')).to.equal(`${png.url}-gone-1`);
  });
});
