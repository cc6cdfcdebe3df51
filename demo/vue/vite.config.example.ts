// vite.config.ts for a Vue app using itty-uploader (docs/hosts.md quotes it; the demo's own is demo/site.config.ts).
import vue from '@vitejs/plugin-vue';

export default {
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag: string) => tag.startsWith('itty-') } } })],
};
