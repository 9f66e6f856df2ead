// Every service × environment's health, worst first, with counts per state
// and the workspaces that could not be queried. Reads the poller's snapshots
// only (never Azure or a cluster); a snapshot's age is applied here, at read
// time, so a stopped poller shows as unknown instead of a stale green.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { tiers } from "@/lib/catalog/service-input";
import { environments } from "@/lib/clusters/cluster-view";
import { healthStates } from "@/lib/health/types";
import {
  compareHealthEntries,
  countStates,
  healthCountsSchema,
  healthEntrySchema,
  healthPollSeconds,
  serviceHealthInclude,
  toHealthEntry,
  workspaceProblemSchema,
  type HealthCounts,
  type HealthEntry,
  type WorkspaceProblem,
} from "@/lib/health/health-view";

/** The filters of /health and GET /api/v1/health; each maps to a URL query parameter. */
export const healthQuery = z.object({
  team: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'team must be a team slug (lowercase letters, digits and dashes) or "mine".' })
    .optional()
    .describe('A team slug, or "mine" for the teams you are in.'),
  environment: z.enum(environments, { error: `environment must be one of ${environments.join(", ")}.` }).optional(),
  status: z.enum(healthStates, { error: `status must be one of ${healthStates.join(", ")}.` }).optional().describe("The state as shown now: a snapshot older than two poll cycles counts as unknown."),
  tier: z.enum(tiers, { error: `tier must be one of ${tiers.join(", ")}.` }).optional(),
});

export type HealthQuery = z.input<typeof healthQuery>;

export const healthListSchema = z.object({
  entries: z.array(healthEntrySchema),
  counts: healthCountsSchema.describe("Per state across the team, environment and tier filters (before the status filter)."),
  total: z.number().describe("Entries matching every filter."),
  workspaces: z.array(workspaceProblemSchema).describe("Log Analytics workspaces whose last poll failed: their services' telemetry is older than it should be."),
  pollSeconds: z.number(),
  generatedAt: z.string(),
});

export interface HealthList {
  entries: HealthEntry[];
  counts: HealthCounts;
  total: number;
  workspaces: WorkspaceProblem[];
  pollSeconds: number;
  generatedAt: string;
}

/** The query's filters, with a 400 naming the parameter and its allowed values. */
export function parseHealthQuery(query: unknown): z.output<typeof healthQuery> {
  const parsed = healthQuery.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new AppError("invalid_input", issue.message, { path: issue.path.map(String) });
}

export async function listServiceHealth({ actor, query = {}, now = new Date() }: { actor: Actor; query?: HealthQuery | Record<string, string | undefined>; now?: Date }): Promise<HealthList> {
  if (!can(actor, "health:read")) throw forbidden("health:read");
  const filter = parseHealthQuery(query);
  const mine = actor.kind === "user" ? actor.teams.map((team) => team.id) : [];
  const where: Prisma.ServiceHealthWhereInput = {
    service: {
      retiredAt: null,
      ...(filter.team === "mine" ? { ownerTeamId: { in: mine } } : filter.team ? { ownerTeam: { slug: filter.team } } : {}),
      ...(filter.tier && { tier: filter.tier }),
    },
    namespace: { status: { not: "decommissioned" } },
    ...(filter.environment && { environment: filter.environment }),
  };
  const prisma = getPrisma();
  const [rows, workspaces] = await Promise.all([
    prisma.serviceHealth.findMany({ where, include: serviceHealthInclude }),
    prisma.telemetryWorkspace.findMany({ where: { lastError: { not: null }, missingSince: null }, select: { name: true, lastError: true, lastSuccessAt: true, lastPolledAt: true }, orderBy: { name: "asc" } }),
  ]);
  const pollSeconds = healthPollSeconds();
  // The state depends on the snapshot's age, so the status filter and the counts come after it is applied.
  const all = rows.map((row) => toHealthEntry(row, now, pollSeconds));
  const entries = (filter.status ? all.filter((entry) => entry.state === filter.status) : all).sort(compareHealthEntries);
  return {
    entries,
    counts: countStates(all),
    total: entries.length,
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
