// What `<itty-file>` shows and its styles: loaded by the element (chunks/file-view-*.js) the first time it renders, so
// pages that only use `<itty-uploader>` never download it. The element shows nothing until it is in (its
// `updateComplete` waits for it). It imports nothing but types: the element hands it Lit's `html` and `nothing` and
// the helpers it shares with the first load (a module both imported would become a third file loaded at once). It loads
// the `src` fetch (file-src.ts) and Media objects (file-media.ts) on demand in turn.
import type { nothing as Nothing, html as Html } from 'lit';
import type { IttyFile } from '../core/types.js';
import type { IttyFileElement, IttyFileStrings } from './file.js';
import type { FileView } from './file-media.js';
import type { SrcTask } from './file-src.js';

/** What the element hands its view. */
export interface Tools {
  html: typeof Html;
  nothing: typeof Nothing;
  safeUrl: (url: unknown) => string | undefined;
  formatSize: (bytes: number) => string;
  /** Fires `itty-file-error`. */
  fail: (error: Error) => void;
  /** Fires `itty-file-load`. */
  loaded: (file: IttyFile) => void;
}

const css = String.raw;

/**
 * The styles of what the element shows, adopted beside its own (theme.styles.ts and its `:host` box) when this chunk
 * arrives. The shadow root holds one of: <img>, <video> or <audio>; the card (<div part="card">, its text in spans, its
 * link an <a>); or a state (<div part="loading|processing"> with role="status", <div part="error"> with role="alert"
 * and a button). So element and role selectors are exact here. A local `css` tag: the build minifies it all the same.
 */
export const viewCss = css`
  img,
  video,
  audio {
    display: block;
    max-width: 100%;
    height: auto;
    border-radius: var(--_radius);
  }
  audio {
    width: 100%;
    min-width: min(300px, 100%);
  }
  div,
  .meta {
    display: flex;
    flex-wrap: wrap;
  }
  div {
    align-items: center;
    gap: calc(var(--_gap) / 2) var(--_gap);
    min-width: min(16rem, 100%);
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_background);
    line-height: 1.4;
  }
  [role='status'],
  .meta {
    color: var(--_muted);
  }
  [role='alert'] {
    color: var(--_danger);
    border-color: currentColor;
  }
  .info {
    display: grid;
    /* Wide enough for a name; narrower cards put the link on its own line instead of overlapping. */
    flex: 1 1 8rem;
    min-width: 0;
  }
  #name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .meta {
    gap: 0 0.75em;
    font-size: 0.875em;
  }
  a,
  button {
    padding: 0.375em 0.75em;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 1.5);
    background: none;
    color: var(--_accent);
    font-weight: 600;
    text-decoration: none;
  }
  :is(a, button):hover {
    border-color: currentColor;
  }
`;

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

/** The view of one `<itty-file>`. */
export class View {
  readonly #host: IttyFileElement;
  readonly #tools: Tools;
  /** The File object last checked for fields that are not text (`file`): each new one is checked once. */
  #checked?: IttyFile;
  /** The view of `media` and `getFileUrl` (file-media.ts): the chunk loads when either is first set. */
  #media?: Partial<FileView>;
  /**
   * The `src` fetch (file-src.ts, with @lit/task's Task): its chunk loads when there is first a `src` to fetch. `src`
   * is the promise of it, settled once the task is in (#task) or the chunk could not be loaded (#lost).
   */
  src?: Promise<void>;
  #task?: SrcTask;
  #lost?: Error;

  constructor(host: IttyFileElement, tools: Tools) {
    this.#host = host;
    this.#tools = tools;
  }

  /** Fetches `src` again. */
  reload() {
    // After a chunk that could not be loaded, the retry button tries it again.
    if (this.#lost) this.src = this.#lost = undefined;
    return this.#load().then(() => this.#task?.run());
  }

  #load() {
    const { fail, safeUrl } = this.#tools;
    return (this.src ??= import('./file-src.js')
      .then(
        (m) => void (this.#task = m.srcTask(this.#host, safeUrl, badField, fail)),
        // SPEC §1: a part that cannot be loaded fails with the code `unavailable`, naming it.
        (cause) =>
          fail(
            (this.#lost = Object.assign(Error(`Could not load chunks/file-src, which fetches src: ${cause}`, { cause }), {
              code: 'unavailable',
            })),
          ),
      )
      .finally(() => this.#host.requestUpdate()));
  }

  /** The `loading`, `error` and `processing` states: a status (or an alert, when it holds the retry button) with its text. */
  #state(part: string, text: string, button?: unknown) {
    const { html } = this.#tools;
    return html`<div part=${part} role=${button ? 'alert' : 'status'}>${text}${button}</div>`;
  }

  render(): unknown {
    const host = this.#host;
    const { html, nothing, fail } = this.#tools;
    const t = { ...defaultStrings, ...host.strings };
    const { file, src, url, kind, type, width, height, filename, filesize } = host;
    const bad = file && badField(file);
    if (file !== this.#checked) {
      this.#checked = file;
      if (bad) fail(new Error(`${bad} is not text`));
    }
    if (file) return bad ? this.#state('error', t.error) : this.#renderFile(file, t);
    if (src) {
      const error = () =>
        this.#state('error', t.error, html` <button part="retry-button" type="button" @click=${() => host.reload()}>${t.retry}</button>`);
      const pending = () => this.#state('loading', t.loading);
      if (this.#lost) return error();
      if (!this.#task) this.#load();
      return this.#task?.render({ pending, complete: (file) => this.#renderFile(file, t), error }) ?? pending();
    }
    return url || filename || host.media
      ? this.#renderFile({ url, kind, type, width, height, filename, filesize } as IttyFile, t)
      : nothing;
  }

  #renderFile(file: IttyFile, t: IttyFileStrings) {
    const host = this.#host;
    const { html, nothing, safeUrl, formatSize, fail, loaded } = this.#tools;
    // With `media`, `getFileUrl` or `poster`, the file as file-media.ts shows it: until its chunk is in (#media is the
    // promise of it then), and while a fresh URL is asked for, the loading state.
    const viewed =
      host.media || host.getFileUrl || host.poster
        ? (this.#media ??= import('./file-media.js').then(
            (m) => (this.#media = new m.FileView(host, safeUrl)),
          ) as Partial<FileView>).view?.(file)
        : file;
    if (!viewed) return this.#state('loading', t.loading);
    file = viewed;
    if (/^(waiting|processing)$/.test(file.status!)) return this.#state('processing', t.processing);
    const type = typeof file.type === 'string' ? file.type : '';
    const kind = file.kind || type.split('/', 1)[0];
    const src = safeUrl(file.url);
    const name = nameOf(file);
    // `nothing` leaves the attribute out.
    const width = size(file.width) ?? nothing;
    const height = size(file.height) ?? nothing;
    // Media that another file replaced still loads (or fails) after it left: those events are not about the file shown.
    const shown = (event: Event) => host.renderRoot.contains(event.target as Node);
    const load = (event: Event) => shown(event) && loaded(file);
    const error = (event: Event) =>
      shown(event) && fail(new Error((event.target as HTMLMediaElement).error?.message || `Could not load ${file.url}`));
    if (src && kind === 'image') {
      return html`<img part="media image" src=${src} width=${width} height=${height} alt=${host.alt ?? name}
        loading="lazy" decoding="async" @load=${load} @error=${error} />`;
    }
    if (src && kind === 'video') {
      return html`<video part="media video" src=${src} width=${width} height=${height} ?controls=${host.controls}
        preload="metadata" playsinline @loadedmetadata=${load} @error=${error}></video>`;
    }
    if (src && kind === 'audio') {
      return html`<audio part="media audio" src=${src} ?controls=${host.controls}
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
