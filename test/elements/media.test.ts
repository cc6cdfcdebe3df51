// <itty-uploader>'s media settings (issue 21, SPEC §3.8) against the real upload server: the rules that read inside
// files (min/max-width/height, min/max-duration, validate), max-total-size, transform and the built-in preparation
// (resize, quality, convert, keep-metadata) checked on the bytes the server stored, and the rows' previews.
import { expect, fixture as mountFixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { IttyUploaderElement } from '../../src/elements/uploader.js';
import type { UploadItem } from '../../src/events.js';
import type { IttyRejectEvent } from '../../src/events.js';
import { hasApp1, readImageHeader } from '../../src/core/media-header.js';
import { sha256, stored, uniqueName } from '../helpers/browser.js';
import { bytesOf, canvasImage, exifSegment, fixture, GPS_MARK, includes, isRedAt, jpegWith, pngClaiming } from '../media/fixtures.js';

const mount = (template: ReturnType<typeof html>) => mountFixture<IttyUploaderElement>(template);
const shadow = (el: Element) => el.shadowRoot!;
const parts = (el: Element, name: string) => [...shadow(el).querySelectorAll<HTMLElement>(`[part~="${name}"]`)];

const file = (blob: Blob, name: string, type = blob.type) => new File([blob], uniqueName(name), { type, lastModified: 1_700_000_000_000 });

/** Waits until every listed file reached an outcome (or was rejected). */
async function settled(el: IttyUploaderElement, count: number) {
  await waitUntil(
    () => el.items.length >= count && el.items.every((item) => ['done', 'error', 'canceled', 'rejected'].includes(item.status)),
    'the files settle',
    { timeout: 60_000 },
  );
  await el.updateComplete;
}

/** Every `itty-reject` of `el`, as `[name, reason, message]`. */
function rejections(el: IttyUploaderElement) {
  const seen: [string, string, string][] = [];
  el.addEventListener('itty-reject', (event) => seen.push([event.detail.source.name, event.detail.reason, event.detail.message]));
  return seen;
}

const byName = (el: IttyUploaderElement, source: File) => el.items.find((item) => item.source === source)!;

/** The stored bytes of an uploaded item, read back from the server. */
async function storedBytes(item: UploadItem): Promise<Blob> {
  if (item.status !== 'done') throw new Error(`not uploaded: ${item.status}`);
  const response = await fetch(item.file.url);
  expect(response.ok, `GET ${item.file.url}`).to.equal(true);
  return response.blob();
}

/** A WebM whose Info/Duration element is overwritten by an EBML Void: a video that says no duration. */
async function withoutDuration(webm: Blob): Promise<Blob> {
  const bytes = await bytesOf(webm);
  const info = bytes.findIndex((_, i) => bytes[i] === 0x15 && bytes[i + 1] === 0x49 && bytes[i + 2] === 0xa9 && bytes[i + 3] === 0x66);
  for (let i = info; i < info + 64; i++) {
    if (bytes[i] !== 0x44 || bytes[i + 1] !== 0x89 || (bytes[i + 2] !== 0x84 && bytes[i + 2] !== 0x88)) continue;
    const total = 3 + (bytes[i + 2]! & 0x0f);
    bytes.set([0xec, 0x80 | (total - 2)], i);
    bytes.fill(0, i + 2, i + total);
    break;
  }
  return new Blob([bytes], { type: 'video/webm' });
}

/** A 600×400 JPEG stored sideways (EXIF orientation 6, with GPS): shown 400 wide, 600 high, red on top. */
async function sidewaysPhoto(): Promise<File> {
  const jpeg = await canvasImage(600, 400, 'image/jpeg', 0.95);
  return file(await jpegWith(exifSegment(6, { width: 600, height: 400 }), jpeg), 'IMG_0001.JPG', 'image/jpeg');
}

describe('<itty-uploader> media rules', () => {
  it('rejects images outside min/max width and height, as rows, and uploads the others', async () => {
    const el = await mount(
      html`<itty-uploader endpoint="/upload-url" folder="media" multiple min-width="4" max-height="3"></itty-uploader>`,
    );
    const seen = rejections(el);
    const narrow = file(await fixture('image-2x1.png'), 'narrow.png');
    const tall = file(await fixture('image-6x4-rotated.jpg'), 'tall.jpg'); // 4 wide, 6 high as shown
    const fine = file(await fixture('image-5x3.jpg'), 'fine.jpg');
    // Checked before they are listed: nothing is returned at once.
    expect(el.addFiles([narrow, tall, fine])).to.deep.equal([]);
    await settled(el, 3);
    expect(seen.map(([name, reason]) => [name, reason])).to.deep.equal([
      [narrow.name, 'dimensions'],
      [tall.name, 'dimensions'],
    ]);
    expect(seen[0]![2]).to.equal(`${narrow.name} is 2 pixels wide: the minimum is 4.`);
    expect(seen[1]![2]).to.equal(`${tall.name} is 6 pixels high: the limit is 3.`);
    expect(el.items.map((item) => [item.source!.name, item.status])).to.deep.equal([
      [fine.name, 'done'],
      [narrow.name, 'rejected'],
      [tall.name, 'rejected'],
    ]);
    const errors = parts(el, 'error').map((node) => node.textContent);
    expect(errors).to.deep.equal([seen[0]![2], seen[1]![2]]);
  });

  it('rejects audio and video outside min/max duration; a video that says no duration is accepted', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" multiple max-duration="0.05"></itty-uploader>`);
    const seen = rejections(el);
    const tone = file(await fixture('tone-100ms.wav'), 'tone.wav', 'audio/wav');
    const undated = file(await withoutDuration(await fixture('video-4x2.webm')), 'undated.webm', 'video/webm');
    const image = file(await fixture('image-2x1.png'), 'still.png');
    el.addFiles([tone, undated, image]);
    await settled(el, 3);
    expect(seen[0]!.slice(0, 2)).to.deep.equal([tone.name, 'duration']);
    expect(seen[0]![2]).to.equal(`${tone.name} lasts 0.1 seconds: the limit is 0.05 seconds.`);
    expect(byName(el, image).status).to.equal('done');
    // The undated video: either the browser works its duration out (the video lasts 0.2 s, over the limit) or it
    // cannot, and then the file is accepted.
    const undatedItem = byName(el, undated);
    if (undatedItem.status === 'rejected') expect(undatedItem.reason).to.equal('duration');
    else expect(undatedItem.status).to.equal('done');

    const longer = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" multiple min-duration="10"></itty-uploader>`);
    const seenLonger = rejections(longer);
    const video = file(await fixture('video-4x2.webm'), 'short.webm', 'video/webm');
    longer.addFiles([video]);
    await settled(longer, 1);
    expect(seenLonger.map(([, reason]) => reason)).to.deep.equal(['duration']);
    expect(seenLonger[0]![2]).to.match(/lasts [\d.]+ seconds: the minimum is 10 seconds\.$/);
  });

  it('accepts files it cannot measure: a corrupt JPEG, a zero-byte image, an SVG', async () => {
    const el = await mount(
      html`<itty-uploader endpoint="/upload-url" folder="media" multiple min-width="100" min-height="100"></itty-uploader>`,
    );
    const corrupt = file(
      new Blob([Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8])], { type: 'image/jpeg' }),
      'corrupt.jpg',
    );
    const empty = file(new Blob([], { type: 'image/png' }), 'empty.png');
    const svg = file(new Blob(['<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'], { type: 'image/svg+xml' }), 'icon.svg');
    el.addFiles([corrupt, empty, svg]);
    await settled(el, 3);
    expect(el.items.map((item) => item.status)).to.deep.equal(['done', 'done', 'done']);
  });

  it('reads a PNG whose header says 30,000 × 30,000 from its header: rejected by max-width, never decoded', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" multiple max-width="10000"></itty-uploader>`);
    const seen = rejections(el);
    const liar = file(
      new Blob([pngClaiming(await bytesOf(await fixture('image-3x2.png')), 30_000, 30_000)], { type: 'image/png' }),
      'huge.png',
    );
    el.addFiles([liar]);
    await settled(el, 1);
    expect(seen.map(([, reason, message]) => [reason, message])).to.deep.equal([
      ['dimensions', `${liar.name} is 30,000 pixels wide: the limit is 10,000.`],
    ]);
  });

  it('validate: a message rejects (reason custom), null accepts, a throw rejects with a clear message and is logged', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" multiple></itty-uploader>`);
    const seen = rejections(el);
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    const calls: string[] = [];
    el.validate = async (source) => {
      calls.push(source.name);
      if (source.name.includes('secret')) return 'Files named secret are not allowed.';
      if (source.name.includes('boom')) throw new Error('the rule broke');
      return null;
    };
    const secret = file(new Blob(['a']), 'secret.txt');
    const boom = file(new Blob(['b']), 'boom.txt');
    const fine = file(new Blob(['c']), 'fine.txt');
    try {
      el.addFiles([secret, boom, fine]);
      await settled(el, 3);
    } finally {
      console.error = original;
    }
    expect(calls).to.have.members([secret.name, boom.name, fine.name]);
    expect(seen).to.deep.equal([
      [secret.name, 'custom', `${secret.name}: Files named secret are not allowed.`],
      [boom.name, 'custom', `${boom.name} could not be checked, so it was not added.`],
    ]);
    expect(byName(el, fine).status).to.equal('done');
    expect(String(logged[0]![0])).to.include(boom.name);
    expect((logged[0]![1] as Error).message).to.equal('the rule broke');
  });

  it('validate runs only for files that passed the built-in rules, and a sync rule works too', async () => {
    const el = await mount(
      html`<itty-uploader endpoint="/upload-url" folder="media" multiple accept="image/*" max-width="4"></itty-uploader>`,
    );
    const calls: string[] = [];
    el.validate = (source) => (calls.push(source.name), null);
    const text = file(new Blob(['x'], { type: 'text/plain' }), 'notes.txt');
    const wide = file(await fixture('image-5x3.jpg'), 'wide.jpg');
    const small = file(await fixture('image-3x2.png'), 'small.png');
    el.addFiles([text, wide, small]);
    await settled(el, 3);
    expect(calls).to.deep.equal([small.name]);
    expect(el.items.map((item) => item.status)).to.deep.equal(['done', 'rejected', 'rejected']);
  });

  it('an itty-reject listener that throws stops neither the other rejections nor the accepted files', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" multiple min-width="4"></itty-uploader>`);
    const seen = rejections(el);
    let thrown = 0;
    el.addEventListener('itty-reject', () => {
      thrown++;
      throw new Error('a listener that throws');
    });
    // The browser reports a listener's error to window.onerror (which the test runner would count as a failure).
    const reported: unknown[] = [];
    const previous = window.onerror;
    window.onerror = (_message, _source, _line, _column, error) => (reported.push(error), true);
    const a = file(await fixture('image-2x1.png'), 'a.png');
    const b = file(await fixture('image-3x2.png'), 'b.png');
    const ok = file(await fixture('image-5x3.jpg'), 'ok.jpg');
    try {
      el.addFiles([a, b, ok]);
      await settled(el, 3);
    } finally {
      window.onerror = previous;
    }
    expect(reported.map((error) => (error as Error).message)).to.deep.equal(['a listener that throws', 'a listener that throws']);
    expect(thrown).to.equal(2);
    expect(seen.map(([name]) => name)).to.deep.equal([a.name, b.name]);
    expect(byName(el, ok).status).to.equal('done');
  });

  it('a canceled itty-reject leaves the file to the app: no row', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" multiple min-width="4"></itty-uploader>`);
    el.addEventListener('itty-reject', (event: IttyRejectEvent) => event.preventDefault());
    const narrow = file(await fixture('image-2x1.png'), 'a.png');
    const ok = file(await fixture('image-5x3.jpg'), 'ok.jpg');
    el.addFiles([narrow, ok]);
    await settled(el, 1);
    expect(el.items.map((item) => item.source)).to.deep.equal([ok]);
  });

  it('selections finish in the order they were made, and the count rule sees the earlier one', async () => {
    const el = await mount(
      html`<itty-uploader endpoint="/upload-url" folder="media" multiple max-files="2" manual min-width="1"></itty-uploader>`,
    );
    const seen = rejections(el);
    const first = [file(await fixture('image-5x3.jpg'), '1.jpg'), file(await fixture('image-3x2.png'), '2.png')];
    const second = [file(await fixture('image-2x1.png'), '3.png')];
    el.addFiles(first);
    el.addFiles(second);
    await waitUntil(() => el.items.length === 3, 'both selections listed');
    expect(el.items.map((item) => [item.source, item.status])).to.deep.equal([
      [first[0], 'queued'],
      [first[1], 'queued'],
      [second[0], 'rejected'],
    ]);
    expect(seen.map(([, reason]) => reason)).to.deep.equal(['count']);
  });

  it('max-total-size: files beyond what the list may hold together are rejected (reason total-size)', async () => {
    const el = await mount(
      html`<itty-uploader endpoint="/upload-url" folder="media" multiple manual max-total-size="1kB"></itty-uploader>`,
    );
    const seen = rejections(el);
    const a = file(new Blob([new Uint8Array(600)]), 'a.bin');
    const b = file(new Blob([new Uint8Array(300)]), 'b.bin');
    const c = file(new Blob([new Uint8Array(200)]), 'c.bin');
    expect(el.addFiles([a, b]).length).to.equal(2);
    // 900 listed: 200 more would be 1,100.
    expect(el.addFiles([c])).to.deep.equal([]);
    await el.updateComplete;
    expect(seen).to.deep.equal([[c.name, 'total-size', `${c.name} was not added: all files together may be at most 1 kB.`]]);
    expect(el.maxTotalSize).to.equal(1000);
  });
});

describe('<itty-uploader> preparing files', () => {
  it('resize: the stored photo is upright, 2× smaller, without EXIF or GPS; the item keeps the chosen file', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" resize="300"></itty-uploader>`);
    const photo = await sidewaysPhoto();
    const statuses: string[] = [];
    el.addEventListener('itty-upload-start', () => statuses.push(parts(el, 'status')[0]?.textContent ?? ''));
    const [item] = el.addFiles([photo]);
    const { detail } = await oneEvent(el, 'itty-upload-success');
    const done = el.items[0]!;
    expect(done.source).to.equal(photo);
    expect(done.id).to.equal(item!.id);
    const bytes = await storedBytes(done);
    expect(detail.file.filesize).to.equal(bytes.size);
    expect(done.total).to.equal(bytes.size);
    expect(bytes.size).to.be.below(photo.size);
    expect(detail.file.type).to.equal('image/jpeg');
    expect([detail.file.width, detail.file.height]).to.deep.equal([200, 300]);
    // Upright: no orientation left to apply, and the picture's left side (red) is now its top.
    expect(await readImageHeader(bytes)).to.deep.equal({ type: 'image/jpeg', width: 200, height: 300 });
    expect(await isRedAt(bytes, 100, 5)).to.equal(true);
    expect(await isRedAt(bytes, 100, 290)).to.equal(false);
    const raw = await bytesOf(bytes);
    expect(hasApp1(raw)).to.equal(false);
    expect(includes(raw, GPS_MARK)).to.equal(false);
  });

  it('keep-metadata: the stored photo keeps its EXIF and GPS, with Orientation 1', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" resize="300" keep-metadata></itty-uploader>`);
    el.addFiles([await sidewaysPhoto()]);
    await oneEvent(el, 'itty-upload-success');
    const bytes = await storedBytes(el.items[0]!);
    const raw = await bytesOf(bytes);
    expect(hasApp1(raw)).to.equal(true);
    expect(includes(raw, GPS_MARK)).to.equal(true);
    expect(await readImageHeader(bytes)).to.deep.equal({ type: 'image/jpeg', width: 200, height: 300, orientation: 1 });
  });

  it('convert: a PNG is stored as the type asked for, under a name with its extension', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" convert="image/jpeg"></itty-uploader>`);
    const png = file(await canvasImage(40, 30, 'image/png'), 'drawing.png');
    el.addFiles([png]);
    const { detail } = await oneEvent(el, 'itty-upload-success');
    expect(detail.file.type).to.equal('image/jpeg');
    expect(detail.file.filename ?? detail.file.url).to.match(/drawing\.jpg$/);
    expect(await readImageHeader(await storedBytes(el.items[0]!))).to.deep.equal({ type: 'image/jpeg', width: 40, height: 30 });
  });

  it('sends unchanged what it must not or cannot prepare: an SVG, a corrupt JPEG, a zero-byte image, a 30,000 px PNG', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" multiple resize="100"></itty-uploader>`);
    const svg = file(
      new Blob(['<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500"><rect width="500" height="500"/></svg>'], {
        type: 'image/svg+xml',
      }),
      'logo.svg',
    );
    const corrupt = file(new Blob([Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3])], { type: 'image/jpeg' }), 'corrupt.jpg');
    const empty = file(new Blob([], { type: 'image/jpeg' }), 'empty.jpg');
    const huge = file(
      new Blob([pngClaiming(await bytesOf(await fixture('image-3x2.png')), 30_000, 30_000)], { type: 'image/png' }),
      'huge.png',
    );
    const sources = [svg, corrupt, empty, huge];
    el.addFiles(sources);
    await settled(el, 4);
    for (const source of sources) {
      const item = byName(el, source);
      expect(item.status, source.name).to.equal('done');
      if (item.status !== 'done') continue;
      const path = new URL(item.file.url).pathname.replace(/^\/uploads\//, '');
      expect((await stored(decodeURIComponent(path))).sha256, source.name).to.equal(await sha256(source));
    }
  });

  it('resize="abc" and quality="7" are named in a warning and ignored (no resize; the default quality)', async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(String(args[0]));
    try {
      const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" resize="abc"></itty-uploader>`);
      const photo = file(await canvasImage(300, 200, 'image/jpeg', 0.95), 'abc.jpg');
      el.addFiles([photo]);
      await oneEvent(el, 'itty-upload-success');
      expect(el.items[0]!.total).to.equal(photo.size);
      expect(warnings.some((text) => text.includes('resize="abc"'))).to.equal(true);

      const q = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" resize="100" quality="7"></itty-uploader>`);
      q.addFiles([file(await canvasImage(300, 200, 'image/jpeg', 0.95), 'q.jpg')]);
      const { detail } = await oneEvent(q, 'itty-upload-success');
      expect([detail.file.width, detail.file.height]).to.deep.equal([100, 67]);
      expect(warnings.some((text) => text.includes('quality="7"') && text.includes('0.85'))).to.equal(true);
    } finally {
      console.warn = original;
    }
  });

  it('transform: the Blob it returns is what is signed and stored; the item keeps its source, its total is the new size', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media"></itty-uploader>`);
    const signals: AbortSignal[] = [];
    el.transform = async (source, { signal }) => {
      signals.push(signal);
      return new Blob([`watermarked:${await source.text()}`], { type: 'text/plain' });
    };
    const source = file(new Blob(['hello'], { type: 'text/plain' }), 'note.txt');
    el.addFiles([source]);
    const { detail } = await oneEvent(el, 'itty-upload-success');
    const item = el.items[0]!;
    expect(item.source).to.equal(source);
    expect(signals[0]).to.be.instanceOf(AbortSignal);
    expect(await (await storedBytes(item)).text()).to.equal('watermarked:hello');
    expect([item.total, detail.file.filesize]).to.deep.equal([17, 17]);
  });

  it('transform returning null sends the original', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media"></itty-uploader>`);
    el.transform = () => null;
    const source = file(new Blob(['as it is']), 'same.bin');
    el.addFiles([source]);
    await oneEvent(el, 'itty-upload-success');
    expect(await (await storedBytes(el.items[0]!)).text()).to.equal('as it is');
  });

  it('a transform that throws, or returns no Blob, fails the item with transform_failed; retry runs it again', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" multiple></itty-uploader>`);
    let calls = 0;
    el.transform = (source) => {
      calls++;
      if (source.name.includes('throws') && calls < 3) throw new Error('the editor crashed');
      if (source.name.includes('string')) return 'not a blob' as unknown as Blob;
      return null;
    };
    const throws = file(new Blob(['t']), 'throws.bin');
    const string = file(new Blob(['s']), 'string.bin');
    el.addFiles([throws, string]);
    await settled(el, 2);
    const failed = el.items.map((item) => (item.status === 'error' ? [item.error.code, item.error.message] : [item.status]));
    expect(failed[0]![0]).to.equal('transform_failed');
    expect(failed[0]![1]).to.include('the editor crashed');
    expect(failed[1]![0]).to.equal('transform_failed');
    expect(failed[1]![1]).to.include('not a File, a Blob or null');
    await el.updateComplete;
    expect(parts(el, 'error')[0]!.textContent).to.include('The file could not be prepared for upload.');
    // Retryable: the retry button is there, and a retry prepares again.
    expect(parts(el, 'retry-button').length).to.equal(2);
    el.retry(el.items[0]!.id);
    await oneEvent(el, 'itty-upload-success');
    expect(byName(el, throws).status).to.equal('done');
  });

  it('the row says "Preparing…" while a transform runs; cancel aborts its signal', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media"></itty-uploader>`);
    let signal: AbortSignal | undefined;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    el.transform = (_source, ctx) => {
      signal = ctx.signal;
      started();
      return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    };
    el.addFiles([file(new Blob(['x']), 'slow.bin')]);
    await running;
    await el.updateComplete;
    expect(el.items[0]!.status).to.equal('signing');
    expect(parts(el, 'status')[0]!.textContent).to.equal('Preparing…');
    el.cancel();
    expect(signal!.aborted).to.equal(true);
    expect(el.items[0]!.status).to.equal('canceled');
  });
});

describe('<itty-uploader> row previews', () => {
  it('an image row shows a preview decoded at thumbnail size, a video row a frame; released when the row leaves', async () => {
    const el = await mount(html`<itty-uploader endpoint="/upload-url" folder="media" multiple manual></itty-uploader>`);
    const photo = file(await canvasImage(1200, 800, 'image/jpeg'), 'big.jpg');
    const video = file(await fixture('video-4x2.webm'), 'clip.webm', 'video/webm');
    const text = file(new Blob(['x'], { type: 'text/plain' }), 'notes.txt');
    el.addFiles([photo, video, text]);
    await waitUntil(() => shadow(el).querySelectorAll('img[part~=thumbnail]').length === 2, 'two previews', { timeout: 20_000 });
    const [image, frame] = [...shadow(el).querySelectorAll<HTMLImageElement>('img[part~=thumbnail]')];
    const pixels = Math.round(40 * devicePixelRatio);
    const decoded = await (await fetch(image!.src)).blob();
    const size = await readImageHeader(decoded);
    // Covers the 40 px square: the short side is the thumbnail's, never the 1200 × 800 original.
    expect(Math.min(size!.width, size!.height)).to.equal(pixels);
    expect(size!.width).to.be.below(1200);
    expect(image!.src).to.match(/^blob:/);
    expect(frame!.src).to.match(/^blob:/);
    // The text file keeps its badge.
    expect(parts(el, 'thumbnail').map((node) => node.tagName)).to.deep.equal(['IMG', 'IMG', 'SPAN']);
    const url = image!.src;
    el.remove(el.items[0]!.id);
    await el.updateComplete;
    const gone = await fetch(url).then(
      () => false,
      () => true,
    );
    expect(gone, 'the removed row’s preview URL is revoked').to.equal(true);
  });
});
