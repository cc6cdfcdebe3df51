/**
 * Sets one of a host's states for CSS: a host attribute (`[uploading]`) and, where the browser has
 * `CustomStateSet`, a custom state (`:state(uploading)`).
 */
export function setHostState(host: HTMLElement, states: CustomStateSet | undefined, name: string, on: boolean): void {
  host.toggleAttribute(name, on);
  // Chromium before 125 takes only `--name` states and throws on others: there the attribute alone says it.
  try {
    states?.[on ? 'add' : 'delete'](name);
  } catch {}
}
