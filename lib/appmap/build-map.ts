// Pure: the map-edges rows of every workspace, the catalog and the health
// snapshots in, the application map out. No I/O, so every rule here is tested
// on fixtures (build-map.test.ts).
import { mapRecentMinutes, type MapEdgeRow, type MapWindow } from "@/lib/health/queries";
import { sampledEffectiveCount } from "@/lib/health/model";
import { healthStateRank, type HealthState } from "@/lib/health/types";
import type { AppMap, DeclaredNotSeen, MapEdge, MapNode, MapSource, RecentCalls } from "@/lib/appmap/types";

export interface CatalogService {
  id: string;
  slug: string;
  name: string;
  /** Service.appInsightsRoleName, trimmed; null when it has none. */
  role: string | null;
  team: { slug: string; name: string };
  /** Slugs of the services its catalog entry declares it depends on. */
  declared: readonly string[];
}

export interface HealthEntry {
  serviceId: string;
  environment: string;
  state: HealthState;
}

export interface WorkspaceEdges {
  workspace: string;
  fetchedAt: Date | null;
  error: string | null;
  /** Older than the window's cadence allows, or from before an error: its edges are marked stale. */
  stale: boolean;
  rows: readonly MapEdgeRow[];
}

export interface BuildMapInput {
  window: MapWindow;
  /** null: fleet-wide. */
  environment: string | null;
  workspaces: readonly WorkspaceEdges[];
  /** App Insights component ARM id (lowercased) → the environment it serves. */
  componentEnvironments: ReadonlyMap<string, string>;
  services: readonly CatalogService[];
  health: readonly HealthEntry[];
  /**
   * The service → service pairs (`from>to` slugs) observed over 7 days in the
   * same scope; declared dependencies outside it are "not seen". Omitted: the
   * map's own edges are used (right for the 7-day map itself).
   */
  sevenDayPairs?: ReadonlySet<string>;
  /** Past this many targets of one dependency type, the least-called are drawn as one group node. */
  maxTargetsPerType?: number;
  /**
   * The rows whose recent calls (the last minutes before their fetch) the edges carry: the 1-hour window's, fetched
   * every cycle, for the 24-hour and 7-day maps. Omitted: the window's own rows (right for the 1-hour map).
   */
  recentFrom?: readonly WorkspaceEdges[];
}

const defaultMaxTargetsPerType = 25;

export const serviceNodeId = (slug: string) => `svc:${slug}`;
export const unknownRoleNodeId = (role: string) => `role:${role}`;
export const externalNodeId = (type: string, target: string) => `ext:${type}:${target}`;
export const externalGroupNodeId = (type: string) => `ext-group:${type}`;

interface EdgeAccumulator {
  source: string;
  target: string;
  calls: number;
  failedCalls: number;
  weightedMs: number;
  weightedCalls: number;
  p95Ms: number | null;
  stale: boolean;
}

function worst(states: HealthState[]): HealthState | null {
  if (states.length === 0) return null;
  return states.reduce((a, b) => (healthStateRank[b] < healthStateRank[a] ? b : a));
}

/** Service → service pairs (`from>to` slugs) among a map's edges. */
export function observedServicePairs(map: Pick<AppMap, "nodes" | "edges">): Set<string> {
  const slugOf = new Map(map.nodes.filter((node) => node.kind === "service").map((node) => [node.id, node.serviceSlug!]));
  const pairs = new Set<string>();
  for (const edge of map.edges) {
    const from = slugOf.get(edge.source);
    const to = slugOf.get(edge.target);
    if (from && to) pairs.add(`${from}>${to}`);
  }
  return pairs;
}

export function buildMap(input: BuildMapInput): AppMap {
  const { environment } = input;
  const maxTargets = input.maxTargetsPerType ?? defaultMaxTargetsPerType;
  // Several services may claim one role name: the first by slug wins, so the map is the same every cycle.
  const serviceByRole = new Map<string, CatalogService>();
  for (const service of [...input.services].sort((a, b) => a.slug.localeCompare(b.slug))) {
    if (service.role && !serviceByRole.has(service.role)) serviceByRole.set(service.role, service);
  }
  const healthByService = new Map<string, HealthState[]>();
  for (const entry of input.health) {
    if (environment !== null && entry.environment !== environment) continue;
    healthByService.set(entry.serviceId, [...(healthByService.get(entry.serviceId) ?? []), entry.state]);
  }

  const nodes = new Map<string, MapNode>();
  const serviceNode = (service: CatalogService): string => {
    const id = serviceNodeId(service.slug);
    if (!nodes.has(id)) {
      nodes.set(id, {
        id,
        kind: "service",
        label: service.name,
        team: service.team,
        serviceSlug: service.slug,
        ...(service.role && { role: service.role }),
        health: worst(healthByService.get(service.id) ?? []),
      });
    }
    return id;
  };
  const roleNode = (role: string): string => {
    const service = serviceByRole.get(role);
    if (service) return serviceNode(service);
    const id = unknownRoleNodeId(role);
    if (!nodes.has(id)) nodes.set(id, { id, kind: "unknown", label: role || "(no role name)", team: null, role, health: null });
    return id;
  };
  // Every service deployed in scope is on the map, called or not.
  for (const service of input.services) if (healthByService.has(service.id)) serviceNode(service);

  // External targets per type, by calls, to decide which are drawn one by one.
  const inScope: { row: MapEdgeRow; stale: boolean }[] = [];
  for (const workspace of input.workspaces) {
    for (const row of workspace.rows) {
      const rowEnvironment = input.componentEnvironments.get(row.callerComponentId);
      if (environment !== null && rowEnvironment !== environment) continue;
      inScope.push({ row, stale: workspace.stale });
    }
  }
  const callsByTarget = new Map<string, Map<string, number>>();
  for (const { row } of inScope) {
    if (row.calleeKind !== "external") continue;
    const targets = callsByTarget.get(row.dependencyType) ?? new Map<string, number>();
    targets.set(row.target, (targets.get(row.target) ?? 0) + row.calls);
    callsByTarget.set(row.dependencyType, targets);
  }
  const drawnTargets = new Map<string, Set<string>>();
  const groupSizes = new Map<string, number>();
  for (const [type, targets] of callsByTarget) {
    const ranked = [...targets].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const keep = ranked.length > maxTargets ? ranked.slice(0, maxTargets - 1) : ranked;
    drawnTargets.set(type, new Set(keep.map(([target]) => target)));
    if (ranked.length > keep.length) groupSizes.set(type, ranked.length - keep.length);
  }
  const externalNode = (type: string, target: string): string => {
    if (drawnTargets.get(type)?.has(target)) {
      const id = externalNodeId(type, target);
      if (!nodes.has(id)) nodes.set(id, { id, kind: "external", label: target || "(no target)", team: null, dependencyType: type, target, health: null });
      return id;
    }
    const id = externalGroupNodeId(type);
    const count = groupSizes.get(type)!;
    if (!nodes.has(id))
      nodes.set(id, {
        id,
        kind: "external-group",
        label: `${count} other ${type} targets`,
        team: null,
        dependencyType: type,
        targetCount: count,
        health: null,
      });
    return id;
  };

  const edges = new Map<string, EdgeAccumulator>();
  for (const { row, stale } of inScope) {
    const source = roleNode(row.callerRole);
    const target = row.calleeKind === "component" ? roleNode(row.calleeRole) : externalNode(row.dependencyType, row.target);
    const id = `${source}->${target}`;
    const edge = edges.get(id) ?? { source, target, calls: 0, failedCalls: 0, weightedMs: 0, weightedCalls: 0, p95Ms: null, stale: false };
    edge.calls += row.calls;
    edge.failedCalls += row.failedCalls;
    if (row.avgMs !== null) {
      edge.weightedMs += row.avgMs * row.calls;
      edge.weightedCalls += row.calls;
    }
    if (row.p95Ms !== null) edge.p95Ms = Math.max(edge.p95Ms ?? 0, row.p95Ms);
    edge.stale ||= stale;
    edges.set(id, edge);
  }

  const declaredBySlug = new Map(input.services.map((service) => [service.slug, new Set(service.declared)]));
  const slugOf = (id: string) => nodes.get(id)?.serviceSlug;
  const recent = recentCalls(input.recentFrom ?? input.workspaces, (row) => {
    if (environment !== null && input.componentEnvironments.get(row.callerComponentId) !== environment) return undefined;
    const roleId = (role: string) => {
      const service = serviceByRole.get(role);
      return service ? serviceNodeId(service.slug) : unknownRoleNodeId(role);
    };
    const target =
      row.calleeKind === "component"
        ? roleId(row.calleeRole)
        : drawnTargets.get(row.dependencyType)?.has(row.target)
          ? externalNodeId(row.dependencyType, row.target)
          : externalGroupNodeId(row.dependencyType);
    const id = `${roleId(row.callerRole)}->${target}`;
    // Only the window's own edges: a call first seen in the last minutes is on the map at its window's next fetch.
    return edges.has(id) ? id : undefined;
  });
  const mapEdges: MapEdge[] = [...edges].map(([id, edge]) => {
    const from = slugOf(edge.source);
    const to = slugOf(edge.target);
    const declaration = from && to ? (from === to || declaredBySlug.get(from)?.has(to) ? "declared" : "undeclared") : "not-applicable";
    return {
      id,
      source: edge.source,
      target: edge.target,
      calls: edge.calls,
      failedCalls: edge.failedCalls,
      failurePct: edge.calls > 0 ? Math.round((10_000 * edge.failedCalls) / edge.calls) / 100 : null,
      avgMs: edge.weightedCalls > 0 ? Math.round((10 * edge.weightedMs) / edge.weightedCalls) / 10 : null,
      p95Ms: edge.p95Ms,
      declaration,
      selfCall: edge.source === edge.target,
      stale: edge.stale,
      ...(recent.has(id) && { recent: recent.get(id) }),
    };
  });

  const map: AppMap = {
    window: input.window,
    environment,
    nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    edges: mapEdges.sort((a, b) => a.id.localeCompare(b.id)),
    notSeen: [],
    sources: input.workspaces
      .map((workspace): MapSource => ({ workspace: workspace.workspace, fetchedAt: workspace.fetchedAt?.toISOString() ?? null, error: workspace.error }))
      .sort((a, b) => a.workspace.localeCompare(b.workspace)),
  };
  // A call this map draws was seen in the last 7 days whatever the 7-day map (fetched every few hours) says yet.
  const ownPairs = observedServicePairs(map);
  map.notSeen = declaredNotSeen(input, input.sevenDayPairs ? new Set([...input.sevenDayPairs, ...ownPairs]) : ownPairs);
  return map;
}

/** Each edge's calls in the last minutes, from the current rows that counted them; `edgeOf` names a row's edge. */
function recentCalls(workspaces: readonly WorkspaceEdges[], edgeOf: (row: MapEdgeRow) => string | undefined): Map<string, RecentCalls> {
  const recent = new Map<string, RecentCalls>();
  const squares = new Map<string, { total: number; failed: number }>();
  for (const workspace of workspaces) {
    // A stale fetch's last minutes are not recent.
    if (workspace.stale) continue;
    for (const row of workspace.rows) {
      if (row.recentCalls === undefined) continue;
      const id = edgeOf(row);
      if (id === undefined) continue;
      const entry = recent.get(id) ?? { minutes: mapRecentMinutes, calls: 0, failedCalls: 0, failurePct: null };
      entry.calls += row.recentCalls;
      entry.failedCalls += row.recentFailedCalls ?? 0;
      entry.failurePct = entry.calls > 0 ? Math.round((10_000 * entry.failedCalls) / entry.calls) / 100 : null;
      recent.set(id, entry);
      // Rows stored before the squares were counted leave the edge judged on its calls, as before.
      const sums = squares.get(id) ?? { total: 0, failed: 0 };
      sums.total += row.recentSquares ?? 0;
      sums.failed += row.recentFailedSquares ?? 0;
      squares.set(id, sums);
    }
  }
  for (const [id, entry] of recent) {
    const sums = squares.get(id);
    if (!sums || sums.total <= 0) continue;
    const effective = sampledEffectiveCount({ total: entry.calls, failed: entry.failedCalls, totalSquares: sums.total, failedSquares: sums.failed });
    entry.effectiveCalls = Math.round(10 * effective) / 10;
  }
  return recent;
}

/**
 * Declared service → service dependencies not observed in 7 days, for the
 * services that could have been seen: those with a role name, deployed in
 * scope. A service Wharf cannot see in telemetry proves nothing by silence.
 */
function declaredNotSeen(input: BuildMapInput, sevenDayPairs: ReadonlySet<string>): DeclaredNotSeen[] {
  const inScope = new Set(
    input.health.filter((entry) => input.environment === null || entry.environment === input.environment).map((entry) => entry.serviceId),
  );
  const notSeen: DeclaredNotSeen[] = [];
  for (const service of input.services) {
    if (!service.role || !inScope.has(service.id)) continue;
    for (const to of service.declared) {
      if (to !== service.slug && !sevenDayPairs.has(`${service.slug}>${to}`)) notSeen.push({ from: service.slug, to });
    }
  }
  return notSeen.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
