import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { IttyFile, UploadItem } from '../core/types.js';
import { isUnfinished } from '../core/items.js';
import type { MessageKey } from '../locales/en.js';

export type FormValueMode = 'url' | 'id' | 'json';

export interface FormHost extends ReactiveControllerHost, HTMLElement {
  name?: string;
  required: boolean;
  minFiles?: number;
  manual: boolean;
  formValue: FormValueMode;
  readonly items: readonly UploadItem[];
  readonly value: IttyFile[];
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** The words of the validation messages (the host's `Words`). */
export type FormWords = (key: MessageKey, values?: Readonly<Record<string, string | number>>) => string;

export type FormProblem = 'uploadsInProgress' | 'uploadFirst' | 'valueMissing' | 'tooFewFiles';

/**
 * The validity of a list, as a native control's, and the words that say what is missing: invalid (`customError`)
 * while an upload is in flight, paused or finalizing, and, with `manual`, while selected files wait for `upload()`
 * (without `manual`, queued files are on their way: in progress); `valueMissing` with `required` and no uploaded file;
 * `tooShort` with fewer uploaded files than `minFiles`. `uploaded` counts the list's `done` items (`value`, files set
 * through it included).
 */
export function validityOf(
  items: readonly { readonly status: string }[],
  uploaded: number,
  rules: { required?: boolean; minFiles?: number; manual?: boolean },
): { flags: ValidityStateFlags; key?: FormProblem } {
  let busy = false;
  let waiting = false;
  for (const { status } of items) {
    if (status == 'queued' ? !rules.manual : isUnfinished(status as UploadItem['status']) || status == 'finalizing') busy = true;
    else waiting ||= status == 'queued';
  }
  // Unset or not a number: every comparison is false.
  const min = rules.minFiles!;
  const valueMissing = rules.required && !uploaded;
  const tooShort = uploaded < min;
  const key = busy
    ? 'uploadsInProgress'
    : waiting
      ? 'uploadFirst'
      : tooShort && min > 1
        ? 'tooFewFiles'
        : valueMissing || tooShort
          ? 'valueMissing'
          : undefined;
  return { flags: { valueMissing, tooShort, customError: busy || waiting }, key };
}

/**
 * A form-associated host's part in its form, through its `ElementInternals`: one form entry per uploaded file, the
 * validity (`required`, uploads in flight, `setCustomValidity()`), and a fieldset's `disabled`. (The host's own
 * form API reads the same internals.) Each `ElementInternals` member is used only where the browser has it: DOM
 * emulations (jsdom, happy-dom) lack some or all, and there the host works as an element outside any form.
 */
export class FormController implements ReactiveController {
  /** A disabled fieldset or form disables the host (its own `disabled` stays false, as a native input's does). */
  disabled?: boolean;
  readonly #host: FormHost;
  readonly #internals?: ElementInternals;
  readonly #words: FormWords;
  #custom?: string;

  /** `words` gives the validation messages in the host's language. */
  constructor(host: FormHost, internals: ElementInternals | undefined, words: FormWords) {
    this.#host = host;
    this.#internals = internals;
    this.#words = words;
    host.addController(this);
  }

  /** As a native control's: a message makes the host invalid (`customError`) until it is set back to `''`. */
  setCustomValidity(message: string): void {
    this.#custom = message;
    this.sync();
  }

  hostUpdate(): void {
    this.sync();
  }

  /** Brings the form value and validity up to date with the list. */
  sync(): void {
    const host = this.#host;
    const internals = this.#internals;
    const files = host.value;
    const data = new FormData();
    if (host.name) {
      for (const file of files) {
        const mode = host.formValue;
        data.append(host.name, mode === 'json' ? JSON.stringify(file) : mode === 'id' ? (file.id ?? file.url) : file.url);
      }
    }
    // The state is every File object (whatever `form-value` sends): what back/forward navigation restores.
    internals?.setFormValue?.(files.length ? data : null, files.length ? JSON.stringify(files) : null);
    const { flags, key } = validityOf(host.items, files.length, host);
    const words = this.#words;
    // Until the words chunk is in, the first load's words say it (`setValidity` needs a message).
    const message = key && (words(key, { count: host.minFiles! }) || words('valueMissing'));
    const custom = this.#custom;
    if (custom) flags.customError = true;
    internals?.setValidity?.(flags, custom || message, host.renderRoot?.querySelector?.('[part=browse-button]') ?? undefined);
  }
}
