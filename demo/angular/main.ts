// @ts-nocheck Angular is not installed in this repository: docs/hosts.md quotes this file, but nothing builds it.
import 'itty-uploader';
import { bootstrapApplication } from '@angular/platform-browser';
import { AppComponent } from './app.component';

bootstrapApplication(AppComponent);
