import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSize, parseSize } from '../../src/core/units.js';

describe('parseSize', () => {
  it('reads numbers as bytes', () => {
    assert.equal(parseSize(1024), 1024);
    assert.equal(parseSize(0), 0);
    assert.equal(parseSize(-1), undefined);
    assert.equal(parseSize(Number.NaN), undefined);
    assert.equal(parseSize(Infinity), undefined);
  });

  it('reads decimal SI units', () => {
    assert.equal(parseSize('1024'), 1024);
    assert.equal(parseSize('2k'), 2000);
    assert.equal(parseSize('500 kB'), 500_000);
    assert.equal(parseSize('500KB'), 500_000);
    assert.equal(parseSize('10MB'), 10_000_000);
    assert.equal(parseSize('10mb'), 10_000_000);
    assert.equal(parseSize('1.5GB'), 1_500_000_000);
    assert.equal(parseSize('2 TB'), 2e12);
    assert.equal(parseSize('12 B'), 12);
    assert.equal(parseSize(' 3 M '), 3_000_000);
  });

  it('reads binary IEC units', () => {
    assert.equal(parseSize('1KiB'), 1024);
    assert.equal(parseSize('16MiB'), 16 * 1024 ** 2);
    assert.equal(parseSize('1.5GiB'), 1.5 * 1024 ** 3);
    assert.equal(parseSize('1 tib'), 1024 ** 4);
    assert.equal(parseSize('0.5 KIB'), 512);
  });

  it('gives undefined for anything else', () => {
    for (const value of ['', ' ', 'MB', '10 XB', '-1MB', '1,5MB', '1e3', 'ten', '10 M B', null, undefined]) {
      assert.equal(parseSize(value as string), undefined, String(value));
    }
  });
});

describe('formatSize', () => {
  it('writes decimal units with at most 3 significant digits', () => {
    assert.equal(formatSize(0), '0 B');
    assert.equal(formatSize(999), '999 B');
    assert.equal(formatSize(1000), '1 kB');
    assert.equal(formatSize(1200), '1.2 kB');
    assert.equal(formatSize(15_000_000), '15 MB');
    assert.equal(formatSize(1_070_000_000), '1.07 GB');
    assert.equal(formatSize(123_456), '123 kB');
    assert.equal(formatSize(2e12), '2 TB');
  });

  it('rounds up into the next unit instead of writing 1000', () => {
    assert.equal(formatSize(999_999), '1 MB');
    assert.equal(formatSize(999_500), '1 MB');
    assert.equal(formatSize(999_499), '999 kB');
  });

  it('treats invalid input as 0 and follows the locale', () => {
    assert.equal(formatSize(-5), '0 B');
    assert.equal(formatSize(Number.NaN), '0 B');
    assert.equal(formatSize(1_500_000, 'de'), '1,5 MB');
  });

  it('is consistent with parseSize', () => {
    for (const text of ['1.2 kB', '15 MB', '1.07 GB', '999 B']) assert.equal(formatSize(parseSize(text)!), text);
  });
});
