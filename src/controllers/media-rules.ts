// The rules that read inside a file (SPEC §3.8): `min-width` … `max-height` (an image's header), `min-duration` /
// `max-duration` (video and audio metadata) and the app's `validate`. Loaded on demand by the upload controller when
// one of them is set: a page that sets none never downloads this, nor the header and metadata readers.
//
// How a selection goes with them (decided here; the README says it): `itty-select` fires at once, the cheap rules
// (type, size, duplicates, count, total size) pick the files worth checking, and those are measured (four at a time;
// only the first KBs of an image, a media element's metadata for video and audio) and given to `validate`. Then the
// selection is added as a whole, in the order chosen: the cheap rules run again on the list as it is by then, the
// files that failed a check become rejected rows (`itty-reject` each), the others are queued. Selections finish in
// the order they were made. Until then the files are not in the list: `addFiles()` returns [] and the rows appear
// when the checks end (a few milliseconds per image; a video's metadata may take longer).
import { measureMedia, type MediaMeasure } from '../browser/media/measure.js';
import type { RejectReason, Rejection } from '../core/types.js';
import type { MessageKey } from '../locales/en.js';

type Values = Record<string, string | number>;

/** The element's settings these rules read. */
export interface MediaRules {
  minWidth?: number;
  maxWidth?: number;
  minHeight?: number;
  maxHeight?: number;
  minDuration?: number;
  maxDuration?: number;
  validate?: (source: File) => string | null | undefined | Promise<string | null | undefined>;
}

/** A file's rejection: its reason, the words of its message and their values. */
export type Verdict = readonly [reason: RejectReason, key: MessageKey, values: Values];

/**
 * Applied by the controller to a selection, after its cheap rules ran again: moves each file that failed a check from
 * `accepted` to `rejected`, with its words in `asked` (the controller writes the messages and the rows).
 */
export type Checked = (accepted: File[], rejected: Rejection<File>[], asked: [MessageKey, Values][]) => void;

/** How many files of a selection are checked at once (each video check holds a media element). */
const AT_ONCE = 4;

/** The selection being finished last, per element: the next one finishes after it. */
const last = new WeakMap<object, Promise<unknown>>();

/**
 * Checks `files` (the ones that passed the cheap rules) against the host's rules, then calls `done` with what to apply
 * to the selection, after the selection made before this one (on the same element) is done.
 */
export function check(host: MediaRules & Element, files: readonly File[], done: (checked: Checked) => void): void {
  const verdicts = checkAll(host, files);
  const turn = (last.get(host) ?? Promise.resolve())
    .then(() => verdicts)
    .then((found) =>
      done((accepted, rejected, asked) => {
        for (let i = 0; i < accepted.length; ) {
          const source = accepted[i]!;
          const verdict = found.get(source);
          if (!verdict) {
            i++;
            continue;
          }
          accepted.splice(i, 1);
          rejected.push({ source, reason: verdict[0], message: '' });
          asked.push([verdict[1], { name: source.name, ...verdict[2] }]);
        }
      }),
    )
    // A listener that throws while the selection is added must not stop the next selection.
    .catch((error: unknown) =>
      queueMicrotask(() => {
        throw error;
      }),
    );
  last.set(host, turn);
}

async function checkAll(host: MediaRules & Element, files: readonly File[]): Promise<Map<File, Verdict>> {
  const found = new Map<File, Verdict>();
  const lang = langOf(host);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const verdict = await verdictOf(host, file, lang);
      if (verdict) found.set(file, verdict);
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, files.length) }, worker));
  return found;
}

/** A positive limit, or none (unset, 0, NaN from an attribute that is not a number). */
const limit = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);

/** Why `file` fails the host's rules, or `undefined` when it passes (or cannot be measured). */
export async function verdictOf(host: MediaRules, file: File, lang = ''): Promise<Verdict | undefined> {
  const [minWidth, maxWidth, minHeight, maxHeight, minDuration, maxDuration] = [
    host.minWidth,
    host.maxWidth,
    host.minHeight,
    host.maxHeight,
    host.minDuration,
    host.maxDuration,
  ].map(limit);
  const sized = minWidth || maxWidth || minHeight || maxHeight;
  const timed = minDuration || maxDuration;
  const type = file.type.toLowerCase();
  // Only what a rule needs: no media element for a video when only sizes are asked, no header read for an image
  // when only durations are.
  const measure =
    (sized && !/^(video|audio)\//.test(type)) || (timed && !type.startsWith('image/'))
      ? await measureMedia(file).catch((): MediaMeasure | undefined => undefined)
      : undefined;
  if (measure?.kind === 'image' && sized) {
    const { width, height } = measure;
    if (minWidth && width < minWidth) return ['dimensions', 'rejectTooNarrow', { width, limit: minWidth }];
    if (maxWidth && width > maxWidth) return ['dimensions', 'rejectTooWide', { width, limit: maxWidth }];
    if (minHeight && height < minHeight) return ['dimensions', 'rejectTooShort', { height, limit: minHeight }];
    if (maxHeight && height > maxHeight) return ['dimensions', 'rejectTooTall', { height, limit: maxHeight }];
  }
  const duration = measure?.kind === 'image' ? undefined : measure?.duration;
  if (timed && duration !== undefined) {
    const words = (key: MessageKey, bound: number): Verdict => [
      'duration',
      key,
      { duration: formatSeconds(duration, lang), limit: formatSeconds(bound, lang) },
    ];
    if (minDuration && duration < minDuration) return words('rejectDurationShort', minDuration);
    if (maxDuration && duration > maxDuration) return words('rejectDurationLong', maxDuration);
  }
  if (typeof host.validate !== 'function') return undefined;
  try {
    const message = await host.validate(file);
    return typeof message === 'string' && message ? ['custom', 'rejectCustom', { message }] : undefined;
  } catch (error) {
    console.error(`itty-uploader: validate() threw for ${file.name}; the file is rejected.`, error);
    return ['custom', 'rejectCheckFailed', {}];
  }
}

/** The `lang` of the nearest ancestor that has one, across shadow roots ('' when none has). */
function langOf(element: Element): string {
  for (let node: Element | null = element; node; node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null)) {
    const lang = node.getAttribute('lang');
    if (lang !== null) return lang;
  }
  return '';
}

/**
 * Seconds as words for `lang`: `2.5 seconds` (two decimals at most) under a minute, else minutes and whole seconds (`1 minute, 30 seconds`;
 * `1 Minute, 30 Sekunden`).
 */
export function formatSeconds(seconds: number, lang = ''): string {
  const locale = (() => {
    try {
      return Intl.getCanonicalLocales(lang || [])[0];
    } catch {
      return undefined;
    }
  })();
  const unit = (name: 'second' | 'minute', amount: number) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long', maximumFractionDigits: 2 }).format(amount);
  if (seconds < 59.95) return unit('second', seconds);
  const whole = Math.round(seconds);
  const minutes = unit('minute', Math.floor(whole / 60));
  return whole % 60
    ? new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }).format([minutes, unit('second', whole % 60)])
    : minutes;
}
