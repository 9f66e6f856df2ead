// The three queries of the research notes (§2.3 map edges, §2.4 per-role
// health and availability) over the fixtures, with the expected figures worked
// out by hand in the comments.
import { describe, expect, it } from "vitest";
import { run } from "./test-fixtures";

const edges = `
let start = ago(1h);
let deps = AppDependencies
    | where TimeGenerated > start
    | where DependencyType != "InProc"
    | project DepId = Id, OperationId, CallerRole = AppRoleName, DependencyType,
              Target = trim_end(@"\\s*\\|\\s*cid-v1:.*", Target),
              Success, DurationMs, ItemCount;
let callees = AppRequests
    | where TimeGenerated > start
    | where isnotempty(ParentId)
    | distinct OperationId, ParentId, CalleeRole = AppRoleName;
deps
| join kind=leftouter callees on OperationId, $left.DepId == $right.ParentId
| extend Callee = iff(isnotempty(CalleeRole), CalleeRole, strcat(DependencyType, ":", Target)),
         CalleeKind = iff(isnotempty(CalleeRole), "component", "external")
| summarize Calls = sum(ItemCount),
            FailedCalls = sumif(ItemCount, Success == false),
            AvgMs = sum(DurationMs * ItemCount) / sum(ItemCount),
            P95Ms = percentilew(DurationMs, ItemCount, 95)
          by CallerRole, Callee, CalleeKind, DependencyType
| extend FailedPct = round(100.0 * FailedCalls / Calls, 2), AvgMs = round(AvgMs, 1), P95Ms = round(P95Ms, 1)
| order by Calls desc`;

const health = `
let window = 1h;
AppRequests
| where TimeGenerated > ago(window)
| summarize Requests = sum(ItemCount),
            Failed = sumif(ItemCount, Success == false),
            AvgMs = sum(DurationMs * ItemCount) / sum(ItemCount),
            P95Ms = percentilew(DurationMs, ItemCount, 95),
            Instances = dcount(AppRoleInstance)
          by AppRoleName
| extend FailureRatePct = round(100.0 * Failed / Requests, 2), AvgMs = round(AvgMs, 1), P95Ms = round(P95Ms, 1)
| join kind=leftouter (
    AppExceptions
    | where TimeGenerated > ago(window)
    | summarize Exceptions = sum(ItemCount) by AppRoleName
  ) on AppRoleName
| project AppRoleName, Requests, Failed, FailureRatePct, AvgMs, P95Ms, Instances, Exceptions = coalesce(Exceptions, 0)
| order by Requests desc`;

const availability = `
AppAvailabilityResults
| where TimeGenerated > ago(1h)
| summarize Runs = sum(ItemCount), Passed = sumif(ItemCount, Success == true),
            AvgMs = avg(DurationMs), LastRun = max(TimeGenerated)
          by Name, Location
| extend AvailabilityPct = round(100.0 * Passed / Runs, 2)
| order by AvailabilityPct asc`;

describe("the research queries over the fixtures", () => {
  it("map edges: callers matched to callees by parent id, external targets by type and trimmed target", () => {
    const result = run(edges);
    expect(result.columns).toEqual([
      { name: "CallerRole", type: "string" },
      { name: "Callee", type: "string" },
      { name: "CalleeKind", type: "string" },
      { name: "DependencyType", type: "string" },
      { name: "Calls", type: "long" },
      { name: "FailedCalls", type: "long" },
      { name: "AvgMs", type: "real" },
      { name: "P95Ms", type: "real" },
      { name: "FailedPct", type: "real" },
    ]);
    expect(result.rows).toEqual([
      // d4: 4 calls, none failed, 10 ms.
      ["web", "SQL:sqlsrv", "external", "SQL", 4, 0, 10, 10, 0],
      // d2 (1 call, 60 ms) and d3 (2 failed calls, 80 ms; " | cid-v1:abc" trimmed) both reach api's requests r3, r4:
      // avg (60 + 160) / 3 = 73.3, weighted p95 of {60×1, 80×2} = 80, 2 of 3 failed = 66.67 %.
      ["web", "api", "component", "HTTP", 3, 2, 73.3, 80, 66.67],
      // d5: one failed Redis call; d6 (InProc) and d9 (before the hour) are left out.
      ["api", "Redis:cache", "external", "Redis", 1, 1, 5, 5, 100],
    ]);
  });

  it("per-role health: ItemCount-weighted counts, average and p95, instances and exceptions", () => {
    const result = run(health);
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "AppRoleName:string",
      "Requests:long",
      "Failed:long",
      "FailureRatePct:real",
      "AvgMs:real",
      "P95Ms:real",
      "Instances:long",
      "Exceptions:long",
    ]);
    expect(result.rows).toEqual([
      // r3 (50 ms × 1) and r4 (70 ms × 3); r5 is before the hour. Avg (50 + 210) / 4 = 65; p95 of {50×1, 70×3} = 70; api's exception is before the hour.
      ["api", 4, 0, 0, 65, 70, 1, 0],
      // r1 (100 ms × 2, w1) and r2 (300 ms × 1, failed, w2): avg 500 / 3 = 166.7, p95 300, 1 of 3 failed; exceptions 3 + 1.
      ["web", 3, 1, 33.33, 166.7, 300, 2, 4],
      ["worker", 1, 0, 0, 20, 20, 1, 0],
    ]);
  });

  it("availability by test and location", () => {
    const result = run(availability);
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "Name:string",
      "Location:string",
      "Runs:long",
      "Passed:long",
      "AvgMs:real",
      "LastRun:datetime",
      "AvailabilityPct:real",
    ]);
    expect(result.rows).toEqual([
      ["home", "West Europe", 2, 1, 300, "2026-01-01T11:10:00Z", 50],
      ["home", "East US", 2, 2, 200, "2026-01-01T11:20:00Z", 100],
    ]);
  });
});
