import { expect } from '@open-wc/testing';
import { readDataTransfer, readFileList } from '../../src/browser/data-transfer.js';
import { validateFiles } from '../../src/core/validate.js';

// Synthetic DataTransfers have no file-system entries, so folders are modelled with the shapes of the
// File and Directory Entries API, including Chromium's habit of returning at most 100 entries per read.
type FakeEntry = {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
  file?: (ok: (f: File) => void, fail: (e: unknown) => void) => void;
  createReader?: () => { readEntries(ok: (e: FakeEntry[]) => void, fail: (e: unknown) => void): void };
};

const fileEntry = (path: string, fail = false): FakeEntry => ({
  isFile: true,
  isDirectory: false,
  name: path.split('/').pop()!,
  fullPath: `/${path}`,
  file: (ok, no) => (fail ? no(new Error('unreadable')) : ok(new File([path], path.split('/').pop()!))),
});

const dirEntry = (path: string, children: FakeEntry[]): FakeEntry => ({
  isFile: false,
  isDirectory: true,
  name: path.split('/').pop()!,
  fullPath: `/${path}`,
  createReader: () => {
    let offset = 0;
    return {
      readEntries: (ok) =>
        setTimeout(() => {
          ok(children.slice(offset, offset + 100));
          offset += 100;
        }),
    };
  },
});

const transfer = (entries: (FakeEntry | File)[]) =>
  ({
    items: entries.map((entry) => ({
      kind: 'file',
      type: '',
      getAsFile: () => (entry instanceof File ? entry : null),
      webkitGetAsEntry: () => (entry instanceof File ? null : entry),
    })),
  }) as unknown as DataTransfer;

/** Whether this page has fetched the folder-reading module (src/browser/folders.ts). */
const folderCodeLoaded = () => performance.getEntriesByType('resource').some((entry) => /\/folders\.[jt]s(\?|$)/.test(entry.name));

describe('reading drops and pastes', () => {
  // First in this file, so that no folder has been read on this page yet.
  it('reads a drop without folders without fetching the folder-reading code, and fetches it for the first folder', async () => {
    const plain = new File(['x'], 'a.txt');
    expect(await readDataTransfer(transfer([plain]))).to.deep.equal([{ source: plain }]);
    expect(folderCodeLoaded()).to.equal(false);
    const picked = await readDataTransfer(transfer([dirEntry('d', [fileEntry('d/b.txt')])]));
    expect(picked.map((p) => p.relativePath)).to.deep.equal(['d/b.txt']);
    expect(folderCodeLoaded()).to.equal(true);
  });

  it('reads every readEntries batch of a dropped folder, recursively, keeping relative paths', async () => {
    const photos = Array.from({ length: 250 }, (_, i) => fileEntry(`album/photo-${i}.jpg`));
    const nested = dirEntry('album/raw', [fileEntry('album/raw/a.cr2'), fileEntry('album/raw/b.cr2')]);
    const picked = await readDataTransfer(transfer([dirEntry('album', [...photos, nested]), fileEntry('loose.txt')]));
    expect(picked).to.have.length(253);
    expect(picked[0]!.relativePath).to.equal('album/photo-0.jpg');
    expect(picked[249]!.relativePath).to.equal('album/photo-249.jpg');
    expect(picked.slice(250, 252).map((p) => p.relativePath)).to.deep.equal(['album/raw/a.cr2', 'album/raw/b.cr2']);
    expect(picked[252]).to.deep.equal({ source: picked[252]!.source });
    expect(picked[252]!.source.name).to.equal('loose.txt');
  });

  // Found: unpacked archives give equal files in different folders one mtime, and the second dropped empty
  // __init__.py was rejected as a duplicate of the first (a picked folder's files had their path, dropped ones not).
  it("gives a dropped folder's files their path as webkitRelativePath: equal files in different folders are no duplicates", async () => {
    const init = (path: string): FakeEntry => ({
      ...fileEntry(path),
      file: (ok) => ok(new File([''], '__init__.py', { lastModified: 1 })),
    });
    const picked = await readDataTransfer(
      transfer([dirEntry('pkg', [init('pkg/__init__.py'), dirEntry('pkg/sub', [init('pkg/sub/__init__.py')])])]),
    );
    expect(picked.map((p) => [p.relativePath, p.source.webkitRelativePath])).to.deep.equal([
      ['pkg/__init__.py', 'pkg/__init__.py'],
      ['pkg/sub/__init__.py', 'pkg/sub/__init__.py'],
    ]);
    const { accepted, rejected } = validateFiles(
      picked.map((p) => p.source),
      { existing: [] },
    );
    expect([accepted.length, rejected.map((r) => r.reason)]).to.deep.equal([2, []]);
    // Dropped twice, each is a duplicate of itself.
    expect(
      validateFiles(
        picked.map((p) => p.source),
        { existing: picked.map((p) => p.source) },
      ).rejected.map((r) => r.reason),
    ).to.deep.equal(['duplicate', 'duplicate']);
  });

  it('takes plain files when there are no entries, and skips an unreadable one without losing the rest', async () => {
    const plain = new File(['x'], 'pasted.png', { type: 'image/png' });
    const picked = await readDataTransfer(transfer([plain, dirEntry('d', [fileEntry('d/ok.txt'), fileEntry('d/broken.txt', true)])]));
    expect(picked.map((p) => p.relativePath ?? p.source.name)).to.deep.equal(['pasted.png', 'd/ok.txt']);
  });

  it('takes the file itself when its entry cannot be read (WebKit, for files not on disk)', async () => {
    // WebKitGTK gives a pasted or script-made file an entry whose file() fails with "Path does not exist".
    const pasted = new File(['png'], 'screenshot.png', { type: 'image/png' });
    const data = {
      items: [{ kind: 'file', type: 'image/png', getAsFile: () => pasted, webkitGetAsEntry: () => fileEntry('screenshot.png', true) }],
    } as unknown as DataTransfer;
    expect(await readDataTransfer(data)).to.deep.equal([{ source: pasted }]);
  });

  it('keeps webkitRelativePath from a folder picker', () => {
    const file = new File(['x'], 'a.txt');
    Object.defineProperty(file, 'webkitRelativePath', { value: 'dir/a.txt' });
    expect(readFileList([file, new File(['y'], 'b.txt')]).map((p) => p.relativePath)).to.deep.equal(['dir/a.txt', undefined]);
  });
});
