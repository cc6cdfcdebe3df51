// docs/hosts.md's Angular and Astro examples, built for real and driven in Chromium as test/hosts/hosts.test.ts drives
// the other hosts: a file is picked through the uploader's real file input, the host's own code receives the File
// object, an <itty-file> renders it from the stored bytes, and the form submits the stored file's URL.
// demo/angular/ is compiled by Angular's AOT compiler with strict templates (a template that hands the event to a
// handler of the wrong type must not compile), then bundled; demo/astro/ is built by `astro build`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixture, pickFile, renderedImage } from '../hosts/site.js';
import { buildAstro, bundleAngular, compileAngular, serve, type Site, workspace } from './site.js';

const IMAGE = fixture('image-3x2.png');
/** What the Angular page prints from `detail.file`: the server's id, `kind`, and the image's real size. */
const PRINTED = /^file_[a-z0-9]{12} image 3×2$/;

let dir: string;
let site: Site;
let angularErrors: string;
before(async () => {
  dir = workspace();
  await buildAstro(dir); // first: astro build empties <dir>/site
  angularErrors = await compileAngular(dir);
  if (!angularErrors) await bundleAngular(dir);
  site = await serve(dir);
});
after(async () => {
  await site?.close();
});

describe('Angular (demo/angular/)', () => {
  test('compiles with the AOT compiler and strict templates', () => {
    assert.equal(angularErrors, '');
  });

  test('strict templates type $event from the element event map: a handler for another event does not compile', async () => {
    const errors = await compileAngular(dir, ['(itty-upload-success)', '(itty-upload-error)']);
    assert.match(errors, /IttyUploadSuccessEvent/);
    assert.match(errors, /IttyUploadErrorEvent/);
  });

  test('(itty-upload-success) gets the File object, [file] renders it, and the form submits the stored URL', async () => {
    const { page, problems } = await site.open('/angular/');
    try {
      const form = page.locator('app-root form');
      await page.locator('app-root itty-uploader').waitFor();
      await page.waitForFunction(() => customElements.get('itty-uploader'));
      // `required`: no file yet, so the form is invalid and does not submit.
      assert.equal(await form.evaluate((element: HTMLFormElement) => element.checkValidity()), false);
      await pickFile(page, 'app-root', IMAGE);
      const result = page.locator('app-root [data-result]');
      await result.waitFor();
      assert.match((await result.textContent())?.trim() ?? '', PRINTED);
      const image = await renderedImage(page, 'app-root');
      assert.ok(image.src.startsWith(`${site.url}/uploads/`), image.src);
      assert.deepEqual([image.width, image.height], [3, 2]);
      await page.getByRole('button', { name: 'Save' }).click();
      const saved = page.locator('app-root [data-saved]');
      await saved.waitFor();
      assert.equal((await saved.textContent())?.trim(), image.src);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});

describe('Astro (demo/astro/)', () => {
  test('the page with the UploadField component uploads, renders the file, and its form posts the stored URL', async () => {
    const { page, problems } = await site.open('/upload/');
    try {
      const posted = new Promise<string>((resolve) =>
        page.route('**/profile', async (route) => {
          resolve(route.request().postData() ?? '');
          await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>saved</p>' });
        }),
      );
      await page.waitForFunction(() => customElements.get('itty-uploader'));
      assert.equal(await page.locator('form').evaluate((element: HTMLFormElement) => element.checkValidity()), false);
      await pickFile(page, 'form', IMAGE);
      const image = await renderedImage(page, '#gallery');
      assert.ok(image.src.startsWith(`${site.url}/uploads/`), image.src);
      assert.deepEqual([image.width, image.height], [3, 2]);
      await page.getByRole('button', { name: 'Save' }).click();
      assert.deepEqual([...new URLSearchParams(await posted)], [['photos', image.src]]);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});
