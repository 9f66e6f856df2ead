// The application map's part of a health poll cycle: store the edge rows the
// cycle's $batch brought back, rebuild each map snapshot (per window, fleet-wide
// and per environment) from every workspace's latest rows, the catalog and
// the health snapshots, and lay it out only when its topology changed.
import type { Prisma } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db/client";
import { mapWindows, type MapEdgeRow, type MapWindow } from "@/lib/health/queries";
import type { HealthState } from "@/lib/health/types";
import type { WorkspaceTelemetry } from "@/lib/health/poll-workspaces";
import { buildMap, observedServicePairs, type CatalogService, type WorkspaceEdges } from "@/lib/appmap/build-map";
import { layoutMap, type LayoutResult, type StoredLayout } from "@/lib/appmap/layout-map";
import { mapWindowIntervalsMs, mapWindowsDue } from "@/lib/appmap/map-cadence";
import { storeMapSnapshot } from "@/lib/appmap/store-map-snapshot";
import type { Position } from "@/lib/appmap/types";

/** "" in AppMapSnapshot.environment: the fleet-wide map. */
export const fleetScope = "";

/** The windows due per workspace this cycle, from when each was last fetched. */
export async function mapWindowsPlan(now: Date): Promise<(workspace: { id: string }) => MapWindow[]> {
  const rows = await getPrisma().appMapEdges.findMany({ select: { workspaceId: true, window: true, fetchedAt: true } });
  const fetched = new Map<string, Partial<Record<MapWindow, Date>>>();
  for (const row of rows) {
    if (!row.fetchedAt || !(row.window in mapWindows)) continue;
    fetched.set(row.workspaceId, { ...fetched.get(row.workspaceId), [row.window]: row.fetchedAt });
  }
  return (workspace) => mapWindowsDue(workspace.id, fetched.get(workspace.id) ?? {}, now);
}

async function storeFetchedEdges(polled: ReadonlyMap<string, WorkspaceTelemetry>, now: Date): Promise<void> {
  const prisma = getPrisma();
  const writes: Prisma.PrismaPromise<unknown>[] = [];
  for (const [workspaceId, entry] of polled) {
    for (const [window, outcome] of Object.entries(entry.mapEdges ?? {})) {
      const where = { workspaceId_window: { workspaceId, window } };
      if ("rows" in outcome) {
        const data = { rows: outcome.rows as unknown as Prisma.InputJsonValue, fetchedAt: now, lastError: null, failedAt: null };
        writes.push(prisma.appMapEdges.upsert({ where, create: { workspaceId, window, ...data }, update: data }));
      } else {
        // The last good rows stay; the error is shown beside them.
        writes.push(
          prisma.appMapEdges.upsert({
            where,
            create: { workspaceId, window, rows: [], fetchedAt: null, lastError: outcome.error, failedAt: now },
            update: { lastError: outcome.error, failedAt: now },
          }),
        );
      }
    }
  }
  if (writes.length) await prisma.$transaction(writes);
}

export interface RefreshMapSummary {
  snapshots: number;
  layouts: Record<LayoutResult["method"], number>;
}

/** The one row of AppMapRefresh. */
export const mapRefreshId = "map";

/**
 * Rebuilds every map snapshot, and records how it went in AppMapRefresh: a failure keeps the last snapshots, and /map
 * says since when and why. The error is thrown on to the caller (the health cycle logs it and carries on).
 */
export async function refreshAppMap(input: { polled: ReadonlyMap<string, WorkspaceTelemetry>; now: Date; cycleSeconds: number }): Promise<RefreshMapSummary> {
  const prisma = getPrisma();
  const at = new Date();
  try {
    const summary = await rebuildSnapshots(input);
    await prisma.appMapRefresh.upsert({
      where: { id: mapRefreshId },
      create: { id: mapRefreshId, lastAttemptAt: at, lastSuccessAt: at },
      update: { lastAttemptAt: at, lastSuccessAt: at, failingSince: null, lastError: null },
    });
    return summary;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    const previous = await prisma.appMapRefresh.findUnique({ where: { id: mapRefreshId } }).catch(() => null);
    await prisma.appMapRefresh
      .upsert({
        where: { id: mapRefreshId },
        create: { id: mapRefreshId, lastAttemptAt: at, failingSince: at, lastError: message },
        update: { lastAttemptAt: at, failingSince: previous?.failingSince ?? at, lastError: message },
      })
      // The database itself failing: nothing can be recorded, and the caller logs the refresh's own error.
      .catch(() => undefined);
    throw error;
  }
}

async function rebuildSnapshots(input: { polled: ReadonlyMap<string, WorkspaceTelemetry>; now: Date; cycleSeconds: number }): Promise<RefreshMapSummary> {
  const { now } = input;
  const prisma = getPrisma();
  await storeFetchedEdges(input.polled, now);

  const [workspaces, edgeRows, components, serviceRows, healthRows, previousRows] = await Promise.all([
    prisma.telemetryWorkspace.findMany({ where: { missingSince: null }, select: { id: true, name: true } }),
    prisma.appMapEdges.findMany(),
    prisma.telemetryComponent.findMany({ where: { missingSince: null, environment: { not: null } }, select: { armId: true, environment: true } }),
    prisma.service.findMany({
      where: { retiredAt: null },
      select: {
        id: true,
        slug: true,
        displayName: true,
        appInsightsRoleName: true,
        ownerTeam: { select: { slug: true, name: true } },
        dependencies: { where: { kind: "service" }, select: { target: true } },
      },
    }),
    prisma.serviceHealth.findMany({ select: { serviceId: true, environment: true, state: true } }),
    prisma.appMapSnapshot.findMany({ select: { window: true, environment: true, topologyKey: true, positions: true } }),
  ]);
  const workspaceNames = new Map(workspaces.map((workspace) => [workspace.id, workspace.name]));
  const componentEnvironments = new Map(components.map((component) => [component.armId.toLowerCase(), component.environment!]));
  const services: CatalogService[] = serviceRows.map((service) => ({
    id: service.id,
    slug: service.slug,
    name: service.displayName,
    role: service.appInsightsRoleName?.trim() || null,
    team: service.ownerTeam,
    declared: service.dependencies.map((dependency) => dependency.target),
  }));
  const health = healthRows.map((row) => ({ serviceId: row.serviceId, environment: row.environment, state: row.state as HealthState }));
  const previous = new Map(
    previousRows.map((row) => [
      `${row.window}/${row.environment}`,
      { topologyKey: row.topologyKey, positions: row.positions as unknown as Record<string, Position> },
    ]),
  );
  const scopes = [fleetScope, ...[...new Set([...componentEnvironments.values(), ...health.map((entry) => entry.environment)])].sort()];

  const edgesFor = (window: MapWindow): WorkspaceEdges[] =>
    edgeRows
      .filter((row) => row.window === window && workspaceNames.has(row.workspaceId))
      .map((row) => {
        const failedSince = row.failedAt && (!row.fetchedAt || row.failedAt > row.fetchedAt);
        // Older than two fetch intervals (two cycles for the 1-hour window): stale.
        const maxAgeMs = 2 * Math.max(mapWindowIntervalsMs[window], input.cycleSeconds * 1000);
        const old = !row.fetchedAt || now.getTime() - row.fetchedAt.getTime() > maxAgeMs;
        return {
          workspace: workspaceNames.get(row.workspaceId)!,
          fetchedAt: row.fetchedAt,
          error: failedSince ? row.lastError : null,
          stale: Boolean(failedSince) || old,
          rows: row.rows as unknown as MapEdgeRow[],
        };
      });

  const summary: RefreshMapSummary = { snapshots: 0, layouts: { full: 0, incremental: 0, unchanged: 0 } };
  const sevenDayPairs = new Map<string, Set<string>>();
  // The fleet-wide 7-day layout seeds every other map that has none yet, so windows and environments share positions.
  let seed: StoredLayout | null = null;
  // The 1-hour rows are fetched every cycle: the other windows' edges take their last minutes from them.
  const hourEdges = edgesFor("1h");
  for (const window of ["7d", "24h", "1h"] as const) {
    const workspaceEdges = window === "1h" ? hourEdges : edgesFor(window);
    for (const scope of scopes) {
      const map = buildMap({
        window,
        environment: scope === fleetScope ? null : scope,
        workspaces: workspaceEdges,
        componentEnvironments,
        services,
        health,
        recentFrom: hourEdges,
        ...(window !== "7d" && sevenDayPairs.has(scope) && { sevenDayPairs: sevenDayPairs.get(scope) }),
      });
      if (window === "7d") sevenDayPairs.set(scope, observedServicePairs(map));
      const layout = await layoutMap(map, previous.get(`${window}/${scope}`) ?? seed);
      if (window === "7d" && scope === fleetScope) seed = layout;
      summary.layouts[layout.method] += 1;
      await storeMapSnapshot({ map, scope, layout, now });
      summary.snapshots += 1;
    }
  }
  // Environments no longer served leave no snapshot behind (their slices go with them: ON DELETE CASCADE).
  await prisma.appMapSnapshot.deleteMany({ where: { environment: { notIn: scopes } } });
  return summary;
}
