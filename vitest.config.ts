import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // "server-only" throws outside React Server Components; tests import those modules directly.
      "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: ["{lib,sandbox,scripts,app,components,prisma,deploy}/**/*.test.ts"],
    environment: "node",
    // Integration tests share one embedded PostgreSQL and one sandbox, started once.
    globalSetup: ["./lib/db/test-global-setup.ts", "./sandbox/test-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
