// The Query and Forecast bodies (QueryDefinition, ForecastDefinition) read
// the way Cost Management reads them, and answered from the sandbox estate as
// `columns` and `rows`. A body the real service would refuse is refused with
// its `BadRequest` "Invalid query definition" wording; a body the sandbox
// cannot answer says so instead of answering something plausible.
import { actualMinor, dayMs, expectedMinor, hoursAvailable } from "./amounts";
import type { BilledResource } from "./estate";

export class BadQuery extends Error {}

export const dimensions = {
  ResourceGroupName: (r: BilledResource) => r.resourceGroup,
  ResourceGroup: (r: BilledResource) => r.resourceGroup,
  ResourceId: (r: BilledResource) => r.resourceId,
  ResourceType: (r: BilledResource) => r.resourceType,
  ResourceLocation: (r: BilledResource) => r.location,
  ServiceName: (r: BilledResource) => r.serviceName,
  MeterCategory: (r: BilledResource) => r.meterCategory,
  MeterSubCategory: (r: BilledResource) => r.meterSubCategory,
  SubscriptionId: (r: BilledResource) => r.resourceId.split("/")[2] ?? "",
} as const;
type DimensionName = keyof typeof dimensions;

const queryTimeframes = ["MonthToDate", "BillingMonthToDate", "TheLastMonth", "TheLastBillingMonth", "WeekToDate", "Custom"] as const;
const costColumns = ["Cost", "PreTaxCost"] as const;

type Grouping = { type: "Dimension"; name: DimensionName } | { type: "TagKey"; name: string };
type Predicate = (r: BilledResource) => boolean;

export interface ParsedQuery {
  kind: "query" | "forecast";
  type: string;
  /** UTC midnights, inclusive. */
  from: Date;
  to: Date;
  daily: boolean;
  /** Source columns of the aggregation clauses, in order. */
  measures: string[];
  grouping: Grouping[];
  filter: Predicate;
  includeActualCost: boolean;
}

export interface Table {
  columns: { name: string; type: string }[];
  rows: (string | number | null)[][];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const utcMidnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const lower = (s: string) => s.toLowerCase();

function invalid(message: string): never {
  throw new BadQuery(`Invalid query definition: ${message}`);
}

function period(body: Record<string, unknown>, kind: ParsedQuery["kind"], now: Date): { from: Date; to: Date } {
  const timeframe = body.timeframe;
  const allowed: readonly string[] = kind === "forecast" ? ["Custom"] : queryTimeframes;
  if (typeof timeframe !== "string" || !allowed.includes(timeframe))
    invalid(`timeframe must be one of ${allowed.join(", ")}; got ${JSON.stringify(timeframe)}.`);
  const today = utcMidnight(now);
  const monthStart = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
  if (timeframe !== "Custom") {
    if (body.timePeriod !== undefined) invalid(`timePeriod is only allowed with timeframe Custom, not ${timeframe}.`);
    if (timeframe === "TheLastMonth" || timeframe === "TheLastBillingMonth") {
      return { from: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1)), to: new Date(monthStart.getTime() - dayMs) };
    }
    if (timeframe === "WeekToDate") return { from: new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * dayMs), to: today };
    return { from: monthStart, to: today };
  }
  const tp = body.timePeriod;
  if (!isObject(tp) || typeof tp.from !== "string" || typeof tp.to !== "string")
    invalid("timeframe Custom needs timePeriod with from and to as ISO 8601 dates.");
  const from = new Date(tp.from);
  const to = new Date(tp.to);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) invalid(`timePeriod from '${tp.from}' and to '${tp.to}' must be ISO 8601 dates.`);
  if (to < from) invalid(`timePeriod.to '${tp.to}' is before timePeriod.from '${tp.from}'.`);
  const span = (utcMidnight(to).getTime() - utcMidnight(from).getTime()) / dayMs + 1;
  if (span > 366) invalid(`the time period covers ${span} days; a query may cover at most one year (366 days).`);
  return { from: utcMidnight(from), to: utcMidnight(to) };
}

function comparison(value: unknown, where: string, what: "dimensions" | "tags"): { name: string; values: Set<string> } {
  if (!isObject(value) || typeof value.name !== "string" || !value.name) invalid(`${where}.${what} needs a name.`);
  if (value.operator !== "In") invalid(`${where}.${what}.operator must be In; got ${JSON.stringify(value.operator)}.`);
  if (!Array.isArray(value.values) || value.values.length === 0 || !value.values.every((v) => typeof v === "string")) {
    invalid(`${where}.${what}.values must be a non-empty list of strings.`);
  }
  return { name: value.name, values: new Set((value.values as string[]).map(lower)) };
}

function dimensionName(name: string): DimensionName {
  const found = Object.keys(dimensions).find((d) => lower(d) === lower(name));
  if (!found)
    invalid(
      `Invalid dataset grouping or filter dimension: '${name}'; valid values: ${Object.keys(dimensions)
        .map((d) => `'${d}'`)
        .join(",")}.`,
    );
  return found as DimensionName;
}

export function parseFilter(value: unknown, where = "dataset.filter"): Predicate {
  if (!isObject(value)) invalid(`${where} must be an object with one of and, or, dimensions, tags.`);
  const keys = ["and", "or", "dimensions", "tags"].filter((k) => value[k] !== undefined);
  if (keys.length !== 1) invalid(`${where} must have exactly one of and, or, dimensions, tags; it has ${keys.length ? keys.join(", ") : "none"}.`);
  const key = keys[0]!;
  if (key === "and" || key === "or") {
    const items = value[key];
    if (!Array.isArray(items) || items.length < 2) invalid(`${where}.${key} needs at least two expressions.`);
    const parts = items.map((item, i) => parseFilter(item, `${where}.${key}[${i}]`));
    return key === "and" ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
  }
  if (key === "dimensions") {
    const { name, values } = comparison(value.dimensions, where, "dimensions");
    const read = dimensions[dimensionName(name)];
    return (r) => values.has(lower(read(r)));
  }
  const { name, values } = comparison(value.tags, where, "tags");
  return (r) => {
    const tag = Object.entries(r.tags).find(([k]) => lower(k) === lower(name));
    return tag !== undefined && values.has(lower(tag[1]));
  };
}

export function parseDefinition(body: unknown, kind: ParsedQuery["kind"], now: Date): ParsedQuery {
  if (!isObject(body) || !isObject(body.dataset)) throw new BadQuery("Invalid query definition, Dataset is invalid or not supplied");
  const types = ["Usage", "ActualCost", "AmortizedCost"];
  if (typeof body.type !== "string" || !types.includes(body.type)) invalid(`type must be one of ${types.join(", ")}; got ${JSON.stringify(body.type)}.`);
  const { from, to } = period(body, kind, now);
  const dataset = body.dataset;

  const granularity = dataset.granularity ?? "None";
  if (granularity !== "Daily" && granularity !== "None")
    invalid(`dataset.granularity must be Daily or None (the sandbox serves no other); got ${JSON.stringify(granularity)}.`);

  const aggregation = dataset.aggregation;
  if (!isObject(aggregation) || Object.keys(aggregation).length === 0)
    invalid('dataset.aggregation is required, e.g. {"totalCost":{"name":"Cost","function":"Sum"}}.');
  const clauses = Object.entries(aggregation);
  if (clauses.length > 2) invalid(`dataset.aggregation may have at most 2 clauses; it has ${clauses.length}.`);
  const measures = clauses.map(([alias, clause]) => {
    if (!isObject(clause) || clause.function !== "Sum") invalid(`dataset.aggregation.${alias}.function must be Sum.`);
    const name = costColumns.find((c) => typeof clause.name === "string" && lower(c) === lower(clause.name));
    if (!name) invalid(`dataset.aggregation.${alias}.name must be one of ${costColumns.join(", ")}; got ${JSON.stringify(clause.name)}.`);
    return name;
  });

  const rawGrouping = dataset.grouping ?? [];
  if (kind === "forecast" && rawGrouping !== undefined && Array.isArray(rawGrouping) && rawGrouping.length > 0) invalid("a forecast dataset has no grouping.");
  if (!Array.isArray(rawGrouping)) invalid("dataset.grouping must be a list.");
  if (rawGrouping.length > 2) invalid(`dataset.grouping may have at most 2 clauses; it has ${rawGrouping.length}.`);
  const grouping = rawGrouping.map((g: unknown, i): Grouping => {
    if (!isObject(g) || typeof g.name !== "string" || !g.name) invalid(`dataset.grouping[${i}] needs a type and a name.`);
    if (g.type === "Dimension") return { type: "Dimension", name: dimensionName(g.name) };
    if (g.type === "TagKey") return { type: "TagKey", name: g.name };
    return invalid(`dataset.grouping[${i}].type must be Dimension or TagKey; got ${JSON.stringify(g.type)}.`);
  });

  const filter = dataset.filter === undefined ? () => true : parseFilter(dataset.filter);
  return { kind, type: body.type, from, to, daily: granularity === "Daily", measures, grouping, filter, includeActualCost: body.includeActualCost === true };
}

/** Calendar months the period touches: Cost Management charges one QPU for each. */
export function monthsQueried(query: Pick<ParsedQuery, "from" | "to">): number {
  return (query.to.getUTCFullYear() - query.from.getUTCFullYear()) * 12 + query.to.getUTCMonth() - query.from.getUTCMonth() + 1;
}

const usageDate = (day: Date) => Number(day.toISOString().slice(0, 10).replaceAll("-", ""));

function groupValues(grouping: Grouping[], r: BilledResource): (string | null)[] {
  return grouping.flatMap((g) => {
    if (g.type === "Dimension") return [dimensions[g.name](r)];
    const tag = Object.entries(r.tags).find(([k]) => lower(k) === lower(g.name));
    // Cost Management answers a tag grouping with a TagKey and a TagValue column, null where untagged.
    return tag ? [g.name, tag[1]] : [null, null];
  });
}

/** The answer's rows, amounts summed in minor units and written in major units. */
export function evaluateQuery(query: ParsedQuery, estate: readonly BilledResource[], currency: string, now: Date): Table {
  const resources = estate.filter(query.filter);
  const sums = new Map<string, { date: number | null; groups: (string | null)[]; minor: number }>();
  for (let day = query.from; day <= query.to; day = new Date(day.getTime() + dayMs)) {
    for (const r of resources) {
      const minor = actualMinor(r, day, currency, now);
      if (minor === 0) continue;
      const date = query.daily ? usageDate(day) : null;
      const groups = groupValues(query.grouping, r);
      const key = JSON.stringify([date, groups]);
      const entry = sums.get(key) ?? { date, groups, minor: 0 };
      entry.minor += minor;
      sums.set(key, entry);
    }
  }
  const columns = [
    ...query.measures.map((name) => ({ name, type: "Number" })),
    ...(query.daily ? [{ name: "UsageDate", type: "Number" }] : []),
    ...query.grouping.flatMap((g) =>
      g.type === "Dimension"
        ? [{ name: g.name, type: "String" }]
        : [
            { name: "TagKey", type: "String" },
            { name: "TagValue", type: "String" },
          ],
    ),
    { name: "Currency", type: "String" },
  ];
  const rows = [...sums.values()]
    .sort((a, b) => (a.date ?? 0) - (b.date ?? 0) || JSON.stringify(a.groups).localeCompare(JSON.stringify(b.groups)))
    .map((e) => [...query.measures.map(() => e.minor / 100), ...(query.daily ? [e.date!] : []), ...e.groups, currency]);
  return { columns, rows };
}

/**
 * Days whose cost is complete are Actual (when asked for), the rest of the
 * period Forecast: the expected cost of each day without its noise.
 */
export function evaluateForecast(query: ParsedQuery, estate: readonly BilledResource[], currency: string, now: Date): Table {
  const resources = estate.filter(query.filter);
  const rows: (string | number | null)[][] = [];
  for (let day = query.from; day <= query.to; day = new Date(day.getTime() + dayMs)) {
    const complete = hoursAvailable(day, now) === 24;
    if (complete && !query.includeActualCost) continue;
    const minor = resources.reduce((sum, r) => sum + (complete ? actualMinor(r, day, currency, now) : expectedMinor(r, day, currency)), 0);
    if (minor === 0) continue;
    rows.push([...query.measures.map(() => minor / 100), usageDate(day), complete ? "Actual" : "Forecast", currency]);
  }
  const columns = [
    ...query.measures.map((name) => ({ name, type: "Number" })),
    { name: "UsageDate", type: "Number" },
    { name: "CostStatus", type: "String" },
    { name: "Currency", type: "String" },
  ];
  if (!query.daily) {
    const total = rows.reduce((sum, row) => sum + Math.round((row[0] as number) * 100), 0);
    return { columns: columns.filter((c) => c.name !== "UsageDate"), rows: total ? [[...query.measures.map(() => total / 100), "Forecast", currency]] : [] };
  }
  return { columns, rows };
}
