// The launcher refuses a bad environment before it starts anything, with one line.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, [join(root, "node_modules", "tsx", "dist", "cli.mjs"), join(root, "scripts", "start.ts")], {
    cwd: root,
    env: { PATH: process.env.PATH, NODE_ENV: "test", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

describe("npm start", () => {
  it("stops with one line naming a malformed variable", () => {
    const result = start({ PORT: "eighty", WHARF_DATA_DIR: join(root, ".data", "test", "never-created") });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('[wharf] cannot start: Configuration error: PORT must be a port number; got "eighty".');
    expect(result.stdout).not.toContain("starting the embedded PostgreSQL");
  });

  it("stops with one line naming a missing Azure setting", () => {
    const result = start({ AZURE_TENANT_ID: "11111111-2222-4333-8444-555555555555" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^\[wharf\] cannot start: Configuration error: AZURE_CLIENT_ID must be a UUID .*; it is not set\.$/);
  });
});
