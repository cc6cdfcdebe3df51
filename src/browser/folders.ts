// Reading dropped folders (the File and Directory Entries API, webkitGetAsEntry). data-transfer.ts loads this
// module only when a drop holds a folder, so pages where nobody drops one never download it.
import type { PickedFile } from './data-transfer.js';

/**
 * Adds to `out` the file of `entry`, or every file inside it when it is a folder (recursively, every
 * `readEntries` batch), each with its path inside the drop as `relativePath` when it is in a folder.
 * An unreadable entry (permissions, a file deleted meanwhile) is skipped; its siblings still count.
 */
export async function walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  try {
    if (entry.isFile) {
      const source = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      const relativePath = entry.fullPath.replace(/^\//, '');
      if (!relativePath.includes('/')) return void out.push({ source });
      // As a folder picker's files have it (Chromium leaves it empty for dropped ones): the duplicate rule reads it,
      // and so may the page's own itty-select listener.
      Object.defineProperty(source, 'webkitRelativePath', { value: relativePath });
      out.push({ source, relativePath });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      const children: FileSystemEntry[] = [];
      // readEntries returns at most 100 entries per call (Chromium): read until it returns none.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        children.push(...batch);
      }
      for (const child of children) await walk(child, out);
    }
  } catch {}
}
