// Integration (embedded PostgreSQL): the map's part of a poll cycle. Edge rows
// as a cycle's $batch returns them are stored per workspace and window, the
// snapshots are rebuilt from them with the catalog and health, positions stay
// put from one cycle to the next, and a failing workspace keeps its last
// edges, marked stale with its error, while the others stay current.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { mapRefreshId, mapWindowsPlan, refreshAppMap } from "@/lib/appmap/refresh-map";
import { getMap } from "@/lib/appmap/get-map";
import type { WorkspaceTelemetry } from "@/lib/health/poll-workspaces";
import type { MapEdgeRow } from "@/lib/health/queries";
import type { MapEdge, MapNode, MapSource, DeclaredNotSeen } from "@/lib/appmap/types";

const suffix = randomBytes(3).toString("hex");
const environment = `rm-${suffix}`;
const roleA = `front-${suffix}`;
const roleB = `back-${suffix}`;
const component = (name: string) => `/subscriptions/s/resourcegroups/rg/providers/microsoft.insights/components/${name}-${suffix}`;
const workspaceIds: Record<"one" | "two", string> = { one: "", two: "" };
const slugs = { a: `rm-a-${suffix}`, b: `rm-b-${suffix}`, c: `rm-c-${suffix}` };

function row(partial: Partial<MapEdgeRow> & Pick<MapEdgeRow, "callerRole" | "callerComponentId">): MapEdgeRow {
  return {
    calleeKind: "component",
    calleeRole: "",
    dependencyType: "Http",
    target: "",
    calls: 10,
    failedCalls: 1,
    failedPct: 10,
    avgMs: 20,
    p95Ms: 50,
    ...partial,
  };
}

function polledWith(entries: Record<string, WorkspaceTelemetry["mapEdges"]>): Map<string, WorkspaceTelemetry> {
  return new Map(Object.entries(entries).map(([id, mapEdges]) => [id, { workspace: { id } as WorkspaceTelemetry["workspace"], queried: true, mapEdges }]));
}

async function snapshot(window: string) {
  const found = await getPrisma().appMapSnapshot.findUniqueOrThrow({ where: { window_environment: { window, environment } } });
  return {
    ...found,
    nodes: found.nodes as unknown as MapNode[],
    edges: found.edges as unknown as MapEdge[],
    notSeen: found.notSeen as unknown as DeclaredNotSeen[],
    sources: found.sources as unknown as MapSource[],
    positions: found.positions as unknown as Record<string, { x: number; y: number }>,
  };
}

beforeAll(async () => {
  const prisma = getPrisma();
  // The map snapshots are fleet-wide: an earlier test file's poll cycle may have built them. This file starts from none.
  await prisma.appMapSnapshot.deleteMany({});
  await prisma.appMapEdges.deleteMany({});
  const team = await prisma.team.create({ data: { slug: `rm${suffix}`, name: `Team ${suffix}`, entraGroupIds: [], costCenter: "CC-1" } });
  const service = (slug: string, role: string | null) =>
    prisma.service.create({
      data: { slug, displayName: slug, ownerTeamId: team.id, tier: "standard", lifecycle: "production", tags: [], searchText: slug, appInsightsRoleName: role },
    });
  const a = await service(slugs.a, roleA);
  const b = await service(slugs.b, roleB);
  await service(slugs.c, null);
  // a declares c (never seen) and not b (seen: undeclared).
  await prisma.serviceDependency.create({ data: { serviceId: a.id, position: 0, kind: "service", target: slugs.c } });
  for (const key of ["one", "two"] as const) {
    const workspace = await prisma.telemetryWorkspace.create({
      data: {
        armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/${key}-${suffix}`,
        customerId: randomBytes(8).toString("hex"),
        name: `log-${key}-${suffix}`,
        subscriptionId: "s",
        resourceGroup: "rg",
        location: "westeurope",
      },
    });
    workspaceIds[key] = workspace.id;
    await prisma.telemetryComponent.create({
      data: { armId: component(key), name: `${key}-${suffix}`, appId: randomBytes(4).toString("hex"), workspaceId: workspace.id, environment },
    });
  }
  const cluster = await prisma.cluster.create({
    data: {
      armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/rm-${suffix}`,
      name: `rm-${suffix}`,
      subscriptionId: "s",
      resourceGroup: "rg",
      location: "westeurope",
    },
  });
  const namespace = await prisma.namespace.create({
    data: {
      clusterId: cluster.id,
      teamId: team.id,
      name: `rm-${suffix}`,
      activeName: `rm-${suffix}`,
      environment,
      costCenter: "CC-1",
      quota: {},
      containerDefaults: {},
      status: "ready",
    },
  });
  for (const [serviceId, state] of [
    [a.id, "healthy"],
    [b.id, "unhealthy"],
  ] as const) {
    await prisma.serviceHealth.create({ data: { serviceId, namespaceId: namespace.id, environment, state, stateSince: new Date(), evaluatedAt: new Date() } });
  }
});

describe("refreshAppMap", () => {
  const start = new Date(Date.now() + 1_000);
  const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
  const rowsOne = [
    row({ callerRole: roleA, callerComponentId: component("one"), calleeRole: roleB, calls: 30, failedCalls: 3 }),
    row({
      callerRole: roleB,
      callerComponentId: component("one"),
      calleeKind: "external",
      dependencyType: "SQL",
      target: `sql-${suffix}`,
      calls: 5,
      failedCalls: 0,
    }),
  ];
  const rowsTwo = [row({ callerRole: `ghost-${suffix}`, callerComponentId: component("two"), calleeRole: roleA, calls: 4, failedCalls: 0 })];

  it("stores the edges, builds every window's snapshot for the environment, and lays it out once", async () => {
    await refreshAppMap({
      polled: polledWith({
        [workspaceIds.one]: { "1h": { rows: rowsOne }, "24h": { rows: rowsOne }, "7d": { rows: rowsOne } },
        [workspaceIds.two]: { "1h": { rows: rowsTwo }, "24h": { rows: rowsTwo }, "7d": { rows: rowsTwo } },
      }),
      now: at(0),
      cycleSeconds: 60,
    });
    const hour = await snapshot("1h");
    const ids = hour.nodes.map((node) => node.id);
    expect(ids).toEqual(expect.arrayContaining([`svc:${slugs.a}`, `svc:${slugs.b}`, `role:ghost-${suffix}`, `ext:SQL:sql-${suffix}`]));
    expect(hour.nodes.find((node) => node.id === `svc:${slugs.b}`)).toMatchObject({ kind: "service", health: "unhealthy", team: { slug: `rm${suffix}` } });
    expect(hour.edges.find((edge) => edge.id === `svc:${slugs.a}->svc:${slugs.b}`)).toMatchObject({
      calls: 30,
      failedCalls: 3,
      failurePct: 10,
      declaration: "undeclared",
      stale: false,
    });
    expect(hour.notSeen).toEqual([{ from: slugs.a, to: slugs.c }]);
    expect(Object.keys(hour.positions).sort()).toEqual([...ids].sort());
    const fleet = await getPrisma().appMapSnapshot.findUniqueOrThrow({ where: { window_environment: { window: "7d", environment: "" } } });
    expect(fleet.layoutMethod).toBe("full");
    // The environment maps take their first positions from the fleet-wide 7-day layout, not a layout of their own.
    expect(hour.layoutMethod).not.toBe("full");
    // Fetched just now: no window is due again but the hour.
    const plan = await mapWindowsPlan(at(60));
    expect(plan({ id: workspaceIds.one })).toEqual(["1h"]);
  });

  it("the next cycle with the same topology keeps every position; a failing workspace keeps its edges, stale, with its error", async () => {
    const before = await snapshot("1h");
    await refreshAppMap({
      polled: polledWith({
        [workspaceIds.one]: { "1h": { rows: rowsOne.map((edge) => ({ ...edge, calls: edge.calls + 1 })) } },
        [workspaceIds.two]: { "1h": { error: "HTTP 503: ServiceUnavailable" } },
      }),
      now: at(60),
      cycleSeconds: 60,
    });
    const after = await snapshot("1h");
    expect(after.layoutMethod).toBe("unchanged");
    expect(after.positions).toEqual(before.positions);
    expect(after.edges.find((edge) => edge.id === `svc:${slugs.a}->svc:${slugs.b}`)).toMatchObject({ calls: 31, stale: false });
    expect(after.edges.find((edge) => edge.id === `role:ghost-${suffix}->svc:${slugs.a}`)).toMatchObject({ calls: 4, stale: true });
    expect(after.sources.find((source) => source.workspace === `log-two-${suffix}`)).toMatchObject({
      error: "HTTP 503: ServiceUnavailable",
      fetchedAt: at(0).toISOString(),
    });
    expect(after.sources.find((source) => source.workspace === `log-one-${suffix}`)).toMatchObject({ error: null, fetchedAt: at(60).toISOString() });
  });

  it("a new caller appears: old positions unchanged, the new node placed", async () => {
    const before = await snapshot("1h");
    await refreshAppMap({
      polled: polledWith({
        [workspaceIds.one]: { "1h": { rows: [...rowsOne, row({ callerRole: `newcomer-${suffix}`, callerComponentId: component("one"), calleeRole: roleB })] } },
      }),
      now: at(120),
      cycleSeconds: 60,
    });
    const after = await snapshot("1h");
    expect(after.layoutMethod).toBe("incremental");
    for (const [id, position] of Object.entries(before.positions)) expect(after.positions[id]).toEqual(position);
    expect(after.positions[`role:newcomer-${suffix}`]).toEqual({ x: expect.any(Number), y: expect.any(Number) });
  });

  it("a refresh that fails keeps the last map, and the map says since when and why; the next good one clears it", async () => {
    const prisma = getPrisma();
    const before = await snapshot("1h");
    const user = await prisma.user.create({
      data: { entraObjectId: `rm-${suffix}`, tenantId: "t", name: "Rory Map", email: "rory@example.com", groupIds: [], appRoles: [], lastSignInAt: new Date() },
    });
    const actor = { kind: "user" as const, userId: user.id, name: user.name, email: user.email, isAdmin: false, teams: [] };
    // A workspace id that is not a uuid: PostgreSQL refuses the edges' write, a real failure of the refresh.
    const broken = () => refreshAppMap({ polled: polledWith({ "not-a-uuid": { "1h": { rows: rowsOne } } }), now: at(180), cycleSeconds: 60 });
    await expect(broken()).rejects.toThrow(/uuid/i);
    const first = await prisma.appMapRefresh.findUniqueOrThrow({ where: { id: mapRefreshId } });
    await expect(broken()).rejects.toThrow(/uuid/i);
    const failing = await getMap({ actor, query: { window: "1h", environment } });
    expect(failing.refreshError).toMatchObject({ message: expect.stringMatching(/uuid/i), since: first.failingSince!.toISOString() });
    // Since the first failure, not the latest: the second try moved only lastAttemptAt.
    expect(Date.parse(failing.refreshError!.lastAttemptAt)).toBeGreaterThanOrEqual(first.lastAttemptAt.getTime());
    // The last good map is still there, unchanged.
    expect(failing.builtAt).toBe(before.builtAt.toISOString());
    expect((await snapshot("1h")).positions).toEqual(before.positions);

    await refreshAppMap({ polled: polledWith({ [workspaceIds.one]: { "1h": { rows: rowsOne } } }), now: at(240), cycleSeconds: 60 });
    const healed = await getMap({ actor, query: { window: "1h", environment } });
    expect(healed.refreshError).toBeNull();
    expect(await prisma.appMapRefresh.findUniqueOrThrow({ where: { id: mapRefreshId } })).toMatchObject({ lastError: null, failingSince: null });
  });
});
