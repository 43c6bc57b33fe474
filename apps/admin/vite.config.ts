import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const ADMIN_PORT = 5174;
const SOURCE_DIR = fileURLToPath(new URL('./src/', import.meta.url));

// Build-time: the admin app's public origin, the same variable the API allow-lists. adapter-node 6 builds request
// URLs and checks form CSRF against it; left to guess, a plain-http `bun build/index.js` would believe it is https.
const ADMIN_ORIGIN = process.env.ADMIN_ORIGIN || `http://localhost:${ADMIN_PORT}`;

export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter(),
      paths: { origin: ADMIN_ORIGIN },
      // Each page's Content-Security-Policy: SvelteKit adds a nonce for every inline script it renders, and
      // src/hooks.server.ts appends connect-src (the API, known only at run time).
      csp: {
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          'style-src': ['self', 'unsafe-inline'],
          'img-src': ['self', 'https:', 'data:'],
          'font-src': ['self', 'data:'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
      // Our own components are runes-only; shared packages keep whatever mode they were written in.
      dynamicCompileOptions: ({ filename }) =>
        filename.startsWith(SOURCE_DIR) ? { runes: true } : undefined,
    }),
  ],
  server: { port: ADMIN_PORT, strictPort: true },
  preview: { port: ADMIN_PORT, strictPort: true },
});
