const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  apng: 'image/apng',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jfif: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  heif: 'image/heif',
  bmp: 'image/bmp',
  ico: 'image/x-icon',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  mp4: 'video/mp4',
  m4v: 'video/x-m4v',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  avi: 'video/x-msvideo',
  ogv: 'video/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/opus',
  weba: 'audio/webm',
  txt: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
  vtt: 'text/vtt',
  srt: 'application/x-subrip',
  json: 'application/json',
  pdf: 'application/pdf',
  zip: 'application/zip',
  html: 'text/html',
  htm: 'text/html',
  xhtml: 'application/xhtml+xml',
  xml: 'application/xml',
  js: 'text/javascript',
  mjs: 'text/javascript',
  css: 'text/css',
};

/** Types a browser only ever renders as passive media or plain text: safe to serve inline. */
const INERT = new Set([
  'image/png',
  'image/apng',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/heic',
  'image/heif',
  'image/bmp',
  'image/x-icon',
  'image/vnd.microsoft.icon',
  'image/tiff',
  'text/plain',
  'text/csv',
  'text/vtt',
  'application/json',
  'application/octet-stream',
]);

const MIME = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/** MIME type for a file name's extension, or undefined. */
export function typeFromExtension(filename: string): string | undefined {
  const dot = filename.lastIndexOf('.');
  return dot === -1 ? undefined : BY_EXTENSION[filename.slice(dot + 1).toLowerCase()];
}

/** The bare, lowercased MIME type of a Content-Type header when it is well formed (multipart is refused). */
export function cleanContentType(header: string | undefined): string | undefined {
  const type = header?.split(';', 1)[0]?.trim().toLowerCase();
  return type && MIME.test(type) && !type.startsWith('multipart/') ? type : undefined;
}

export { kindOf } from '../core/media.js';

/**
 * True when serving `type` inline cannot run script in our origin. Everything else (HTML, SVG, XML, PDF,
 * JavaScript, unknown types) is served as an attachment under a sandboxing CSP.
 */
export function isInert(type: string): boolean {
  const bare = type.split(';', 1)[0]!.trim().toLowerCase();
  if (bare.endsWith('+xml') || bare.includes('xml')) return false;
  return INERT.has(bare) || bare.startsWith('video/') || bare.startsWith('audio/');
}
