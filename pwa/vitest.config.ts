import { configDefaults, defineConfig } from "vitest/config";

// Unit tests (npm run check). The tests against a real server (*.server.test.ts) need one
// started for them: tests/e2e/test_tablet_properties.py runs them with vitest.server.config.ts.
export default defineConfig({
  test: { exclude: [...configDefaults.exclude, "**/*.server.test.ts"] },
});
