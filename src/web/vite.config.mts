import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Builds the dashboard into dist/web at the repository root; `rampart up` serves it at `/`. */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Lean-bundle guard: the whole app is one small chunk; warn well before the 300 KB gzip goal.
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `vite --config src/web/vite.config.mts` next to `rampart up` on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
