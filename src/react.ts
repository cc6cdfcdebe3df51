// `itty-uploader/react`: React components for React 18 and 19 (React 19 can also use the tags directly).
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { IttyUploaderElement } from './elements/uploader.js';
import { IttyFileElement } from './elements/file.js';
import type {
  IttyFileErrorEvent,
  IttyFileLoadEvent,
  IttyQueueCompleteEvent,
  IttyQueueProgressEvent,
  IttyRejectEvent,
  IttyRemoveEvent,
  IttySelectEvent,
  IttyUploadCancelEvent,
  IttyUploadErrorEvent,
  IttyUploadPauseEvent,
  IttyUploadProcessedEvent,
  IttyUploadProgressEvent,
  IttyUploadResumeEvent,
  IttyUploadStartEvent,
  IttyUploadSuccessEvent,
} from './events.js';

if (globalThis.customElements) {
  IttyUploaderElement.define();
  IttyFileElement.define();
}

export const IttyUploader = createComponent({
  react: React,
  tagName: 'itty-uploader',
  elementClass: IttyUploaderElement,
  events: {
    onIttySelect: 'itty-select' as EventName<IttySelectEvent>,
    onIttyReject: 'itty-reject' as EventName<IttyRejectEvent>,
    onIttyUploadStart: 'itty-upload-start' as EventName<IttyUploadStartEvent>,
    onIttyUploadProgress: 'itty-upload-progress' as EventName<IttyUploadProgressEvent>,
    onIttyUploadSuccess: 'itty-upload-success' as EventName<IttyUploadSuccessEvent>,
    onIttyUploadError: 'itty-upload-error' as EventName<IttyUploadErrorEvent>,
    onIttyUploadCancel: 'itty-upload-cancel' as EventName<IttyUploadCancelEvent>,
    onIttyUploadPause: 'itty-upload-pause' as EventName<IttyUploadPauseEvent>,
    onIttyUploadResume: 'itty-upload-resume' as EventName<IttyUploadResumeEvent>,
    onIttyQueueComplete: 'itty-queue-complete' as EventName<IttyQueueCompleteEvent>,
    onIttyRemove: 'itty-remove' as EventName<IttyRemoveEvent>,
    onIttyUploadProcessed: 'itty-upload-processed' as EventName<IttyUploadProcessedEvent>,
    onIttyQueueProgress: 'itty-queue-progress' as EventName<IttyQueueProgressEvent>,
    onChange: 'change' as EventName<Event>,
  },
});

export const IttyFile = createComponent({
  react: React,
  tagName: 'itty-file',
  elementClass: IttyFileElement,
  events: {
    onIttyFileLoad: 'itty-file-load' as EventName<IttyFileLoadEvent>,
    onIttyFileError: 'itty-file-error' as EventName<IttyFileErrorEvent>,
  },
});

export { IttyUploaderElement, IttyFileElement };
export type { IttyFile as IttyFileObject } from './core/types.js';
