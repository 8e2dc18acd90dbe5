import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is served by the gateway at /console (services/gateway/src/console/): built into
// dist/console at the workspace root, where the gateway looks for it by default (CONSOLE_DIR).
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or styles: the gateway serves the console with a CSP without 'unsafe-inline'.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    // `vite apps/console` for development: the API comes from the gateway of `npm start`.
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } },
  },
});
