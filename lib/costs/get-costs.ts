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
import { minorUnitDigits } from "./cluster-bill";
import { allocateLoaded, allocationRule, clusterNotes, loadAllocationData, readStoredCells, readStoredClusterDays } from "./cost-allocation";
import { costQuery, resolveRange, type CostQuery } from "./cost-query";
import { daysBetween, summarizeCells, topMovers, type ApartLine, type CostCell, type CostGrouping } from "./cost-report";
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

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

export { nodeResourceGroupOf } from "./cost-allocation";

export async function getCosts(input: {
  actor: Actor;
  query: { [K in keyof CostQuery]?: string };
  now?: Date;
  config?: Pick<WharfConfig, "azure" | "costs">;
  /**
   * stored (the default): the allocation stored at each sync and sample (decision 0035). computed: allocate the rows
   * and samples now, as every read did before; the reference the stored allocation is tested and benchmarked against.
   */
  source?: "stored" | "computed";
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
  const [currencyRows, teams, services, states] = await Promise.all([
    prisma.$queryRaw<{ currency: string; rows: number; asOf: Date | null }[]>`
      SELECT "currency", count(*)::int AS "rows", max("asOf") FILTER (WHERE "date" >= ${from}::date) AS "asOf"
      FROM "CostRow" WHERE "date" BETWEEN ${readFrom}::date AND ${to}::date GROUP BY "currency"`,
    prisma.team.findMany({ select: { id: true, slug: true, name: true } }),
    prisma.service.findMany({ select: { slug: true, displayName: true } }),
    prisma.costSyncState.findMany({ where: { scope: { in: config.azure.subscriptionIds.map(scopeOf) } } }),
  ]);

  const currencies = currencyRows.map((row) => row.currency).sort();
  const currency = currencies[0] ?? null;
  const billed = currencyRows.find((row) => row.currency === currency);
  const notes: string[] = [];
  if (currencies.length > 1) notes.push(`The bill is in more than one currency (${currencies.join(", ")}); only ${currency} rows are counted.`);

  const visible = admin ? "all" : new Set(ownTeams.map((team) => team.slug));
  const stored = (input.source ?? "stored") === "stored";
  let cells: CostCell[] = [];
  if (currency && stored) {
    // Summed per group and day in PostgreSQL, a member's teams only: the cells are already what the viewer sees.
    const [storedCells, clusterDays] = await Promise.all([
      readStoredCells(prisma, { groupBy: query.groupBy, currency, from: readFrom, to, teams: visible === "all" ? "all" : [...visible] }),
      readStoredClusterDays(prisma, { currency, from, to }),
    ]);
    cells = storedCells;
    notes.push(...clusterNotes(clusterDays, from));
  } else if (currency) {
    const report = allocateLoaded(await loadAllocationData(prisma, { from: readFrom, to }, query.groupBy === "service"), currency, query.groupBy);
    cells = report.cells;
    notes.push(...clusterNotes(report.clusterDays, from));
  }

  const days = daysBetween(from, to);
  const cellsVisible = stored ? "all" : visible;
  const summary = summarizeCells(cells, days, cellsVisible);
  const movers = topMovers(summarizeCells(cells, daysBetween(moversFrom, to), cellsVisible));

  const teamName = new Map(teams.map((team) => [team.slug, team.name]));
  const serviceName = new Map(services.map((service) => [service.slug, service.displayName]));
  const label = (key: string, apart: ApartLine | null) => {
    if (apart) return apartLabels[query.groupBy][apart];
    if (query.groupBy === "team") return teamName.get(key) ?? key;
    if (query.groupBy === "service") return serviceName.get(key) ?? key;
    return key;
  };

  const dataAsOf = billed?.asOf ?? null;
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

  if (!admin && summary.lines.length === 0 && (billed?.rows ?? 0) > 0) notes.push("None of the cost in this range is your teams'.");
  return {
    groupBy: query.groupBy,
    from,
    to,
    currency,
    minorUnitDigits: currency ? minorUnitDigits(currency) : 2,
    scope: admin ? "all" : "teams",
    teams: admin ? [] : ownTeams.map((team) => team.slug),
    rule: allocationRule as CostView["rule"],
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
