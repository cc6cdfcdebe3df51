// The summary of <itty-uploader>'s list (SPEC §3, v2): the whole list's progress (`progress`, `itty-queue-progress`),
// the host's `paused` state, and the `summary` part with its bar, its text and the buttons that apply. Part of the
// words chunk (elements/words.ts re-exports it), which the element loads when it connects: none of it is in the
// first load, and until the chunk is in the element renders no summary. Lit's template tags and the event class
// come from the element (`SummaryDeps`): importing them here would tie this chunk to the bundle's own file.
import { createProgressMeter, idleProgress, type ProgressSnapshot, type QueueProgress } from '../core/progress.js';
import { formatDuration } from '../locales/text.js';
import type { Summary, SummaryDeps, SummaryHost, WordsChunk, WordsController } from '../controllers/words-controller.js';

/** The row buttons' icons (rows.ts draws the others the same way). */
const ICONS = { pause: 'M9 6v12m6-12v12', resume: 'M8 5v14l11-7z' };

const css = String.raw;

/** The summary's styles: adopted with the rows' (words.ts joins them). */
export const summaryCss = css`
  /* A card like the rows': its own background, so its words read on the element's colours, not the page's. */
  .summary {
    display: grid;
    gap: calc(var(--_gap) * 0.5);
    margin-top: var(--_gap);
    padding: calc(var(--_gap) * 0.67);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_background);
    color: var(--_foreground);
  }
  .summary-line {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: calc(var(--_gap) * 0.5);
  }
  .summary-text {
    color: var(--_muted);
    font-size: 13px;
    font-variant-numeric: tabular-nums;
  }
  .summary-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .summary-actions button {
    padding: 4px 12px;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.67);
    background: var(--_background);
  }
  .summary-actions button:hover:not(:disabled) {
    background: var(--_surface);
  }
  .summary-actions [part='upload-button'] {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  .summary-actions [part='upload-button']:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_accent) 85%, #000);
  }
`;

/** Statuses whose rows `Clear finished` removes. */
const FINISHED = new Set(['done', 'canceled', 'rejected']);

/**
 * The summary of `host`'s list: samples the whole list's progress on every progress tick (the `itty-upload-progress`
 * events of one tick: one sample) and on every render, fires `itty-queue-progress` when it moved, sets the host's
 * `paused` state, and renders the summary with the element's renders, never one of its own: progress renders stay
 * those the rows ask for (at most one per 50 ms tick).
 */
class SummaryController implements Summary {
  progress: QueueProgress = idleProgress;
  readonly #host: SummaryHost;
  readonly #deps: SummaryDeps;
  readonly #meter = createProgressMeter(performance);
  /** The last sample: every render samples first (hostUpdate). */
  #last!: ProgressSnapshot;
  #ticking = false;
  /** The summary's element that had focus when the render began. */
  #focused?: Element;

  constructor(host: SummaryHost, deps: SummaryDeps) {
    this.#host = host;
    this.#deps = deps;
    host.addController(this);
    // The progress events of one tick are dispatched together: one sample after them.
    host.addEventListener('itty-upload-progress', () => {
      if (this.#ticking) return;
      this.#ticking = true;
      queueMicrotask(() => {
        this.#ticking = false;
        this.#sample();
      });
    });
  }

  readonly rowButton: Summary['rowButton'] = (item, name, row) => {
    const { html, nothing } = this.#deps;
    const action = item.status === 'paused' ? 'resume' : item.status === 'signing' || item.status === 'uploading' ? 'pause' : undefined;
    // Labelled with the name the row shows, as the row's other buttons are.
    return action
      ? html`<button part="${action}-button" type="button" aria-label=${row.words(action, { name })} ?disabled=${row.off}
          @click=${() => row.action(action, item.id)}><svg viewBox="0 0 24 24" aria-hidden="true"><path d=${ICONS[action]} /></svg></button>`
      : nothing;
  };

  hostUpdate(): void {
    const active = (this.#host.renderRoot as ShadowRoot).activeElement;
    this.#focused = active?.closest('.summary') ? active : undefined;
    this.#sample();
  }

  // A summary button that goes away with focus on it (Upload N files once they started, Pause all once they are
  // done, Clear finished once it cleared, the whole summary once one file is left) hands focus on to the summary's
  // first button, else to the browse button.
  hostUpdated(): void {
    const root = this.#host.renderRoot as ShadowRoot;
    const lost = this.#focused;
    this.#focused = undefined;
    if (lost && !lost.isConnected && !root.activeElement)
      (root.querySelector<HTMLElement>('.summary button') ?? root.querySelector<HTMLElement>('[part=browse-button]'))?.focus();
  }

  #sample() {
    const host = this.#host;
    const snapshot = (this.#last = this.#meter.sample(host.items, globalThis.navigator?.onLine === false));
    this.#deps.state('paused', snapshot.counts.paused > 0);
    const { progress } = snapshot;
    const before = this.progress;
    if (
      progress.loaded !== before.loaded ||
      progress.total !== before.total ||
      progress.bytesPerSecond !== before.bytesPerSecond ||
      progress.secondsLeft !== before.secondsLeft
    ) {
      this.progress = progress;
      host.dispatchEvent(new this.#deps.ProgressEvent(progress));
    }
  }

  /** The summary, when the list holds more than one file, or any with `manual`; nothing otherwise. */
  render(lang: WordsController, off: boolean): unknown {
    const { html, nothing } = this.#deps;
    const host = this.#host;
    const items = host.items;
    if (items.length < (host.manual ? 1 : 2)) return nothing;
    const t = lang.words;
    const { progress, counts } = this.#last;
    const { loaded, total, bytesPerSecond, secondsLeft } = progress;
    const percent = total ? Math.min(100, Math.floor((loaded / total) * 100)) : counts.files && counts.done === counts.files ? 100 : 0;
    const parts: string[] = [];
    if (counts.files) {
      parts.push(t('summaryFiles', { done: counts.done, count: counts.files }));
      // Not when every file of the batch failed: "0 bytes of 0 bytes" says nothing.
      if (total) parts.push(t('summaryBytes', { loaded: t.size(loaded), total: t.size(total) }));
    }
    // Every failed row of the list, of this batch or an earlier one: what Retry failed retries.
    if (counts.errors) parts.push(t('summaryFailed', { count: counts.errors }));
    if (counts.files) {
      if (counts.active + counts.paused) {
        if (globalThis.navigator?.onLine === false) parts.push(t('statusOffline'));
        else if (!counts.active) parts.push(t('statusPaused', { percent: t.percent(percent) }));
        else if (bytesPerSecond) parts.push(t('summarySpeed', { size: t.size(bytesPerSecond) }));
      }
      if (secondsLeft !== null && secondsLeft >= 1)
        parts.push(t('summaryTimeLeft', { duration: formatDuration(secondsLeft, lang.lang, { units: 1 }) }));
    }
    const button = (part: string, label: string, action: () => void) =>
      html`<button part=${part} type="button" ?disabled=${off} @click=${action}>${label}</button>`;
    const each = (statuses: Set<string>, act: (id: string) => void) => () => {
      for (const item of host.items) if (statuses.has(item.status)) act(item.id);
    };
    const pausable = counts.active > 0;
    return html`<div part="summary" class="summary">
      ${
        counts.files
          ? html`<div
              part="summary-progress"
              class="progress"
              role="progressbar"
              aria-label=${t('summaryLabel')}
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow=${percent}
            >
              <div part="summary-progress-bar" class="bar" style="transform: scaleX(${percent / 100})"></div>
            </div>`
          : nothing
      }
      <div class="summary-line">
        <span part="summary-text" class="summary-text">${parts.join(' · ')}</span>
        <div class="summary-actions">
          ${
            host.manual && counts.queued && !counts.active
              ? button('upload-button', t('uploadFiles', { count: counts.queued }), () => host.upload())
              : nothing
          }
          ${
            pausable || counts.paused
              ? // One button for both: focus stays on it when it turns from Pause all to Resume all and back.
                button(pausable ? 'pause-all-button' : 'resume-all-button', t(pausable ? 'pauseAll' : 'resumeAll'), () =>
                  pausable ? host.pause() : host.resume(),
                )
              : nothing
          }
          ${counts.active + counts.paused + counts.queued ? button('cancel-all-button', t('cancelAll'), () => host.cancel()) : nothing}
          ${
            counts.errors
              ? button(
                  'retry-all-button',
                  t('retryFailed'),
                  each(new Set(['error']), (id) => host.retry(id)),
                )
              : nothing
          }
          ${
            counts.finished
              ? button(
                  'clear-button',
                  t('clearFinished'),
                  // A user's removal: an uploaded file leaves only if no `itty-remove` listener keeps it (an edit form's stored file).
                  each(FINISHED, (id) => {
                    const item = host.items.find((other) => other.id == id)!;
                    if (item.status != 'done' || host.dispatchEvent(new this.#deps.RemoveEvent({ item: item as never }))) host.remove(id);
                  }),
                )
              : nothing
          }
        </div>
      </div>
    </div>`;
  }
}

/** The summary of `host`'s list (see SummaryController). */
export const summary: WordsChunk['summary'] = (host, deps) => new SummaryController(host, deps);
