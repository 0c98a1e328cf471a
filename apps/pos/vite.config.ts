import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The till is served by the API server at /pos/ (apps/server/src/platform/http/web-apps.ts). The service worker
// is generated at build time by Workbox (no network fetch): it precaches the app shell so a till whose network
// is down still opens. API calls are never cached by it: the till's own IndexedDB store is the offline data.
export default defineConfig({
  base: '/pos/',
  plugins: [
    react(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'NovaPOS till',
        short_name: 'NovaPOS',
        description: 'The NovaPOS cashier app',
        start_url: '/pos/',
        scope: '/pos/',
        display: 'standalone',
        background_color: '#f4f1ea',
        theme_color: '#0f3d3e',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        navigateFallback: '/pos/index.html',
        navigateFallbackAllowlist: [/^\/pos\//],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
