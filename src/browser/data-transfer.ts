/** A picked, dropped or pasted file, with its path inside a dropped or picked folder. */
export interface PickedFile {
  source: File;
  relativePath?: string;
}

// Minimal shapes of the File and Directory Entries API (webkitGetAsEntry), typed here because
// lib.dom's types for it are incomplete.
interface Entry {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  readonly fullPath: string;
}
interface FileEntry extends Entry {
  file(success: (file: File) => void, failure: (error: unknown) => void): void;
}
interface DirectoryEntry extends Entry {
  createReader(): { readEntries(success: (entries: Entry[]) => void, failure: (error: unknown) => void): void };
}

const readFile = (entry: FileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

async function readDirectory(entry: DirectoryEntry): Promise<Entry[]> {
  const reader = entry.createReader();
  const all: Entry[] = [];
  // readEntries returns at most 100 entries per call (Chromium): read until it returns none.
  for (;;) {
    const batch = await new Promise<Entry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

// An unreadable entry (permissions, a file deleted meanwhile) is skipped; its siblings still count.
async function walk(entry: Entry, out: PickedFile[]): Promise<void> {
  try {
    if (entry.isFile) {
      const source = await readFile(entry as FileEntry);
      const relativePath = entry.fullPath.replace(/^\//, '');
      out.push(relativePath.includes('/') ? { source, relativePath } : { source });
    } else if (entry.isDirectory) {
      for (const child of await readDirectory(entry as DirectoryEntry)) await walk(child, out);
    }
  } catch {}
}

/** Reads every file of a drop or paste, folders included (recursively, every readEntries batch). */
export async function readDataTransfer(data: DataTransfer): Promise<PickedFile[]> {
  const items = [...data.items].filter((item) => item.kind === 'file');
  // Entries must be taken synchronously, before the first await: the DataTransfer empties after the event.
  const entries = items.map((item) => (item as DataTransferItem & { webkitGetAsEntry?(): Entry | null }).webkitGetAsEntry?.() ?? null);
  const files = items.map((item) => item.getAsFile());
  const out: PickedFile[] = [];
  for (let i = 0; i < items.length; i++) {
    const entry = entries[i];
    const before = out.length;
    if (entry) await walk(entry, out);
    // WebKit gives a file that is not on disk (a pasted screenshot, a drop made by script) an entry it then
    // cannot read ("Path does not exist"): take the file itself.
    if (out.length === before && !entry?.isDirectory && files[i]) out.push({ source: files[i]! });
  }
  return out;
}

/** Files from an `<input type="file">`, keeping `webkitRelativePath` when a folder was picked. */
export function readFileList(list: FileList | Iterable<File>): PickedFile[] {
  return [...list].map((source) =>
    source.webkitRelativePath ? { source, relativePath: source.webkitRelativePath } : { source },
  );
}

/** MIME types being dragged (often empty during dragover: browsers hide them until drop). */
export function draggedTypes(data: DataTransfer | null): string[] {
  if (!data) return [];
  return [...data.items].filter((item) => item.kind === 'file').map((item) => item.type);
}
