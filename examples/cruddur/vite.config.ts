import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app's settings (pool, client, Cognate and API addresses) come from
// VITE_* environment variables, which scripts/dev.ts sets for you.
export default defineConfig({
  plugins: [react()],
  server: { port: 3000, strictPort: true },
  preview: { port: 3000, strictPort: true },
});
