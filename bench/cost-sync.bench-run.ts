// One cost sync against the sandbox's Cost Management through the real @azure/arm-costmanagement client (issue 14's
// figure: the requests of a sync printed against the plan, 429s, wall time): the first sync of the sandbox's
// subscription (its 3 clusters, 3 months backfilled: 3 × 2 queries and 1 Forecast API request), then a forced one
// (this month and last: 2 × 2 + 1). Counts what the client sent: first pages (the plan's "queries", forecasts among
// them), nextLink pages, 429s. Asserts nothing (lib/costs/sync-costs.test.ts holds queries = plan). The test setup's
// sandbox runs its QPU windows 60 times faster (decision 0071): SANDBOX_COST_QUOTA_SPEED=1 gives Azure's, for a wall
// time that means something.
//
//   SANDBOX_COST_QUOTA_SPEED=1 npx vitest run --config bench/vitest.config.ts bench/cost-sync.bench-run.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { it } from "vitest";
import { loadConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { observeCostRequests } from "@/lib/azure/costs";
import { scopeOf, syncCosts, type SyncCostsOptions } from "@/lib/costs/sync-costs";

async function measure(label: string, options: SyncCostsOptions) {
  const sent = { queries: 0, forecasts: 0, pages: 0, throttled: 0, failed: 0 };
  const stop = observeCostRequests((r) => {
    if (r.status === 429) sent.throttled += 1;
    else if (r.status >= 400 || r.status === 0) sent.failed += 1;
    else if (r.page) sent.pages += 1;
    else if (/\/forecast\?/i.test(r.url)) sent.forecasts += 1;
    else sent.queries += 1;
  });
  const started = performance.now();
  try {
    const summary = await syncCosts(options);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${label}: planned ${summary.plannedQueries}; sent ${sent.queries + sent.forecasts} (${sent.queries} queries + ${sent.forecasts} forecasts), ` +
        `${sent.pages} nextLink pages, ${sent.throttled} × 429, ${sent.failed} failed; ${summary.scopes.map((s) => `${s.scope} ${s.status}, forecast ${s.forecast}`).join("; ")}; ` +
        `${seconds.toFixed(1)} s`,
    );
  } finally {
    stop();
  }
}

it("prints the requests of a first and a forced cost sync against the plan", async () => {
  const config = loadConfig({ SANDBOX_ENDPOINTS_FILE: process.env.SANDBOX_ENDPOINTS_FILE, WHARF_DATA_DIR: mkdtempSync(join(tmpdir(), "wharf-bench-sync-")) });
  await getPrisma().costSyncState.deleteMany({ where: { scope: { in: config.azure.subscriptionIds.map(scopeOf) } } });
  const speed = config.azure.costQuotaSpeed ?? 1;
  console.log(`QPU windows: ${speed === 1 ? "Azure's (10 s, 1 min, 1 h)" : `${speed} times faster than Azure's (SANDBOX_COST_QUOTA_SPEED=1 for Azure's)`}`);
  await measure("first sync (3 months)", { config });
  await measure("forced sync (2 months)", { config, force: true });
});
