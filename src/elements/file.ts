import { loaded } from './ssr.js';
import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { IttyFile } from '../core/types.js';
import { formatSize } from '../core/units.js';
import { safeUrl } from '../core/url.js';
import { IttyFileErrorEvent, IttyFileLoadEvent } from '../events.js';
import { defineElement } from './define.js';
import { styles } from './file.styles.js';
import type { FileView, IttyMedia } from './file-media.js';
import type { SrcTask } from './file-src.js';

loaded();

/** Every text `<itty-file>` shows, for translation. */
export interface IttyFileStrings {
  /** Shown while `src` is being fetched. */
  loading: string;
  /** Shown when `src` could not be fetched or is not a File object. */
  error: string;
  /** Label of the button that fetches `src` again. */
  retry: string;
  /** Shown while the File object's `status` is `waiting` or `processing`. */
  processing: string;
  /** Label of the download link on the card. */
  download: string;
}

const defaultStrings: IttyFileStrings = {
  loading: 'Loading…',
  error: 'Could not load the file.',
  retry: 'Retry',
  processing: 'Processing…',
  download: 'Download',
};

/** The file's own name, or the last segment of its URL. */
function nameOf(file: IttyFile): string {
  if (file.filename) return file.filename;
  const last = file.url.split(/[?#]/, 1)[0]!.split('/').pop()!;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * The first field of a File object that is shown as text but is not text (an object, say one shaped like a Lit
 * template): such a File object is refused, not rendered. Numbers that are not numbers are left out instead.
 */
const badField = (file: IttyFile) =>
  (['url', 'kind', 'type', 'filename', 'status'] as const).find((key) => file[key] != null && typeof file[key] != 'string');

const size = (n: unknown) => (typeof n === 'number' && n >= 0 ? n : undefined);

/** The `loading`, `error` and `processing` states: a status (or an alert, when it holds the retry button) with its text. */
const state = (part: string, text: string, button?: unknown) =>
  html`<div part=${part} role=${button ? 'alert' : 'status'}>${text}${button}</div>`;

/**
 * Shows an ittybit File object: an image, a video or an audio player, or a download card for other files.
 *
 * Data comes from the `file` property, else from the File object JSON at `src`, else from the plain
 * attributes (`url`, `kind`, `type`, …), so it also works in HTML without JavaScript.
 *
 * @tag itty-file
 * @summary Renders an uploaded file: `<img>`, `<video>`, `<audio>` or a download card.
 * @csspart media - The `<img>`, `<video>` or `<audio>`.
 * @csspart image - The `<img>` (also `media`).
 * @csspart video - The `<video>` (also `media`).
 * @csspart audio - The `<audio>` (also `media`).
 * @csspart card - The download card shown for files that are not image, video or audio, or whose URL is refused.
 * @csspart name - The file name on the card.
 * @csspart size - The human-readable size on the card.
 * @csspart type - The MIME type on the card.
 * @csspart link - The card's download link; absent when the URL is not `http:`, `https:`, `blob:` or relative.
 * @csspart loading - The state shown while `src` is being fetched.
 * @csspart error - The state shown when `src` could not be fetched.
 * @csspart retry-button - The button in the error state that fetches `src` again.
 * @csspart processing - The state shown while the file's `status` is `waiting` or `processing`.
 * @cssprop [--itty-accent=#4f46e5] - Link, button and focus colour (#818cf8 in a dark `color-scheme`).
 * @cssprop [--itty-radius=12px] - Corner radius of the media and the card.
 * @cssprop [--itty-border=#d4d4d8] - Border colour of the card (#3f3f46 in a dark `color-scheme`).
 * @cssprop [--itty-background=#ffffff] - Background of the card (#18181b in a dark `color-scheme`).
 * @cssprop [--itty-foreground=#18181b] - Text colour (#f4f4f5 in a dark `color-scheme`).
 * @cssprop [--itty-muted=#5f5f69] - Colour of the size, type and loading text (#a1a1aa in a dark `color-scheme`).
 * @cssprop [--itty-danger=#dc2626] - Colour of the error state (#f87171 in a dark `color-scheme`).
 * @cssprop [--itty-font=system-ui, sans-serif] - Font family.
 * @cssprop [--itty-gap=12px] - Padding and spacing inside the card.
 * @fires {IttyFileLoadEvent} itty-file-load - The media loaded (`load` of the image, `loadedmetadata` of video and audio); `detail.file` is the File object shown.
 * @fires {IttyFileErrorEvent} itty-file-error - The `src` fetch failed (network, non-2xx, not a File object) or the media failed to load; `detail.error` says why.
 */
export class IttyFileElement extends LitElement {
  static override styles = styles;
  static override properties: PropertyDeclarations = {
    file: { attribute: false },
    src: {},
    url: {},
    kind: {},
    type: {},
    width: { type: Number },
    height: { type: Number },
    filename: {},
    filesize: { type: Number },
    alt: {},
    controls: { converter: (value: string | null) => value !== 'false' },
    strings: { attribute: false },
    media: { attribute: false },
    poster: {},
    getFileUrl: { attribute: false },
  };

  /**
   * Defines the element as `tag` in `registry` (a scoped registry, or another tag name); does nothing
   * when `tag` is already defined there.
   */
  static define(tag = 'itty-file', registry: CustomElementRegistry = customElements): typeof IttyFileElement {
    defineElement(this, tag, registry);
    return this;
  }

  /** The File object to show (e.g. `detail.file` of `itty-upload-success`); takes precedence over `src` and the attributes. */
  file?: IttyFile;
  /** URL of a File object JSON (bare or `{ data }` envelope) to fetch and show; fetched again whenever it changes. */
  src = '';
  /** URL of the media, when the fields are given as attributes. */
  url = '';
  /** `image`, `video`, `audio` or `other`; when empty, the family of `type` decides. */
  kind = '';
  /** MIME type, e.g. `image/png`. */
  type = '';
  /** Intrinsic width in pixels; set it with `height` so the page does not shift when the media loads. */
  width?: number;
  /** Intrinsic height in pixels. */
  height?: number;
  /** File name shown on the card and used as the download name; defaults to the URL's last segment. */
  filename = '';
  /** Size in bytes, shown on the card in decimal units (`1.2 kB`). */
  filesize?: number;
  /** Text alternative for images; defaults to the file name. Set `alt=""` for a decorative image. */
  alt?: string;
  /**
   * Shows the video and audio controls; `true` by default. HTML boolean attributes can only switch
   * things on, so this one reads its value instead: absent or any value is `true`, `controls="false"` is `false`.
   */
  controls = true;
  /** Replacements for the texts shown (`loading`, `error`, `retry`, `processing`, `download`). */
  strings: Partial<IttyFileStrings> = {};
  /**
   * An ittybit Media object (`object: "media"`): shows its file whose `ref` is `original`, else its first playable one
   * (a Media object with none shows the card), with its `poster` or `thumbnail` file as a video's poster and its
   * `urls.placeholder` (a base64 PNG, JPEG, WebP or GIF data: URL, used only as a blurred background) as the image's
   * stand-in until it loaded. Takes precedence over `file`, `src` and the attributes.
   */
  media?: IttyMedia;
  /**
   * Poster image URL of a video (the same URL rules as `url`); over a Media object's poster. Like `media` and
   * `getFileUrl`, it is handled by code loaded on demand: the loading state shows until it is in.
   */
  poster = '';
  /**
   * For private files (signed GET URLs): returns a fresh URL for a File object. Called before rendering when the URL's
   * `expiry` (unix seconds, or S3's `X-Amz-Date` + `X-Amz-Expires`) has passed, and once more when the media fails to
   * load; never more for the same file. A rejection keeps the URL the file had.
   */
  getFileUrl?: (file: IttyFile) => Promise<string>;
  /** The view of `media` and `getFileUrl` (file-media.ts): the chunk loads when either is first set. */
  #view?: Partial<FileView>;
  /**
   * The `src` fetch (file-src.ts, with @lit/task's Task): its chunk loads when there is first a `src` to fetch. #src is
   * the promise of it, settled once the task is in (#task) or the chunk could not be loaded (#lost).
   */
  #src?: Promise<void>;
  #task?: SrcTask;
  #lost?: Error;

  /** Fetches `src` again (what the retry button does). */
  reload() {
    // After a chunk that could not be loaded, the retry button tries it again.
    if (this.#lost) this.#src = this.#lost = undefined;
    return this.#load().then(() => this.#task?.run());
  }

  #load() {
    return (this.#src ??= import('./file-src.js')
      .then(
        (m) => void (this.#task = m.srcTask(this, safeUrl, badField, (error) => this.#fail(error))),
        // SPEC §1: a part that cannot be loaded fails with the code `unavailable`, naming it (an `UploadError` would bring
        // its class into the `/file` entry).
        (cause) =>
          this.#fail(
            (this.#lost = Object.assign(Error(`Could not load chunks/file-src, which fetches src: ${cause}`, { cause }), {
              code: 'unavailable',
            })),
          ),
      )
      .finally(() => this.requestUpdate()));
  }

  // `updateComplete` waits for the `src` chunk too, and for the update that starts the fetch once it is in.
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    return this.#src ? this.#src.then(() => super.getUpdateComplete()) : done;
  }

  // Dispatching `new …Event()` inline would add a second, nameless entry per event to the manifest,
  // which reads them from the class's @fires.
  #emit(event: IttyFileLoadEvent | IttyFileErrorEvent) {
    this.dispatchEvent(event);
  }

  #fail(error: Error) {
    this.#emit(new IttyFileErrorEvent({ error }));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const bad = this.file && badField(this.file);
    if (changed.has('file') && bad) this.#fail(new Error(`${bad} is not text`));
  }

  override render() {
    const t = { ...defaultStrings, ...this.strings };
    const { file, src, url, kind, type, width, height, filename, filesize } = this;
    if (file) return badField(file) ? state('error', t.error) : this.#renderFile(file, t);
    if (src) {
      const error = () =>
        state('error', t.error, html` <button part="retry-button" type="button" @click=${this.reload}>${t.retry}</button>`);
      const pending = () => state('loading', t.loading);
      if (this.#lost) return error();
      if (!this.#task) this.#load();
      return this.#task?.render({ pending, complete: (file) => this.#renderFile(file, t), error }) ?? pending();
    }
    return url || filename || this.media
      ? this.#renderFile({ url, kind, type, width, height, filename, filesize } as IttyFile, t)
      : nothing;
  }

  #renderFile(file: IttyFile, t: IttyFileStrings) {
    // With `media`, `getFileUrl` or `poster`, the file as file-media.ts shows it: until its chunk is in (#view is the
    // promise of it then), and while a fresh URL is asked for, the loading state.
    const viewed =
      this.media || this.getFileUrl || this.poster
        ? (this.#view ??= import('./file-media.js').then((m) => (this.#view = new m.FileView(this, safeUrl))) as Partial<FileView>).view?.(
            file,
          )
        : file;
    if (!viewed) return state('loading', t.loading);
    file = viewed;
    if (/^(waiting|processing)$/.test(file.status!)) return state('processing', t.processing);
    const type = typeof file.type === 'string' ? file.type : '';
    const kind = file.kind || type.split('/', 1)[0];
    const src = safeUrl(file.url);
    const name = nameOf(file);
    // `nothing` leaves the attribute out.
    const width = size(file.width) ?? nothing;
    const height = size(file.height) ?? nothing;
    // Media that another file replaced still loads (or fails) after it left: those events are not about the file shown.
    const shown = (event: Event) => this.renderRoot.contains(event.target as Node);
    const load = (event: Event) => shown(event) && this.#emit(new IttyFileLoadEvent({ file }));
    const error = (event: Event) =>
      shown(event) && this.#fail(new Error((event.target as HTMLMediaElement).error?.message || `Could not load ${file.url}`));
    if (src && kind === 'image') {
      return html`<img part="media image" src=${src} width=${width} height=${height} alt=${this.alt ?? name}
        loading="lazy" decoding="async" @load=${load} @error=${error} />`;
    }
    if (src && kind === 'video') {
      return html`<video part="media video" src=${src} width=${width} height=${height} ?controls=${this.controls}
        preload="metadata" playsinline @loadedmetadata=${load} @error=${error}></video>`;
    }
    if (src && kind === 'audio') {
      return html`<audio part="media audio" src=${src} ?controls=${this.controls}
        preload="metadata" @loadedmetadata=${load} @error=${error}></audio>`;
    }
    const bytes = size(file.filesize);
    return html`<div part="card">
      <span class="info">
        <span part="name" id="name">${name}</span>
        <span class="meta">
          ${bytes === undefined ? nothing : html`<span part="size">${formatSize(bytes)}</span>`}
          ${type ? html`<span part="type">${type}</span>` : nothing}
        </span>
      </span>
      ${src ? html`<a part="link" href=${src} download=${name} rel="noopener" aria-describedby="name">${t.download}</a>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'itty-file': IttyFileElement;
  }
}
