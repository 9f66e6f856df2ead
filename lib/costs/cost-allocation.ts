// The stored allocation (decision 0035). Allocating per read cost 315–1,552 ms
// p95 at 500 namespaces × 90 days (bench/costs.ts), so the allocation is
// computed when its inputs change — a sync storing a month of Cost Management
// rows, a sample adding to today's resource-hours — and stored per day,
// grouping and group with the team each figure belongs to. A read sums stored
// cents. Every day's allocation depends on that day's rows and samples only,
// so storing days and reading a range gives the figures allocating the range
// would, to the cent (cost-allocation.test.ts holds the two together).
//
// A refresh replaces its days in the caller's transaction (the sync's, with
// the rows it stores), after taking one advisory lock, so refreshes never
// interleave and a reader sees the old days or the new, never half of them.
// Each refresh also rebuilds the per-month sums of the months it touches
// (`CostAllocationMonth`, decision 0042), which reads take: 90 days by
// namespace summed from ~45,000 day cells was 150–170 ms p95; from ~2,000
// month rows it is a fraction of that.
import type { Prisma } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db/client";
import { allocationNotes, type AllocationRule, type ClusterDay, type ResourceHours, type SharingRule } from "./allocate";
import type { ServiceShare, TaggedCost } from "./attribute";
import { belongsToCluster } from "./cluster-bill";
import { readAllocationRule } from "./allocation-rule";
import {
  buildCostReport,
  costGroupings,
  daysBetween,
  type ApartLine,
  type CostCell,
  type CostGrouping,
  type CostReport,
  type ReportCluster,
} from "./cost-report";

type Db = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** The node resource group ARM reported at the last discovery, else AKS's default name (a cluster not discovered since 2026-12). */
export const nodeResourceGroupOf = (cluster: { resourceGroup: string; name: string; location: string; nodeResourceGroup?: string | null }) =>
  cluster.nodeResourceGroup || `MC_${cluster.resourceGroup}_${cluster.name}_${cluster.location}`;

const key3 = (...parts: string[]) => parts.join("\u0000");

export interface AllocationData {
  rows: { day: string; resourceId: string; resourceGroup: string; team: string | null; service: string | null; costMinor: number; currency: string }[];
  clusters: { id: string; armId: string; name: string; resourceGroup: string; location: string; nodeResourceGroup: string | null }[];
  samples: { clusterId: string; namespace: string; day: string; team: string | null; cpu: number; memory: number; seconds: number }[];
  /** Allocatable hours of each cluster's nodes per day, over the seconds sampled. */
  capacity: { clusterId: string; day: string; cpu: number; memory: number; seconds: number }[];
  serviceHours: { clusterId: string; namespace: string; service: string; day: string; weight: number }[];
  services: { slug: string; ownerTeam: string }[];
  /** The admin's rule for idle and system cost (decision 0058), read with the rest. */
  rule: AllocationRule;
}

/**
 * Everything the allocation of days `from`..`to` reads: Cost Management rows, clusters, namespace (and, when asked,
 * service) resource-hours, services' owners. Raw reads with days as text: tens of thousands of rows, and Prisma's row
 * objects and Date conversions were most of the time (bench/costs.ts).
 */
export async function loadAllocationData(db: Db, range: { from: string; to: string }, withServices = true): Promise<AllocationData> {
  const [rows, clusters, samples, serviceHours, services, capacity, stored] = await Promise.all([
    db.$queryRaw<AllocationData["rows"]>`
      SELECT to_char("date", 'YYYY-MM-DD') AS "day", "resourceId", "resourceGroup", "team", "service", "costMinor"::float8 AS "costMinor", "currency"
      FROM "CostRow" WHERE "date" BETWEEN ${range.from}::date AND ${range.to}::date`,
    // By name (then id): the order of the clusters' notes.
    db.$queryRaw<AllocationData["clusters"]>`
      SELECT "id"::text AS "id", "armId", "name", "resourceGroup", "location", "nodeResourceGroup" FROM "Cluster" ORDER BY "name", "id"`,
    db.$queryRaw<AllocationData["samples"]>`
      SELECT h."clusterId"::text AS "clusterId", h."namespace", to_char(h."day", 'YYYY-MM-DD') AS "day", t."slug" AS "team",
             h."cpuCoreHours" AS "cpu", h."memoryGiBHours" AS "memory", h."sampledSeconds" AS "seconds"
      FROM "NamespaceResourceHours" h LEFT JOIN "Team" t ON t."id" = h."teamId"
      WHERE h."day" BETWEEN ${range.from}::date AND ${range.to}::date`,
    withServices
      ? db.$queryRaw<AllocationData["serviceHours"]>`
          SELECT "clusterId"::text AS "clusterId", "namespace", "service", to_char("day", 'YYYY-MM-DD') AS "day", "cpuCoreHours" + "memoryGiBHours" AS "weight"
          FROM "ServiceResourceHours" WHERE "day" BETWEEN ${range.from}::date AND ${range.to}::date`
      : Promise.resolve([]),
    db.$queryRaw<AllocationData["services"]>`
      SELECT s."slug", t."slug" AS "ownerTeam" FROM "Service" s JOIN "Team" t ON t."id" = s."ownerTeamId"`,
    db.$queryRaw<AllocationData["capacity"]>`
      SELECT "clusterId"::text AS "clusterId", to_char("day", 'YYYY-MM-DD') AS "day", "cpuCoreHours" AS "cpu", "memoryGiBHours" AS "memory",
             "sampledSeconds" AS "seconds"
      FROM "ClusterCapacityHours" WHERE "day" BETWEEN ${range.from}::date AND ${range.to}::date`,
    readAllocationRule(db),
  ]);
  return { rows, clusters, samples, serviceHours, services, capacity, rule: stored.rule };
}

/** The currencies of the loaded rows, sorted: each is allocated on its own. */
export const currenciesOf = (data: Pick<AllocationData, "rows">) => [...new Set(data.rows.map((row) => row.currency))].sort();

/** The allocation of the loaded days in one currency and grouping, as `buildCostReport` makes it. */
export function allocateLoaded(data: AllocationData, currency: string, groupBy: CostGrouping): CostReport {
  const identities = data.clusters.map((cluster) => ({ cluster, identity: { resourceId: cluster.armId, nodeResourceGroup: nodeResourceGroupOf(cluster) } }));
  const bills = new Map<string, Map<string, number>>();
  const resources: TaggedCost[] = [];
  for (const row of data.rows) {
    if (row.currency !== currency) continue;
    const owner = identities.find(({ identity }) => belongsToCluster(row, identity));
    if (!owner) {
      resources.push({ day: row.day, cents: row.costMinor, team: row.team ?? undefined, service: row.service ?? undefined });
      continue;
    }
    const byDay = bills.get(owner.cluster.id) ?? new Map<string, number>();
    byDay.set(row.day, (byDay.get(row.day) ?? 0) + row.costMinor);
    bills.set(owner.cluster.id, byDay);
  }
  const requests = new Map<string, Map<string, Record<string, ResourceHours>>>();
  /** The longest a namespace of the cluster was sampled that day: what its capacity must cover. */
  const sampledSeconds = new Map<string, number>();
  // A namespace's team per day, as that day's sample copied it: each day's allocation depends on that day alone, so
  // stored days add up to what allocating any range gives (Wharf never moves a namespace to another team).
  const namespaceTeams = new Map<string, string>();
  for (const sample of data.samples) {
    let byDay = requests.get(sample.clusterId);
    if (!byDay) requests.set(sample.clusterId, (byDay = new Map()));
    let byNamespace = byDay.get(sample.day);
    if (!byNamespace) byDay.set(sample.day, (byNamespace = {}));
    byNamespace[sample.namespace] = { cpuCoreHours: sample.cpu, memoryGiBHours: sample.memory };
    const k = `${sample.clusterId}\u0000${sample.day}`;
    sampledSeconds.set(k, Math.max(sampledSeconds.get(k) ?? 0, sample.seconds));
    if (sample.team) namespaceTeams.set(key3(sample.clusterId, sample.namespace, sample.day), sample.team);
  }
  const shares = new Map<string, ServiceShare[]>();
  for (const hours of data.serviceHours) {
    const k = key3(hours.clusterId, hours.namespace, hours.day);
    const list = shares.get(k) ?? [];
    list.push({ service: hours.service, weight: hours.weight });
    shares.set(k, list);
  }
  // Capacity over the seconds the requests cover (decision 0056): capacity sampled for part of a day (the reconcile
  // could not reach the nodes for a while, or sampling began that day) is scaled to the namespaces' longest sampled
  // time, so a share is requests ÷ capacity over the same time. A day without capacity samples has none: its shares
  // are of the sum of requests and its notes say so.
  const capacities = new Map<string, ResourceHours>();
  for (const row of data.capacity) {
    const k = `${row.clusterId}\u0000${row.day}`;
    const scale = row.seconds > 0 ? (sampledSeconds.get(k) ?? row.seconds) / row.seconds : 0;
    capacities.set(k, { cpuCoreHours: row.cpu * scale, memoryGiBHours: row.memory * scale });
  }
  const clusters: ReportCluster[] = data.clusters.flatMap((cluster) => {
    const byDay = bills.get(cluster.id);
    if (!byDay) return [];
    const days: ClusterDay[] = [...byDay].map(([day, billedCents]) => ({
      day,
      billedCents,
      capacity: capacities.get(`${cluster.id}\u0000${day}`) ?? { cpuCoreHours: 0, memoryGiBHours: 0 },
      capacitySampled: capacities.has(`${cluster.id}\u0000${day}`),
      requests: requests.get(cluster.id)?.get(day) ?? {},
    }));
    return [{ id: cluster.id, name: cluster.name, days }];
  });
  const serviceOwner = new Map(data.services.map((service) => [service.slug, service.ownerTeam]));
  return buildCostReport({
    groupBy,
    clusters,
    resources,
    namespaceTeam: (clusterId, namespace, day) => namespaceTeams.get(key3(clusterId, namespace, day)),
    serviceShares: (clusterId, namespace, day) => shares.get(key3(clusterId, namespace, day)) ?? [],
    serviceTeam: (service) => serviceOwner.get(service),
    rule: data.rule,
  });
}

/** The notes of clusters' days (those from `from` on) under `rule`, each cluster in the order given. */
export function clusterNotes(clusterDays: CostReport["clusterDays"], from: string, rule: AllocationRule): string[] {
  const byCluster = new Map<string, { name: string; days: CostReport["clusterDays"] }>();
  for (const day of clusterDays) {
    if (day.day < from) continue;
    const entry = byCluster.get(day.clusterId) ?? { name: day.cluster, days: [] };
    entry.days.push(day);
    byCluster.set(day.clusterId, entry);
  }
  return [...byCluster.values()].flatMap((cluster) => allocationNotes(cluster.name, cluster.days, rule));
}

const stateId = 1;
/** Rows per INSERT: a quarter of 500 namespaces is ~120,000 cells; a few statements, not one huge parameter array. */
const chunk = 20_000;

/**
 * Replaces the stored allocation of days `from`..`to` (inclusive, YYYY-MM-DD) with what the rows and samples now say,
 * inside `db`'s transaction, under the admin's rule as stored (read after the lock, decision 0058). Call it in the
 * transaction that changed them.
 */
export async function refreshCostAllocation(db: Db, range: { from: string; to: string }): Promise<{ cells: number }> {
  // One refresh at a time (a sync and a sample in two workers): each reads after the other committed.
  await db.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('wharf:cost-allocation'))::text`;
  const data = await loadAllocationData(db, range);
  const cells: (CostCell & { grouping: CostGrouping; currency: string })[] = [];
  const clusterDays: (CostReport["clusterDays"][number] & { currency: string })[] = [];
  for (const currency of currenciesOf(data)) {
    for (const grouping of costGroupings) {
      const report = allocateLoaded(data, currency, grouping);
      for (const cell of report.cells) cells.push({ ...cell, grouping, currency });
      if (grouping === "team") for (const day of report.clusterDays) clusterDays.push({ ...day, currency });
    }
  }
  await db.$executeRaw`DELETE FROM "CostAllocation" WHERE "day" BETWEEN ${range.from}::date AND ${range.to}::date`;
  await db.$executeRaw`DELETE FROM "CostAllocationClusterDay" WHERE "day" BETWEEN ${range.from}::date AND ${range.to}::date`;
  for (let i = 0; i < cells.length; i += chunk) {
    const part = cells.slice(i, i + chunk);
    await db.$executeRaw`
      INSERT INTO "CostAllocation" ("grouping", "currency", "day", "key", "apart", "team", "costMinor")
      SELECT * FROM unnest(${part.map((c) => c.grouping)}::text[], ${part.map((c) => c.currency)}::text[], ${part.map((c) => c.day)}::date[],
                           ${part.map((c) => c.key)}::text[], ${part.map((c) => c.apart)}::text[], ${part.map((c) => c.team ?? "")}::text[],
                           ${part.map((c) => c.cents)}::bigint[])`;
  }
  if (clusterDays.length > 0) {
    await db.$executeRaw`
      INSERT INTO "CostAllocationClusterDay" ("currency", "day", "clusterId", "clusterName", "billedMinor", "idleMinor", "unsampled", "capacitySampled",
                                              "idleRule", "systemRule")
      SELECT *, ${data.rule.idle}::text, ${data.rule.system}::text
      FROM unnest(${clusterDays.map((d) => d.currency)}::text[], ${clusterDays.map((d) => d.day)}::date[],
                           ${clusterDays.map((d) => d.clusterId)}::uuid[], ${clusterDays.map((d) => d.cluster)}::text[],
                           ${clusterDays.map((d) => d.billedCents)}::bigint[],
                           ${clusterDays.map((d) => d.idleCents)}::bigint[], ${clusterDays.map((d) => d.unsampled)}::boolean[],
                           ${clusterDays.map((d) => d.capacitySampled)}::boolean[])`;
  }
  await rebuildMonths(db, range);
  return { cells: cells.length };
}

/**
 * Rebuilds the per-month sums (decision 0042) of every month that days `from`..`to` touch from the stored day cells,
 * in the refresh's transaction: a month row always holds exactly its days' cells.
 */
async function rebuildMonths(db: Db, range: { from: string; to: string }): Promise<void> {
  await db.$executeRaw`
    DELETE FROM "CostAllocationMonth"
    WHERE "month" BETWEEN date_trunc('month', ${range.from}::date)::date AND date_trunc('month', ${range.to}::date)::date`;
  await db.$executeRaw`
    INSERT INTO "CostAllocationMonth" ("grouping", "currency", "month", "key", "apart", "team", "days", "costMinor")
    SELECT "grouping", "currency", date_trunc('month', "day")::date, "key", "apart", "team",
           array_agg(extract(day FROM "day")::int ORDER BY "day"), array_agg("costMinor" ORDER BY "day")
    FROM "CostAllocation"
    WHERE "day" >= date_trunc('month', ${range.from}::date)::date AND "day" < (date_trunc('month', ${range.to}::date) + interval '1 month')::date
    GROUP BY "grouping", "currency", date_trunc('month', "day")::date, "key", "apart", "team"`;
}

/** A refresh in a transaction of its own (backfill, tests, the bench). */
export async function refreshCostAllocationNow(range: { from: string; to: string }): Promise<{ cells: number }> {
  return getPrisma().$transaction((tx) => refreshCostAllocation(tx, range), { timeout: 300_000 });
}

/**
 * Stores the allocation of every day Cost Management rows exist for, once: after the upgrade that added the stored
 * allocation (no CostAllocationState yet; syncs and samples refresh only their own days). The cost sync job's hourly
 * check calls it; true when it stored days.
 */
export async function backfillCostAllocation(now = new Date()): Promise<boolean> {
  return getPrisma().$transaction(
    async (tx) => {
      const claimed = await tx.$queryRaw<{ id: number }[]>`
        INSERT INTO "CostAllocationState" ("id", "backfilledAt") VALUES (${stateId}, ${now}) ON CONFLICT ("id") DO NOTHING RETURNING "id"`;
      if (claimed.length === 0) return false;
      const [span] = await tx.$queryRaw<{ from: string | null; to: string | null }[]>`
        SELECT to_char(min("date"), 'YYYY-MM-DD') AS "from", to_char(max("date"), 'YYYY-MM-DD') AS "to" FROM "CostRow"`;
      if (!span?.from || !span.to) return false;
      await refreshCostAllocation(tx, { from: span.from, to: span.to });
      return true;
    },
    { timeout: 300_000 },
  );
}

/**
 * The stored cells of days `from`..`to` in one grouping and currency; only the given teams' cells unless "all". What
 * `summarizeCells` needs (it sums a group's cells of a day across teams). Read from the per-month sums (decision 0042):
 * one row per group, team and month, packed by PostgreSQL into one JSON text, so 500 namespaces × 90 days are ~2,000
 * rows, not ~45,000 day cells to sort and group.
 */
export async function readStoredCells(
  db: Db,
  query: { groupBy: CostGrouping; currency: string; from: string; to: string; teams: "all" | readonly string[] },
): Promise<CostCell[]> {
  const teams = query.teams === "all" ? null : [...query.teams];
  const [packed] = await db.$queryRaw<{ rows: string }[]>`
    SELECT coalesce(json_agg(json_build_array("key", "apart", "month" - ${query.from}::date, "days", "costMinor")), '[]')::text AS "rows"
    FROM "CostAllocationMonth"
    WHERE "grouping" = ${query.groupBy} AND "currency" = ${query.currency}
      AND "month" BETWEEN date_trunc('month', ${query.from}::date)::date AND ${query.to}::date
      AND (${teams}::text[] IS NULL OR "team" = ANY(${teams}::text[]))`;
  const days = daysBetween(query.from, query.to);
  const rows = JSON.parse(packed?.rows ?? "[]") as [string, ApartLine | null, number, number[], number[]][];
  const cells: CostCell[] = [];
  for (const [key, apart, monthOffset, monthDays, cents] of rows) {
    for (let k = 0; k < monthDays.length; k++) {
      // The first of the month is `monthOffset` days from `from` (negative when the range starts mid-month).
      const day = days[monthOffset + monthDays[k]! - 1];
      if (day !== undefined) cells.push({ day, key, apart, team: null, cents: cents[k]! });
    }
  }
  return cells;
}

/**
 * The rules the stored days from `from` to `to` in one currency were allocated with, and how many days each: one entry
 * when the figures are all of one rule; `idle` and `system` null for days stored before the rule was recorded.
 */
export async function readStoredRules(
  db: Db,
  query: { currency: string; from: string; to: string },
): Promise<{ idle: SharingRule | null; system: SharingRule | null; days: number }[]> {
  return db.$queryRaw`
    SELECT "idleRule" AS "idle", "systemRule" AS "system", count(DISTINCT "day")::int AS "days"
    FROM "CostAllocationClusterDay"
    WHERE "currency" = ${query.currency} AND "day" BETWEEN ${query.from}::date AND ${query.to}::date
    GROUP BY "idleRule", "systemRule"
    ORDER BY count(DISTINCT "day") DESC, "idleRule", "systemRule"`;
}

/** The stored clusters' days from `from` to `to` in one currency, clusters by name: what their notes are made of. */
export async function readStoredClusterDays(db: Db, query: { currency: string; from: string; to: string }): Promise<CostReport["clusterDays"]> {
  return db.$queryRaw<CostReport["clusterDays"]>`
    SELECT "clusterId"::text AS "clusterId", "clusterName" AS "cluster", to_char("day", 'YYYY-MM-DD') AS "day",
           "billedMinor"::float8 AS "billedCents", "idleMinor"::float8 AS "idleCents", "unsampled", "capacitySampled"
    FROM "CostAllocationClusterDay"
    WHERE "currency" = ${query.currency} AND "day" BETWEEN ${query.from}::date AND ${query.to}::date
    ORDER BY "clusterName", "clusterId", "day"`;
}
