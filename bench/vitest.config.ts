// Benchmarks that need the test setup (an embedded PostgreSQL and the sandbox) and call use cases or route
// handlers in process: `npx vitest run --config bench/vitest.config.ts bench/<name>.bench-run.ts`. They print figures
// and assert nothing.
import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";
import base from "../vitest.config";

export default mergeConfig(
  base,
  defineConfig({
    root: fileURLToPath(new URL("..", import.meta.url)),
    test: { include: ["bench/**/*.bench-run.ts"], testTimeout: 600_000 },
  }),
);
