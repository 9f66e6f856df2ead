// The fleet the map benches draw (issue 13): 85 teams of 20 services calling mostly inside their team, some across,
// and 300 shared external targets (SQL databases, Redis caches, Service Bus queues, third-party HTTP APIs, the popular
// ones called by many); three edges a node, 6,000 at the default size. Seeded, so every run has the same map.
import { layoutMap } from "../lib/appmap/layout-map";
import { stopLayoutThread } from "../lib/appmap/layout-thread-client";
import type { MapEdge, MapNode } from "../lib/appmap/types";

export const teamSize = 20;

let seed = 2026;
/** The benches' one seeded generator: bench/map.ts draws its later changes from it after the fleet. */
export const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
export const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

const externalTypes = ["SQL", "Redis", "Azure Service Bus", "HTTP"] as const;

export function fleet(serviceCount: number, externalCount: number): { nodes: MapNode[]; edges: MapEdge[] } {
  const teams = Math.ceil(serviceCount / teamSize);
  const nodes: MapNode[] = Array.from({ length: serviceCount }, (_, i) => {
    const team = Math.floor(i / teamSize);
    const slug = `team-${team}-svc-${i % teamSize}`;
    return {
      id: `svc:${slug}`,
      kind: "service",
      label: slug,
      team: { slug: `team-${team}`, name: `Team ${team}` },
      serviceSlug: slug,
      role: slug,
      health: "healthy",
    };
  });
  for (let i = 0; i < externalCount; i++) {
    const type = externalTypes[i % externalTypes.length]!;
    const target = `${type.toLowerCase().replace(/ /g, "-")}-${i}.example.net`;
    nodes.push({ id: `ext:${type}:${target}`, kind: "external", label: target, team: null, dependencyType: type, target, health: null });
  }
  const externals = nodes.slice(serviceCount);
  const pairs = new Set<string>();
  const edges: MapEdge[] = [];
  const add = (source: string, target: string) => {
    if (pairs.has(`${source} ${target}`)) return false;
    pairs.add(`${source} ${target}`);
    const calls = Math.floor(100 + random() * 50_000);
    const failedCalls = random() < 0.1 ? Math.floor(calls * random() * 0.2) : 0;
    edges.push({
      id: `${source}->${target}`,
      source,
      target,
      calls,
      failedCalls,
      failurePct: Math.round((failedCalls / calls) * 1000) / 10,
      avgMs: Math.round(5 + random() * 200),
      p95Ms: Math.round(50 + random() * 900),
      declaration: target.startsWith("svc:") ? (random() < 0.8 ? "declared" : "undeclared") : "not-applicable",
      selfCall: source === target,
      stale: false,
    });
    return true;
  };
  const target = Math.round((serviceCount + externalCount) * 3);
  while (edges.length < target) {
    const i = Math.floor(random() * serviceCount);
    const team = Math.floor(i / teamSize);
    const roll = random();
    // 60 % inside the team, 15 % to another team's service, 25 % to an external (skewed: the first tenth are the shared ones).
    if (roll < 0.6) add(nodes[i]!.id, nodes[team * teamSize + Math.floor(random() * teamSize)]?.id ?? nodes[i]!.id);
    else if (roll < 0.75) add(nodes[i]!.id, nodes[Math.floor(random() * teams) * teamSize + Math.floor(random() * teamSize)]?.id ?? nodes[0]!.id);
    else add(nodes[i]!.id, random() < 0.5 ? pick(externals.slice(0, Math.ceil(externalCount / 10))).id : pick(externals).id);
  }
  return { nodes, edges };
}

/**
 * Lays a fleet out as the worker does (group by group, elkjs in the layout thread) and stores it as the worker stores a
 * map (the 1-hour fleet-wide snapshot with its team slices) in the database at `databaseUrl`: the map
 * bench/map-browser.ts and e2e/map-overview.spec.ts draw. It needs no catalog entry: /map draws the snapshot as stored.
 */
export async function storeFleetMap(
  databaseUrl: string,
  serviceCount: number,
  externalCount: number,
): Promise<{ nodes: number; edges: number; layoutSeconds: number }> {
  const map = fleet(serviceCount, externalCount);
  const started = performance.now();
  const layout = await layoutMap(map, null);
  await stopLayoutThread();
  const layoutSeconds = (performance.now() - started) / 1000;
  process.env.DATABASE_URL = databaseUrl;
  // Imported once the database is chosen: the client reads DATABASE_URL when first used.
  const { storeMapSnapshot } = await import("../lib/appmap/store-map-snapshot");
  const { getPrisma } = await import("../lib/db/client");
  const now = new Date();
  const sources = [{ workspace: "log-fleet", fetchedAt: now.toISOString(), error: null }];
  await storeMapSnapshot({ map: { window: "1h", environment: null, ...map, notSeen: [], sources }, scope: "", layout, now });
  await getPrisma().$disconnect();
  return { nodes: map.nodes.length, edges: map.edges.length, layoutSeconds };
}
