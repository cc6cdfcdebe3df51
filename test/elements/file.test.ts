import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import type axeCore from 'axe-core';
import 'axe-core/axe.min.js';
import { IttyFileElement, type IttyFile } from '../../src/file.js';

const fixtures = '/test/fixtures';
const png: IttyFile = {
  kind: 'image',
  type: 'image/png',
  url: `${fixtures}/image-2x1.png`,
  filename: 'image-2x1.png',
  filesize: 72,
  width: 2,
  height: 1,
};
const pdf: IttyFile = { kind: 'other', type: 'application/pdf', url: '/files/report.pdf', filename: 'report.pdf', filesize: 1_200_000 };

/** Renders `template` into a fresh container that already listens, so no event can be missed. */
async function mount(template: TemplateResult) {
  const container = await fixture<HTMLDivElement>(html`<div></div>`);
  const load = oneEvent(container, 'itty-file-load');
  const error = oneEvent(container, 'itty-file-error');
  render(template, container);
  const el = container.querySelector('itty-file')!;
  await el.updateComplete;
  return { el, container, load, error };
}

const part = (el: IttyFileElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

/** Elements of the shadow root that carry a `src` or `href`. */
const linked = (el: IttyFileElement) => [...el.shadowRoot!.querySelectorAll('[src], [href]')];

async function seriousViolations(target: Element) {
  const { axe } = window as unknown as { axe: typeof axeCore };
  const results = await axe.run(target);
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

/** Replaces `fetch` with one whose answers the test gives, one call at a time. */
function holdFetch() {
  const original = window.fetch;
  const calls: { url: string; signal: AbortSignal; respond(response: Response): void }[] = [];
  window.fetch = (input, init) => new Promise((respond) => calls.push({ url: String(input), signal: init!.signal!, respond }));
  return { calls, restore: () => (window.fetch = original) };
}

describe('<itty-file>', () => {
  let held: ReturnType<typeof holdFetch> | undefined;
  afterEach(() => {
    held?.restore();
    held = undefined;
  });

  describe('rendering by kind', () => {
    it('renders an image with its size, lazy and async, and reports the load', async () => {
      const { el, load } = await mount(
        html`<itty-file url="${fixtures}/image-2x1.png" kind="image" width="2" height="1" filename="dot.png"></itty-file>`,
      );
      const img = part(el, 'media') as HTMLImageElement;
      expect(img.tagName).to.equal('IMG');
      expect(img.getAttribute('part')).to.equal('media image');
      expect(img.getAttribute('src')).to.equal(`${fixtures}/image-2x1.png`);
      expect(img.getAttribute('width')).to.equal('2');
      expect(img.getAttribute('height')).to.equal('1');
      expect(img.getAttribute('loading')).to.equal('lazy');
      expect(img.getAttribute('decoding')).to.equal('async');
      expect(img.alt).to.equal('dot.png');
      const event = await load;
      expect(event.detail.file.url).to.equal(`${fixtures}/image-2x1.png`);
      expect(img.naturalWidth).to.equal(2);
    });

    it('uses the alt attribute, and keeps an empty one for decorative images', async () => {
      const { el } = await mount(html`<itty-file .file=${png} alt="A green dot"></itty-file>`);
      expect((part(el, 'image') as HTMLImageElement).alt).to.equal('A green dot');
      el.alt = '';
      await el.updateComplete;
      expect(part(el, 'image')!.getAttribute('alt')).to.equal('');
    });

    it('leaves width and height off when they are unknown', async () => {
      const { el } = await mount(html`<itty-file .file=${{ ...png, width: undefined, height: undefined }}></itty-file>`);
      expect(part(el, 'image')!.hasAttribute('width')).to.equal(false);
      expect(part(el, 'image')!.hasAttribute('height')).to.equal(false);
    });

    it('renders a video with controls, metadata preload and its size, and reports loadedmetadata', async () => {
      // A 465-byte 4×2 VP8 WebM (recorded from a canvas by Chromium): every engine decodes it, while WebKitGTK's
      // MediaRecorder records nothing without GStreamer's encoders.
      const url = URL.createObjectURL(await (await fetch(`${fixtures}/video-4x2.webm`)).blob());
      try {
        const { el, load } = await mount(
          html`<itty-file .file=${{ kind: 'video', type: 'video/webm', url, filesize: 1, width: 4, height: 2 }}></itty-file>`,
        );
        const video = part(el, 'media') as HTMLVideoElement;
        expect(video.tagName).to.equal('VIDEO');
        expect(video.getAttribute('part')).to.equal('media video');
        expect(video.getAttribute('src')).to.equal(url);
        expect(video.controls).to.equal(true);
        expect(video.getAttribute('preload')).to.equal('metadata');
        expect(video.hasAttribute('playsinline')).to.equal(true);
        expect(video.getAttribute('width')).to.equal('4');
        expect(video.getAttribute('height')).to.equal('2');
        expect((await load).detail.file.url).to.equal(url);
        expect(video.videoWidth).to.equal(4);
      } finally {
        URL.revokeObjectURL(url);
      }
    });

    it('renders audio with controls and reports loadedmetadata', async () => {
      const { el, load } = await mount(html`<itty-file url="${fixtures}/tone-100ms.wav" kind="audio"></itty-file>`);
      const audio = part(el, 'media') as HTMLAudioElement;
      expect(audio.tagName).to.equal('AUDIO');
      expect(audio.getAttribute('part')).to.equal('media audio');
      expect(audio.controls).to.equal(true);
      await load;
      expect(audio.duration).to.be.closeTo(0.1, 0.01);
    });

    it('turns controls off with controls="false" or the property', async () => {
      const { el } = await mount(html`<itty-file url="${fixtures}/tone-100ms.wav" kind="audio" controls="false"></itty-file>`);
      expect(el.controls).to.equal(false);
      expect((part(el, 'audio') as HTMLAudioElement).controls).to.equal(false);
      el.setAttribute('controls', '');
      await el.updateComplete;
      expect((part(el, 'audio') as HTMLAudioElement).controls).to.equal(true);
      el.kind = 'video';
      el.controls = false;
      await el.updateComplete;
      expect((part(el, 'video') as HTMLVideoElement).controls).to.equal(false);
    });

    it('renders other files as a card with name, size, type and a download link', async () => {
      const { el } = await mount(html`<itty-file .file=${pdf}></itty-file>`);
      expect(part(el, 'media')).to.equal(null);
      expect(part(el, 'name')!.textContent).to.equal('report.pdf');
      expect(part(el, 'size')!.textContent).to.equal('1.2 MB');
      expect(part(el, 'type')!.textContent).to.equal('application/pdf');
      const link = part(el, 'link') as HTMLAnchorElement;
      expect(link.getAttribute('href')).to.equal('/files/report.pdf');
      expect(link.getAttribute('download')).to.equal('report.pdf');
      expect(link.rel).to.equal('noopener');
      expect(link.textContent).to.equal('Download');
    });

    it('falls back to the family of type when kind is missing', async () => {
      const cases: [string, string][] = [
        ['image/png', 'IMG'],
        ['video/mp4', 'VIDEO'],
        ['audio/wav', 'AUDIO'],
        ['application/zip', 'DIV'],
        ['', 'DIV'],
      ];
      for (const [type, tag] of cases) {
        const { el } = await mount(html`<itty-file url="${fixtures}/image-2x1.png" type=${type}></itty-file>`);
        const shown = part(el, 'media') ?? part(el, 'card');
        expect(shown!.tagName, type).to.equal(tag);
      }
    });

    it('shows kinds it does not know as a card, whatever the type', async () => {
      const { el } = await mount(html`<itty-file .file=${{ ...png, kind: 'document' }}></itty-file>`);
      expect(part(el, 'card')).to.exist;
      expect(part(el, 'media')).to.equal(null);
    });

    it('names the file after its URL when it has no filename', async () => {
      const { el } = await mount(html`<itty-file url="/files/my%20notes.txt?x=1" filesize="1500"></itty-file>`);
      expect(part(el, 'name')!.textContent).to.equal('my notes.txt');
      expect(part(el, 'size')!.textContent).to.equal('1.5 kB');
      expect(part(el, 'link')!.getAttribute('download')).to.equal('my notes.txt');
    });

    it('renders nothing without a file, src, url or filename', async () => {
      const { el } = await mount(html`<itty-file></itty-file>`);
      expect(el.shadowRoot!.children.length).to.equal(0);
    });
  });

  describe('sources', () => {
    it('reads plain attributes, so it works without JavaScript properties', async () => {
      const { el } = await mount(
        html`<itty-file url="/files/a.zip" kind="other" type="application/zip" filename="a.zip" filesize="15000000"></itty-file>`,
      );
      expect(part(el, 'name')!.textContent).to.equal('a.zip');
      expect(part(el, 'size')!.textContent).to.equal('15 MB');
      expect(part(el, 'type')!.textContent).to.equal('application/zip');
      expect(part(el, 'link')!.getAttribute('href')).to.equal('/files/a.zip');
    });

    it('prefers the file property over src and the attributes', async () => {
      held = holdFetch();
      const { el } = await mount(
        html`<itty-file .file=${pdf} src="${fixtures}/file-image.json" url="/files/b.zip" filename="b.zip"></itty-file>`,
      );
      expect(part(el, 'name')!.textContent).to.equal('report.pdf');
      expect(held.calls).to.have.length(0);
      el.file = undefined;
      await el.updateComplete;
      expect(held.calls.map((c) => c.url)).to.deep.equal([`${fixtures}/file-image.json`]);
    });

    it('shows a loading state, then the fetched File object', async () => {
      held = holdFetch();
      const { el } = await mount(html`<itty-file src="${fixtures}/file-image.json"></itty-file>`);
      expect(part(el, 'loading')!.textContent).to.equal('Loading…');
      expect(part(el, 'loading')!.getAttribute('role')).to.equal('status');
      held.calls[0]!.respond(Response.json(png));
      await waitUntil(() => part(el, 'image'), 'the image never rendered');
      expect(part(el, 'loading')).to.equal(null);
    });

    it('fetches a bare File object from src', async () => {
      const { el, load } = await mount(html`<itty-file src="${fixtures}/file-image.json"></itty-file>`);
      await waitUntil(() => part(el, 'image'), 'the image never rendered');
      const img = part(el, 'image') as HTMLImageElement;
      expect(img.getAttribute('src')).to.equal(`${fixtures}/image-2x1.png`);
      expect(img.getAttribute('width')).to.equal('2');
      expect((await load).detail.file.id).to.equal('file_abcdefghijkl');
    });

    it('fetches a File object inside a { data } envelope', async () => {
      const { el } = await mount(html`<itty-file src="${fixtures}/file-envelope.json"></itty-file>`);
      await waitUntil(() => part(el, 'card'), 'the card never rendered');
      expect(part(el, 'name')!.textContent).to.equal('report.pdf');
      expect(part(el, 'size')!.textContent).to.equal('15 MB');
    });

    for (const [what, file, message] of [
      ['a 404', 'missing.json', /404/],
      ['invalid JSON', 'invalid.json', /JSON/],
      ['JSON that is not a File object', 'not-a-file.json', /not a File object/],
    ] as const) {
      it(`shows an error state and fires itty-file-error for ${what}`, async () => {
        const { el, error } = await mount(html`<itty-file src="${fixtures}/${file}"></itty-file>`);
        expect((await error).detail.error.message).to.match(message);
        await el.updateComplete;
        expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
        expect(part(el, 'error')!.textContent).to.contain('Could not load the file.');
        expect(part(el, 'retry-button')!.textContent).to.equal('Retry');
        expect(part(el, 'media') ?? part(el, 'card')).to.equal(null);
      });
    }

    it('fetches again when retry is pressed', async () => {
      held = holdFetch();
      const { el, error } = await mount(html`<itty-file src="/files/flaky.json"></itty-file>`);
      held.calls[0]!.respond(new Response('busy', { status: 503 }));
      await error;
      await el.updateComplete;
      part(el, 'retry-button')!.click();
      await el.updateComplete;
      expect(held.calls).to.have.length(2);
      expect(part(el, 'loading')).to.exist;
      held.calls[1]!.respond(Response.json({ data: pdf }));
      await waitUntil(() => part(el, 'card'), 'the card never rendered');
      expect(part(el, 'name')!.textContent).to.equal('report.pdf');
    });

    it('fetches again when src changes, aborting the fetch it replaces', async () => {
      held = holdFetch();
      const { el } = await mount(html`<itty-file src="/files/a.json"></itty-file>`);
      el.src = '/files/b.json';
      await el.updateComplete;
      const [a, b] = held.calls;
      expect([a!.url, b!.url]).to.deep.equal(['/files/a.json', '/files/b.json']);
      expect(a!.signal.aborted).to.equal(true);
      expect(b!.signal.aborted).to.equal(false);
      b!.respond(Response.json(pdf));
      await waitUntil(() => part(el, 'card'), 'the card never rendered');
      // The old fetch answers late (as a server ignoring the abort would): it must not win.
      a!.respond(Response.json(png));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await el.updateComplete;
      expect(part(el, 'image')).to.equal(null);
      expect(part(el, 'name')!.textContent).to.equal('report.pdf');
    });

    it('ignores the replaced fetch even when it answers first', async () => {
      held = holdFetch();
      const { el } = await mount(html`<itty-file src="/files/a.json"></itty-file>`);
      el.src = '/files/b.json';
      await el.updateComplete;
      held.calls[0]!.respond(Response.json(png));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await el.updateComplete;
      expect(part(el, 'loading')).to.exist;
      expect(part(el, 'image')).to.equal(null);
      held.calls[1]!.respond(Response.json(pdf));
      await waitUntil(() => part(el, 'card'), 'the card never rendered');
    });

    it('fetches the real fixtures again when src changes', async () => {
      const { el } = await mount(html`<itty-file src="${fixtures}/file-image.json"></itty-file>`);
      await waitUntil(() => part(el, 'image'), 'the image never rendered');
      el.src = `${fixtures}/file-envelope.json`;
      await waitUntil(() => part(el, 'card'), 'the card never rendered');
      expect(part(el, 'name')!.textContent).to.equal('report.pdf');
    });

    it('shows the attributes again when src is removed', async () => {
      held = holdFetch();
      const { el } = await mount(html`<itty-file src="/files/a.json" url="/files/c.zip"></itty-file>`);
      el.removeAttribute('src');
      await el.updateComplete;
      expect(held.calls[0]!.signal.aborted).to.equal(true);
      expect(part(el, 'name')!.textContent).to.equal('c.zip');
    });
  });

  describe('states and events', () => {
    for (const status of ['waiting', 'processing'] as const) {
      it(`shows a processing state while the file is ${status}`, async () => {
        const { el } = await mount(html`<itty-file .file=${{ ...png, status }}></itty-file>`);
        const state = part(el, 'processing')!;
        expect(state.getAttribute('role')).to.equal('status');
        expect(state.textContent).to.equal('Processing…');
        expect(part(el, 'media')).to.equal(null);
        el.file = { ...png, status: 'ready' };
        await el.updateComplete;
        expect(part(el, 'image')).to.exist;
      });
    }

    it('takes its texts from strings', async () => {
      held = holdFetch();
      const { el } = await mount(
        html`<itty-file src="/files/a.json" .strings=${{ loading: 'Chargement…', download: 'Télécharger' }}></itty-file>`,
      );
      expect(part(el, 'loading')!.textContent).to.equal('Chargement…');
      el.file = pdf;
      await el.updateComplete;
      expect(part(el, 'link')!.textContent).to.equal('Télécharger');
      el.file = { ...pdf, status: 'processing' };
      el.strings = { processing: 'En cours…' };
      await el.updateComplete;
      expect(part(el, 'processing')!.textContent).to.equal('En cours…');
    });

    it('fires itty-file-error when an image cannot load', async () => {
      const { error } = await mount(html`<itty-file url="${fixtures}/does-not-exist.png" kind="image"></itty-file>`);
      const event = await error;
      expect(event.detail.error).to.be.instanceOf(Error);
      expect(event.detail.error.message).to.contain('does-not-exist.png');
      expect(event.bubbles && event.composed).to.equal(true);
    });

    it('reports load and error only for the media shown, not for media another file replaced', async () => {
      // Media left behind keeps loading (Chromium fires its loadedmetadata and error after it is removed).
      const video = URL.createObjectURL(await (await fetch(`${fixtures}/video-4x2.webm`)).blob());
      const { el } = await mount(html`<itty-file></itty-file>`);
      const events: string[] = [];
      el.addEventListener('itty-file-load', (event) => events.push(`load ${event.detail.file.url}`));
      el.addEventListener('itty-file-error', () => events.push('error'));
      try {
        const left: Promise<unknown>[] = [];
        for (const file of [
          { kind: 'video', type: 'video/webm', url: video, filesize: 1 },
          { kind: 'audio', type: 'audio/wav', url: `${fixtures}/tone-100ms.wav`, filesize: 1 },
          { kind: 'video', type: 'video/webm', url: `${fixtures}/invalid.json`, filesize: 1 },
        ]) {
          el.file = file;
          await el.updateComplete;
          const media = part(el, 'media') as HTMLMediaElement;
          // Each media element left behind has had its say (its own loadedmetadata or error) or stopped loading.
          left.push(
            Promise.race([
              oneEvent(media, 'loadedmetadata'),
              oneEvent(media, 'error'),
              waitUntil(() => media.readyState > 0 || media.error || media.networkState !== HTMLMediaElement.NETWORK_LOADING, '', {
                timeout: 10000,
              }),
            ]),
          );
          el.file = pdf;
          await el.updateComplete;
        }
        const shown = `${fixtures}/tone-100ms.wav?shown`;
        const loaded = oneEvent(el, 'itty-file-load');
        el.file = { kind: 'audio', type: 'audio/wav', url: shown, filesize: 1 };
        await loaded;
        await Promise.all(left);
        // Listeners of the element hear an event in the same task as the media's own: none can be pending now.
        expect(events).to.deep.equal([`load ${shown}`]);
      } finally {
        URL.revokeObjectURL(video);
      }
    });

    it('fires itty-file-error when a video cannot load', async () => {
      const { error } = await mount(html`<itty-file url="${fixtures}/invalid.json" kind="video"></itty-file>`);
      expect((await error).detail.error).to.be.instanceOf(Error);
    });
  });

  describe('safety', () => {
    // Found: a File object whose filename is shaped like a Lit template result left the element on "Loading…" for
    // good, with no itty-file-error; so did a status that is an object. Only text is rendered as text.
    const shapes = [
      ['filename', 'an object shaped like a Lit template result', { _$litType$: 1, strings: ['<b>x</b>'], values: [] }],
      ['status', 'an object', { value: 'ready' }],
      ['type', 'an array', ['image/png']],
    ] as const;
    for (const [field, what, value] of shapes) {
      it(`refuses a fetched File object whose ${field} is ${what}: error state and itty-file-error`, async () => {
        held = holdFetch();
        const { el, error } = await mount(html`<itty-file src="/files/odd.json"></itty-file>`);
        held.calls[0]!.respond(Response.json({ ...pdf, [field]: value }));
        expect((await error).detail.error.message).to.match(/not a File object/);
        await el.updateComplete;
        expect(part(el, 'loading')).to.equal(null);
        expect(part(el, 'error')).to.exist;
        expect(part(el, 'card')).to.equal(null);
      });

      it(`refuses a .file whose ${field} is ${what}: error state and itty-file-error`, async () => {
        const { el, error } = await mount(html`<itty-file .file=${{ ...pdf, [field]: value }}></itty-file>`);
        expect((await error).detail.error.message).to.contain(field);
        expect(part(el, 'error')).to.exist;
        expect(part(el, 'card')).to.equal(null);
        // A valid File object afterwards renders as usual.
        el.file = pdf;
        await el.updateComplete;
        expect(part(el, 'name')!.textContent).to.equal('report.pdf');
      });
    }

    const hostile = [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      'java\rscript:alert(1)',
      '\u0000javascript:alert(1)',
      '\u200bjavascript:alert(1)',
      '\u00a0javascript:alert(1)',
      'javascript\u0000:alert(1)',
      'javascript://%0aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'DATA:image/png;base64,iVBORw0KGgo=',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.com/x',
      'about:blank',
      '&#106;avascript:alert(1)',
      'jav&#x09;ascript:alert(1)',
      'javascript&colon;alert(1)',
      '%6Aavascript:alert(1)',
      '//\\evil.example/x',
      '\\\\evil.example/x',
      '',
    ];

    for (const kind of ['image', 'video', 'audio', 'other']) {
      it(`never puts a hostile URL into src or href (${kind})`, async () => {
        for (const url of hostile) {
          const { el } = await mount(
            html`<itty-file .file=${{ kind, url, type: 'application/octet-stream', filesize: 1, filename: 'x.bin' }}></itty-file>`,
          );
          expect(linked(el), JSON.stringify(url)).to.deep.equal([]);
          expect(part(el, 'card'), JSON.stringify(url)).to.exist;
          expect(part(el, 'link'), JSON.stringify(url)).to.equal(null);
        }
      });
    }

    it('never puts a hostile url attribute into src or href', async () => {
      for (const url of hostile) {
        const { el } = await mount(html`<itty-file kind="image" filename="x.png"></itty-file>`);
        el.setAttribute('url', url);
        await el.updateComplete;
        expect(linked(el), JSON.stringify(url)).to.deep.equal([]);
        expect(part(el, 'name')!.textContent).to.equal('x.png');
      }
    });

    it('refuses to fetch a hostile src', async () => {
      held = holdFetch();
      const { el, error } = await mount(html`<itty-file src="javascript:alert(1)"></itty-file>`);
      expect((await error).detail.error.message).to.match(/Refused/);
      await el.updateComplete;
      expect(held.calls).to.have.length(0);
      expect(part(el, 'error')).to.exist;
    });

    it('keeps hostile URLs from a fetched File object out of src and href', async () => {
      held = holdFetch();
      const { el } = await mount(html`<itty-file src="/files/a.json"></itty-file>`);
      held.calls[0]!.respond(Response.json({ ...png, url: 'javascript:alert(1)' }));
      await waitUntil(() => part(el, 'card'), 'the card never rendered');
      expect(linked(el)).to.deep.equal([]);
    });

    it('accepts http, https, blob and relative URLs', async () => {
      for (const url of [
        'https://cdn.example/a.bin',
        'http://cdn.example/a.bin',
        'blob:https://example.com/uuid',
        'a.bin',
        '/a.bin',
        '?a',
        '//cdn.example/a.bin',
      ]) {
        const { el } = await mount(html`<itty-file .file=${{ kind: 'other', url, type: '', filesize: 1 }}></itty-file>`);
        expect(part(el, 'link')!.getAttribute('href'), url).to.equal(url);
      }
    });

    it('renders names and types as text, never as HTML', async () => {
      const filename = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
      const type = 'text/html"><svg onload="window.__pwned=1">';
      const { el } = await mount(html`<itty-file .file=${{ ...pdf, filename, type }}></itty-file>`);
      expect(part(el, 'name')!.textContent).to.equal(filename);
      expect(part(el, 'type')!.textContent).to.equal(type);
      expect(el.shadowRoot!.querySelector('img, script, svg')).to.equal(null);
      el.file = { ...png, filename, url: `${fixtures}/image-2x1.png` };
      await el.updateComplete;
      expect(part(el, 'image')!.getAttribute('alt')).to.equal(filename);
      expect(el.shadowRoot!.querySelectorAll('img')).to.have.length(1);
      expect(el.shadowRoot!.querySelector('script, svg')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    });
  });

  describe('definition', () => {
    it('is defined by the entry point, and define() again does not throw', () => {
      expect(customElements.get('itty-file')).to.equal(IttyFileElement);
      expect(() => IttyFileElement.define()).not.to.throw();
      expect(() => IttyFileElement.define('itty-file')).not.to.throw();
      expect(customElements.get('itty-file')).to.equal(IttyFileElement);
    });

    it('defines itself under another tag name', async () => {
      IttyFileElement.define('itty-file-other');
      IttyFileElement.define('itty-file-other');
      const el = await fixture<IttyFileElement>(html`<itty-file-other .file=${pdf}></itty-file-other>`);
      expect(el).to.be.instanceOf(IttyFileElement);
      expect(part(el, 'name')!.textContent).to.equal('report.pdf');
    });
  });

  describe('accessibility', () => {
    it('has no serious axe violations as an image', async () => {
      const { container, load } = await mount(html`<itty-file .file=${png}></itty-file>`);
      await load;
      expect(await seriousViolations(container)).to.deep.equal([]);
    });

    it('has no serious axe violations as a card', async () => {
      const { container } = await mount(html`<itty-file .file=${pdf}></itty-file>`);
      expect(await seriousViolations(container)).to.deep.equal([]);
    });

    it('has no serious axe violations in the error state', async () => {
      const { el, container, error } = await mount(html`<itty-file src="${fixtures}/missing.json"></itty-file>`);
      await error;
      await el.updateComplete;
      expect(part(el, 'error')).to.exist;
      expect(await seriousViolations(container)).to.deep.equal([]);
    });

    it('has no serious axe violations in the dark', async () => {
      const { container } = await mount(html`<itty-file style="color-scheme: dark" .file=${pdf}></itty-file>`);
      expect(await seriousViolations(container)).to.deep.equal([]);
    });
  });
});
