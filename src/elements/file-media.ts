// What `<itty-file>` shows of an ittybit Media object, its `poster`, and fresh URLs for private files (`getFileUrl`):
// loaded by the element (chunks/file-media-*.js) the first time `media`, `getFileUrl` or `poster` is set, so pages
// that show plain File objects never download it. It imports nothing but types (the element hands it `safeUrl`): a
// module both the first load and this chunk imported would become a third file loaded at once.
import type { IttyFile } from '../core/types.js';

/** A file of an ittybit Media object: a File object with its `ref` (`original`, `poster`, `thumbnail`, …). */
export interface IttyMediaFile extends IttyFile {
  ref?: string;
}

/** An ittybit Media object: its files, and URLs such as a `placeholder` (a tiny image as a data: URL). */
export interface IttyMedia {
  object?: 'media' | (string & {});
  files?: IttyMediaFile[];
  urls?: { placeholder?: string; [name: string]: unknown };
  [field: string]: unknown;
}

/** What a Media object gives to show: the file, the poster of a video, the stand-in of an image. */
export interface Picked {
  file: IttyFile;
  poster?: string;
  placeholder?: string;
}

/**
 * The only data: URLs ever used, and only as a CSS background (never in `src`): base64 images of the types every
 * browser decodes. Their characters cannot end the CSS `url("…")` they are put in.
 */
const PLACEHOLDER = /^data:image\/(png|jpeg|webp|gif);base64,[a-z\d+/]+={0,2}$/i;

const PLAYABLE = /^(image|video|audio)$/;

/** A File object the element can show: a text `url`, and text (or nothing) where it shows text. */
const usable = (file: unknown): file is IttyMediaFile =>
  typeof (file as IttyFile | null)?.url == 'string' &&
  (['kind', 'type', 'filename', 'status', 'ref'] as const).every((key) => {
    const value = (file as IttyMediaFile)[key];
    return value == null || typeof value == 'string';
  });

/** The kind of a File object, from `kind` or else its MIME type's family. */
const kindOf = (file: IttyFile) => file.kind || (file.type ?? '').split('/', 1)[0];

/**
 * The file of a Media object to show: the one whose `ref` is `original`, else the first playable one (image, video,
 * audio), else the first one (a download card); its poster (the `poster` or `thumbnail` file) and placeholder.
 * A Media object with no usable file gives an empty File object: the card, without a link.
 */
export function pick(media: IttyMedia): Picked {
  const files = (Array.isArray(media?.files) ? media.files : []).filter(usable);
  const ref = (name: string) => files.find((file) => file.ref === name);
  const file = ref('original') ?? files.find((candidate) => PLAYABLE.test(kindOf(candidate))) ?? files[0];
  const placeholder = media?.urls?.placeholder;
  return {
    file: file ?? ({ url: '', kind: 'other', type: '', filesize: Number.NaN } as IttyFile),
    poster: (ref('poster') ?? ref('thumbnail'))?.url,
    placeholder: typeof placeholder == 'string' && PLACEHOLDER.test(placeholder) ? placeholder : undefined,
  };
}

/**
 * When a signed URL stops working, in ms since the epoch: ittybit's `expiry` (unix seconds), or S3's `X-Amz-Date`
 * plus `X-Amz-Expires`; undefined for a URL that does not say.
 */
export function expiryOf(url: string): number | undefined {
  let params: URLSearchParams;
  try {
    params = new URL(url, document.baseURI).searchParams;
  } catch {
    return undefined;
  }
  const expiry = params.get('expiry');
  if (expiry && /^\d+$/.test(expiry)) return +expiry * 1000;
  const date = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(params.get('X-Amz-Date') ?? '');
  const expires = params.get('X-Amz-Expires');
  if (date && expires && /^\d+$/.test(expires)) {
    const [, y, mo, d, h, mi, s] = date.map(Number) as number[];
    return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) + +expires * 1000;
  }
  return undefined;
}

/** What the view uses of `<itty-file>`. */
export interface ViewHost {
  media?: IttyMedia;
  getFileUrl?: (file: IttyFile) => Promise<string>;
  poster: string;
  readonly renderRoot: HTMLElement | DocumentFragment;
  requestUpdate(): void;
  addController(controller: { hostUpdated(): void }): void;
}

/**
 * The view of one `<itty-file>`: the file it shows (picked from `media`, which wins over the element's other inputs),
 * with a fresh URL from `getFileUrl` when the URL's expiry has passed, and once more when the media fails to load: at
 * most those two calls per file shown, never a loop. A `getFileUrl` that fails (or answers no text) leaves the URL it
 * had. After each render it sets the video's poster (the element's `poster`, else the Media object's) and, until the
 * image has loaded, the placeholder as its blurred background: attributes the element's template does not hold, so
 * that the first load does not carry them.
 */
export class FileView {
  readonly #host: ViewHost;
  readonly #safe: (url: unknown) => string | undefined;
  /** What the view was made for: a new one starts over. */
  #key: unknown[] = [];
  #picked: Picked = { file: { url: '' } as IttyFile };
  /** The URL to show; undefined while `getFileUrl` is asked. */
  #url?: string;
  /** `getFileUrl` was asked after a load failure. */
  #retried = false;
  #loaded = false;

  /** `safe`: the element's URL rule (`safeUrl`), for every URL put into the page. Asks `host` to render again, now with its view. */
  constructor(host: ViewHost, safe: (url: unknown) => string | undefined) {
    this.#host = host;
    this.#safe = safe;
    // Capturing at the shadow root runs before the element's own listeners on the media.
    host.renderRoot.addEventListener('load', (event) => this.#onLoad(event), true);
    host.renderRoot.addEventListener('error', (event) => this.#failed() && event.stopPropagation(), true);
    host.addController(this);
    host.requestUpdate();
  }

  /** The File object to render for `file` (or the host's `media`), its URL fresh; undefined while one is asked for. */
  view(file: IttyFile | undefined): IttyFile | undefined {
    const { media, getFileUrl } = this.#host;
    const key = [media ?? file?.url, getFileUrl];
    if (key.some((part, i) => part !== this.#key[i])) {
      this.#key = key;
      this.#picked = media ? pick(media) : { file: file! };
      this.#retried = this.#loaded = false;
      this.#url = this.#picked.file.url;
      if (getFileUrl && (expiryOf(this.#url) ?? Number.POSITIVE_INFINITY) <= Date.now()) this.#refresh(getFileUrl, key);
    }
    return this.#url === undefined ? undefined : { ...this.#picked.file, url: this.#url };
  }

  /**
   * After each render of the host (a reactive controller's hook): the poster and the placeholder, or neither once the
   * host shows something else (none of `media`, `getFileUrl` and `poster` set, or another Media object without them).
   */
  hostUpdated(): void {
    const host = this.#host;
    const { poster, placeholder } = host.media || host.getFileUrl || host.poster ? this.#picked : ({} as Partial<Picked>);
    const root = host.renderRoot;
    const video = root.querySelector('video');
    const url = this.#safe(host.poster || poster);
    if (url) video?.setAttribute('poster', url);
    else video?.removeAttribute('poster');
    const image = root.querySelector('img');
    if (image && placeholder && !this.#loaded && !image.complete) {
      image.style.cssText = `background: center / cover url("${placeholder}"); filter: blur(8px); clip-path: inset(0)`;
    } else image?.removeAttribute('style');
  }

  /** An image loaded: the placeholder leaves. */
  #onLoad(event: Event) {
    const image = event.target as HTMLElement;
    if (image.localName != 'img') return;
    this.#loaded = true;
    image.removeAttribute('style');
  }

  /** The media failed to load: true when a fresh URL is asked for (the failure is not reported then). */
  #failed(): boolean {
    const { getFileUrl } = this.#host;
    if (!getFileUrl || this.#retried || this.#url === undefined) return false;
    this.#retried = true;
    this.#refresh(getFileUrl, this.#key);
    this.#host.requestUpdate();
    return true;
  }

  // While it is asked the element shows its loading state; then the media renders anew, with the fresh URL or (when
  // `getFileUrl` failed) the one it had, and a failure to load it is reported (`itty-file-error`).
  #refresh(getFileUrl: (file: IttyFile) => Promise<string>, key: unknown[]) {
    const stale = this.#url!;
    this.#url = undefined;
    const done = (url: unknown) => {
      if (key !== this.#key) return;
      this.#url = typeof url == 'string' && url ? url : stale;
      this.#host.requestUpdate();
    };
    Promise.resolve()
      .then(() => getFileUrl(this.#picked.file))
      .then(done, () => done(undefined));
  }
}
