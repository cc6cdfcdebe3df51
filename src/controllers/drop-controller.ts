import type { ReactiveControllerHost } from 'lit';
import { acceptCouldMatch } from '../core/rules.js';
import { draggedTypes, readDataTransfer, type PickedFile } from '../browser/data-transfer.js';

export interface DropHost extends ReactiveControllerHost, HTMLElement {
  accept: string;
}

export interface DropOptions {
  /** The host takes no files now (disabled). */
  off(): boolean;
  /** Files were dropped or pasted. */
  add(picked: PickedFile[]): void;
  /** Sets a host state (`dragover`, `drag-invalid`). */
  state(name: string, on: boolean): void;
}

/**
 * Files dragged, dropped and pasted onto a host: the host states `dragover` and `drag-invalid` (the dragged types
 * cannot match `accept`) while a drag is over it, and the files of a drop or a paste, folders read whole.
 */
export class DropController {
  /** The files dragged over the host cannot match its `accept`. */
  invalid?: boolean;
  readonly #host: DropHost;
  readonly #options: DropOptions;
  /** The elements a file drag is over (entered, not left yet), the host's own and its shadow root's. */
  readonly #targets = new Set<EventTarget>();

  constructor(host: DropHost, options: DropOptions) {
    this.#host = host;
    this.#options = options;
    host.addEventListener('paste', this.#onPaste);
    host.addEventListener('dragenter', this.#onDragEnter);
    host.addEventListener('dragover', this.#onDragOver);
    host.addEventListener('dragleave', this.#onDragLeave);
    host.addEventListener('drop', this.#onDrop);
  }

  #onPaste = (event: ClipboardEvent) => {
    if (this.#options.off() || !event.clipboardData?.files.length) return;
    event.preventDefault();
    void readDataTransfer(event.clipboardData).then(this.#options.add);
  };

  #onDragEnter = (event: DragEvent) => {
    if (!this.#accepts(event)) return;
    this.#targets.add(event.composedPath()[0]!);
    this.#set(true, !acceptCouldMatch(draggedTypes(event.dataTransfer), this.#host.accept));
  };

  #onDragOver = (event: DragEvent) => {
    if (this.#accepts(event)) event.dataTransfer!.dropEffect = this.invalid ? 'none' : 'copy';
  };

  // dragleave also fires when crossing into a child, so track what was entered and left instead. An element a
  // render removed under the pointer (the prompt's slot when drag-invalid swaps it) gets its dragleave where the
  // host never hears it: it no longer counts.
  #onDragLeave = (event: DragEvent) => {
    const targets = this.#targets;
    targets.delete(event.composedPath()[0]!);
    for (const target of targets) if (!(target as Node).isConnected) targets.delete(target);
    if (!targets.size) this.#set(false);
  };

  #onDrop = (event: DragEvent) => {
    if (this.#options.off() || !event.dataTransfer) return;
    event.preventDefault();
    this.#targets.clear();
    this.#set(false);
    void readDataTransfer(event.dataTransfer).then(this.#options.add);
  };

  /** A drag of files the host may take: the browser must not open them itself. */
  #accepts(event: DragEvent) {
    const files = !this.#options.off() && !!event.dataTransfer?.types.includes('Files');
    if (files) event.preventDefault();
    return files;
  }

  #set(over: boolean, invalid = false) {
    this.invalid = invalid;
    this.#options.state('dragover', over);
    this.#options.state('drag-invalid', invalid);
    this.#host.requestUpdate();
  }
}
