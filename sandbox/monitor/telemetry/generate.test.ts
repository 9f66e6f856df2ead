import { describe, expect, it } from "vitest";
import { sandboxClusters } from "../../clusters";
import { sandboxWorkspaces } from "../../workspaces";
import { generateBucket, type GenerationContext } from "./generate";
import type { Workload } from "./workloads";

const now = Date.parse("2026-12-04T12:00:00Z");
const workload = (i: number, tag: string, unready = 0): Workload => ({
  cluster: sandboxClusters[0]!,
  namespace: "shop",
  name: `svc-${i}`,
  service: `svc-${i}`,
  roleName: `Shop.Svc${i}`,
  dependencies:
    i === 0
      ? [
          { kind: "service", target: "svc-1" },
          { kind: "sql", target: "sql-shop" },
        ]
      : [],
  replicas: 2,
  revisions: [{ since: now - 3_600_000, replicaSet: `svc-${i}-abc`, tag }],
  unready,
  down: false,
  ...(unready > 0 && { unreadySince: now - 600_000, waitingReason: "CrashLoopBackOff" }),
});

describe("generateBucket with one table", () => {
  // The health query scans AppRequests and AppAvailabilityResults; building every table for each scan made the
  // sandbox take ~10 s per scan at 1,333 roles and 20 minutes (bench/health.ts). One table alone must be the same rows.
  it("gives exactly that table's rows of the full bucket", () => {
    const context: GenerationContext = {
      seed: "wharf-sandbox",
      workspace: sandboxWorkspaces[0]!,
      workloads: [workload(0, "1.0.0"), workload(1, "errors"), workload(2, "1.0.0", 0.5)],
      profiles: new Map(),
      instances: new Map(),
      calls: new Map(),
      bases: new WeakMap(),
    };
    const start = now - 5 * 60_000; // an availability run falls in it
    const everyTable = new Set(["AppRequests", "AppDependencies", "AppExceptions", "AppAvailabilityResults"] as const);
    const full = generateBucket(context, start, 5 * 60_000, everyTable);
    for (const table of ["AppRequests", "AppDependencies", "AppExceptions", "AppAvailabilityResults"] as const) {
      expect(full[table].length).toBeGreaterThan(0);
      const alone = generateBucket(
        { ...context, profiles: new Map(), instances: new Map(), calls: new Map(), bases: new WeakMap() },
        start,
        5 * 60_000,
        new Set([table]),
      );
      expect(alone[table]).toEqual(full[table]);
      for (const other of Object.keys(alone) as (keyof typeof alone)[]) if (other !== table) expect(alone[other]).toEqual([]);
    }
  });
});
