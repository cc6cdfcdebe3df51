// Vue 3: the `GlobalComponents` entries that ship as `itty-uploader/vue` (src/types/vue.ts, generated from
// custom-elements.json). vue-tsc checks a template's `@itty-upload-success="…"` against the component's
// `onIttyUploadSuccess` prop and `max-size="…"` against `maxSize`, so these props are what templates get.
// Compiled by `npm run typecheck`; never run.
import type { GlobalComponents } from 'vue';
import type {} from 'itty-uploader/vue';
import type { IttyFile } from 'itty-uploader';

type Props<Tag extends keyof GlobalComponents> = NonNullable<InstanceType<GlobalComponents[Tag]>['$props']>;
type Uploader = Props<'itty-uploader'>;
type File = Props<'itty-file'>;

let file: IttyFile | undefined;
export const uploader: Uploader = {
  endpoint: '/upload-url',
  accept: 'image/*',
  multiple: true,
  maxSize: '10MB',
  formValue: 'json',
  onIttySelect: (event) => event.detail.files.length,
  onIttyUploadSuccess: (event) => (file = event.detail.file),
  onIttyUploadError: (event) => event.detail.error.code,
  onChange: (event) => event.type,
};
export const view: File = { file, alt: '', onIttyFileLoad: (event) => event.detail.file.url };

export const misspelt: Uploader[] = [
  // @ts-expect-error misspelt event name.
  { onIttyUploadSucess: (event: Event) => event },
  // @ts-expect-error misspelt property.
  { endpont: '/upload-url' },
];

export const wrongDetail: Uploader[] = [
  // @ts-expect-error `detail.fiel` does not exist on IttyUploadSuccessEvent.
  { onIttyUploadSuccess: (event) => event.detail.fiel },
  // @ts-expect-error `detail.loaded` is a number.
  { onIttyUploadProgress: (event) => event.detail.loaded.length },
];

export const wrongType = [
  // @ts-expect-error `multiple` is a boolean.
  { multiple: 'yes' } satisfies Uploader,
  // @ts-expect-error `file` is an IttyFile object.
  { file: '/uploads/a.png' } satisfies File,
];

// @ts-expect-error only our two tags are added.
export type NotATag = Props<'itty-uploder'>;
