// Months whose stored allocation (decision 0035) is out of date because an
// input changed outside a sync or sample: a service handed to another team
// changes who takes the cost of Azure resources tagged with that service only.
// The change marks the current and previous month in its own transaction (an
// outbox row, so a mark is never lost nor made for a change that rolled back);
// the `cost.sample` job, every minute, re-allocates the marked months and
// clears the marks in one transaction (decision 0042). A change of the
// admin's allocation rule (decision 0058) marks every month that has a stored
// allocation, in the change's transaction; the refresh also re-splits the
// marked months' stored forecasts among groups, which follow the allocation.
import type { Prisma } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db/client";
import { refreshCostAllocation } from "./cost-allocation";
import { refreshForecastShares } from "./store-cost-forecast";
import { monthOf } from "./sync-plan";

type Db = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** Marks this month and the previous one (what syncs keep current) for re-allocation, in the caller's transaction. */
export async function markCostAllocationStale(db: Db, reason: string, now = new Date()): Promise<void> {
  const months = [monthOf(now, -1), monthOf(now)].map((month) => `${month}-01`);
  await db.$executeRaw`
    INSERT INTO "CostAllocationStale" ("month", "reason", "markedAt")
    SELECT m, ${reason}, ${now} FROM unnest(${months}::date[]) AS m
    ON CONFLICT ("month") DO UPDATE SET "reason" = EXCLUDED."reason", "markedAt" = EXCLUDED."markedAt"`;
}

/** Marks every month with a stored allocation for re-allocation, in the caller's transaction; the months marked, yyyy-mm. */
export async function markAllCostAllocationStale(db: Db, reason: string, now = new Date()): Promise<string[]> {
  const marked = await db.$queryRaw<{ month: string }[]>`
    INSERT INTO "CostAllocationStale" ("month", "reason", "markedAt")
    SELECT m, ${reason}, ${now} FROM (
      SELECT DISTINCT "month" AS m FROM "CostAllocationMonth"
      UNION SELECT DISTINCT date_trunc('month', "day")::date FROM "CostAllocationClusterDay"
    ) AS stored
    ON CONFLICT ("month") DO UPDATE SET "reason" = EXCLUDED."reason", "markedAt" = EXCLUDED."markedAt"
    RETURNING to_char("month", 'YYYY-MM') AS "month"`;
  return marked.map((row) => row.month).sort();
}

/**
 * Re-allocates every marked month and clears its mark, in one transaction: a refresh that fails leaves the marks for
 * the next run. The marks are taken after the allocation lock, so a change committed before this run is in its figures.
 */
export async function refreshStaleCostAllocation(): Promise<{ months: string[] }> {
  return getPrisma().$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('wharf:cost-allocation'))::text`;
      const marked = await tx.$queryRaw<{ month: string }[]>`
        DELETE FROM "CostAllocationStale" RETURNING to_char("month", 'YYYY-MM-DD') AS "month"`;
      const months = marked.map((row) => row.month).sort();
      for (const first of months) {
        const [year, month] = first.split("-").map(Number) as [number, number];
        const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
        await refreshCostAllocation(tx, { from: first, to: last });
        // Each group's part of a stored forecast is its share of the month's allocated cost (decision 0048).
        const scopes = await tx.$queryRaw<{ scope: string }[]>`SELECT "scope" FROM "CostForecast" WHERE "month" = ${first.slice(0, 7)}`;
        for (const { scope } of scopes) await refreshForecastShares(tx, scope, first.slice(0, 7));
      }
      return { months: months.map((month) => month.slice(0, 7)) };
    },
    { timeout: 300_000 },
  );
}
