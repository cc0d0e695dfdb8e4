import { defineConfig } from "vitest/config";

// The real client against a real server (started by tests/e2e/test_tablet_properties.py,
// which passes its address in TRIVSEL_TEST_SERVER). One file at a time: they share it.
export default defineConfig({
  test: {
    include: ["src/**/*.server.test.ts"],
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 60_000,
  },
});
