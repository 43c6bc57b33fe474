import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const WEB_PORT = 5173;

// Build-time: the site's public origin, the same variable the API allow-lists. adapter-node 6 builds request URLs
// from it; left to guess, a plain-http `bun build/index.js` would believe it is served over https.
const WEB_ORIGIN = process.env.WEB_ORIGIN || `http://localhost:${WEB_PORT}`;

// Our own components (this app and @app/ui) are runes-only; third-party packages keep their own mode.
const RUNES_SOURCES = [
  fileURLToPath(new URL('./src/', import.meta.url)),
  fileURLToPath(new URL('../../packages/ui/src/', import.meta.url)),
];

export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter(),
      paths: { origin: WEB_ORIGIN },
      dynamicCompileOptions: ({ filename }) =>
        RUNES_SOURCES.some((dir) => filename.startsWith(dir)) ? { runes: true } : undefined,
    }),
  ],
  server: { port: WEB_PORT, strictPort: true },
  preview: { port: WEB_PORT, strictPort: true },
});
