// The sandbox KQL evaluator on the per-role health query (research §2.4) over
// 2,000 roles and one hour of aggregated AppRequests rows: one row per role,
// minute and outcome (success / failure) with an ItemCount weight and a spread
// of durations — 240,000 rows. Prints rows, wall time p50/max and heap.
// Asserts nothing.
//
//   npx tsx bench/kql.ts [--roles 2000] [--runs 5]
import { availableParallelism, loadavg } from "node:os";
import { runKql } from "../sandbox/monitor/kql/evaluate";
import type { KqlRow, KqlTableSource } from "../sandbox/monitor/kql/types";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const roles = option("roles", 2000);
const runs = option("runs", 5);
const now = new Date("2026-12-04T12:00:00Z");
const range = { start: new Date(now.getTime() - 3_600_000), end: now };

const healthQuery = `
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

/** Deterministic pseudo-random numbers (mulberry32), so every run sees the same rows. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows made lazily, as the sandbox's telemetry makes them: nothing is kept between queries. */
function* requests(): Generator<KqlRow> {
  const next = random(42);
  const start = range.start.getTime();
  for (let minute = 0; minute < 60; minute++) {
    const time = new Date(start + minute * 60_000 + 30_000);
    for (let r = 0; r < roles; r++) {
      const role = `team-${r % 97}.service-${r}`;
      for (const success of [true, false]) {
        const weight = success ? 1 + Math.floor(next() * 40) : Math.floor(next() * 3) + 1;
        yield {
          TenantId: "00000000-0000-0000-0000-000000000001",
          TimeGenerated: time,
          OperationName: "GET /api/items",
          OperationId: `op-${minute}-${r}`,
          ParentId: "",
          Id: `req-${minute}-${r}-${success ? 1 : 0}`,
          Name: "GET /api/items",
          Url: `https://${role}.example/api/items`,
          Success: success,
          ResultCode: success ? "200" : "500",
          DurationMs: success ? 20 + next() * 180 : 200 + next() * 2800,
          ItemCount: weight,
          AppRoleName: role,
          AppRoleInstance: `${role}-${Math.floor(next() * 3)}`,
          SDKVersion: "otel:1.0",
          Type: "AppRequests",
          Properties: {},
        };
      }
    }
  }
}

function* exceptions(): Generator<KqlRow> {
  const start = range.start.getTime();
  for (let r = 0; r < roles; r += 5) {
    yield { TimeGenerated: new Date(start + 600_000), AppRoleName: `team-${r % 97}.service-${r}`, ItemCount: 2, ExceptionType: "System.Exception" };
  }
}

const source: KqlTableSource = {
  rows: (table) => (table === "AppRequests" ? requests() : table === "AppExceptions" ? exceptions() : []),
};

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const generateStarted = performance.now();
let generated = 0;
for (const _ of requests()) generated++;
const generateMs = performance.now() - generateStarted;

const loadStarted = performance.now();
runKql("AppRequests | take 0", { rows: () => [] }, { now, range });
const loadMs = performance.now() - loadStarted;

const times: number[] = [];
const cpuTimes: number[] = [];
let resultRows = 0;
let peakHeap = 0;
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const [table] = runKql(healthQuery, source, { now, range });
  times.push(performance.now() - started);
  const cpu = process.cpuUsage(cpuStarted);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  resultRows = table?.rows.length ?? 0;
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);

console.log(`source rows: ${generated} AppRequests (${roles} roles × 60 min × 2 outcomes); making them alone: ${generateMs.toFixed(0)} ms`);
console.log(`parser load (first query): ${loadMs.toFixed(0)} ms`);
console.log(
  `health query: ${resultRows} result rows; wall time over ${runs} runs p50 ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms, max ${times[times.length - 1]!.toFixed(0)} ms (row generation included)`,
);
// CPU time is steadier than wall time on a machine shared with other work (it includes GC threads).
console.log(
  `health query CPU time p50 ${cpuTimes[Math.floor(cpuTimes.length / 2)]!.toFixed(0)} ms, max ${cpuTimes[cpuTimes.length - 1]!.toFixed(0)} ms; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
);
console.log(`heap used after a run (peak seen): ${mb(peakHeap)}; rss ${mb(process.memoryUsage().rss)}`);
const worst = times[times.length - 1]!;
console.log(`target < 2 s for the health query over ${roles} roles and 1 h: ${worst < 2000 ? "met" : "NOT met"} (worst ${(worst / 1000).toFixed(2)} s)`);
console.log("Wharf's own health and map queries over the sandbox's telemetry: npx tsx bench/sandbox-logs.ts [--query map]");
