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
import type { SharingRule } from "./allocate";
import { minorUnitDigits } from "./cluster-bill";
import { allocateLoaded, clusterNotes, loadAllocationData, readStoredCells, readStoredClusterDays, readStoredRules } from "./cost-allocation";
import { readAllocationRule, readPendingMonths, sharingRules } from "./allocation-rule";
import { costQuery, resolveRange, type CostQuery } from "./cost-query";
import { daysBetween, summarizeCells, topMovers, type ApartLine, type CostCell, type CostGrouping } from "./cost-report";
import { scopeOf } from "./sync-costs";
import { monthOf, nextScopeSync } from "./sync-plan";
import { readMonthForecasts, readScopeForecasts, type MonthForecasts } from "./read-cost-forecast";

export const costLineView = z.object({
  key: z.string().describe("A team or service slug, cluster/namespace, a cluster name, or idle | system | unassigned."),
  label: z.string(),
  apart: z
    .enum(["idle", "system", "unassigned"])
    .nullable()
    .describe("Set for lines that are not a group: idle capacity, system namespaces, cost no group takes."),
  totalMinor: z.number().int(),
  dailyMinor: z.array(z.number().int()).describe("Per day of `days`."),
  forecastMinor: z
    .number()
    .int()
    .nullable()
    .describe(
      "The group's forecast for the current month: for each subscription, its share of the month-to-date cost × Cost Management's forecast, " +
        "summed (see forecast.basis); null when no forecast of Cost Management's covers it.",
    ),
});

export const costScopeSyncView = z.object({
  scope: z.string(),
  lastSyncedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  nextSyncAt: z.string().nullable().describe("When the hourly check next syncs the scope unasked (after a 429: not before Cost Management allows it)."),
  forecastError: z.string().nullable().describe("The last Forecast API failure; the actuals synced regardless."),
  forecastErrorAt: z.string().nullable(),
});

export const costForecastView = z
  .object({
    month: z.string().describe("yyyy-mm (UTC): the current month, whatever the range."),
    source: z.enum(["cost-management", "none"]).describe("cost-management: Cost Management's Forecast API; none: no forecast is stored."),
    totalMinor: z
      .number()
      .int()
      .nullable()
      .describe("Admins: the subscriptions' forecasts summed (actual so far plus the forecast remainder); members: their teams' parts of them."),
    basis: z.string().describe("Where the figure comes from, in words."),
    asOf: z.string().nullable().describe("When the oldest forecast used was read from Cost Management."),
    scopes: z.array(
      z.object({
        scope: z.string(),
        status: z.enum(["forecast", "none", "not-read"]).describe("none: Cost Management answered 204 (it has no forecast); not-read: never read this month."),
        totalMinor: z.number().int().nullable().describe("Admins only: the scope's forecast for the month."),
        asOf: z.string().nullable(),
      }),
    ),
  })
  .describe("The forecast for the month from Cost Management's Forecast API (decision 0048).");

export const costView = z.object({
  groupBy: z.enum(["team", "namespace", "cluster", "service"]),
  from: z.string(),
  to: z.string(),
  currency: z.string().nullable().describe("ISO 4217 code of the bill; null when no cost is stored for the range."),
  minorUnitDigits: z.number().int().describe("Amounts are integers in minor units: divide by 10^minorUnitDigits."),
  scope: z.enum(["all", "teams"]).describe("all: an admin's view that adds up to the bill; teams: only the viewer's teams."),
  teams: z.array(z.string()).describe("The team slugs whose figures are shown (all teams for an admin: empty)."),
  rule: z
    .object({ idle: z.enum(sharingRules), system: z.enum(sharingRules) })
    .describe("How idle capacity and system namespaces' cost are allocated: the admins' choice (GET /api/v1/costs/allocation-rule)."),
  allocatedWith: z
    .array(z.object({ idle: z.enum(sharingRules).nullable(), system: z.enum(sharingRules).nullable(), days: z.number().int() }))
    .describe(
      "The rules the figures shown were allocated with, and for how many days of the range each: after a change of `rule`, days not yet " +
        "re-allocated keep the rule they were made with. Null rules: days stored before Wharf recorded the rule. Empty when nothing is stored.",
    ),
  reallocatingMonths: z
    .array(z.string())
    .describe("Months (yyyy-mm) of the range marked for re-allocation (after a change of the rule or of a service's team): their figures change shortly."),
  days: z.array(z.string()),
  dailyTotalMinor: z.array(z.number().int()),
  totalMinor: z.number().int(),
  lines: z.array(costLineView),
  movers: z
    .array(
      z.object({ key: z.string(), label: z.string(), lastWeekMinor: z.number().int(), previousWeekMinor: z.number().int(), changeMinor: z.number().int() }),
    )
    .describe("The last 7 days to `to` against the 7 before."),
  notes: z
    .array(z.string())
    .describe("What a reader must know: clusters or days without samples (all idle), days without node capacity sampled (no idle shown), mixed currencies."),
  forecast: costForecastView,
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
  const month = monthOf(now);
  const [currencyRows, teams, services, states, scopeForecasts, storedRule, pendingMonths] = await Promise.all([
    prisma.$queryRaw<{ currency: string; rows: number; asOf: Date | null }[]>`
      SELECT "currency", count(*)::int AS "rows", max("asOf") FILTER (WHERE "date" >= ${from}::date) AS "asOf"
      FROM "CostRow" WHERE "date" BETWEEN ${readFrom}::date AND ${to}::date GROUP BY "currency"`,
    prisma.team.findMany({ select: { id: true, slug: true, name: true } }),
    prisma.service.findMany({ select: { slug: true, displayName: true } }),
    prisma.costSyncState.findMany({ where: { scope: { in: config.azure.subscriptionIds.map(scopeOf) } } }),
    readScopeForecasts(prisma, month),
    readAllocationRule(prisma),
    readPendingMonths(prisma),
  ]);
  let rule = storedRule.rule;

  const currencies = currencyRows.map((row) => row.currency).sort();
  const currency = currencies[0] ?? null;
  const billed = currencyRows.find((row) => row.currency === currency);
  const notes: string[] = [];
  if (currencies.length > 1) notes.push(`The bill is in more than one currency (${currencies.join(", ")}); only ${currency} rows are counted.`);

  const visible = admin ? "all" : new Set(ownTeams.map((team) => team.slug));
  const forecasts = currency
    ? await readMonthForecasts(prisma, { month, grouping: query.groupBy, currency, teams: visible === "all" ? "all" : [...visible] })
    : null;
  const stored = (input.source ?? "stored") === "stored";
  let cells: CostCell[] = [];
  let allocatedWith: { idle: SharingRule | null; system: SharingRule | null; days: number }[] = [];
  if (currency && stored) {
    // Summed per group and day in PostgreSQL, a member's teams only: the cells are already what the viewer sees.
    const [storedCells, clusterDays, storedRules] = await Promise.all([
      readStoredCells(prisma, { groupBy: query.groupBy, currency, from: readFrom, to, teams: visible === "all" ? "all" : [...visible] }),
      readStoredClusterDays(prisma, { currency, from, to }),
      readStoredRules(prisma, { currency, from, to }),
    ]);
    cells = storedCells;
    allocatedWith = storedRules;
    notes.push(...clusterNotes(clusterDays, from, rule));
  } else if (currency) {
    const data = await loadAllocationData(prisma, { from: readFrom, to }, query.groupBy === "service");
    rule = data.rule;
    const report = allocateLoaded(data, currency, query.groupBy);
    const shownDays = new Set(report.clusterDays.map((day) => day.day).filter((day) => day >= from && day <= to));
    allocatedWith = shownDays.size > 0 ? [{ ...rule, days: shownDays.size }] : [];
    cells = report.cells;
    notes.push(...clusterNotes(report.clusterDays, from, rule));
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
    const next = nextScopeSync(state ?? null, now, config.costs.syncHours);
    return {
      scope: scopeOf(subscriptionId),
      lastSyncedAt: state?.lastSyncedAt?.toISOString() ?? null,
      lastError: state?.lastError ?? null,
      lastErrorAt: state?.lastErrorAt?.toISOString() ?? null,
      nextSyncAt: next.toISOString(),
      forecastError: state?.forecastError ?? null,
      forecastErrorAt: state?.forecastErrorAt?.toISOString() ?? null,
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
    rule,
    allocatedWith,
    reallocatingMonths: pendingMonths.filter((m) => m >= from.slice(0, 7) && m <= to.slice(0, 7)),
    days,
    dailyTotalMinor: summary.dailyCents,
    totalMinor: summary.totalCents,
    lines: summary.lines.map((line) => ({
      key: line.key,
      label: label(line.key, line.apart),
      apart: line.apart,
      totalMinor: line.totalCents,
      dailyMinor: line.dailyCents,
      forecastMinor: lineForecast(forecasts, line.key),
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
    forecast: forecastSummary({ month, currency, admin, forecasts, scopes: scopes.map((s) => s.scope), stored: scopeForecasts }),
    dataAsOf: dataAsOf?.toISOString() ?? null,
    sync: {
      lastSyncedAt: synced.length ? synced.sort()[0]! : null,
      lastError: failed ? `${failed.scope}: ${failed.lastError}` : null,
      nextSyncAt: next.length ? next.sort()[0]! : null,
      scopes,
    },
  };
}

/** A line's forecast: only from Cost Management's (a run rate of a range's line would be Wharf's guess, not the bill's). */
function lineForecast(forecasts: MonthForecasts | null, key: string): number | null {
  if (!forecasts?.fromCostManagement) return null;
  const forecast = forecasts.forecastOf(key);
  return forecast.source === "cost-management" ? forecast.forecastMinor : null;
}

/** The month's forecast as the view states it: an admin the subscriptions' forecasts, a member their teams' parts. */
function forecastSummary(input: {
  month: string;
  currency: string | null;
  admin: boolean;
  forecasts: MonthForecasts | null;
  scopes: string[];
  stored: Awaited<ReturnType<typeof readScopeForecasts>>;
}): CostView["forecast"] {
  // The configured subscriptions, and any other whose forecast is stored for the month (its cost is in the figures too).
  const scopes = [...new Set([...input.scopes, ...input.stored.map((row) => row.scope)])].sort().map((scope) => {
    const row = input.stored.find((r) => r.scope === scope);
    const inCurrency = row?.status === "forecast" && row.currency === input.currency;
    return {
      scope,
      status: row ? (inCurrency ? ("forecast" as const) : ("none" as const)) : ("not-read" as const),
      totalMinor: input.admin && inCurrency ? row!.totalMinor : null,
      asOf: row?.asOf.toISOString() ?? null,
    };
  });
  const forecasted = scopes.filter((scope) => scope.status === "forecast");
  const missing = scopes.filter((scope) => scope.status !== "forecast");
  const asOf = forecasted.map((scope) => scope.asOf!).sort()[0] ?? null;
  const gaps = missing.length
    ? ` Not included: ${missing
        .map((s) => `${s.scope} (${s.status === "none" ? "Cost Management has no forecast for it: 204" : "no forecast read this month"})`)
        .join(", ")}.`
    : "";
  if (forecasted.length === 0 || !input.forecasts) {
    return {
      month: input.month,
      source: "none",
      totalMinor: null,
      basis: `No forecast of Cost Management's is stored for ${input.month}.${gaps}`,
      asOf: null,
      scopes,
    };
  }
  const perGroup = " A line's forecast is its share of each subscription's month-to-date cost × that subscription's forecast, summed, to the cent.";
  if (input.admin) {
    return {
      month: input.month,
      source: "cost-management",
      totalMinor: forecasted.reduce((sum, scope) => sum + scope.totalMinor!, 0),
      basis: `Each subscription's actual cost so far plus Cost Management's forecast for the rest of ${input.month}, summed.${gaps}${perGroup}`,
      asOf,
      scopes,
    };
  }
  const parts = input.forecasts.keys.map((key) => lineForecast(input.forecasts, key) ?? 0);
  return {
    month: input.month,
    source: "cost-management",
    totalMinor: parts.reduce((sum, part) => sum + part, 0),
    basis: `Your teams' part of Cost Management's forecast for ${input.month}.${gaps}${perGroup}`,
    asOf,
    scopes,
  };
}
