// Built from the repository root with `vite build --config src/dashboard/vite.config.ts`.
// The output is plain static files that the Hookway server serves at `/`.
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const server = process.env['HOOKWAY_DEV_SERVER'] ?? 'http://127.0.0.1:8040';

export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs, so the same build works at `/` and when opened as `/portal?token=...`.
  base: './',
  plugins: [preact()],
  build: {
    outDir: '../../dist/dashboard',
    emptyOutDir: true,
    // Everything is bundled; the dashboard loads nothing from a CDN.
    assetsInlineLimit: 0,
  },
  // `vite --config src/dashboard/vite.config.ts` serves the UI against a running Hookway.
  server: { proxy: { '/api': server, '/ingest': server } },
});
