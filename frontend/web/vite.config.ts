import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The app is built into the frontend's static files (frontend/wwwroot), which Kestrel serves with an
// index.html fallback for client-side routes. `npm run dev` proxies the API to a running platform.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "../wwwroot", emptyOutDir: true, chunkSizeWarningLimit: 700 },
  server: {
    proxy: {
      "/api": "http://localhost:5080",
      "/graphql": "http://localhost:5080",
      // The OAuth endpoints, not /oauth/consent: that is a page of this app.
      "^/oauth/(authorize|token)": "http://localhost:5080",
      "/hubs": { target: "http://localhost:5080", ws: true },
    },
  },
  test: { environment: "happy-dom", include: ["src/**/*.test.{ts,tsx}"] },
});
