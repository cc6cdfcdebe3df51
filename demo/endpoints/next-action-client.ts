// The client side of next-action.ts: the uploader asks the server action instead of an endpoint.
'use client';
import type { IttyUploaderElement } from 'itty-uploader';
import { getUploadUrl } from './next-action.js';

export function useServerAction(uploader: IttyUploaderElement) {
  uploader.getUploadUrl = (file, { folder }) => getUploadUrl({ filename: file.name, folder, type: file.type, size: file.size });
}
