import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isUnfinished } from '../core/items.js';
import type { CoreStrings } from '../core/strings.js';
import type { IttyFile, UploadItem } from '../core/types.js';
import { formValidity } from '../core/rules.js';

export type FormValueMode = 'url' | 'id' | 'json';

export interface FormHost extends ReactiveControllerHost, HTMLElement {
  name?: string;
  required: boolean;
  formValue: FormValueMode;
  readonly items: readonly UploadItem[];
  readonly value: IttyFile[];
  readonly renderRoot: HTMLElement | DocumentFragment;
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
  readonly #strings?: () => Partial<CoreStrings>;
  #custom?: string;

  /** `strings` gives the validation messages in the host's language (English by default). */
  constructor(host: FormHost, internals?: ElementInternals, strings?: () => Partial<CoreStrings>) {
    this.#host = host;
    this.#internals = internals;
    this.#strings = strings;
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
    const { flags, message } = formValidity({
      required: host.required,
      uploaded: files.length,
      inFlight: host.items.filter((item) => isUnfinished(item.status)).length,
      strings: this.#strings?.(),
    });
    const custom = this.#custom;
    internals?.setValidity?.(
      custom ? { ...flags, customError: true } : flags,
      custom || message,
      host.renderRoot?.querySelector?.('[part=browse-button]') ?? undefined,
    );
  }
}
