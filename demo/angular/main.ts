// The Angular example's entry (docs/hosts.md): test/frameworks/angular.test.ts bundles it after the AOT compile.
import 'itty-uploader';
import { bootstrapApplication } from '@angular/platform-browser';
import { AppComponent } from './app.component';

bootstrapApplication(AppComponent);
