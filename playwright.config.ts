import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium where it is installed (Playwright cannot download its own
// browser on the build machines); WHARF_CHROMIUM_PATH chooses another, and
// WHARF_CHROMIUM_PATH=playwright uses Playwright's own.
const chromium = process.env.WHARF_CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : "playwright");
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium === "playwright" ? undefined : chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    // A fresh data folder and build per run: its own database and sandbox, never a developer's, and the code as it is now.
    command: "rm -rf .data/e2e && node --import tsx scripts/start.ts --rebuild",
    url: `http://localhost:${port}/api/readyz`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    // Health polls every 5 s instead of 60 so a deploy's health shows within a cycle (e2e/health-live.spec.ts).
    env: {
      PORT: String(port),
      WHARF_DATA_DIR: ".data/e2e",
      WHARF_MODE: "sandbox",
      LOG_LEVEL: "warn",
      DATABASE_URL: "",
      WHARF_HEALTH_POLL_SECONDS: process.env.WHARF_E2E_HEALTH_POLL_SECONDS ?? "5",
      // The specs make the namespaces and deployments they read; the demo estate's would change their counts.
      WHARF_DEMO_ESTATE: "off",
    },
  },
});
