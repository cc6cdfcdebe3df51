import type axeCore from 'axe-core';
import 'axe-core/axe.min.js';
import { expect } from '@open-wc/testing';

// axe-core is a UMD script: imported for its side effect, it sets `window.axe`.
const axe = () => (window as unknown as { axe: typeof axeCore }).axe;

/** Runs axe on `el` (shadow DOM included) and fails on any serious or critical violation. */
export async function expectNoSeriousAxeViolations(el: Element): Promise<void> {
  const { violations } = await axe().run(el, { resultTypes: ['violations'] });
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help}: ${v.nodes.map((n) => `${n.html} ${n.failureSummary ?? ''}`).join('; ')}`);
  expect(serious, serious.join('\n')).to.deep.equal([]);
}
