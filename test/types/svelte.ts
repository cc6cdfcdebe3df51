// Svelte 5: the `SvelteHTMLElements` entries that ship as `itty-uploader/svelte` (src/types/svelte.ts, generated
// from custom-elements.json). svelte-check types `<itty-uploader onitty-upload-success={…}>` with exactly this
// entry. Compiled by `npm run typecheck`; never run.
import type { SvelteHTMLElements } from 'svelte/elements';
import type {} from 'itty-uploader/svelte';
import type { IttyFile } from 'itty-uploader';

type Uploader = SvelteHTMLElements['itty-uploader'];
type File = SvelteHTMLElements['itty-file'];

let file: IttyFile | undefined;
export const uploader: Uploader = {
  endpoint: '/upload-url',
  accept: 'image/*',
  multiple: true,
  'max-size': '10MB',
  class: 'uploads',
  onclick: (event) => event.currentTarget.upload(),
  'onitty-select': (event) => event.detail.files.length,
  'onitty-upload-success': (event) => (file = event.detail.file),
  'onitty-upload-error': (event) => event.detail.error.code,
  getUploadUrl: async (source) => `/sign?name=${source.name}`,
};
export const view: File = { file, alt: '', 'onitty-file-load': (event) => event.detail.file.url };

export const misspelt: Uploader[] = [
  // @ts-expect-error misspelt event name.
  { 'onitty-upload-sucess': (event: Event) => event },
  // @ts-expect-error Svelte 4's `on:` directive form is not typed for Svelte 5.
  { 'on:itty-upload-success': (event: Event) => event },
  // @ts-expect-error misspelt attribute.
  { endpont: '/upload-url' },
];

export const wrongDetail: Uploader[] = [
  // @ts-expect-error `detail.fiel` does not exist on IttyUploadSuccessEvent.
  { 'onitty-upload-success': (event) => event.detail.fiel },
  // @ts-expect-error itty-reject's `detail.reason` is a string union.
  { 'onitty-reject': (event) => event.detail.reason.toFixed() },
];

export const wrongType = [
  // @ts-expect-error `multiple` is a boolean.
  { multiple: 'yes' } satisfies Uploader,
  // @ts-expect-error `file` is an IttyFile object.
  { file: '/uploads/a.png' } satisfies File,
];
