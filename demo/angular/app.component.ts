// docs/hosts.md quotes this file; test/frameworks/hosts.test.ts compiles it with Angular's AOT compiler (strict
// templates) and drives it in Chromium (`npm run test:frameworks`). Angular 17+: standalone component, built-in
// control flow. Angular is not among the project's devDependencies, so tsconfig.json leaves demo/angular/ out.
import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import type { IttyFile, IttyUploadSuccessEvent } from 'itty-uploader';

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <form (submit)="onSubmit($event)">
      <itty-uploader name="photo" endpoint="/upload-url" accept="image/*" required (itty-upload-success)="onSuccess($event)"></itty-uploader>
      <button>Save</button>
    </form>
    @if (file(); as uploaded) {
      <p data-result>{{ uploaded.id }} {{ uploaded.kind }} {{ uploaded.width }}×{{ uploaded.height }}</p>
      <itty-file [file]="uploaded"></itty-file>
    }
    @if (saved(); as value) {
      <p data-saved>{{ value }}</p>
    }
  `,
})
export class AppComponent {
  file = signal<IttyFile | undefined>(undefined);
  saved = signal('');

  onSuccess(event: IttyUploadSuccessEvent) {
    this.file.set(event.detail.file);
  }

  // The uploader is a form field: the form submits the stored file's URL under `name` (`form-value` picks url, id or
  // json), and `required` keeps the form from submitting until a file is uploaded.
  onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    this.saved.set(String(new FormData(form).get('photo')));
  }
}
