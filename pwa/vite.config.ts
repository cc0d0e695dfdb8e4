import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// The Flask server serves dist/: index.html and sw.js uncached, dist/assets/* cached forever.
export default defineConfig({
  plugins: [
    preact(),
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      injectRegister: false, // registered in src/main.tsx, production builds only
      manifest: {
        name: "Trivsel",
        short_name: "Trivsel",
        description: "Trivselsmøder: tavlen, aftaler og referat – også uden net.",
        lang: "da",
        start_url: "/",
        scope: "/",
        display: "standalone",
        background_color: "#ffffff",
        theme_color: "#1f5f5b",
      },
      // Icons (192, 512, maskable, apple-touch, favicon) are generated from public/logo.svg.
      pwaAssets: { config: true, overrideManifestIcons: true },
      injectManifest: {
        // The web manifest is added by the plugin itself; listing it too makes two entries
        // with different revisions, and Workbox then refuses to install the worker.
        // The photo encoder's WebAssembly is precached too: photos are taken offline. The
        // codecs the tablet does not use (MozJPEG, hqx) are left out; see photos/encoding.ts.
        globPatterns: ["**/*.{js,css,html,png,svg,ico,wasm}"],
        globIgnores: ["**/mozjpeg_enc-*.wasm", "**/squooshhqx_bg-*.wasm", "**/jsquash_magic_kernel_bg-*.wasm"],
      },
    }),
  ],
  // The encoder's worker loads its codecs with dynamic imports, which needs module workers.
  worker: { format: "es" },
  // Squoosh's codecs find their .wasm beside them (new URL(..., import.meta.url)); Vite's
  // dependency pre-bundling would move the JS away from it.
  optimizeDeps: { exclude: ["@jsquash/webp", "@jsquash/jpeg", "@jsquash/resize"] },
  // The manifest maps src/photos/encoder.ts to its built file, so the legibility benchmark
  // can run the tablet's own encoder (bench/legibility.py).
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, manifest: true },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
