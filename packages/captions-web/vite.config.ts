import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The page is served by the gateway at / and /live/:sessionId, its files under /assets/.
export default defineConfig({
  base: '/',
  resolve: {
    // The SDK names Node's `ws` for Node; a page uses its own WebSocket (browserSocket) instead.
    alias: { ws: fileURLToPath(new URL('./src/shims/ws.ts', import.meta.url)) },
  },
  // Nothing inlined as data: URLs: the page's Content-Security-Policy allows its own files only.
  build: { outDir: 'dist', assetsDir: 'assets', emptyOutDir: true, sourcemap: true, assetsInlineLimit: 0 },
});
