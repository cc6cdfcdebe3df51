import 'itty-uploader';
import { formatSize, type GetUploadUrl, type IttyFile, type IttyUploaderElement } from 'itty-uploader';
import { editForm } from './edit-form.js';

const section = (id: string) => document.getElementById(id)!;
const uploaderIn = (id: string) => section(id).querySelector('itty-uploader')!;

/** The File object, minus the noise, for the page. */
const describe = (file: IttyFile) =>
  JSON.stringify({ id: file.id, kind: file.kind, type: file.type, filesize: file.filesize, width: file.width, height: file.height, url: file.url }, null, 2);

// Upload a file: show the last one.
{
  const result = section('basic').querySelector<HTMLElement>('[data-result]')!;
  uploaderIn('basic').addEventListener('itty-upload-success', (event) => {
    result.querySelector('itty-file')!.file = event.detail.file;
    result.querySelector('pre')!.textContent = describe(event.detail.file);
    result.hidden = false;
  });
}

// Gallery: one <itty-file> per uploaded image.
{
  const gallery = document.querySelector('#gallery .gallery')!;
  const uploader = document.querySelector<IttyUploaderElement>('#gallery itty-uploader')!;
  uploader.addEventListener('itty-upload-success', (event) => {
    const view = document.createElement('itty-file');
    view.file = event.detail.file;
    gallery.prepend(view);
  });
}

// Photos from a phone: what each photo weighed, and what was sent after `resize`.
{
  const sent = section('phone-photos').querySelector('.sent')!;
  uploaderIn('phone-photos').addEventListener('itty-upload-success', ({ detail: { item, file } }) => {
    const line = document.createElement('li');
    const size = file.width ? `, ${file.width}×${file.height}` : '';
    line.textContent = `${item.source.name}: ${formatSize(item.source.size)} chosen, ${formatSize(file.filesize)} sent${size}`;
    sent.prepend(line);
  });
}

// Form: what a submit would send.
{
  const form = section('form').querySelector('form')!;
  const uploader = uploaderIn('form');
  const mode = form.querySelector<HTMLSelectElement>('[name=mode]')!;
  mode.addEventListener('change', () => (uploader.formValue = mode.value as IttyUploaderElement['formValue']));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const entries = [...new FormData(form)].map(([name, value]) => `${name} = ${String(value)}`);
    section('form').querySelector('[data-submitted]')!.textContent = entries.join('\n');
  });
}

// An edit form: stored photos, a completion endpoint, processing (demo/edit-form.ts).
void editForm(section('edit').querySelector('form')!, section('edit').querySelector<HTMLElement>('[data-saved]')!);

// Chunked: sign as usual, then ask the demo server to read the body slowly (demo/throttle.ts).
{
  const uploader = uploaderIn('chunked');
  const throttle = section('chunked').querySelector<HTMLSelectElement>('[data-throttle]')!;
  const meter = section('chunked').querySelector<HTMLMeterElement>('[data-progress]')!;
  const text = section('chunked').querySelector<HTMLElement>('[data-progress-text]')!;

  const getUploadUrl: GetUploadUrl = async (file, { folder, signal }) => {
    const response = await fetch('/upload-url', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: file.name, folder, type: file.type, size: file.size }),
      signal,
    });
    if (!response.ok) throw new Error(`signing failed: ${response.status}`);
    const url = new URL(((await response.json()) as { url: string }).url);
    // Only our own server knows the parameter (a real ittybit URL is left alone).
    if (throttle.value && url.origin === location.origin) url.searchParams.set('throttle', throttle.value);
    return url.href;
  };
  uploader.getUploadUrl = getUploadUrl;

  const started = new Map<string, number>();
  uploader.addEventListener('itty-upload-start', (event) => started.set(event.detail.item.id, performance.now()));
  uploader.addEventListener('itty-upload-progress', ({ detail: { item, loaded, total } }) => {
    meter.value = total ? loaded / total : 0;
    const seconds = (performance.now() - (started.get(item.id) ?? performance.now())) / 1000;
    const rate = seconds > 0 ? `${formatSize(loaded / seconds)}/s` : '';
    text.textContent = `${item.source!.name}: ${formatSize(loaded)} of ${formatSize(total)} ${rate}`;
  });
  uploader.addEventListener('itty-upload-success', (event) => {
    meter.value = 1;
    text.textContent = `${event.detail.item.source!.name}: done, ${formatSize(event.detail.file.filesize)} stored.`;
  });
  uploader.addEventListener('itty-upload-error', (event) => (text.textContent = `Failed: ${event.detail.error.message}`));

  section('chunked').querySelector<HTMLButtonElement>('[data-generate]')!.addEventListener('click', (event) => {
    const megabytes = Number((event.currentTarget as HTMLButtonElement).dataset.generate);
    // Distinct bytes per file, so the duplicate rule does not refuse a second one.
    const bytes = new Uint8Array(megabytes * 1_000_000).fill(Date.now() % 251);
    uploader.addFiles([new File([bytes], `test-${megabytes}MB-${Date.now()}.bin`, { type: 'application/octet-stream' })]);
  });
}
