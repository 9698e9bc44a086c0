import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompileCatalogue } from './i18n-precompile.ts';

/** The API server the dev server forwards to; the production server serves dist/ itself (same origin). */
const apiTarget = 'http://localhost:3000';

/** Vite build and dev-server settings for the Portico web app. */
export default defineConfig({
  plugins: [react(), precompileCatalogue()],
  resolve: {
    // The catalogue arrives parsed (i18n-precompile.ts): FormatJS's ICU parser stays out of the bundle.
    alias: [{ find: /^@formatjs\/icu-messageformat-parser$/, replacement: '@formatjs/icu-messageformat-parser/no-parser.js' }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Source maps would publish the source next to the app; they are not needed in production.
    sourcemap: false,
    // dist/.vite/manifest.json: which chunks each page loads (bench/web-size.ts measures the first load from it).
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // The libraries every page loads (React, the router, TanStack Query, and what the shell and sign-in use)
            // in their own chunk: it changes less often than the app, so browsers keep it cached across releases.
            // '$initial' keeps out a library only some pages import: it stays in a chunk with those pages.
            { name: 'vendor', test: /[\\/]node_modules[\\/]/, tags: ['$initial'] },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/dev': { target: apiTarget, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/dev': { target: apiTarget, changeOrigin: false },
    },
  },
});
