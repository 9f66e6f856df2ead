// The application map at fleet scale (issue 13, decision 0045): a 2,000-node,
// 6,000-edge map shaped like a company's (85 teams of 20 services calling
// mostly inside their team, some across, and 300 shared external targets:
// SQL databases, Redis caches, Service Bus queues, third-party HTTP APIs, the
// popular ones called by many). Prints:
// - the load average, then the full layout's wall time (group by group,
//   decision 0054; elkjs in the layout thread), cold and warm, and this
//   process's event-loop delay meanwhile (perf_hooks monitorEventLoopDelay);
// - the map as one elkjs graph, as before decision 0054, in the layout thread
//   (skipped with --no-before) and on this thread as before decision 0045
//   (skipped with --no-inline: the event loop's longest stall is the layout);
// - the layout after one service added in one team, after 10 services added
//   in random teams, and after a new team of 20 (how many old nodes moved);
// - the read behind GET /api/v1/map (getMap, in this process, without HTTP
//   and Next's routing; its JSON included) with that snapshot stored in an
//   embedded PostgreSQL, fleet-wide and for one team (skipped with --no-read;
//   --read-only skips every layout and stores positions on a grid instead).
// Asserts nothing (the tests check behaviour).
//
//   npx tsx bench/map.ts [--services 1700] [--externals 300] [--runs 50] [--no-before] [--no-inline] [--no-read] [--read-only]
import { rmSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import ELK from "elkjs/lib/elk.bundled.js";
import pg from "pg";
import { elkInput, layoutMap, nodeHeight, nodeWidth, topologyKey, type LayoutGraph, type StoredLayout } from "../lib/appmap/layout-map";
import { layoutInThread, stopLayoutThread } from "../lib/appmap/layout-thread-client";
import { placeNodes, teamSlice } from "../lib/appmap/team-slice";
import type { MapEdge, MapNode } from "../lib/appmap/types";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { freePort } from "../lib/net/free-port";
import { fleet, pick, random, teamSize } from "./map-fleet";
import { percentile } from "./process-stats";
import { runBench } from "./run-bench";

const root = resolve(import.meta.dirname, "..");
const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || fallback;
const serviceCount = arg("--services", 1_700);
const externalCount = arg("--externals", 300);
const runs = arg("--runs", 50);
const dataDir = join(root, ".data", "bench-map");

function delays(histogram: ReturnType<typeof monitorEventLoopDelay>): string {
  return `event loop delay max ${(histogram.max / 1e6).toFixed(0)} ms, p99 ${(histogram.percentile(99) / 1e6).toFixed(0)} ms, mean ${(histogram.mean / 1e6).toFixed(1)} ms`;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; loop: string }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  histogram.disable();
  return { result, ms, loop: delays(histogram) };
}

async function main() {
  const map = fleet(serviceCount, externalCount);
  const graph: LayoutGraph = map;
  const selfCalls = map.edges.filter((edge) => edge.selfCall).length;
  console.log(
    `map: ${map.nodes.length} nodes (${serviceCount} services in ${Math.ceil(serviceCount / teamSize)} teams, ${externalCount} externals), ${map.edges.length} edges (${selfCalls} self-calls)`,
  );
  const layout = process.argv.includes("--read-only") ? gridLayout(graph) : await layouts(map, graph);
  if (!process.argv.includes("--no-read")) await reads(map, layout);
}

/** Positions for the read alone: as many as a layout gives, without running one. */
function gridLayout(graph: LayoutGraph): StoredLayout {
  const positions = Object.fromEntries(graph.nodes.map((node, i) => [node.id, { x: Math.floor(i / 50) * 320, y: (i % 50) * (nodeHeight + 32) }]));
  return { topologyKey: topologyKey(graph), positions };
}

/** How many of `before`'s nodes `after` placed elsewhere. */
function movedCount(before: StoredLayout, after: StoredLayout): number {
  return Object.entries(before.positions).filter(([id, position]) => {
    const now = after.positions[id];
    return now?.x !== position.x || now?.y !== position.y;
  }).length;
}

async function layouts(map: ReturnType<typeof fleet>, graph: LayoutGraph): Promise<StoredLayout> {
  const teams = Math.ceil(serviceCount / teamSize);
  console.log(
    `load average before the layouts: ${loadavg()
      .map((load) => load.toFixed(1))
      .join(", ")} (${availableParallelism()} cores); target < 10 s`,
  );
  const full = await timed(() => layoutMap(graph, null));
  console.log(
    `full layout, group by group (decision 0054), in the layout thread: ${(full.ms / 1000).toFixed(1)} s (thread start included); ` +
      `this thread meanwhile: ${full.loop}`,
  );
  const again = await timed(() => layoutMap({ nodes: [...graph.nodes].reverse(), edges: graph.edges }, null));
  console.log(
    `full layout again, thread warm: ${(again.ms / 1000).toFixed(1)} s; ${again.loop}; same positions: ${JSON.stringify(again.result.positions) === JSON.stringify(full.result.positions)}`,
  );
  const extent = Object.values(full.result.positions);
  console.log(
    `  the whole map: ${Math.max(...extent.map((p) => p.x)) - Math.min(...extent.map((p) => p.x)) + nodeWidth} × ` +
      `${Math.max(...extent.map((p) => p.y)) - Math.min(...extent.map((p) => p.y)) + nodeHeight} px`,
  );
  // As until decision 0054: the whole map as one elkjs graph (its nodes without team or type make one group).
  const ungrouped: LayoutGraph = { nodes: graph.nodes.map((node) => ({ id: node.id })), edges: graph.edges };
  if (!process.argv.includes("--no-before")) {
    const before = await timed(() => layoutInThread(elkInput(ungrouped)));
    console.log(`before 0054 (the map as one elkjs graph, in the layout thread): ${(before.ms / 1000).toFixed(1)} s; ${before.loop}`);
  }
  await stopLayoutThread();

  if (!process.argv.includes("--no-inline")) {
    const inline = await timed(() => new ELK().layout(elkInput(ungrouped)));
    console.log(`before 0045 (the map as one elkjs graph, on this thread): ${(inline.ms / 1000).toFixed(1)} s; ${inline.loop}`);
  }

  const change = async (label: string, grown: LayoutGraph) => {
    const result = await timed(() => layoutMap(grown, full.result));
    console.log(`${label}: ${result.ms.toFixed(1)} ms (method ${result.result.method}, ${movedCount(full.result, result.result)} old nodes moved)`);
  };
  const team7 = map.nodes.filter((node) => node.team?.slug === "team-7");
  const newService = (slug: string, team: number): MapNode => ({
    id: `svc:${slug}`,
    kind: "service",
    label: slug,
    team: { slug: `team-${team}`, name: `Team ${team}` },
    health: "healthy",
  });
  const one = newService("team-7-new", 7);
  await change("one service added in team-7, called by one of its services, calling another", {
    nodes: [...graph.nodes, one],
    edges: [...graph.edges, { source: team7[0]!.id, target: one.id }, { source: one.id, target: team7[1]!.id }],
  });
  const grown = { nodes: [...graph.nodes], edges: [...graph.edges] };
  for (let i = 0; i < 10; i++) {
    const node = newService(`new-${i}`, Math.floor(random() * teams));
    grown.nodes.push(node);
    grown.edges.push({ source: pick(map.nodes.slice(0, serviceCount)).id, target: node.id }, { source: node.id, target: pick(map.nodes).id });
  }
  await change("+10 services in random teams", grown);
  const newTeam = { nodes: [...graph.nodes], edges: [...graph.edges] };
  for (let i = 0; i < teamSize; i++) {
    newTeam.nodes.push(newService(`team-new-svc-${i}`, teams));
    newTeam.edges.push(
      { source: `svc:team-new-svc-${i}`, target: `svc:team-new-svc-${(i * 7 + 3) % teamSize}` },
      { source: `svc:team-new-svc-${i}`, target: pick(map.nodes).id },
    );
  }
  await change(`a new team of ${teamSize} services (laid out as a group, put right of everything)`, newTeam);
  await stopLayoutThread();
  return full.result;
}

async function reads(map: ReturnType<typeof fleet>, layout: StoredLayout) {
  rmSync(dataDir, { recursive: true, force: true });
  const database = await startEmbeddedPostgres({ dataDir: join(dataDir, "pg"), port: await freePort() });
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  const { getPrisma } = await import("../lib/db/client");
  const { getMap } = await import("../lib/appmap/get-map");
  const { storeMapSnapshot } = await import("../lib/appmap/store-map-snapshot");
  const { getServiceMap } = await import("../lib/appmap/get-service-map");
  const prisma = getPrisma();
  try {
    const team7 = await prisma.team.create({ data: { slug: "team-7", name: "Team 7", entraGroupIds: [] } });
    // One catalog service for the service page's hop of the map.
    const hopSlug = "team-7-svc-3";
    await prisma.service.create({
      data: { slug: hopSlug, displayName: hopSlug, ownerTeamId: team7.id, tier: "standard", lifecycle: "production", tags: [], searchText: hopSlug },
    });
    const now = new Date();
    // Stored as the poll cycle stores it: the snapshot and each team's slice (decision 0049).
    const sources = [{ workspace: "log-bench", fetchedAt: now.toISOString(), error: null }];
    const stores: number[] = [];
    for (const window of ["1h", "24h", "7d", "1h", "24h", "7d"] as const) {
      const started = performance.now();
      await storeMapSnapshot({ map: { window, environment: null, ...map, notSeen: [], sources }, scope: "", layout: { ...layout, method: "full" }, now });
      stores.push(performance.now() - started);
    }
    // As until decision 0049: Prisma's upsert of the snapshot alone (no slices), into a scope of its own.
    const upserts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const json = (value: unknown) => value as never;
      const data = { nodes: json(map.nodes), edges: json(map.edges), notSeen: [], sources, topologyKey: layout.topologyKey, positions: json(layout.positions) };
      const started = performance.now();
      await prisma.appMapSnapshot.upsert({
        where: { window_environment: { window: "1h", environment: "before-0049" } },
        create: { window: "1h", environment: "before-0049", ...data, layoutMethod: "full", laidOutAt: now, builtAt: now },
        update: { ...data, builtAt: now },
      });
      upserts.push(performance.now() - started);
    }
    await prisma.appMapSnapshot.delete({ where: { window_environment: { window: "1h", environment: "before-0049" } } });
    console.log(`before 0049, Prisma's upsert of the snapshot alone: ${upserts.map((ms) => ms.toFixed(0)).join(", ")} ms`);
    const [sizes] = await prisma.$queryRaw<{ snapshot: bigint; slices: bigint }[]>`
      SELECT (SELECT sum(length(nodes::text) + length(edges::text) + length(positions::text)) FROM "AppMapSnapshot" WHERE "window" = '1h') AS snapshot,
        (SELECT sum(length(nodes::text) + length(edges::text)) FROM "AppMapTeamSlice" WHERE "window" = '1h') AS slices`;
    console.log(
      `the worker's write of one snapshot with its team slices (one transaction): ${stores.map((ms) => ms.toFixed(0)).join(", ")} ms; ` +
        `JSON written: snapshot ${(Number(sizes!.snapshot) / 1e6).toFixed(1)} MB + slices ${(Number(sizes!.slices) / 1e6).toFixed(1)} MB`,
    );
    await breakdown(database.url, () => prisma.appMapSnapshot.findUnique({ where: { window_environment: { window: "1h", environment: "" } } }));

    const actor = { kind: "user" as const, userId: "u", name: "Admin", email: "a@example.com", isAdmin: true, teams: [] };
    const fleetQuery = { window: "1h" } as const;
    const teamQuery = { window: "24h", team: "team-7" } as const;
    // Until decision 0049: the whole snapshot, in jsonb columns, read and parsed on every request, a team's part cut from it
    // in JavaScript. Kept here in a copy of the table with the columns as they were.
    await prisma.$executeRaw`CREATE TABLE "MapBefore0049" AS SELECT "window", nodes::jsonb AS nodes, edges::jsonb AS edges,
      sources::jsonb AS sources, positions::jsonb AS positions, "builtAt", "laidOutAt" FROM "AppMapSnapshot" WHERE environment = ''`;
    await prisma.$executeRaw`ALTER TABLE "MapBefore0049" ADD PRIMARY KEY ("window")`;
    const before = async (query: { window: string; team?: string }) => {
      await prisma.team.findUnique({ where: { slug: query.team ?? "" }, select: { id: true } });
      const [row] = await prisma.$queryRaw<{ nodes: MapNode[]; edges: MapEdge[]; positions: never; sources: unknown }[]>`
        SELECT * FROM "MapBefore0049" WHERE "window" = ${query.window}`;
      const whole = { nodes: placeNodes(row!.nodes, row!.positions), edges: row!.edges, notSeen: [] };
      return JSON.stringify({ ...(query.team ? teamSlice(whole, query.team) : whole), sources: row!.sources });
    };
    const after = async (query: { window: "1h" | "24h"; team?: string }) => JSON.stringify(await getMap({ actor, query }));
    // The first read of a new version in a process: the snapshot rewritten (the database gives it a new version) before each run.
    const rewrite = () => prisma.$executeRaw`UPDATE "AppMapSnapshot" SET "builtAt" = now() WHERE "window" = '1h' AND environment = ''`;
    console.log(`the work of GET /api/v1/map after sign-in (no HTTP), JSON included, ${runs} runs after 5 warm-ups; target p95 < 150 ms`);
    const line = async (label: string, work: () => Promise<string>, between?: () => Promise<unknown>) => {
      const bytes = (await work()).length;
      const figures = await stepTimes(work, between);
      console.log(`  ${label.padEnd(58)} ${(bytes / 1e6).toFixed(2).padStart(5)} MB   ${figures.text}   ${figures.p95 < 150 ? "met" : "NOT met"}`);
    };
    await line("before 0049: fleet-wide, window=1h", () => before(fleetQuery));
    await line("before 0049: team=team-7, window=24h", () => before(teamQuery));
    await line("getMap fleet-wide, window=1h (parsed copy current)", () => after(fleetQuery));
    await line("getMap fleet-wide, window=1h, first read of a new version", () => after(fleetQuery), rewrite);
    await line("getMap team=team-7, window=24h (its stored slice)", () => after(teamQuery));
    await line("getServiceMap, a service page's hop, window=1h", async () => JSON.stringify(await getServiceMap({ actor, slug: hopSlug, window: "1h" })));
    const teamNodes = (await getMap({ actor, query: teamQuery })).nodes.length;
    console.log(`  (team-7's map: ${teamNodes} nodes; ${await prisma.appMapTeamSlice.count({ where: { window: "24h" } })} team slices per window)`);
    // What a parsed whole snapshot costs the process's heap: the two not yet read, parsed and kept.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    for (const window of ["24h", "7d"] as const) await getMap({ actor, query: { window } });
    gc();
    console.log(
      `  heap held per parsed whole snapshot: ${((process.memoryUsage().heapUsed - heapBefore) / 2 / 1e6).toFixed(1)} MB (at most 8 kept per process)`,
    );
  } finally {
    await prisma.$disconnect();
    await database.stop();
  }
}

/** p50 / p95 of one step, over `runs` runs after 5 warm-ups; `between` runs before each, untimed. */
async function stepTimes(work: () => unknown, between?: () => Promise<unknown>): Promise<{ text: string; p95: number }> {
  for (let i = 0; i < 5; i++) {
    await between?.();
    await work();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await between?.();
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  return { text: `p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms`, p95 };
}

/** Where a read of the fleet-wide snapshot spends its time, step by step. */
async function breakdown(url: string, prismaRead: () => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sql = `SELECT nodes::text AS nodes, edges::text AS edges, positions::text AS positions FROM "AppMapSnapshot" WHERE "window" = '1h' AND environment = ''`;
    const text = (await client.query<{ nodes: string; edges: string; positions: string }>(sql)).rows[0]!;
    const parsed = { nodes: JSON.parse(text.nodes) as MapNode[], edges: JSON.parse(text.edges) as MapEdge[], positions: JSON.parse(text.positions) };
    const view = { nodes: parsed.nodes.map((node) => ({ ...node, position: parsed.positions[node.id] })), edges: parsed.edges };
    console.log(`where a fleet-wide read goes (${((text.nodes.length + text.edges.length + text.positions.length) / 1e6).toFixed(1)} MB of JSON columns):`);
    console.log(`  Prisma findUnique of the snapshot (fetch + parse)  ${(await stepTimes(prismaRead)).text}`);
    console.log(`  pg: the three json columns as text (fetch only)    ${(await stepTimes(() => client.query(sql))).text}`);
    console.log(
      `  JSON.parse of that text                            ${(await stepTimes(() => [text.nodes, text.edges, text.positions].map((part) => JSON.parse(part)))).text}`,
    );
    console.log(
      `  nodes with their positions (the view's build)      ${(await stepTimes(() => parsed.nodes.map((node) => ({ ...node, position: parsed.positions[node.id] })))).text}`,
    );
    console.log(`  JSON.stringify of the view (the response)          ${(await stepTimes(() => JSON.stringify(view))).text}`);
  } finally {
    await client.end();
  }
}

runBench(main);
