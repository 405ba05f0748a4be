import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // e2e tests run the compiled bot, as `npm start` does: build it first when the sources changed
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // e2e tests start real processes; two cores, so keep files from piling up
    maxWorkers: 2,
  },
});
