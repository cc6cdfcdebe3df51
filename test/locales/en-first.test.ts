// The drop zone's and the rows' first-load words are copies of the English table's: they must never drift apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import en from '../../src/locales/en.js';
import { dropZone, rowWords } from '../../src/locales/en-first.js';

test("the first load's English words are the English table's, key for key", () => {
  for (const [key, text] of Object.entries({ ...dropZone, ...rowWords })) {
    assert.equal(text, en[key as keyof typeof en], key);
  }
});
