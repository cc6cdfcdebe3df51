import { loaded } from './ssr.js';
import { LitElement, adoptStyles, html, nothing, unsafeCSS, type PropertyDeclarations } from 'lit';
import type { IttyFile } from '../core/types.js';
import { formatSize } from '../core/units.js';
import { safeUrl } from '../core/url.js';
import { IttyFileErrorEvent, IttyFileLoadEvent } from '../events.js';
import { defineElement } from './define.js';
import { styles } from './file.styles.js';
import type { IttyMedia } from './file-media.js';
import type { View } from './file-view.js';

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
  /**
   * What the element shows (file-view.ts, with its styles): its chunk loads when the element first renders. #viewing is
   * the promise of it, settled once the view is in (#view) or the chunk could not be loaded (#lost).
   */
  #viewing?: Promise<void>;
  #view?: View;
  #lost?: Error;

  /** Fetches `src` again (what the retry button does). */
  reload() {
    // After a chunk that could not be loaded, reloading tries it again.
    if (this.#lost) this.#viewing = this.#lost = undefined;
    return this.#load().then(() => this.#view?.reload());
  }

  #load() {
    return (this.#viewing ??= import('./file-view.js')
      .then(
        (m) => {
          adoptStyles(this.renderRoot as ShadowRoot, [...IttyFileElement.elementStyles, unsafeCSS(m.viewCss)]);
          this.#view = new m.View(this, {
            html,
            nothing,
            safeUrl,
            formatSize,
            fail: (error) => this.#fail(error),
            loaded: (file) => this.#emit(new IttyFileLoadEvent({ file })),
          });
        },
        // SPEC §1: a part that cannot be loaded fails with the code `unavailable`, naming it (an `UploadError` would bring
        // its class into the `/file` entry).
        (cause) =>
          this.#fail(
            (this.#lost = Object.assign(Error(`Could not load chunks/file-view, which renders <itty-file>: ${cause}`, { cause }), {
              code: 'unavailable',
            })),
          ),
      )
      .finally(() => this.requestUpdate()));
  }

  // `updateComplete` waits for the view and the `src` chunk too, and for the updates that follow them.
  protected override async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    await this.#viewing;
    await super.getUpdateComplete();
    await this.#view?.src;
    return super.getUpdateComplete();
  }

  // Dispatching `new …Event()` inline would add a second, nameless entry per event to the manifest,
  // which reads them from the class's @fires.
  #emit(event: IttyFileLoadEvent | IttyFileErrorEvent) {
    this.dispatchEvent(event);
  }

  #fail(error: Error) {
    this.#emit(new IttyFileErrorEvent({ error }));
  }

  override render() {
    if (!this.#view) this.#load();
    // Until the view is in, nothing; without it, the error state (its look is in the view's styles).
    return this.#view
      ? this.#view.render()
      : this.#lost
        ? html`<div part="error" role="alert">${this.strings.error ?? 'Could not load the file.'}</div>`
        : nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'itty-file': IttyFileElement;
  }
}
