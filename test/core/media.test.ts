import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kindOf } from '../../src/core/media.js';
import { kindOf as serverKindOf } from '../../src/server/media-types.js';

describe('kindOf', () => {
  const cases: [string, string][] = [
    ['image/png', 'image'],
    ['video/mp4', 'video'],
    ['audio/wav', 'audio'],
    ['image', 'image'],
    ['application/pdf', 'other'],
    ['imagex/png', 'other'],
    ['', 'other'],
    ['text/image', 'other'],
  ];

  it('reads the kind from the top-level type', () => {
    for (const [type, kind] of cases) assert.equal(kindOf(type), kind, type);
  });

  it("agrees with the upload server's copy (until the server reuses this one)", () => {
    for (const [type] of cases) assert.equal(kindOf(type), serverKindOf(type), type);
  });
});
