// Single-file components, as Vite's framework plugins compile them (their own checkers, vue-tsc and
// svelte-check, see inside them; tsc only needs to know what they export).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}

declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component;
  export default component;
}
