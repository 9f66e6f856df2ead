// Integration (embedded PostgreSQL): the map's reads after decision 0049. A
// team's map comes from the slice the poll cycle stored with the snapshot and
// equals the fleet's map cut to that team; a whole map parsed once per process
// is served only while the stored snapshot keeps its version, so a refresh (or
// any other write of the row) is seen by the next read.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { refreshAppMap } from "@/lib/appmap/refresh-map";
import { getMap, type MapView } from "@/lib/appmap/get-map";
import { parsedMapVersion } from "@/lib/appmap/read-map-snapshot";
import { publishChange } from "@/lib/changes/publish-change";
import type { SystemActor } from "@/lib/auth/permissions";
import type { WorkspaceTelemetry } from "@/lib/health/poll-workspaces";
import type { MapEdgeRow } from "@/lib/health/queries";
import type { MapEdge } from "@/lib/appmap/types";

const suffix = randomBytes(3).toString("hex");
const environment = `rs-${suffix}`;
const teams = { one: `rs1${suffix}`, two: `rs2${suffix}` };
const component = `/subscriptions/s/resourcegroups/rg/providers/microsoft.insights/components/rs-${suffix}`;
const role = (name: string) => `${name}-${suffix}`;
const actor: SystemActor = { kind: "system", name: "Map read test" };
let workspaceId = "";

function row(callerRole: string, callee: { role: string } | { sql: string }, calls: number): MapEdgeRow {
  return {
    callerRole,
    callerComponentId: component,
    calleeKind: "role" in callee ? "component" : "external",
    calleeRole: "role" in callee ? callee.role : "",
    dependencyType: "role" in callee ? "Http" : "SQL",
    target: "sql" in callee ? callee.sql : "",
    calls,
    failedCalls: 1,
    failedPct: 100 / calls,
    avgMs: 20,
    p95Ms: 50,
  };
}

// Team one: a → b, b → SQL; team two: c → a (across teams), d → d (a self-call); e of team two never calls anyone.
const rows = (calls: number) => [
  row(role("a"), { role: role("b") }, calls),
  row(role("b"), { sql: `db-${suffix}` }, calls),
  row(role("c"), { role: role("a") }, calls),
  row(role("d"), { role: role("d") }, calls),
];

async function refresh(calls: number, seconds: number) {
  const polled = new Map<string, WorkspaceTelemetry>([
    [
      workspaceId,
      {
        workspace: { id: workspaceId } as WorkspaceTelemetry["workspace"],
        queried: true,
        mapEdges: { "1h": { rows: rows(calls) }, "24h": { rows: rows(calls) }, "7d": { rows: rows(calls) } },
      },
    ],
  ]);
  await refreshAppMap({ polled, now: new Date(Date.now() + seconds * 1000), cycleSeconds: 60 });
}

/** What a team's map must be: the fleet's map cut to the team's services and everything touching them. */
function cutToTeam(view: MapView, team: string): Pick<MapView, "nodes" | "edges" | "notSeen"> {
  const own = new Set(view.nodes.filter((node) => node.team?.slug === team).map((node) => node.id));
  const edges = view.edges.filter((edge) => own.has(edge.source) || own.has(edge.target));
  const touched = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
  const ownSlugs = new Set(view.nodes.filter((node) => own.has(node.id)).map((node) => node.serviceSlug));
  return {
    nodes: view.nodes.filter((node) => own.has(node.id) || touched.has(node.id)),
    edges,
    notSeen: view.notSeen.filter((entry) => ownSlugs.has(entry.from)),
  };
}

const callsOf = (view: MapView, from: string, to: string) => view.edges.find((edge) => edge.id === `svc:${from}->svc:${to}`)?.calls;

beforeAll(async () => {
  const prisma = getPrisma();
  const [one, two] = await Promise.all(
    Object.values(teams).map((slug) => prisma.team.create({ data: { slug, name: slug, entraGroupIds: [], costCenter: "CC-1" } })),
  );
  const cluster = await prisma.cluster.create({
    data: {
      armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/rs-${suffix}`,
      name: `rs-${suffix}`,
      subscriptionId: "s",
      resourceGroup: "rg",
      location: "westeurope",
    },
  });
  const { id: namespaceId } = await prisma.namespace.create({
    data: {
      clusterId: cluster.id,
      teamId: one!.id,
      name: `rs-${suffix}`,
      activeName: `rs-${suffix}`,
      environment,
      costCenter: "CC-1",
      quota: {},
      containerDefaults: {},
      status: "ready",
    },
  });
  for (const [name, team] of [
    ["a", one!],
    ["b", one!],
    ["c", two!],
    ["d", two!],
    ["e", two!],
  ] as const) {
    const service = await prisma.service.create({
      data: {
        slug: role(name),
        displayName: name.toUpperCase(),
        ownerTeamId: team.id,
        tier: "standard",
        lifecycle: "production",
        tags: [],
        searchText: name,
        appInsightsRoleName: role(name),
      },
    });
    // a declares e, never called: "not seen" on team one's map (a service is judged only where it runs: it has a health snapshot).
    if (name === "a") {
      await prisma.serviceDependency.create({ data: { serviceId: service.id, position: 0, kind: "service", target: role("e") } });
      await prisma.serviceHealth.create({
        data: { serviceId: service.id, namespaceId, environment, state: "healthy", stateSince: new Date(), evaluatedAt: new Date() },
      });
    }
  }
  const workspace = await prisma.telemetryWorkspace.create({
    data: {
      armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/rs-${suffix}`,
      customerId: randomBytes(8).toString("hex"),
      name: `log-rs-${suffix}`,
      subscriptionId: "s",
      resourceGroup: "rg",
      location: "westeurope",
    },
  });
  workspaceId = workspace.id;
  await prisma.telemetryComponent.create({ data: { armId: component, name: `rs-${suffix}`, appId: randomBytes(4).toString("hex"), workspaceId, environment } });
  await refresh(10, 0);
});

describe("map reads", () => {
  it("a team's map is read from its stored slice and equals the fleet's map cut to the team, fleet-wide and per environment", async () => {
    for (const scope of [{}, { environment }]) {
      const fleet = await getMap({ actor, query: { window: "1h", ...scope } });
      for (const team of Object.values(teams)) {
        const own = await getMap({ actor, query: { window: "1h", team, ...scope } });
        expect(own.nodes.length).toBeGreaterThan(0);
        expect({ nodes: own.nodes, edges: own.edges, notSeen: own.notSeen }).toEqual(cutToTeam(fleet, team));
        expect(own).toMatchObject({ builtAt: fleet.builtAt, laidOutAt: fleet.laidOutAt, sources: fleet.sources, team, refreshError: fleet.refreshError });
      }
    }
    const teamOne = await getMap({ actor, query: { window: "1h", team: teams.one, environment } });
    expect(teamOne.nodes.map((node) => node.id).sort()).toEqual([`ext:SQL:db-${suffix}`, `svc:${role("a")}`, `svc:${role("b")}`, `svc:${role("c")}`]);
    expect(teamOne.notSeen).toEqual([{ from: role("a"), to: role("e") }]);

    // The slice is what is read: the stored one carries the snapshot's version, and a change to it shows.
    const prisma = getPrisma();
    const where = { window: "1h", environment, team: teams.one };
    const { version } = await prisma.appMapSnapshot.findUniqueOrThrow({ where: { window_environment: { window: "1h", environment } } });
    const slice = await prisma.appMapTeamSlice.findUniqueOrThrow({ where: { window_environment_team: where } });
    expect(slice.snapshotVersion).toBe(version);
    const edges = (slice.edges as unknown as MapEdge[]).map((edge) => ({ ...edge, calls: 777 }));
    await prisma.appMapTeamSlice.update({ where: { window_environment_team: where }, data: { edges: edges as never } });
    expect(callsOf(await getMap({ actor, query: { window: "1h", team: teams.one, environment } }), role("a"), role("b"))).toBe(777);
  });

  it("the parsed whole map is reused while the snapshot is unchanged; a refresh is served at once, fleet-wide and per team", async () => {
    const first = await getMap({ actor, query: { window: "1h", environment } });
    const again = await getMap({ actor, query: { window: "1h", environment } });
    expect(again.edges[0]).toBe(first.edges[0]);
    expect(callsOf(again, role("a"), role("b"))).toBe(10);

    await refresh(20, 60);
    for (const query of [
      { window: "1h", environment },
      { window: "1h" },
      { window: "1h", team: teams.one },
      { window: "1h", environment, team: teams.two },
    ] as const) {
      const view = await getMap({ actor, query });
      expect(callsOf(view, role("c"), role("a")), JSON.stringify(query)).toBe(20);
    }
  });

  it("a snapshot written by anything else than the poll cycle is seen too: the database gives the row a new version, and its old slices are not served", async () => {
    const prisma = getPrisma();
    await getMap({ actor, query: { window: "1h", environment } });
    const key = { window_environment: { window: "1h", environment } };
    const stored = await prisma.appMapSnapshot.findUniqueOrThrow({ where: key });
    const edges = (stored.edges as unknown as MapEdge[]).map((edge) => ({ ...edge, calls: 5 }));
    const { version } = await prisma.appMapSnapshot.update({ where: key, data: { edges: edges as never }, select: { version: true } });
    expect(version).toBeGreaterThan(stored.version);

    expect(callsOf(await getMap({ actor, query: { window: "1h", environment } }), role("a"), role("b"))).toBe(5);
    // The slices still carry the old version: the team's map is cut from the rewritten snapshot instead.
    const teamOne = await getMap({ actor, query: { window: "1h", team: teams.one, environment } });
    expect(callsOf(teamOne, role("a"), role("b"))).toBe(5);
    expect({ nodes: teamOne.nodes, edges: teamOne.edges, notSeen: teamOne.notSeen }).toEqual(
      cutToTeam(await getMap({ actor, query: { window: "1h", environment } }), teams.one),
    );
  });

  it("a new snapshot is parsed when the health cycle says so, before anyone reads it", async () => {
    await getMap({ actor, query: { window: "1h", environment } });
    const before = parsedMapVersion("1h", environment)!;
    await refresh(40, 180);
    const stored = await getPrisma().appMapSnapshot.findUniqueOrThrow({ where: { window_environment: { window: "1h", environment } } });
    expect(stored.version).toBeGreaterThan(before);
    expect(parsedMapVersion("1h", environment)).toBe(before);
    await publishChange({ kind: "health", id: "fleet" });
    await expect.poll(() => parsedMapVersion("1h", environment), { timeout: 10_000 }).toBe(stored.version);
  });

  it("a team with no service on the map gets an empty map, not another team's", async () => {
    const prisma = getPrisma();
    await refresh(30, 120);
    const lonely = `rs3${suffix}`;
    await prisma.team.create({ data: { slug: lonely, name: lonely, entraGroupIds: [], costCenter: "CC-1" } });
    const view = await getMap({ actor, query: { window: "1h", team: lonely, environment } });
    expect(view).toMatchObject({ nodes: [], edges: [], notSeen: [], team: lonely });
    expect(view.builtAt).not.toBeNull();
  });
});
