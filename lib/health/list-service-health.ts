// Every service × environment's health, worst first, a page at a time, with
// counts per state and the workspaces that could not be queried. Reads the
// poller's snapshots only (never Azure or a cluster). A snapshot's age is
// applied at read time, so a stopped poller shows as unknown instead of a
// stale green; the state as shown is computed in SQL (one boundary,
// `staleAtOrBefore`) so the status filter, the counts and the order are the
// database's work and a page reads only its own rows, whatever the fleet's size.
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { tiers } from "@/lib/catalog/service-input";
import { environments } from "@/lib/clusters/cluster-view";
import { healthStates, type HealthState } from "@/lib/health/types";
import {
  emptyCounts,
  healthCountsSchema,
  healthEntrySchema,
  serviceHealthInclude,
  staleAtOrBefore,
  toHealthEntry,
  workspaceProblemSchema,
  type HealthCounts,
  type HealthEntry,
} from "@/lib/health/health-view";

export const healthSorts = ["health", "service", "evaluated"] as const;

/** The view of /health and GET /api/v1/health; each field maps to a URL query parameter so a link reproduces it. */
export const healthQuery = z.object({
  team: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'team must be a team slug (lowercase letters, digits and dashes) or "mine".' })
    .optional()
    .describe('A team slug, or "mine" for the teams you are in.'),
  environment: z.enum(environments, { error: `environment must be one of ${environments.join(", ")}.` }).optional(),
  status: z
    .enum(healthStates, { error: `status must be one of ${healthStates.join(", ")}.` })
    .optional()
    .describe("The state as shown now: a snapshot older than two poll cycles counts as unknown."),
  tier: z.enum(tiers, { error: `tier must be one of ${tiers.join(", ")}.` }).optional(),
  sort: z
    .enum(healthSorts, { error: `sort must be one of ${healthSorts.join(", ")}.` })
    .default("health")
    .describe("health: worst first (then service, production first); service: by name; evaluated: the longest since evaluated first."),
  page: z.coerce
    .number({ error: "page must be a number." })
    .int("page must be a whole number.")
    .min(1, "page starts at 1.")
    .max(10_000, "page can be at most 10000.")
    .default(1),
  pageSize: z.coerce
    .number({ error: "pageSize must be a number." })
    .int("pageSize must be a whole number.")
    .min(1, "pageSize must be at least 1.")
    .max(200, "pageSize can be at most 200.")
    .default(50),
});

export type HealthQuery = z.input<typeof healthQuery>;

/** The URL query parameters of the view, in the order links write them. */
export const healthQueryKeys = Object.keys(healthQuery.shape) as (keyof typeof healthQuery.shape)[];

export const healthListSchema = z.object({
  entries: z.array(healthEntrySchema).describe("This page of the entries matching every filter, in the requested order."),
  counts: healthCountsSchema.describe("Per state across the team, environment and tier filters (before the status filter)."),
  total: z.number().describe("Entries matching every filter, on all pages."),
  page: z.number(),
  pageSize: z.number(),
  sort: z.enum(healthSorts),
  workspaces: z
    .array(workspaceProblemSchema)
    .describe("Log Analytics workspaces whose last poll failed: their services' telemetry is older than it should be."),
  pollSeconds: z.number(),
  generatedAt: z.string(),
});

export type HealthList = z.infer<typeof healthListSchema>;

/** The query's filters, with a 400 naming the parameter and its allowed values. */
export function parseHealthQuery(query: unknown): z.output<typeof healthQuery> {
  const parsed = healthQuery.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new AppError("invalid_input", issue.message, { path: issue.path.map(String) });
}

export async function listServiceHealth({
  actor,
  query = {},
  now = new Date(),
}: {
  actor: Actor;
  query?: HealthQuery | Record<string, string | undefined>;
  now?: Date;
}): Promise<HealthList> {
  if (!can(actor, "health:read")) throw forbidden("health:read");
  const filter = parseHealthQuery(query);
  const mine = actor.kind === "user" ? actor.teams.map((team) => team.id) : [];
  const pollSeconds = getConfig().health.pollSeconds;
  const shown = Prisma.sql`(CASE WHEN h."evaluatedAt" <= ${staleAtOrBefore(now, pollSeconds)} THEN 'unknown' ELSE h."state" END)`;
  const conditions = [
    Prisma.sql`s."retiredAt" IS NULL`,
    Prisma.sql`n."status" <> 'decommissioned'`,
    filter.team === "mine" ? Prisma.sql`s."ownerTeamId" = ANY(${mine}::uuid[])` : filter.team ? Prisma.sql`t."slug" = ${filter.team}` : null,
    filter.tier ? Prisma.sql`s."tier" = ${filter.tier}` : null,
    filter.environment ? Prisma.sql`h."environment" = ${filter.environment}` : null,
  ].filter((condition): condition is Prisma.Sql => condition !== null);
  const from = Prisma.sql`FROM "ServiceHealth" h
    JOIN "Service" s ON s."id" = h."serviceId" JOIN "Team" t ON t."id" = s."ownerTeamId" JOIN "Namespace" n ON n."id" = h."namespaceId"`;
  const where = Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}`;
  const pageWhere = filter.status ? Prisma.sql`${where} AND ${shown} = ${filter.status}` : where;
  const rank = Prisma.sql`(CASE ${shown} WHEN 'unhealthy' THEN 0 WHEN 'degraded' THEN 1 WHEN 'unknown' THEN 2 ELSE 3 END)`;
  const byService = Prisma.sql`s."displayName", s."slug", (CASE h."environment" WHEN 'prod' THEN 0 WHEN 'test' THEN 1 WHEN 'dev' THEN 2 ELSE 3 END), n."name"`;
  const orderBy =
    filter.sort === "service"
      ? byService
      : filter.sort === "evaluated"
        ? Prisma.sql`h."evaluatedAt" ASC, ${rank}, ${byService}`
        : Prisma.sql`${rank}, ${byService}`;
  const prisma = getPrisma();
  const [stateCounts, keys, workspaces] = await Promise.all([
    prisma.$queryRaw<{ state: string; count: number }[]>`SELECT ${shown} AS "state", count(*)::int AS "count" ${from} ${where} GROUP BY 1`,
    prisma.$queryRaw<
      { serviceId: string; namespaceId: string }[]
    >`SELECT h."serviceId", h."namespaceId" ${from} ${pageWhere} ORDER BY ${orderBy} LIMIT ${filter.pageSize} OFFSET ${(filter.page - 1) * filter.pageSize}`,
    prisma.telemetryWorkspace.findMany({
      where: { lastError: { not: null }, missingSince: null },
      select: { name: true, lastError: true, lastSuccessAt: true, lastPolledAt: true },
      orderBy: { name: "asc" },
    }),
  ]);
  const rows =
    keys.length > 0
      ? await prisma.serviceHealth.findMany({
          where: { OR: keys.map((key) => ({ serviceId: key.serviceId, namespaceId: key.namespaceId })) },
          include: serviceHealthInclude,
        })
      : [];
  const byKey = new Map(rows.map((row) => [`${row.serviceId}/${row.namespaceId}`, row]));
  const entries: HealthEntry[] = keys.flatMap((key) => {
    const row = byKey.get(`${key.serviceId}/${key.namespaceId}`);
    // A snapshot removed between the two reads (service retired, namespace gone) is left out of this page.
    return row ? [toHealthEntry(row, now, pollSeconds)] : [];
  });
  const counts: HealthCounts = emptyCounts();
  for (const { state, count } of stateCounts) if ((healthStates as readonly string[]).includes(state)) counts[state as HealthState] += count;
  return {
    entries,
    counts,
    total: filter.status ? counts[filter.status] : Object.values(counts).reduce((sum, count) => sum + count, 0),
    page: filter.page,
    pageSize: filter.pageSize,
    sort: filter.sort,
    workspaces: workspaces.map((workspace) => ({
      name: workspace.name,
      lastError: workspace.lastError!,
      lastSuccessAt: workspace.lastSuccessAt?.toISOString() ?? null,
      lastPolledAt: workspace.lastPolledAt?.toISOString() ?? null,
    })),
    pollSeconds,
    generatedAt: now.toISOString(),
  };
}

/** Values for the filter menus: active teams. */
export async function healthFacets({ actor }: { actor: Actor }): Promise<{ teams: { slug: string; name: string }[] }> {
  if (!can(actor, "health:read")) throw forbidden("health:read");
  return { teams: await getPrisma().team.findMany({ where: { archivedAt: null }, select: { slug: true, name: true }, orderBy: { name: "asc" } }) };
}
