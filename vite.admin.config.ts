// Builds the admin console (admin/src, Lit) into admin/dist; the server serves it at /admin with a
// strict CSP, so the build must not emit inline scripts or styles.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./admin', import.meta.url)),
  base: '/admin/',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The preload polyfill is an inline script, which the console's CSP (script-src 'self') refuses.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs into scripts or styles; serve them as files.
    assetsInlineLimit: 0,
  },
});
