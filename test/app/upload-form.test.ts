// The README's example: an app's Vitest test of its own upload form, with no network and no server.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { createUploadHandlers } from 'itty-uploader/testing';
import 'itty-uploader';
import type { IttyUploadSuccessEvent } from 'itty-uploader';

// Plays the signing endpoint (POST /upload-url) and the storage, in memory.
const uploads = createUploadHandlers();
const server = setupServer(...uploads.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  uploads.reset();
  document.body.replaceChildren();
});
afterAll(() => server.close());

test('a required uploader in a form uploads the picked file', async () => {
  document.body.innerHTML = `
    <form>
      <itty-uploader name="attachment" endpoint="/upload-url" required></itty-uploader>
    </form>`;
  const uploader = document.querySelector('itty-uploader')!;
  const uploaded = new Promise<IttyUploadSuccessEvent>((resolve, reject) => {
    uploader.addEventListener('itty-upload-success', resolve, { once: true });
    uploader.addEventListener('itty-upload-error', (event) => reject(event.detail.error), { once: true });
  });

  uploader.addFiles([new File(['hello, world'], 'notes.txt', { type: 'text/plain' })]);

  const { file } = (await uploaded).detail;
  expect(file).toMatchObject({ filename: 'notes.txt', type: 'text/plain', filesize: 12, kind: 'other', status: 'ready' });
  expect(file.url).toBe('https://uploads.itty.test/notes.txt');
  expect(uploader.value).toEqual([file]);

  const [stored] = uploads.files();
  expect(new TextDecoder().decode(stored!.bytes)).toBe('hello, world');
});
