// What /costs and GET /api/v1/costs show (issue 14): for a range of days,
// the stored Cost Management rows (lib/costs/sync-costs.ts) and the stored
// resource-hours (lib/costs/sample-resource-hours.ts) through the pure
// allocation (cost-report.ts, decision 0023), per day and per group, in the
// billing currency's minor units; plus how old the data is and the sync's
// state. Never calls Azure. An admin sees everything, adding up to the bill to
// the cent; a team member sees their teams' figures only.
import { z } from "zod";
import { getConfig, type WharfConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { parseInput } from "@/lib/validation";
import type { ClusterDay, ResourceHours } from "./allocate";
import type { ServiceShare, TaggedCost } from "./attribute";
import { belongsToCluster, minorUnitDigits } from "./cluster-bill";
import { costQuery, resolveRange, type CostQuery } from "./cost-query";
import { buildCostReport, daysBetween, summarizeCells, topMovers, type ApartLine, type CostGrouping, type ReportCluster } from "./cost-report";
import { scopeOf } from "./sync-costs";

export const costLineView = z.object({
  key: z.string().describe("A team or service slug, cluster/namespace, a cluster name, or idle | system | unassigned."),
  label: z.string(),
  apart: z
    .enum(["idle", "system", "unassigned"])
    .nullable()
    .describe("Set for lines that are not a group: idle capacity, system namespaces, cost no group takes."),
  totalMinor: z.number().int(),
  dailyMinor: z.array(z.number().int()).describe("Per day of `days`."),
});

export const costScopeSyncView = z.object({
  scope: z.string(),
  lastSyncedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  nextSyncAt: z.string().nullable().describe("When the scope is next due (after a 429: when Cost Management allows it)."),
});

export const costView = z.object({
  groupBy: z.enum(["team", "namespace", "cluster", "service"]),
  from: z.string(),
  to: z.string(),
  currency: z.string().nullable().describe("ISO 4217 code of the bill; null when no cost is stored for the range."),
  minorUnitDigits: z.number().int().describe("Amounts are integers in minor units: divide by 10^minorUnitDigits."),
  scope: z.enum(["all", "teams"]).describe("all: an admin's view that adds up to the bill; teams: only the viewer's teams."),
  teams: z.array(z.string()).describe("The team slugs whose figures are shown (all teams for an admin: empty)."),
  rule: z.object({ idle: z.enum(["apart", "proportional", "even"]), system: z.enum(["apart", "proportional", "even"]) }),
  days: z.array(z.string()),
  dailyTotalMinor: z.array(z.number().int()),
  totalMinor: z.number().int(),
  lines: z.array(costLineView),
  movers: z
    .array(
      z.object({ key: z.string(), label: z.string(), lastWeekMinor: z.number().int(), previousWeekMinor: z.number().int(), changeMinor: z.number().int() }),
    )
    .describe("The last 7 days to `to` against the 7 before."),
  notes: z.array(z.string()).describe("What a reader must know: clusters or days without samples (all idle), mixed currencies."),
  dataAsOf: z.string().nullable().describe("When the newest stored rows of the range were read from Cost Management."),
  sync: z.object({
    lastSyncedAt: z.string().nullable(),
    lastError: z.string().nullable(),
    nextSyncAt: z.string().nullable(),
    scopes: z.array(costScopeSyncView),
  }),
});

export type CostView = z.infer<typeof costView>;

const apartLabels: Record<CostGrouping, Record<ApartLine, string>> = {
  team: { idle: "Idle capacity", system: "System namespaces", unassigned: "No team" },
  namespace: { idle: "Idle capacity", system: "System namespaces", unassigned: "Outside namespaces (Azure resources)" },
  cluster: { idle: "Idle capacity", system: "System namespaces", unassigned: "Outside clusters (Azure resources)" },
  service: { idle: "Idle capacity", system: "System namespaces", unassigned: "No service" },
};

/** The AKS default; Wharf does not store a custom node resource group yet. */
export const nodeResourceGroupOf = (cluster: { resourceGroup: string; name: string; location: string }) =>
  `MC_${cluster.resourceGroup}_${cluster.name}_${cluster.location}`;

const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const key3 = (...parts: string[]) => parts.join("\u0000");

export async function getCosts(input: {
  actor: Actor;
  query: { [K in keyof CostQuery]?: string };
  now?: Date;
  config?: Pick<WharfConfig, "azure" | "costs">;
}): Promise<CostView> {
  const { actor } = input;
  const admin = can(actor, "cost:read");
  const ownTeams = actor.kind === "system" ? [] : actor.teams.filter((team) => can(actor, "cost:read", { teamId: team.id }));
  if (!admin && ownTeams.length === 0) throw forbidden("cost:read");
  const query = parseInput(costQuery, input.query);
  const now = input.now ?? new Date();
  const config = input.config ?? getConfig();
  const { from, to } = resolveRange(query, now);
  // Movers need the 14 days to `to`, whatever the range.
  const moversFrom = dayOf(new Date(Date.parse(`${to}T00:00:00Z`) - 13 * 86_400_000));
  const readFrom = moversFrom < from ? moversFrom : from;

  const prisma = getPrisma();
  const fromDay = new Date(`${readFrom}T00:00:00Z`);
  const toDay = new Date(`${to}T00:00:00Z`);
  // Raw reads with days as text: tens of thousands of sample rows per read, and Prisma's row objects and Date
  // conversions were most of the time (bench/costs.ts). Service hours only when grouping by service.
  const [rows, clusters, samples, serviceHours, teams, services, states] = await Promise.all([
    prisma.$queryRaw<
      { day: string; resourceId: string; resourceGroup: string; team: string | null; service: string | null; costMinor: number; currency: string; asOf: Date }[]
    >`
      SELECT to_char("date", 'YYYY-MM-DD') AS "day", "resourceId", "resourceGroup", "team", "service", "costMinor"::float8 AS "costMinor", "currency", "asOf"
      FROM "CostRow" WHERE "date" BETWEEN ${fromDay}::date AND ${toDay}::date`,
    prisma.cluster.findMany({ select: { id: true, armId: true, name: true, resourceGroup: true, location: true } }),
    prisma.$queryRaw<{ clusterId: string; namespace: string; day: string; team: string | null; cpu: number; memory: number }[]>`
      SELECT h."clusterId"::text AS "clusterId", h."namespace", to_char(h."day", 'YYYY-MM-DD') AS "day", t."slug" AS "team", h."cpuCoreHours" AS "cpu", h."memoryGiBHours" AS "memory"
      FROM "NamespaceResourceHours" h LEFT JOIN "Team" t ON t."id" = h."teamId"
      WHERE h."day" BETWEEN ${fromDay}::date AND ${toDay}::date`,
    query.groupBy === "service"
      ? prisma.$queryRaw<{ clusterId: string; namespace: string; service: string; day: string; weight: number }[]>`
          SELECT "clusterId"::text AS "clusterId", "namespace", "service", to_char("day", 'YYYY-MM-DD') AS "day", "cpuCoreHours" + "memoryGiBHours" AS "weight"
          FROM "ServiceResourceHours" WHERE "day" BETWEEN ${fromDay}::date AND ${toDay}::date`
      : Promise.resolve([]),
    prisma.team.findMany({ select: { id: true, slug: true, name: true } }),
    prisma.service.findMany({ select: { slug: true, displayName: true, ownerTeam: { select: { slug: true } } } }),
    prisma.costSyncState.findMany({ where: { scope: { in: config.azure.subscriptionIds.map(scopeOf) } } }),
  ]);

  const currencies = [...new Set(rows.map((row) => row.currency))].sort();
  const currency = currencies[0] ?? null;
  const notes: string[] = [];
  if (currencies.length > 1) notes.push(`The bill is in more than one currency (${currencies.join(", ")}); only ${currency} rows are counted.`);
  const billed = rows.filter((row) => row.currency === currency);

  const identities = clusters.map((cluster) => ({ cluster, identity: { resourceId: cluster.armId, nodeResourceGroup: nodeResourceGroupOf(cluster) } }));
  const bills = new Map<string, Map<string, number>>();
  const resources: TaggedCost[] = [];
  for (const row of billed) {
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
  const namespaceTeams = new Map<string, Map<string, string>>();
  for (const sample of samples) {
    let byDay = requests.get(sample.clusterId);
    if (!byDay) requests.set(sample.clusterId, (byDay = new Map()));
    let byNamespace = byDay.get(sample.day);
    if (!byNamespace) byDay.set(sample.day, (byNamespace = {}));
    byNamespace[sample.namespace] = { cpuCoreHours: sample.cpu, memoryGiBHours: sample.memory };
    if (sample.team) {
      let teamsOf = namespaceTeams.get(sample.clusterId);
      if (!teamsOf) namespaceTeams.set(sample.clusterId, (teamsOf = new Map()));
      teamsOf.set(sample.namespace, sample.team);
    }
  }
  const shares = new Map<string, ServiceShare[]>();
  for (const hours of serviceHours) {
    const k = key3(hours.clusterId, hours.namespace, hours.day);
    const list = shares.get(k) ?? [];
    list.push({ service: hours.service, weight: hours.weight });
    shares.set(k, list);
  }
  // Capacity is not known to Wharf yet (nodes are not read): the base of a day's shares is the sum of requests,
  // so idle is the days without samples (decision 0027).
  const reportClusters: ReportCluster[] = clusters.flatMap((cluster) => {
    const byDay = bills.get(cluster.id);
    if (!byDay) return [];
    const days: ClusterDay[] = [...byDay].map(([day, billedCents]) => ({
      day,
      billedCents,
      capacity: { cpuCoreHours: 0, memoryGiBHours: 0 },
      requests: requests.get(cluster.id)?.get(day) ?? {},
    }));
    return [{ id: cluster.id, name: cluster.name, days }];
  });
  const serviceOwner = new Map(services.map((service) => [service.slug, service.ownerTeam.slug]));
  const rule = { idle: "apart", system: "apart" } as const;
  const reportFor = (start: string) =>
    buildCostReport({
      groupBy: query.groupBy,
      clusters: reportClusters.map((cluster) => ({ ...cluster, days: cluster.days.filter((day) => day.day >= start) })),
      resources: resources.filter((resource) => resource.day >= start),
      namespaceTeam: (clusterId, namespace) => namespaceTeams.get(clusterId)?.get(namespace),
      serviceShares: (clusterId, namespace, day) => shares.get(key3(clusterId, namespace, day)) ?? [],
      serviceTeam: (service) => serviceOwner.get(service),
      rule,
    });
  const report = reportFor(from);
  notes.push(...report.notes);

  const visible = admin ? "all" : new Set(ownTeams.map((team) => team.slug));
  const days = daysBetween(from, to);
  const summary = summarizeCells(report.cells, days, visible);
  const movers = topMovers(summarizeCells((moversFrom < from ? reportFor(moversFrom) : report).cells, daysBetween(moversFrom, to), visible));

  const teamName = new Map(teams.map((team) => [team.slug, team.name]));
  const serviceName = new Map(services.map((service) => [service.slug, service.displayName]));
  const label = (key: string, apart: ApartLine | null) => {
    if (apart) return apartLabels[query.groupBy][apart];
    if (query.groupBy === "team") return teamName.get(key) ?? key;
    if (query.groupBy === "service") return serviceName.get(key) ?? key;
    return key;
  };

  const inRange = billed.filter((row) => row.day >= from);
  const dataAsOf = inRange.reduce<Date | null>((latest, row) => (latest === null || row.asOf > latest ? row.asOf : latest), null);
  const scopes = config.azure.subscriptionIds.map((subscriptionId) => {
    const state = states.find((s) => s.scope === scopeOf(subscriptionId));
    const due = state?.lastSyncedAt ? new Date(state.lastSyncedAt.getTime() + config.costs.syncHours * 3_600_000) : null;
    const next = state?.nextAllowedAt && (!due || state.nextAllowedAt > due) ? state.nextAllowedAt : due;
    return {
      scope: scopeOf(subscriptionId),
      lastSyncedAt: state?.lastSyncedAt?.toISOString() ?? null,
      lastError: state?.lastError ?? null,
      lastErrorAt: state?.lastErrorAt?.toISOString() ?? null,
      nextSyncAt: next?.toISOString() ?? null,
    };
  });
  const failed = scopes.find((scope) => scope.lastError !== null);
  const synced = scopes.map((scope) => scope.lastSyncedAt).filter((at): at is string => at !== null);
  const next = scopes.map((scope) => scope.nextSyncAt).filter((at): at is string => at !== null);

  if (!admin && summary.lines.length === 0 && billed.length > 0) notes.push("None of the cost in this range is your teams'.");
  return {
    groupBy: query.groupBy,
    from,
    to,
    currency,
    minorUnitDigits: currency ? minorUnitDigits(currency) : 2,
    scope: admin ? "all" : "teams",
    teams: admin ? [] : ownTeams.map((team) => team.slug),
    rule,
    days,
    dailyTotalMinor: summary.dailyCents,
    totalMinor: summary.totalCents,
    lines: summary.lines.map((line) => ({
      key: line.key,
      label: label(line.key, line.apart),
      apart: line.apart,
      totalMinor: line.totalCents,
      dailyMinor: line.dailyCents,
    })),
    movers: movers.map((m) => ({
      key: m.key,
      label: label(m.key, null),
      lastWeekMinor: m.lastWeekCents,
      previousWeekMinor: m.previousWeekCents,
      changeMinor: m.changeCents,
    })),
    // Notes name clusters and days, never another team's cost: members see them too.
    notes,
    dataAsOf: dataAsOf?.toISOString() ?? null,
    sync: {
      lastSyncedAt: synced.length ? synced.sort()[0]! : null,
      lastError: failed ? `${failed.scope}: ${failed.lastError}` : null,
      nextSyncAt: next.length ? next.sort()[0]! : null,
      scopes,
    },
  };
}
