import { expect } from '@open-wc/testing';
import { safeUrl } from '../../src/core/url.js';

describe('browser runner', () => {
  it('runs TypeScript in a real browser', () => {
    // Chromium, Firefox or WebKitGTK (npm run test:engines), never a DOM emulation.
    expect(navigator.userAgent).to.match(/ (Chrome\/|Firefox\/|AppleWebKit\/)\d/);
    expect(safeUrl('javascript:alert(1)')).to.equal(undefined);
  });
});
