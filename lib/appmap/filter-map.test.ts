import { describe, expect, it } from "vitest";
import { externalTypes, filterMap, parseMapFilters } from "@/lib/appmap/filter-map";
import type { MapView } from "@/lib/appmap/get-map";

const at = { x: 0, y: 0 };
const view: MapView = {
  window: "1h",
  environment: null,
  team: null,
  builtAt: "2026-12-04T12:00:00.000Z",
  laidOutAt: "2026-12-04T12:00:00.000Z",
  refreshError: null,
  nodes: [
    { id: "svc:a", kind: "service", label: "a", team: null, serviceSlug: "a", health: "unhealthy", position: at },
    { id: "svc:b", kind: "service", label: "b", team: null, serviceSlug: "b", health: "healthy", position: at },
    { id: "svc:c", kind: "service", label: "c", team: null, serviceSlug: "c", health: "healthy", position: at },
    { id: "ext:SQL:db", kind: "external", label: "db", team: null, dependencyType: "SQL", target: "db", health: null, position: at },
    { id: "ext:Http:x", kind: "external", label: "x", team: null, dependencyType: "Http", target: "x", health: null, position: at },
  ],
  edges: [
    {
      id: "svc:b->svc:a",
      source: "svc:b",
      target: "svc:a",
      calls: 1,
      failedCalls: 0,
      failurePct: 0,
      avgMs: 1,
      p95Ms: 1,
      declaration: "declared",
      selfCall: false,
      stale: false,
    },
    {
      id: "svc:c->ext:SQL:db",
      source: "svc:c",
      target: "ext:SQL:db",
      calls: 1,
      failedCalls: 0,
      failurePct: 0,
      avgMs: 1,
      p95Ms: 1,
      declaration: "not-applicable",
      selfCall: false,
      stale: false,
    },
    {
      id: "svc:a->ext:Http:x",
      source: "svc:a",
      target: "ext:Http:x",
      calls: 1,
      failedCalls: 0,
      failurePct: 0,
      avgMs: 1,
      p95Ms: 1,
      declaration: "not-applicable",
      selfCall: false,
      stale: false,
    },
  ],
  notSeen: [],
  sources: [],
};

describe("filterMap", () => {
  it("health keeps matching services and their neighbours", () => {
    const shown = filterMap(view, parseMapFilters({ health: "unhealthy" }));
    expect(shown.nodes.map((node) => node.id)).toEqual(["svc:a", "svc:b", "ext:Http:x"]);
    expect(shown.edges.map((edge) => edge.id)).toEqual(["svc:b->svc:a", "svc:a->ext:Http:x"]);
  });

  it("types keep only those external types, services untouched; edges to dropped nodes go", () => {
    const shown = filterMap(view, parseMapFilters({ types: "SQL" }));
    expect(shown.nodes.map((node) => node.id)).toEqual(["svc:a", "svc:b", "svc:c", "ext:SQL:db"]);
    expect(shown.edges.map((edge) => edge.id)).toEqual(["svc:b->svc:a", "svc:c->ext:SQL:db"]);
  });

  it("unknown health words are ignored; no filters is the whole map", () => {
    expect(parseMapFilters({ health: "purple, healthy" })).toEqual({ health: ["healthy"], types: [] });
    expect(filterMap(view, parseMapFilters({}))).toEqual(view);
    expect(externalTypes(view)).toEqual(["Http", "SQL"]);
  });
});
