// The stored map snapshots as the web reads them (decision 0049).
//
// A whole snapshot (fleet-wide or one environment) is parsed once per process
// and version: each read first asks PostgreSQL for the row's `version` (a few
// bytes) and serves the parsed copy only while it is still that version, so a
// replica never serves a snapshot another process has since replaced. A
// team's map reads its stored slice only, in one statement with the
// snapshot's version; it is cut from the whole snapshot when the snapshot was
// written without slices (by a release before 0049, or straight into the table).
//
// The snapshots a process has parsed are parsed again as soon as the health
// cycle says it has stored new ones (its notice, health:fleet), so the first
// viewer after a cycle is not the one who waits for the parse; snapshots
// nobody here reads are not touched.
import { getPrisma } from "@/lib/db/client";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { logger } from "@/lib/logger";
import { placeNodes, teamSlice, type MapSlice, type PlacedNode } from "@/lib/appmap/team-slice";
import type { DeclaredNotSeen, MapEdge, MapNode, MapSource, MapWindow, Position } from "@/lib/appmap/types";

export interface StoredMap extends MapSlice {
  version: bigint;
  builtAt: Date;
  laidOutAt: Date;
  sources: MapSource[];
}

/** Snapshots kept parsed per process: 3 windows of the fleet and of a few environments; the least recently read goes first. */
const cachedSnapshots = 8;
const parsed = new Map<string, StoredMap>();
const loading = new Map<string, Promise<StoredMap | null>>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const entry of Object.values(value)) deepFreeze(entry);
  }
  return value;
}

async function loadSnapshot(window: MapWindow, scope: string): Promise<StoredMap | null> {
  const row = await getPrisma().appMapSnapshot.findUnique({
    where: { window_environment: { window, environment: scope } },
    select: { version: true, builtAt: true, laidOutAt: true, nodes: true, edges: true, notSeen: true, sources: true, positions: true },
  });
  if (!row) return null;
  const nodes = placeNodes(row.nodes as unknown as MapNode[], row.positions as unknown as Record<string, Position>);
  // Shared by every request of this process: frozen, so no reader can change what the next one is served.
  return deepFreeze({
    version: row.version,
    builtAt: row.builtAt,
    laidOutAt: row.laidOutAt,
    nodes,
    edges: row.edges as unknown as MapEdge[],
    notSeen: row.notSeen as unknown as DeclaredNotSeen[],
    sources: row.sources as unknown as MapSource[],
  });
}

let warming: Promise<unknown> | undefined;

/** Once per process, after its first parse: each health cycle's notice re-reads the snapshots kept here (a no-op when unchanged). */
function warmOnNewSnapshots(): void {
  warming ??= subscribeToChanges(["health:fleet"], () => {
    for (const key of [...parsed.keys()]) {
      const [window, scope] = key.split("/") as [MapWindow, string];
      readMapSnapshot(window, scope).catch((error: unknown) => logger.warn({ err: error, key }, "map: could not parse the new snapshot ahead of its readers"));
    }
  }).catch((error: unknown) => logger.warn({ err: error }, "map: no change feed; new snapshots are parsed by their first reader"));
}

/** The whole snapshot of a window and scope ("" fleet-wide), parsed at most once per version and process; null when none is stored. */
export async function readMapSnapshot(window: MapWindow, scope: string): Promise<StoredMap | null> {
  const key = `${window}/${scope}`;
  const head = await getPrisma().appMapSnapshot.findUnique({ where: { window_environment: { window, environment: scope } }, select: { version: true } });
  const cached = parsed.get(key);
  if (!head) {
    parsed.delete(key);
    return null;
  }
  if (cached?.version === head.version) {
    parsed.delete(key);
    parsed.set(key, cached);
    return cached;
  }
  // Requests that miss together share one load of that version.
  const loadKey = `${key}@${head.version}`;
  let load = loading.get(loadKey);
  if (!load) {
    load = loadSnapshot(window, scope).finally(() => loading.delete(loadKey));
    loading.set(loadKey, load);
  }
  const snapshot = await load;
  if (snapshot && (parsed.get(key)?.version ?? -1n) < snapshot.version) {
    parsed.delete(key);
    parsed.set(key, snapshot);
    while (parsed.size > cachedSnapshots) parsed.delete(parsed.keys().next().value!);
    warmOnNewSnapshots();
  }
  return snapshot;
}

interface SliceRow {
  version: bigint;
  builtAt: Date;
  laidOutAt: Date;
  sources: MapSource[];
  nodes: PlacedNode[] | null;
  edges: MapEdge[] | null;
  notSeen: DeclaredNotSeen[] | null;
  sliced: boolean;
}

/** One team's part of a snapshot; null when no snapshot is stored. */
export async function readTeamMap(window: MapWindow, scope: string, team: string): Promise<StoredMap | null> {
  // One statement: the snapshot's version and the slice are read from the same committed state.
  const [row] = await getPrisma().$queryRaw<SliceRow[]>`
    SELECT s.version, s."builtAt", s."laidOutAt", s.sources, t.nodes, t.edges, t."notSeen",
      EXISTS (
        SELECT 1 FROM "AppMapTeamSlice" a WHERE a."window" = s."window" AND a.environment = s.environment AND a."snapshotVersion" = s.version
      ) AS sliced
    FROM "AppMapSnapshot" s
    LEFT JOIN "AppMapTeamSlice" t ON t."window" = s."window" AND t.environment = s.environment AND t.team = ${team} AND t."snapshotVersion" = s.version
    WHERE s."window" = ${window} AND s.environment = ${scope}`;
  if (!row) return null;
  if (!row.sliced) {
    const whole = await readMapSnapshot(window, scope);
    return whole && { ...whole, ...teamSlice(whole, team) };
  }
  // Sliced, and no slice of this team: none of its services is on the map.
  return {
    version: row.version,
    builtAt: row.builtAt,
    laidOutAt: row.laidOutAt,
    sources: row.sources,
    nodes: row.nodes ?? [],
    edges: row.edges ?? [],
    notSeen: row.notSeen ?? [],
  };
}

/** The version this process holds parsed for a window and scope, if any (what the next unchanged read serves). */
export function parsedMapVersion(window: MapWindow, scope: string): bigint | undefined {
  return parsed.get(`${window}/${scope}`)?.version;
}
