// @ts-nocheck Angular is not installed in this repository: docs/hosts.md quotes this file, but nothing builds it.
// It is written for Angular 17+ (standalone components, built-in control flow).
import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import type { IttyFile, IttyUploadSuccessEvent } from 'itty-uploader';

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <itty-uploader endpoint="/upload-url" accept="image/*" (itty-upload-success)="onSuccess($event)"></itty-uploader>
    @if (file(); as uploaded) {
      <p data-result>{{ uploaded.id }} {{ uploaded.kind }} {{ uploaded.width }}×{{ uploaded.height }}</p>
      <itty-file [file]="uploaded"></itty-file>
    }
  `,
})
export class AppComponent {
  file = signal<IttyFile | undefined>(undefined);

  onSuccess(event: IttyUploadSuccessEvent) {
    this.file.set(event.detail.file);
  }
}
