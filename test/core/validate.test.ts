import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptCouldMatch, formValidity, matchesAccept, validateFiles } from '../../src/core/validate.js';
import { makeSource } from './helpers.js';

const file = (name: string, type: string) => ({ name, type });

describe('matchesAccept', () => {
  it('accepts everything with an empty accept', () => {
    assert.equal(matchesAccept(file('a.bin', ''), ''), true);
    assert.equal(matchesAccept(file('a.bin', ''), ' , '), true);
    assert.equal(matchesAccept(file('a.bin', ''), undefined), true);
  });

  it('matches exact MIME types, case-insensitively', () => {
    assert.equal(matchesAccept(file('a.png', 'image/png'), 'image/png'), true);
    assert.equal(matchesAccept(file('a.png', 'IMAGE/PNG'), 'image/png'), true);
    assert.equal(matchesAccept(file('a.png', 'image/png'), 'Image/PNG'), true);
    assert.equal(matchesAccept(file('a.jpg', 'image/jpeg'), 'image/png'), false);
    assert.equal(matchesAccept(file('a.txt', 'text/plain;charset=utf-8'), 'text/plain'), true);
  });

  it('matches type/* wildcards', () => {
    assert.equal(matchesAccept(file('a.webp', 'image/webp'), 'image/*'), true);
    assert.equal(matchesAccept(file('a.mp4', 'video/mp4'), 'image/*'), false);
    assert.equal(matchesAccept(file('a.mp4', 'video/mp4'), 'image/*, video/*'), true);
    assert.equal(matchesAccept(file('a.x', 'imagery/x'), 'image/*'), false);
  });

  it('matches .ext extensions, case-insensitively', () => {
    assert.equal(matchesAccept(file('report.PDF', 'application/pdf'), '.pdf'), true);
    assert.equal(matchesAccept(file('report.pdf', ''), ' .PDF '), true);
    assert.equal(matchesAccept(file('archive.tar.gz', ''), '.tar.gz'), true);
    assert.equal(matchesAccept(file('pdf', ''), '.pdf'), false);
  });

  it('lets a file without a MIME type match only by extension', () => {
    assert.equal(matchesAccept(file('photo.heic', ''), 'image/*'), false);
    assert.equal(matchesAccept(file('photo.heic', ''), 'image/*,.heic'), true);
  });

  it('treats * and */* as everything', () => {
    assert.equal(matchesAccept(file('x', ''), '*/*'), true);
    assert.equal(matchesAccept(file('x', 'a/b'), '*'), true);
  });
});

describe('acceptCouldMatch', () => {
  it('answers true when it cannot know', () => {
    assert.equal(acceptCouldMatch([], 'image/*'), true);
    assert.equal(acceptCouldMatch([''], 'image/*'), true);
    assert.equal(acceptCouldMatch(['application/zip'], 'image/*,.pdf'), true);
    assert.equal(acceptCouldMatch(['application/zip'], ''), true);
  });

  it('checks known MIME types against types and wildcards', () => {
    assert.equal(acceptCouldMatch(['image/png'], 'image/*'), true);
    assert.equal(acceptCouldMatch(['application/zip'], 'image/*,video/mp4'), false);
    assert.equal(acceptCouldMatch(['application/zip', 'video/mp4'], 'image/*,video/mp4'), true);
  });
});

describe('validateFiles', () => {
  const a = makeSource('a.png', 10, 'image/png', 1);
  const b = makeSource('b.png', 20, 'image/png', 2);
  const c = makeSource('c.png', 30, 'image/png', 3);

  it('accepts everything without limits', () => {
    const result = validateFiles([a, b], { existing: [] });
    assert.deepEqual(result.accepted, [a, b]);
    assert.deepEqual(result.rejected, []);
  });

  it('rejects a type that accept does not list, naming the file and the list', () => {
    const pdf = makeSource('doc.pdf', 5, 'application/pdf');
    const { accepted, rejected } = validateFiles([pdf, a], { accept: 'image/*', existing: [] });
    assert.deepEqual(accepted, [a]);
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]!.source, pdf);
    assert.equal(rejected[0]!.reason, 'type');
    assert.equal(rejected[0]!.message, 'doc.pdf is not an accepted file type (image/*).');
  });

  it('rejects sizes outside minSize and maxSize with the limit in the message', () => {
    const big = makeSource('big.png', 2000, 'image/png');
    const empty = makeSource('empty.png', 0, 'image/png');
    const { accepted, rejected } = validateFiles([big, empty, a], { maxSize: '1kB', minSize: 1, existing: [] });
    assert.deepEqual(accepted, [a]);
    assert.deepEqual(
      rejected.map((r) => [r.reason, r.message]),
      [
        ['size', 'big.png is too large: the limit is 1 kB.'],
        ['size', 'empty.png is too small: the minimum is 1 B.'],
      ],
    );
  });

  it('treats maxSize 0 and maxFiles 0 as no limit', () => {
    assert.equal(validateFiles([a, b, c], { maxSize: 0, maxFiles: 0, existing: [] }).accepted.length, 3);
  });

  it('counts existing items against maxFiles', () => {
    const { accepted, rejected } = validateFiles([b, c], { maxFiles: 2, existing: [a] });
    assert.deepEqual(accepted, [b]);
    assert.equal(rejected[0]!.reason, 'count');
    assert.equal(rejected[0]!.message, 'c.png was not added: at most 2 files.');
  });

  it('allows one file in total when multiple is false', () => {
    const first = validateFiles([a, b], { multiple: false, existing: [] });
    assert.deepEqual(first.accepted, [a]);
    assert.equal(first.rejected[0]!.reason, 'count');
    assert.equal(first.rejected[0]!.message, 'b.png was not added: only one file is allowed.');
    const second = validateFiles([c], { multiple: false, existing: [a] });
    assert.deepEqual(second.accepted, []);
    assert.equal(second.rejected[0]!.reason, 'count');
  });

  it('rejects duplicates of listed files and of earlier files in the batch', () => {
    const again = makeSource('a.png', 10, 'image/png', 1);
    const touched = makeSource('a.png', 10, 'image/png', 99);
    const { accepted, rejected } = validateFiles([again, b, makeSource('b.png', 20, 'image/png', 2), touched], {
      existing: [a],
    });
    assert.deepEqual(accepted, [b, touched]);
    assert.deepEqual(
      rejected.map((r) => [r.reason, r.message]),
      [
        ['duplicate', 'a.png is already in the list.'],
        ['duplicate', 'b.png is already in the list.'],
      ],
    );
  });

  it('does not call equal files in different folders of a picked folder duplicates', () => {
    // Unpacked archives give every file one mtime (npm packs them all as 1985-10-26), so two empty
    // `__init__.py` or equal `index.js` in different folders have the same name, size and lastModified.
    const inFolder = (path: string) =>
      Object.assign(makeSource(path.split('/').pop()!, 0, 'text/x-python', 499162500000), { webkitRelativePath: path });
    const first = inFolder('pkg/__init__.py');
    const second = inFolder('pkg/sub/__init__.py');
    const { accepted, rejected } = validateFiles([first, second, inFolder('pkg/sub/__init__.py')], { existing: [] });
    assert.deepEqual(accepted, [first, second]);
    assert.deepEqual(
      rejected.map((r) => r.reason),
      ['duplicate'],
    );
  });

  it('accepts duplicates with allowDuplicates', () => {
    assert.equal(validateFiles([a, a], { allowDuplicates: true, existing: [a] }).accepted.length, 2);
  });

  it('uses replaced strings', () => {
    const { rejected } = validateFiles([a], { accept: '.pdf', existing: [], strings: { rejectType: 'Nein: {name}' } });
    assert.equal(rejected[0]!.message, 'Nein: a.png');
  });
});

describe('formValidity', () => {
  it('is valid when not required and idle', () => {
    assert.deepEqual(formValidity({ required: false, uploaded: 0, inFlight: 0 }), { flags: {}, message: '' });
    assert.deepEqual(formValidity({ required: true, uploaded: 1, inFlight: 0 }), { flags: {}, message: '' });
  });

  it('is valueMissing when required and nothing uploaded', () => {
    assert.deepEqual(formValidity({ required: true, uploaded: 0, inFlight: 0 }), {
      flags: { valueMissing: true },
      message: 'Please upload a file.',
    });
  });

  it('is a customError while uploads are in flight', () => {
    assert.deepEqual(formValidity({ required: false, uploaded: 2, inFlight: 1 }), {
      flags: { customError: true },
      message: 'Uploads in progress',
    });
    const both = formValidity({ required: true, uploaded: 0, inFlight: 1, strings: { uploadsInProgress: 'Wait' } });
    assert.deepEqual(both, { flags: { valueMissing: true, customError: true }, message: 'Wait' });
  });
});

describe('validateFiles: maxTotalSize (v2)', () => {
  it('rejects the files beyond what the list may hold together, counting the files listed already', () => {
    const listed = [makeSource('listed.bin', 600)];
    const result = validateFiles([makeSource('a.bin', 300), makeSource('b.bin', 200), makeSource('c.bin', 100)], {
      existing: listed,
      maxTotalSize: '1kB',
    });
    assert.deepEqual(
      result.accepted.map((s) => s.name),
      ['a.bin', 'c.bin'],
    );
    assert.deepEqual(result.rejected, [
      { source: result.rejected[0]!.source, reason: 'total-size', message: 'b.bin was not added: all files together may be at most 1 kB.' },
    ]);
  });
});
