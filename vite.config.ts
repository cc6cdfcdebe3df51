// `npm start` serves demo/ with the real upload server mounted; `vite build` makes the CDN bundle.
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { createUploadServer } from './src/server/index.js';
import { ittybitSigningEndpoint } from './demo/ittybit-endpoint.js';

const root = fileURLToPath(new URL('.', import.meta.url));

function uploadServer(): Plugin {
  return {
    name: 'itty-upload-server',
    configureServer(server) {
      const { ITTYBIT_API_KEY: key, ITTYBIT_DOMAIN: domain } = process.env;
      // With a real ittybit project configured, the demo's signing endpoint signs for it instead.
      if (key && domain) server.middlewares.use(ittybitSigningEndpoint({ key, domain }));
      server.middlewares.use(
        createUploadServer({ key: key ?? 'dev-key', dir: `${root}.uploads`, basePath: '/uploads' }),
      );
    },
  };
}

export default defineConfig(({ command }) =>
  command === 'build'
    ? {
        publicDir: false,
        build: {
          target: 'es2022',
          outDir: 'dist',
          emptyOutDir: false,
          sourcemap: true,
          lib: { entry: `${root}src/index.ts`, formats: ['es'], fileName: () => 'itty-uploader.js' },
          rolldownOptions: { output: { minify: true } },
        },
      }
    : {
        root: 'demo',
        server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 5173) },
        plugins: [uploadServer()],
      },
);
