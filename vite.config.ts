import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The web application: built from src/web into dist/web, served by `vorder serve` (src/http/static.ts).
// `npx vite` (dev) proxies /api to a running `vorder serve` on VORDER_API (default http://127.0.0.1:3000).
export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks: {
          react: ['react', 'react-dom', 'react-router'],
          mantine: ['@mantine/core', '@mantine/hooks'],
          charts: ['recharts'],
        },
      },
    },
  },
  server: { proxy: { '/api': process.env.VORDER_API ?? 'http://127.0.0.1:3000' } },
});
