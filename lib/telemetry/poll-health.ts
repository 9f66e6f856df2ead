// One health poll cycle, for every service in every namespace at once: fan
// in, never per viewer. It (re)discovers workspaces and components when due,
// sends one query per workspace for all roles together, reads Kubernetes from
// the worker's informers, judges each service × namespace with the pure model
// against its tier's thresholds, writes the snapshots, and announces a
// `health` change. Pages and the API read the snapshots only.
//
// Telemetry that could not be refreshed this cycle (workspace backing off, or
// failing) keeps the last good figures from the previous snapshot while they
// are younger than two cycles; past that the model makes it unknown with
// "data is N min old" and the workspace's error.
import { getPrisma } from "@/lib/db/client";
import { latestDeploymentIds } from "@/lib/deployments/latest-deployments";
import type { WharfConfig } from "@/lib/config";
import { publishChange } from "@/lib/changes/publish-change";
import { thresholdsForTier } from "@/lib/health/thresholds";
import { evaluateHealth, sampledEffectiveCount } from "@/lib/health/model";
import { defaultHealthWindowMinutes, type HealthQueryResult } from "@/lib/health/queries";
import { discoverTelemetry } from "@/lib/health/discover-telemetry";
import { pollWorkspaces, type WorkspaceTelemetry } from "@/lib/health/poll-workspaces";
import { readKubernetes, type KubernetesTarget } from "@/lib/health/read-kubernetes";
import { applyRetention, writeHealth, type SampleWrite } from "@/lib/health/write-health";
import type { HealthReason, HealthState, KubernetesObservation, TelemetryObservation } from "@/lib/health/types";
import { mapWindowsPlan, refreshAppMap } from "@/lib/appmap/refresh-map";
import { runKqlTiles, type KqlRunSummary } from "@/lib/boards/run-kql-tiles";

export interface PollHealthOptions {
  config: WharfConfig;
  now?: Date;
  windowMinutes?: number;
  /** Rediscover workspaces and components through ARM this often (and whenever none is stored). */
  discoveryIntervalMinutes?: number;
  /** How long to wait for a cluster's informer to list the first time. */
  syncTimeoutMs?: number;
}

export interface PollHealthSummary {
  services: number;
  workspacesQueried: number;
  workspaceErrors: { workspace: string; error: string }[];
  states: Record<HealthState, number>;
  transitions: number;
  /** Why the application map could not be refreshed this cycle (health was written regardless). */
  mapError?: string;
  /** The wall boards' KQL tiles run this cycle (decision 0046), or why they could not be. */
  kqlTiles?: KqlRunSummary | { error: string };
  /** Where the cycle's wall time went, ms per phase in the order they ran (for benches and logs). */
  phases: Record<string, number>;
}

interface Target {
  serviceId: string;
  slug: string;
  tier: string;
  role: string | null;
  namespaceId: string;
  namespace: string;
  environment: string;
  kubernetes: KubernetesTarget;
}

const state = globalThis as typeof globalThis & { wharfTelemetryDiscoveredAt?: number };

/** Service × namespace pairs: ready namespaces where the service has had a Deployment applied. */
async function loadTargets(): Promise<Target[]> {
  const ids = await latestDeploymentIds({ appliedOnly: true, namespaceStatuses: ["ready"], activeServicesOnly: true });
  const rows = await getPrisma().deployment.findMany({
    where: { id: { in: ids } },
    orderBy: [{ serviceId: "asc" }, { namespaceId: "asc" }],
    select: {
      status: true,
      reason: true,
      startedAt: true,
      finishedAt: true,
      replicas: true,
      service: { select: { id: true, slug: true, tier: true, appInsightsRoleName: true } },
      namespace: {
        select: { id: true, name: true, environment: true, cluster: { select: { id: true, name: true, subscriptionId: true, resourceGroup: true } } },
      },
    },
  });
  return rows.map((row) => ({
    serviceId: row.service.id,
    slug: row.service.slug,
    tier: row.service.tier,
    role: row.service.appInsightsRoleName?.trim() || null,
    namespaceId: row.namespace.id,
    namespace: row.namespace.name,
    environment: row.namespace.environment,
    kubernetes: {
      cluster: row.namespace.cluster,
      namespace: row.namespace.name,
      service: row.service.slug,
      lastRollout: { status: row.status, reason: row.reason, startedAt: row.startedAt, finishedAt: row.finishedAt, replicas: row.replicas },
    },
  }));
}

async function discoverIfDue(options: PollHealthOptions, now: Date): Promise<void> {
  const interval = (options.discoveryIntervalMinutes ?? 60) * 60_000;
  const stored = await getPrisma().telemetryWorkspace.count({ where: { missingSince: null } });
  if (stored > 0 && state.wharfTelemetryDiscoveredAt !== undefined && now.getTime() - state.wharfTelemetryDiscoveredAt < interval) return;
  // Remember the attempt even when it fails: ARM is asked again at the next interval, not every cycle.
  state.wharfTelemetryDiscoveredAt = now.getTime();
  await discoverTelemetry(options.config, now);
}

interface ComponentRoute {
  workspaceId: string;
  componentIds: Set<string>;
}

/** A workspace's result split by role once per cycle, so each target reads its own rows, not the fleet's. */
type ResultsByRole = Map<string, Map<string, HealthQueryResult>>;

function indexByRole(workspaces: Map<string, WorkspaceTelemetry>): ResultsByRole {
  const index: ResultsByRole = new Map();
  for (const [workspaceId, polled] of workspaces) {
    if (!polled.result) continue;
    const byRole = new Map<string, HealthQueryResult>();
    const of = (role: string) => {
      let entry = byRole.get(role);
      if (!entry) byRole.set(role, (entry = { window: [], minutes: [], availability: [] }));
      return entry;
    };
    for (const row of polled.result.window) of(row.role).window.push(row);
    for (const row of polled.result.minutes) of(row.role).minutes.push(row);
    for (const row of polled.result.availability) of(row.role).availability.push(row);
    index.set(workspaceId, byRole);
  }
  return index;
}

/** The figures for one role from the workspaces whose components serve the environment. */
function telemetryFor(
  target: Target,
  routes: ComponentRoute[],
  workspaces: Map<string, WorkspaceTelemetry>,
  resultsByRole: ResultsByRole,
  previous: TelemetryObservation | null | undefined,
  now: Date,
  cycleSeconds: number,
): { observation: TelemetryObservation; minutes: Map<number, { requests: number; failed: number; p95: number | null }> } {
  const minutes = new Map<number, { requests: number; failed: number; p95: number | null }>();
  if (routes.length === 0) {
    return { observation: { observedAt: now.toISOString(), error: `no App Insights component is tagged wharf.io/environment=${target.environment}` }, minutes };
  }
  const fresh: HealthQueryResult[] = [];
  let failing: WorkspaceTelemetry | undefined;
  for (const route of routes) {
    const polled = workspaces.get(route.workspaceId);
    if (polled?.result) fresh.push(filterResult(resultsByRole.get(route.workspaceId)?.get(target.role!), route.componentIds));
    else if (polled && (polled.workspace.lastError || polled.workspace.nextPollAt)) failing ??= polled;
  }
  if (fresh.length === routes.length) {
    let requests = 0;
    let failed = 0;
    let requestsSquares = 0;
    let failedSquares = 0;
    let p95: number | null = null;
    let runs = 0;
    let passed = 0;
    for (const result of fresh) {
      for (const row of result.window) {
        requests += row.requests;
        failed += row.failed;
        requestsSquares += row.requestsSquares;
        failedSquares += row.failedSquares;
        if (row.p95DurationMs !== null) p95 = Math.max(p95 ?? 0, row.p95DurationMs);
      }
      for (const row of result.availability) {
        runs += row.runs;
        passed += row.passed;
      }
      for (const row of result.minutes) {
        const key = row.minute.getTime();
        const entry = minutes.get(key) ?? { requests: 0, failed: 0, p95: null };
        entry.requests += row.requests;
        entry.failed += row.failed;
        if (row.p95DurationMs !== null) entry.p95 = Math.max(entry.p95 ?? 0, row.p95DurationMs);
        minutes.set(key, entry);
      }
    }
    return {
      observation: {
        observedAt: now.toISOString(),
        requests,
        failed,
        // No squares: a result from a query that did not count them (tests' hand-made ones); judged on the requests as before.
        ...(requestsSquares > 0
          ? {
              effectiveRequests: Math.round(10 * sampledEffectiveCount({ total: requests, failed, totalSquares: requestsSquares, failedSquares })) / 10,
              sampledRequests: Math.round((10 * requests * requests) / requestsSquares) / 10,
            }
          : {}),
        failureRatePct: requests > 0 ? (100 * failed) / requests : null,
        p95DurationMs: p95,
        availabilityPct: runs > 0 ? (100 * passed) / runs : null,
        ...(runs > 0 ? { availabilityRuns: runs, availabilityPassed: passed } : {}),
      },
      minutes,
    };
  }
  // Not refreshed this cycle: the last good figures while they are younger than two cycles, then the error.
  const previousFigures = previous && previous.error === undefined ? previous : null;
  const lastGood = previousFigures?.observedAt ?? (previous?.observedAt && previous.error !== undefined ? previous.observedAt : null);
  if (previousFigures && now.getTime() - Date.parse(previousFigures.observedAt) <= 2 * cycleSeconds * 1000) return { observation: previousFigures, minutes };
  const waitingFor = routes.map((route) => workspaces.get(route.workspaceId)?.workspace.name ?? route.workspaceId).join(", ");
  const error = failing?.workspace.lastError ?? `no figures yet from ${waitingFor}: it has not answered a health query since this service was first seen`;
  return { observation: { observedAt: lastGood ?? failing?.workspace.lastSuccessAt?.toISOString() ?? now.toISOString(), error }, minutes };
}

/** One role's rows (already split out of the workspace's result), those of the environment's components. */
function filterResult(result: HealthQueryResult | undefined, componentIds: Set<string>): HealthQueryResult {
  if (!result) return { window: [], minutes: [], availability: [] };
  return {
    window: result.window.filter((row) => componentIds.has(row.componentId)),
    minutes: result.minutes.filter((row) => componentIds.has(row.componentId)),
    availability: result.availability,
  };
}

function minuteOf(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 60_000) * 60_000);
}

export async function pollHealth(options: PollHealthOptions): Promise<PollHealthSummary> {
  const { config } = options;
  const now = options.now ?? new Date();
  const windowMinutes = options.windowMinutes ?? defaultHealthWindowMinutes;
  const cycleSeconds = config.health.pollSeconds;
  const prisma = getPrisma();
  const phases: Record<string, number> = {};
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const at = performance.now();
    phases[name] = Math.round(at - phaseStart);
    phaseStart = at;
  };

  await discoverIfDue(options, now);
  phase("discover");
  const targets = await loadTargets();
  const roles = [...new Set(targets.map((target) => target.role).filter((role): role is string => role !== null))];

  const [workspaceRows, componentRows, thresholdRows, previousRows] = await Promise.all([
    prisma.telemetryWorkspace.findMany({ where: { missingSince: null }, orderBy: { name: "asc" } }),
    prisma.telemetryComponent.findMany({ where: { missingSince: null, environment: { not: null }, workspace: { missingSince: null } } }),
    prisma.healthThresholds.findMany(),
    prisma.serviceHealth.findMany({ select: { serviceId: true, namespaceId: true, state: true, reasons: true, stateSince: true, telemetry: true } }),
  ]);
  // Only workspaces some environment's component writes to are worth a query.
  const usedWorkspaces = new Set(componentRows.map((component) => component.workspaceId));
  // The application map's edge queries ride in the same $batch, for the windows due (lib/appmap/map-cadence.ts).
  const mapWindowsFor = await mapWindowsPlan(now);
  phase("read state");
  const polled = await pollWorkspaces({
    config,
    workspaces: workspaceRows.filter((workspace) => usedWorkspaces.has(workspace.id)),
    roles,
    windowMinutes,
    now,
    mapWindowsFor,
  });

  phase("log analytics");
  const routesByEnvironment = new Map<string, ComponentRoute[]>();
  for (const component of componentRows) {
    const routes = routesByEnvironment.get(component.environment!) ?? [];
    let route = routes.find((candidate) => candidate.workspaceId === component.workspaceId);
    if (!route) routes.push((route = { workspaceId: component.workspaceId, componentIds: new Set() }));
    route.componentIds.add(component.armId.toLowerCase());
    routesByEnvironment.set(component.environment!, routes);
  }

  // After the workspaces have answered, not alongside: an informer's first list is given syncTimeoutMs, and a
  // busy event loop while the answers are parsed (or an in-process sandbox evaluating KQL) ate into it: poll-health.test.ts failed so under load.
  const kubernetes = await readKubernetes(
    targets.map((target) => target.kubernetes),
    { now, windowMinutes, syncTimeoutMs: options.syncTimeoutMs },
  );
  phase("kubernetes");
  const resultsByRole = indexByRole(polled);
  const previousByPair = new Map(previousRows.map((row) => [`${row.serviceId}/${row.namespaceId}`, row]));
  const snapshots = [];
  const current: SampleWrite[] = [];
  const figures: SampleWrite[] = [];
  const states: Record<HealthState, number> = { healthy: 0, degraded: 0, unhealthy: 0, unknown: 0 };
  const thisMinute = minuteOf(now);

  for (const [index, target] of targets.entries()) {
    const previous = previousByPair.get(`${target.serviceId}/${target.namespaceId}`);
    const k8s: KubernetesObservation = kubernetes[index]!;
    const telemetry = target.role
      ? telemetryFor(
          target,
          routesByEnvironment.get(target.environment) ?? [],
          polled,
          resultsByRole,
          previous?.telemetry as TelemetryObservation | null | undefined,
          now,
          cycleSeconds,
        )
      : null;
    const verdict = evaluateHealth({
      kubernetes: k8s,
      telemetry: telemetry?.observation ?? null,
      thresholds: thresholdsForTier(target.tier, thresholdRows),
      now,
      cycleSeconds,
      previous: previous
        ? { state: previous.state as HealthState, reasons: previous.reasons as unknown as HealthReason[], stateSince: previous.stateSince.toISOString() }
        : null,
    });
    states[verdict.state] += 1;
    snapshots.push({
      serviceId: target.serviceId,
      namespaceId: target.namespaceId,
      environment: target.environment,
      state: verdict.state,
      reasons: verdict.reasons,
      stateSince: new Date(verdict.stateSince),
      kubernetes: k8s,
      telemetry: telemetry?.observation ?? null,
      evaluatedAt: now,
      previousState: (previous?.state as HealthState | undefined) ?? null,
    });
    const pair = { serviceId: target.serviceId, namespaceId: target.namespaceId };
    const observation = telemetry?.observation;
    const thisMinuteFigures = telemetry?.minutes.get(thisMinute.getTime());
    current.push({
      ...pair,
      at: thisMinute,
      state: verdict.state,
      requests: thisMinuteFigures?.requests ?? null,
      failed: thisMinuteFigures?.failed ?? null,
      failureRatePct: thisMinuteFigures && thisMinuteFigures.requests > 0 ? (100 * thisMinuteFigures.failed) / thisMinuteFigures.requests : null,
      p95DurationMs: thisMinuteFigures?.p95 ?? null,
      availabilityPct: observation && observation.error === undefined ? (observation.availabilityPct ?? null) : null,
      readyReplicas: k8s.error === undefined ? (k8s.readyReplicas ?? null) : null,
      desiredReplicas: k8s.error === undefined ? (k8s.desiredReplicas ?? null) : null,
    });
    // Earlier minutes' figures settle as late telemetry arrives: rewrite the last few each cycle, the whole window only the first time.
    const rewriteFrom = previous ? now.getTime() - 3 * Math.max(cycleSeconds, 60) * 1000 : 0;
    for (const [minute, entry] of telemetry?.minutes ?? []) {
      if (minute === thisMinute.getTime() || minute < rewriteFrom) continue;
      figures.push({
        ...pair,
        at: new Date(minute),
        state: verdict.state,
        requests: entry.requests,
        failed: entry.failed,
        failureRatePct: entry.requests > 0 ? (100 * entry.failed) / entry.requests : null,
        p95DurationMs: entry.p95,
        availabilityPct: null,
        readyReplicas: null,
        desiredReplicas: null,
      });
    }
  }

  phase("evaluate");
  const { transitions } = await writeHealth({ snapshots, current, figures, pruneOthers: true });
  phase("write");
  await applyRetention(now);
  phase("retention");
  let mapError: string | undefined;
  try {
    await refreshAppMap({ polled, now, cycleSeconds });
  } catch (error) {
    // The map is a view over health; its failure must not fail the health cycle. It is logged and returned with the summary.
    mapError = error instanceof Error ? error.message : String(error);
    console.error(`Application map not refreshed: ${mapError}`);
  }
  phase("map");
  // The boards' KQL tiles, after health's own queries (never beside them: Log Analytics allows five at once per caller) and before
  // the notice, on which every board's screens refetch their snapshot. Their failure, like the map's, never fails the cycle.
  let kqlTiles: KqlRunSummary | { error: string };
  try {
    const workspaces = workspaceRows.map((row) => polled.get(row.id)?.workspace ?? row);
    kqlTiles = await runKqlTiles({ config, now, workspaces });
  } catch (error) {
    kqlTiles = { error: error instanceof Error ? error.message : String(error) };
    console.error(`Wall boards' KQL tiles not run: ${kqlTiles.error}`);
  }
  phase("kql tiles");
  // One notice per cycle for the whole fleet: the topic "health:fleet" that live health views watch.
  await publishChange({ kind: "health", id: "fleet" });
  phase("notice");
  const workspaceErrors = [...polled.values()]
    .filter((entry) => entry.workspace.lastError)
    .map((entry) => ({ workspace: entry.workspace.name, error: entry.workspace.lastError! }));
  return {
    services: targets.length,
    workspacesQueried: [...polled.values()].filter((entry) => entry.queried).length,
    workspaceErrors,
    states,
    transitions,
    ...(mapError !== undefined && { mapError }),
    kqlTiles,
    phases,
  };
}
