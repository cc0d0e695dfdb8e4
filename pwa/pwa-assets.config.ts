import { defineConfig, minimal2023Preset } from "@vite-pwa/assets-generator/config";

// The app's icons are made by the build from public/logo.svg (vite-plugin-pwa's pwaAssets).
export default defineConfig({
  preset: minimal2023Preset,
  images: ["public/logo.svg"],
});
