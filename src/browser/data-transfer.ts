import { unavailable } from '../core/shared.js';
/** A picked, dropped or pasted file, with its path inside a dropped or picked folder. */
export interface PickedFile {
  source: File;
  relativePath?: string;
}

const fileItems = (data: DataTransfer) => [...data.items].filter((item) => item.kind === 'file');

/** Reads every file of a drop or paste, folders included (recursively, every readEntries batch). */
export async function readDataTransfer(data: DataTransfer): Promise<PickedFile[]> {
  const items = fileItems(data);
  // Entries and files must be taken synchronously, before the first await: the DataTransfer empties after the event.
  const entries = items.map((item) => item.webkitGetAsEntry?.());
  const files = items.map((item) => item.getAsFile());
  const out: PickedFile[] = [];
  for (let i = 0; i < items.length; i++) {
    const entry = entries[i];
    const file = files[i];
    // A plain file is taken as it is: its entry is read only for a folder (whose getAsFile() holds none of its
    // files), or when there is no file without it. (WebKit gives a file that is not on disk, such as a pasted
    // screenshot or a drop made by script, an entry it then cannot read: "Path does not exist".)
    // The code that reads entries loads with the first folder dropped; should it fail to load (offline), the
    // folder is skipped like an unreadable entry (the console names the missing chunk), and the rest of the drop counts.
    if (entry && (entry.isDirectory || !file))
      await import('./folders.js').then(
        ({ walk }) => walk(entry, out),
        (error: unknown) => console.error(unavailable('folders', error)),
      );
    else if (file) out.push({ source: file });
  }
  return out;
}

/** Files from an `<input type="file">`, keeping `webkitRelativePath` when a folder was picked. */
export function readFileList(list: FileList | Iterable<File>): PickedFile[] {
  return [...list].map((source) => (source.webkitRelativePath ? { source, relativePath: source.webkitRelativePath } : { source }));
}

/** MIME types being dragged (often empty during dragover: browsers hide them until drop). */
export function draggedTypes(data: DataTransfer | null): string[] {
  return data ? fileItems(data).map((item) => item.type) : [];
}
