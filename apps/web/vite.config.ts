import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const WEB_PORT = 5173;

// Build-time: the site's public origin, the same variable the API allow-lists. adapter-node 6 builds request URLs
// from it; left to guess, a plain-http `bun build/index.js` would believe it is served over https.
const WEB_ORIGIN = process.env.WEB_ORIGIN || `http://localhost:${WEB_PORT}`;

// Stripe.js and its Payment Element frames (Stripe's published CSP requirements).
const STRIPE = {
  scripts: ['https://js.stripe.com', 'https://*.js.stripe.com'],
  frames: ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com'],
} as const;

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
      // Each page's Content-Security-Policy: SvelteKit adds a nonce for every inline script it renders, and
      // src/hooks.server.ts appends connect-src (the API and the media server, known only at run time).
      csp: {
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self', ...STRIPE.scripts],
          'style-src': ['self', 'unsafe-inline'],
          'img-src': ['self', 'https:', 'data:', 'blob:'],
          'font-src': ['self', 'data:'],
          'media-src': ['self', 'blob:'],
          'worker-src': ['self', 'blob:'],
          'frame-src': [...STRIPE.frames],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
      dynamicCompileOptions: ({ filename }) =>
        RUNES_SOURCES.some((dir) => filename.startsWith(dir)) ? { runes: true } : undefined,
    }),
  ],
  server: { port: WEB_PORT, strictPort: true },
  preview: { port: WEB_PORT, strictPort: true },
});
