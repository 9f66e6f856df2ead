// Pure tests of the map's rules on fixtures: parent-id matches become
// service → service edges (the query matched them; here they are merged across
// workspaces and weighted by calls), external targets are grouped by type and
// target, declared dependencies are held against observed ones, cycles and
// self-calls are plain edges, and a role no service claims is an unknown node.
import { describe, expect, it } from "vitest";
import { buildMap, observedServicePairs, type BuildMapInput, type CatalogService } from "@/lib/appmap/build-map";
import type { MapEdgeRow } from "@/lib/health/queries";

const dev = "/subscriptions/s/resourcegroups/rg/providers/microsoft.insights/components/appi-dev";
const prod = "/subscriptions/s/resourcegroups/rg/providers/microsoft.insights/components/appi-prod";
const team = { slug: "drones", name: "Drones" };

function row(partial: Partial<MapEdgeRow> & Pick<MapEdgeRow, "callerRole">): MapEdgeRow {
  return {
    callerComponentId: dev,
    calleeKind: "component",
    calleeRole: "",
    dependencyType: "Http",
    target: "",
    calls: 1,
    failedCalls: 0,
    failedPct: 0,
    avgMs: 10,
    p95Ms: 10,
    ...partial,
  };
}

const services: CatalogService[] = [
  { id: "s-ingest", slug: "ingestion", name: "Ingestion", role: "ingestion", team, declared: ["workflow"] },
  { id: "s-work", slug: "workflow", name: "Workflow", role: "workflow", team, declared: ["delivery", "package"] },
  { id: "s-deliv", slug: "delivery", name: "Delivery", role: "delivery", team, declared: [] },
  { id: "s-pkg", slug: "package", name: "Package", role: "package", team: { slug: "parcels", name: "Parcels" }, declared: [] },
  { id: "s-batch", slug: "batch", name: "Batch", role: null, team, declared: ["delivery"] },
];

function input(rows: MapEdgeRow[], extra: Partial<BuildMapInput> = {}): BuildMapInput {
  return {
    window: "1h",
    environment: null,
    workspaces: [{ workspace: "log-dev", fetchedAt: new Date("2026-12-04T12:00:00Z"), error: null, stale: false, rows }],
    componentEnvironments: new Map([
      [dev, "dev"],
      [prod, "prod"],
    ]),
    services,
    health: services.map((service) => ({ serviceId: service.id, environment: "dev", state: "healthy" as const })),
    ...extra,
  };
}

describe("buildMap", () => {
  it("merges rows into one edge per pair, counting by calls and weighting the average by calls", () => {
    const map = buildMap({
      ...input([]),
      workspaces: [
        {
          workspace: "log-a",
          fetchedAt: null,
          error: null,
          stale: false,
          rows: [row({ callerRole: "ingestion", calleeRole: "workflow", calls: 30, failedCalls: 3, avgMs: 10, p95Ms: 40 })],
        },
        {
          workspace: "log-b",
          fetchedAt: null,
          error: null,
          stale: true,
          rows: [row({ callerRole: "ingestion", calleeRole: "workflow", calls: 10, failedCalls: 1, avgMs: 50, p95Ms: 90 })],
        },
      ],
    });
    const edge = map.edges.find((candidate) => candidate.id === "svc:ingestion->svc:workflow")!;
    // (30·10 + 10·50) / 40 = 20; 4 of 40 failed; p95 the higher of the two; stale because one part is.
    expect(edge).toMatchObject({ calls: 40, failedCalls: 4, failurePct: 10, avgMs: 20, p95Ms: 90, stale: true, declaration: "declared", selfCall: false });
    expect(map.edges).toHaveLength(1);
  });

  it("groups external dependencies by type and target, shared by every caller", () => {
    const map = buildMap(
      input([
        row({ callerRole: "workflow", calleeKind: "external", dependencyType: "SQL", target: "sql-drones", calls: 5 }),
        row({ callerRole: "delivery", calleeKind: "external", dependencyType: "SQL", target: "sql-drones", calls: 7 }),
        row({ callerRole: "delivery", calleeKind: "external", dependencyType: "Azure Service Bus", target: "sb-drones", calls: 2 }),
        row({ callerRole: "delivery", calleeKind: "external", dependencyType: "Http", target: "sql-drones", calls: 1 }),
      ]),
    );
    const externals = map.nodes.filter((node) => node.kind === "external").map((node) => node.id);
    expect(externals).toEqual(["ext:Azure Service Bus:sb-drones", "ext:Http:sql-drones", "ext:SQL:sql-drones"]);
    expect(map.edges.filter((edge) => edge.target === "ext:SQL:sql-drones").map((edge) => [edge.source, edge.calls])).toEqual([
      ["svc:delivery", 7],
      ["svc:workflow", 5],
    ]);
    expect(map.edges.every((edge) => edge.declaration === "not-applicable")).toBe(true);
  });

  it("10,000 external targets of one type: the most called drawn, the rest one group node", () => {
    const rows = Array.from({ length: 10_000 }, (_, index) =>
      row({ callerRole: "delivery", calleeKind: "external", dependencyType: "Http", target: `host-${index}`, calls: 10_000 - index }),
    );
    const map = buildMap(input(rows, { maxTargetsPerType: 25 }));
    const externals = map.nodes.filter((node) => node.kind === "external");
    expect(externals).toHaveLength(24);
    expect(externals.map((node) => node.target)).toContain("host-0");
    expect(externals.map((node) => node.target)).not.toContain("host-24");
    const group = map.nodes.find((node) => node.kind === "external-group")!;
    expect(group).toMatchObject({ id: "ext-group:Http", targetCount: 9_976, label: "9976 other Http targets" });
    const groupEdge = map.edges.find((edge) => edge.target === group.id)!;
    // Calls into the group are the sum over every grouped target: 9976 + 9975 + … + 1.
    expect(groupEdge.calls).toBe((9_976 * 9_977) / 2);
  });

  it("marks observed-but-undeclared edges and lists declared-but-not-seen ones", () => {
    const map = buildMap(
      input([
        row({ callerRole: "ingestion", calleeRole: "workflow" }),
        row({ callerRole: "workflow", calleeRole: "delivery" }),
        row({ callerRole: "delivery", calleeRole: "package" }),
      ]),
    );
    expect(Object.fromEntries(map.edges.map((edge) => [edge.id, edge.declaration]))).toEqual({
      "svc:delivery->svc:package": "undeclared",
      "svc:ingestion->svc:workflow": "declared",
      "svc:workflow->svc:delivery": "declared",
    });
    // workflow → package is declared and not seen; batch has no role name, so its silence proves nothing.
    expect(map.notSeen).toEqual([{ from: "workflow", to: "package" }]);
  });

  it("not seen is judged on the 7-day pairs when given, together with the window's own edges (a call drawn now was seen in 7 days)", () => {
    // workflow → delivery and → package are not in this window, but the 7-day map saw them; ingestion → workflow is drawn now,
    // though the 7-day map (fetched every few hours) has not caught up with it.
    const map = buildMap(
      input([row({ callerRole: "ingestion", calleeRole: "workflow" })], { sevenDayPairs: new Set(["workflow>delivery", "workflow>package"]) }),
    );
    expect(map.notSeen).toEqual([]);
    const older = buildMap(input([row({ callerRole: "ingestion", calleeRole: "workflow" })], { sevenDayPairs: new Set(["workflow>delivery"]) }));
    expect(older.notSeen).toEqual([{ from: "workflow", to: "package" }]);
  });

  it("cycles and self-calls are plain edges; a self-call is marked and counts as declared", () => {
    const map = buildMap(
      input([
        row({ callerRole: "workflow", calleeRole: "delivery" }),
        row({ callerRole: "delivery", calleeRole: "workflow" }),
        row({ callerRole: "delivery", calleeRole: "delivery", calls: 3 }),
      ]),
    );
    expect(map.edges.map((edge) => [edge.id, edge.selfCall])).toEqual([
      ["svc:delivery->svc:delivery", true],
      ["svc:delivery->svc:workflow", false],
      ["svc:workflow->svc:delivery", false],
    ]);
    expect(map.edges[0]).toMatchObject({ calls: 3, declaration: "declared" });
    expect(observedServicePairs(map)).toEqual(new Set(["delivery>delivery", "delivery>workflow", "workflow>delivery"]));
  });

  it("a role no catalog service claims is an unknown node, caller or callee", () => {
    const map = buildMap(
      input([row({ callerRole: "drone-scheduler", calleeRole: "delivery" }), row({ callerRole: "delivery", calleeRole: "legacy-billing" })]),
    );
    const unknown = map.nodes.filter((node) => node.kind === "unknown");
    expect(unknown).toEqual([
      { id: "role:drone-scheduler", kind: "unknown", label: "drone-scheduler", team: null, role: "drone-scheduler", health: null },
      { id: "role:legacy-billing", kind: "unknown", label: "legacy-billing", team: null, role: "legacy-billing", health: null },
    ]);
    expect(map.edges.every((edge) => edge.declaration === "not-applicable")).toBe(true);
  });

  it("per environment: only rows from that environment's components, health from that environment's snapshots", () => {
    const rows = [row({ callerRole: "ingestion", calleeRole: "workflow" }), row({ callerRole: "workflow", calleeRole: "delivery", callerComponentId: prod })];
    const health = [
      { serviceId: "s-work", environment: "dev", state: "healthy" as const },
      { serviceId: "s-work", environment: "prod", state: "unhealthy" as const },
      { serviceId: "s-deliv", environment: "prod", state: "degraded" as const },
    ];
    const devMap = buildMap(input(rows, { environment: "dev", health }));
    expect(devMap.edges.map((edge) => edge.id)).toEqual(["svc:ingestion->svc:workflow"]);
    expect(devMap.nodes.find((node) => node.id === "svc:workflow")!.health).toBe("healthy");
    const prodMap = buildMap(input(rows, { environment: "prod", health }));
    expect(prodMap.edges.map((edge) => edge.id)).toEqual(["svc:workflow->svc:delivery"]);
    expect(prodMap.nodes.find((node) => node.id === "svc:workflow")!.health).toBe("unhealthy");
    // Fleet-wide: every row, the worst state of each service anywhere.
    const fleet = buildMap(input(rows, { health }));
    expect(fleet.edges).toHaveLength(2);
    expect(fleet.nodes.find((node) => node.id === "svc:workflow")!.health).toBe("unhealthy");
    // A service not deployed in scope and not in any edge is not on the map; one called is, with no health.
    expect(prodMap.nodes.map((node) => node.id)).toEqual(["svc:delivery", "svc:workflow"]);
    expect(devMap.nodes.find((node) => node.id === "svc:ingestion")!.health).toBeNull();
  });

  it("the same input gives the same map, whatever the order of rows", () => {
    const rows = [
      row({ callerRole: "a-role", calleeRole: "delivery" }),
      row({ callerRole: "delivery", calleeKind: "external", dependencyType: "SQL", target: "db" }),
      row({ callerRole: "workflow", calleeRole: "delivery" }),
    ];
    expect(buildMap(input([...rows].reverse()))).toEqual(buildMap(input(rows)));
  });
});

describe("buildMap: the last minutes' calls (decision 0053)", () => {
  const fetched = (rows: MapEdgeRow[], stale = false) => ({ workspace: "log-dev", fetchedAt: new Date("2026-12-04T12:00:00Z"), error: null, stale, rows });

  it("carries each edge's recent calls, added up across its rows, beside the window's", () => {
    const map = buildMap(
      input([
        row({ callerRole: "workflow", calleeRole: "delivery", calls: 3_000, failedCalls: 30, recentCalls: 100, recentFailedCalls: 25 }),
        row({ callerRole: "workflow", calleeRole: "delivery", callerComponentId: prod, calls: 1_000, failedCalls: 0, recentCalls: 40, recentFailedCalls: 0 }),
        row({ callerRole: "workflow", calleeRole: "package", calls: 500, failedCalls: 1 }),
      ]),
    );
    const delivery = map.edges.find((edge) => edge.id === "svc:workflow->svc:delivery")!;
    expect(delivery).toMatchObject({ calls: 4_000, failedCalls: 30, failurePct: 0.75 });
    expect(delivery.recent).toEqual({ minutes: 2, calls: 140, failedCalls: 25, failurePct: 17.86 });
    // With the weights' squares counted, what the sampled rows are worth: here 10 rows of 10 and 5 of 8, 2 of them failed.
    const sampled = buildMap(
      input([
        row({ callerRole: "workflow", calleeRole: "delivery", recentCalls: 100, recentFailedCalls: 20, recentSquares: 1_000, recentFailedSquares: 200 }),
        row({
          callerRole: "workflow",
          calleeRole: "delivery",
          callerComponentId: prod,
          recentCalls: 40,
          recentFailedCalls: 0,
          recentSquares: 320,
          recentFailedSquares: 0,
        }),
      ]),
    );
    const worth = sampled.edges.find((edge) => edge.id === "svc:workflow->svc:delivery")!.recent!;
    expect(worth).toMatchObject({ calls: 140, failedCalls: 20 });
    expect(worth.effectiveCalls).toBeGreaterThan(10);
    expect(worth.effectiveCalls).toBeLessThan(20);
    // A row stored before the query counted recent calls: none known, rather than zero.
    expect(map.edges.find((edge) => edge.id === "svc:workflow->svc:package")!.recent).toBeUndefined();
    // Per environment: only the rows of its components.
    const dev = buildMap(input([row({ callerRole: "workflow", calleeRole: "delivery", recentCalls: 100, recentFailedCalls: 25 })], { environment: "dev" }));
    expect(dev.edges[0]!.recent).toMatchObject({ calls: 100, failedCalls: 25 });
  });

  it("takes a longer window's recent calls from the 1-hour rows, never from a stale fetch, and adds no edge of its own", () => {
    const day = [row({ callerRole: "workflow", calleeRole: "delivery", calls: 90_000, failedCalls: 90, recentCalls: 5, recentFailedCalls: 0 })];
    const hour = [
      row({ callerRole: "workflow", calleeRole: "delivery", calls: 4_000, failedCalls: 30, recentCalls: 140, recentFailedCalls: 25 }),
      row({ callerRole: "workflow", calleeRole: "package", recentCalls: 10, recentFailedCalls: 10 }),
      row({ callerRole: "ingestion", calleeKind: "external", dependencyType: "SQL", target: "new-db", recentCalls: 3, recentFailedCalls: 3 }),
    ];
    const map = buildMap({ ...input(day), window: "24h", recentFrom: [fetched(hour)] });
    expect(map.edges.map((edge) => edge.id)).toEqual(["svc:workflow->svc:delivery"]);
    expect(map.edges[0]!.recent).toMatchObject({ calls: 140, failedCalls: 25 });
    expect(map.nodes.some((node) => node.id.includes("new-db"))).toBe(false);
    const stale = buildMap({ ...input(day), window: "24h", recentFrom: [fetched(hour, true)] });
    expect(stale.edges[0]!.recent).toBeUndefined();
  });
});
