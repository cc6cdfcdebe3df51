import { expect, fixture, html } from '@open-wc/testing';
import { IttyFileElement, IttyUploaderElement } from '../../src/elements.js';

// `itty-uploader/elements` defines nothing: these tags exist only where a test defines them.
const unique = (base: string) => `${base}-${Math.random().toString(36).slice(2, 8)}`;

/** A scoped registry, where the browser has them (Chromium 146+); else the test that needs one is skipped. */
function scopedRegistry(): CustomElementRegistry | undefined {
  try {
    return new CustomElementRegistry();
  } catch {
    return undefined;
  }
}

describe('define(tag, registry)', () => {
  for (const [name, element, base] of [
    ['<itty-uploader>', IttyUploaderElement, 'any-uploader'],
    ['<itty-file>', IttyFileElement, 'any-file'],
  ] as const) {
    describe(name, () => {
      it('defines any number of tags in the global registry, each a working element, and the same tag again is a no-op', async () => {
        const [first, second] = [unique(base), unique(base)];
        expect(element.define(first)).to.equal(element);
        expect(() => element.define(second)).to.not.throw();
        expect(() => element.define(first)).to.not.throw();
        expect(customElements.get(first)).to.equal(element);
        // A registry takes each class once: the second tag gets a subclass of its own.
        expect(customElements.get(second)!.prototype).to.be.instanceOf(element);
        for (const tag of [first, second]) {
          const el = await fixture(`<${tag} url="a.bin"></${tag}>`);
          expect(el).to.be.instanceOf(element);
          expect(el.shadowRoot!.childElementCount, `${tag} rendered`).to.be.above(0);
        }
      });

      it('defines any number of tags in a scoped registry, apart from the global one', async function () {
        const registry = scopedRegistry();
        if (!registry) return this.skip();
        const [first, second] = [unique(base), unique(base)];
        element.define(first, registry);
        element.define(second, registry);
        expect(registry.get(first)).to.equal(element);
        expect(registry.get(second)!.prototype).to.be.instanceOf(element);
        expect(customElements.get(first)).to.equal(undefined);
        const host = await fixture<HTMLDivElement>(html`<div></div>`);
        const root = host.attachShadow({ mode: 'open', customElementRegistry: registry } as ShadowRootInit);
        root.innerHTML = `<${first}></${first}><${second}></${second}>`;
        for (const el of root.children) expect(el).to.be.instanceOf(element);
      });
    });
  }
});
