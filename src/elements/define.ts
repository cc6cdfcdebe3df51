/**
 * Defines `element` as `tag` in `registry` unless the tag is taken there. A registry takes each class once, so a
 * second tag in the same registry gets a subclass of its own.
 */
export function defineElement(element: CustomElementConstructor, tag: string, registry: CustomElementRegistry): void {
  if (!registry.get(tag)) {
    try {
      registry.define(tag, element);
    } catch {
      registry.define(tag, class extends element {});
    }
  }
}
