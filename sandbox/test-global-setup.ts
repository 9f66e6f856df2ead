// Vitest globalSetup: one sandbox for the whole run, in a throwaway data dir,
// found by tests (and lib/auth) through SANDBOX_ENDPOINTS_FILE. Its Kubernetes
// controller runs 20 times faster and Cost Management's QPU windows 60 times
// (a spent minute is a second, the hour a minute; SANDBOX_COST_QUOTA_SPEED=1
// gives Azure's, as bench/cost-sync.bench-run.ts wants).
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { startSandbox } from "./server";

export default async function setup(): Promise<() => Promise<void>> {
  const dataDir = resolve(".data", "test", `sandbox-${randomBytes(6).toString("hex")}`);
  const sandbox = await startSandbox({ controllerSpeed: 20, costQuotaSpeed: 60, dataDir, port: 0 });
  process.env.SANDBOX_ENDPOINTS_FILE = sandbox.endpointsFile;
  return async () => {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
