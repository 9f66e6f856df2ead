import { describe, expect, it } from "vitest";
import { sandboxClusters } from "../../clusters";
import { sandboxWorkspaces } from "../../workspaces";
import { generateBucket, type GenerationContext } from "./generate";
import { externalCall } from "./profile";
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
  crashing: unready,
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

describe("dependency calls' operations and result codes", () => {
  // The map's edge drill-down lists an edge's top failing operations and result codes: a declared dependency is called
  // with several operations (reads and writes), and a failure records one of its type's result codes, not a bare "1".
  it("spreads a declared SQL dependency over its operations, writes failing more, with SQL error numbers", () => {
    const caller = workload(0, "1.0.0");
    const sql = caller.dependencies.find((dependency) => dependency.kind === "sql")!;
    const declared = externalCall("wharf-sandbox", caller.roleName, sql);
    const context: GenerationContext = {
      seed: "wharf-sandbox",
      workspace: sandboxWorkspaces[0]!,
      workloads: [caller, workload(1, "1.0.0")],
      profiles: new Map(),
      instances: new Map(),
      // Failing often, so an hour holds enough failures to compare operations.
      calls: new Map([[sql, { ...declared, failure: 0.2 }]]),
      bases: new WeakMap(),
    };
    const rows = [];
    for (let minute = 60; minute > 0; minute--)
      rows.push(...generateBucket(context, now - minute * 60_000, 60_000, new Set(["AppDependencies"])).AppDependencies);
    const calls = rows.filter((row) => row.DependencyType === "SQL");
    const byName = new Map<string, { calls: number; failed: number }>();
    for (const row of calls) {
      const entry = byName.get(row.Name as string) ?? { calls: 0, failed: 0 };
      entry.calls += row.ItemCount as number;
      if (!row.Success) entry.failed += row.ItemCount as number;
      byName.set(row.Name as string, entry);
    }
    expect([...byName.keys()].sort()).toEqual(["INSERT sql_shop", "SELECT sql_shop", "UPDATE sql_shop"]);
    const rate = (name: string) => byName.get(name)!.failed / byName.get(name)!.calls;
    expect(rate("UPDATE sql_shop")).toBeGreaterThan(rate("SELECT sql_shop"));
    expect(new Set(calls.filter((row) => row.Success).map((row) => row.ResultCode))).toEqual(new Set(["0"]));
    const failureCodes = new Set(calls.filter((row) => !row.Success).map((row) => row.ResultCode));
    expect(failureCodes.size).toBeGreaterThan(1);
    for (const code of failureCodes) expect(["-2", "1205", "40613"]).toContain(code);
    // Calls to another role carry the callee's operation and its answer.
    const http = rows.filter((row) => row.DependencyType === "Http" && row.Target === "svc-1");
    expect(http.length).toBeGreaterThan(0);
    for (const row of http) expect(row.Name).toMatch(/^(GET|POST|DELETE) \/api\//);
    for (const row of http) expect(["200", "201", "500", "503"]).toContain(row.ResultCode);
  });
});

describe("calls to a role with a crash-looping pod", () => {
  // The application map's end-to-end test deploys tag `crash` to one service: its new pod crash-loops beside the
  // ready ones, takes its share of the calls routed to the role and drops them, so the callers' edges into it fail
  // by that share from the minute it starts (not by whole weighted rows, which left a few minutes' edge green).
  it("fail by the crash-looping share, on the callers' dependencies and the callee's requests", () => {
    const callee = { ...workload(1, "crash", 0.25), unreadySince: now - 60 * 60_000 };
    const context: GenerationContext = {
      seed: "wharf-sandbox",
      workspace: sandboxWorkspaces[0]!,
      workloads: [workload(0, "1.0.0"), callee],
      profiles: new Map(),
      instances: new Map(),
      calls: new Map(),
      bases: new WeakMap(),
    };
    const failedShare = (rows: Record<string, unknown>[]) =>
      rows.filter((row) => !row.Success).reduce((sum, row) => sum + (row.ItemCount as number), 0) /
      rows.reduce((sum, row) => sum + (row.ItemCount as number), 0);
    for (const minute of [1, 2, 3]) {
      const rows = generateBucket(context, now - minute * 60_000, 60_000, new Set(["AppDependencies", "AppRequests"]));
      const edge = rows.AppDependencies.filter((row) => row.AppRoleName === "Shop.Svc0" && row.Target === "svc-1");
      expect(edge.length).toBeGreaterThan(0);
      // Every minute on its own: a quarter of the calls, give or take the rounding of each row's weight.
      expect(failedShare(edge)).toBeGreaterThan(0.18);
      expect(failedShare(edge)).toBeLessThan(0.4);
      const answered = rows.AppRequests.filter((row) => row.AppRoleName === "Shop.Svc1" && row.ParentId !== "");
      expect(failedShare(answered)).toBeCloseTo(failedShare(edge), 5);
      expect(edge.filter((row) => !row.Success).every((row) => row.ResultCode === "503")).toBe(true);
    }
    // The same role with every pod ready: its callers' calls succeed as usual.
    const healthy: GenerationContext = {
      seed: "wharf-sandbox",
      workspace: sandboxWorkspaces[0]!,
      workloads: [workload(0, "1.0.0"), workload(1, "1.0.0")],
      profiles: new Map(),
      instances: new Map(),
      calls: new Map(),
      bases: new WeakMap(),
    };
    const rows = generateBucket(healthy, now - 60_000, 60_000, new Set(["AppDependencies"]));
    expect(failedShare(rows.AppDependencies.filter((row) => row.Target === "svc-1"))).toBeLessThan(0.05);
  });
});
