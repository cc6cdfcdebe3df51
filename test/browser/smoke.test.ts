import { expect } from '@open-wc/testing';
import { safeUrl } from '../../src/core/url.js';

describe('browser runner', () => {
  it('runs TypeScript in a real browser', () => {
    expect(navigator.userAgent).to.contain('Chrome');
    expect(safeUrl('javascript:alert(1)')).to.equal(undefined);
  });
});
