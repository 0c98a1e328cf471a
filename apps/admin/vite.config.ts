import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The back office is served by the API server at /admin/ (apps/server/src/platform/http/web-apps.ts), on the same
// origin as the API, so it calls /v1 directly. `npm run dev --workspace apps/admin` proxies /v1 to a local server.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
