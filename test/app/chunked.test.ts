// A chunked upload (ittybit Content-Range PUTs) through the element, and a refused one: the bytes the
// handlers stored are the bytes of the picked file, in either DOM emulation.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { createUploadHandlers } from 'itty-uploader/testing';
import type { IttyUploadErrorEvent, IttyUploaderElement, IttyUploadSuccessEvent } from 'itty-uploader';
import 'itty-uploader';

const uploads = createUploadHandlers({ maxSize: 10_000 });
const server = setupServer(...uploads.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  uploads.reset();
  document.body.replaceChildren();
});
afterAll(() => server.close());

function render(attributes: string): IttyUploaderElement {
  document.body.innerHTML = `<form><itty-uploader endpoint="/upload-url" ${attributes}></itty-uploader></form>`;
  return document.querySelector('itty-uploader')!;
}

/** The next `itty-upload-success` (or error, when `expectError`); the other one rejects, with its reason. */
function settled(uploader: IttyUploaderElement): Promise<IttyUploadSuccessEvent>;
function settled(uploader: IttyUploaderElement, expectError: true): Promise<IttyUploadErrorEvent>;
function settled(uploader: IttyUploaderElement, expectError = false): Promise<Event> {
  return new Promise((resolve, reject) => {
    uploader.addEventListener(
      'itty-upload-success',
      (event) => (expectError ? reject(new Error(`uploaded: ${event.detail.file.url}`)) : resolve(event)),
      { once: true },
    );
    uploader.addEventListener('itty-upload-error', (event) => (expectError ? resolve(event) : reject(event.detail.error)), { once: true });
  });
}

test('a file larger than chunk-size arrives whole, in chunks', async () => {
  const bytes = Uint8Array.from({ length: 2600 }, (_, i) => (i * 31 + 7) % 256);
  const uploader = render('chunk-size="1KiB" folder="reports"');
  const uploaded = settled(uploader);
  uploader.addFiles([new File([bytes], 'data.bin', { type: 'application/octet-stream' })]);

  const { file } = (await uploaded).detail;
  expect(file).toMatchObject({ filename: 'data.bin', folder: 'reports', filesize: 2600 });
  const [stored] = uploads.files();
  expect(stored!.via).toBe('chunks');
  expect(stored!.path).toBe('reports/data.bin');
  expect([...stored!.bytes]).toEqual([...bytes]);
});

test('the signing endpoint refuses a file over maxSize, and the element says so', async () => {
  const uploader = render('retries="0"');
  const failed = settled(uploader, true);
  uploader.addFiles([new File([new Uint8Array(10_001)], 'big.bin')]);

  const { error } = (await failed).detail;
  expect(error.code).toBe('sign_failed');
  expect(error.message).toContain('larger than the limit of 10000 bytes');
  expect(uploads.files()).toEqual([]);
});
