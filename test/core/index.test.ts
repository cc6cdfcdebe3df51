import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as core from '../../src/core/index.js';

describe('itty-uploader/core', () => {
  it('exports exactly its public names: no internals (timers, error helpers, the chunk loop)', () => {
    assert.deepEqual(Object.keys(core).sort(), [
      'MAX_ANSWER_SIZE',
      'UploadError',
      'acceptCouldMatch',
      'createSigner',
      'createUploadQueue',
      'defaultCoreStrings',
      'displayName',
      'formValidity',
      'formatSize',
      'isInFlight',
      'isRetryable',
      'isUnfinished',
      'isUploadError',
      'kindOf',
      'matchesAccept',
      'normalizeSettings',
      'parseSignResponse',
      'parseSize',
      'parseUploadResponse',
      'percentOf',
      'requestUploadTarget',
      'safeUrl',
      'targetFromBody',
      'uploadSource',
      'validateFiles',
    ]);
  });
});
