// What a board holds: tiles of a few kinds, each placed on a 12-column grid.
// Pure and shared by the editor (in the browser), the use cases and the
// kiosk page; stored as JSON in `Board.tiles` and parsed with this schema
// whenever it is read, so a row written by an older version is refused
// with a message rather than drawn wrong.
import { z } from "zod";
import { environments } from "@/lib/clusters/cluster-view";
import type { MapWindow } from "@/lib/health/queries";

export const gridColumns = 12;
export const gridMaxRows = 48;
export const maxTiles = 24;

export const tileKinds = ["fleet-health", "service-health", "rollouts", "approvals", "cost", "map", "kql", "clock"] as const;
export type TileKind = (typeof tileKinds)[number];

export const tileKindLabels: Record<TileKind, string> = {
  "fleet-health": "Fleet health",
  "service-health": "One service's health",
  rollouts: "Rollouts",
  approvals: "Waiting for approval",
  cost: "Cost this month",
  map: "Application map",
  kql: "KQL chart",
  clock: "Clock",
};

const slug = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/, { error: `${what} must be a slug (lowercase letters, digits and hyphens).` });

const grid = {
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { error: "A tile id is 1 to 40 letters, digits, hyphens or underscores." }),
  title: z.string().trim().max(60, { error: "A tile title can have at most 60 characters." }).optional(),
  x: z
    .int({ error: "x must be a whole column from 0." })
    .min(0, { error: "x must be a whole column from 0." })
    .max(gridColumns - 1, { error: `x must be below ${gridColumns}.` }),
  y: z
    .int({ error: "y must be a whole row from 0." })
    .min(0, { error: "y must be a whole row from 0." })
    .max(gridMaxRows - 1, { error: `y must be below ${gridMaxRows}.` }),
  w: z
    .int({ error: "w must be a whole number of columns." })
    .min(1, { error: "w must be at least 1 column." })
    .max(gridColumns, { error: `w can be at most ${gridColumns} columns.` }),
  h: z.int({ error: "h must be a whole number of rows." }).min(1, { error: "h must be at least 1 row." }).max(12, { error: "h can be at most 12 rows." }),
};

const teamFilter = slug("team").optional().describe("A team slug: only that team's services or requests.");

export const fleetHealthTile = z.object({
  kind: z.literal("fleet-health"),
  ...grid,
  team: teamFilter,
  environment: z.enum(environments, { error: `environment must be one of ${environments.join(", ")}.` }).optional(),
});
export const serviceHealthTile = z.object({ kind: z.literal("service-health"), ...grid, service: slug("service") });
export const rolloutsTile = z.object({ kind: z.literal("rollouts"), ...grid, team: teamFilter });
export const approvalsTile = z.object({ kind: z.literal("approvals"), ...grid, team: teamFilter });
/** Month-to-date cost of one team (or of everyone: the whole bill), from the stored cost data (lib/costs). */
export const costTile = z.object({ kind: z.literal("cost"), ...grid, team: teamFilter });
// The map's stored windows (lib/health/queries.ts `mapWindows`), listed here so the editor's bundle does not load the queries.
export const mapTileWindows = ["1h", "24h", "7d"] as const satisfies readonly MapWindow[];
const windows = mapTileWindows;
/** A summary of the stored application map (lib/appmap): one team's slice, or the whole fleet's. */
export const mapTile = z.object({
  kind: z.literal("map"),
  ...grid,
  team: teamFilter,
  environment: z.enum(environments, { error: `environment must be one of ${environments.join(", ")}.` }).optional(),
  window: z.enum(windows, { error: `window must be one of ${windows.join(", ")}.` }).optional(),
});
export const kqlCharts = ["line", "bar", "table"] as const;
export type KqlChart = (typeof kqlCharts)[number];
/** How far back a KQL tile's query reads: the timespan sent with it, enforced by Log Analytics whatever the query says. */
export const kqlTimespans = ["1h", "24h", "7d"] as const;
export const maxKqlQueryLength = 4_000;
/**
 * A chart of a KQL query against one Log Analytics workspace, run by the health poller at most every few minutes (decision 0046),
 * never by a screen. The query's syntax is checked with Microsoft's parser when the board is saved (lib/boards/kql-query.ts).
 */
export const kqlTile = z.object({
  kind: z.literal("kql"),
  ...grid,
  workspace: z
    .string()
    .trim()
    .min(1, { error: "Pick the Log Analytics workspace the query reads." })
    .max(100, { error: "A workspace name has at most 100 characters." })
    .describe("The name of a Log Analytics workspace Wharf discovered (as on the Health page)."),
  query: z
    .string()
    .trim()
    .min(1, { error: "Write the KQL query the tile charts." })
    .max(maxKqlQueryLength, { error: `A KQL query can have at most ${maxKqlQueryLength} characters.` })
    // Line breaks and tabs are fine; other control characters have no place in a query and would be sent as they are.
    .refine((query) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(query), {
      error: "The KQL query contains a control character; remove it (line breaks and tabs are fine).",
    }),
  chart: z.enum(kqlCharts, { error: `chart must be one of ${kqlCharts.join(", ")}.` }).default("line"),
  timespan: z.enum(kqlTimespans, { error: `timespan must be one of ${kqlTimespans.join(", ")}.` }).default("24h"),
});
export const clockTile = z.object({
  kind: z.literal("clock"),
  ...grid,
  timeZone: z
    .string()
    .refine((zone) => isTimeZone(zone), { error: "timeZone must be an IANA time zone such as Europe/Amsterdam or UTC." })
    .optional(),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const tileSchema = z.discriminatedUnion(
  "kind",
  [fleetHealthTile, serviceHealthTile, rolloutsTile, approvalsTile, costTile, mapTile, kqlTile, clockTile],
  {
    error: `kind must be one of ${tileKinds.join(", ")}.`,
  },
);

export type Tile = z.infer<typeof tileSchema>;

export const tilesSchema = z
  .array(tileSchema)
  .max(maxTiles, { error: `A board can hold at most ${maxTiles} tiles.` })
  .superRefine((tiles, context) => {
    const seen = new Set<string>();
    for (const [index, tile] of tiles.entries()) {
      if (seen.has(tile.id)) context.addIssue({ code: "custom", path: [index, "id"], message: `Two tiles have the id "${tile.id}"; each needs its own.` });
      seen.add(tile.id);
      if (tile.x + tile.w > gridColumns)
        context.addIssue({
          code: "custom",
          path: [index, "w"],
          message: `Tile "${tile.id}" runs past the grid's ${gridColumns} columns (x + w = ${tile.x + tile.w}); make it narrower or move it left.`,
        });
    }
    for (const [index, a] of tiles.entries()) {
      const b = tiles.slice(0, index).find((other) => overlaps(a, other));
      if (b) context.addIssue({ code: "custom", path: [index], message: `Tiles "${b.id}" and "${a.id}" overlap; move one of them.` });
    }
  });

type Box = Pick<Tile, "x" | "y" | "w" | "h">;

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** A new tile of a kind, placed below the others; the editor adds it so. */
export function newTile(kind: TileKind, tiles: readonly Tile[], id: string): Tile {
  const y = tiles.reduce((bottom, tile) => Math.max(bottom, tile.y + tile.h), 0);
  const box = { id, x: 0, y, w: kind === "clock" ? 3 : 6, h: kind === "clock" ? 2 : 4 };
  switch (kind) {
    case "service-health":
      return { kind, ...box, service: "" } as Tile;
    case "kql":
      return { kind, ...box, workspace: "", query: "", chart: "line", timespan: "24h" } as Tile;
    default:
      return { kind, ...box } as Tile;
  }
}

/** The rows the tiles take, for the kiosk's grid. */
export function gridRows(tiles: readonly Tile[]): number {
  return Math.max(
    1,
    tiles.reduce((bottom, tile) => Math.max(bottom, tile.y + tile.h), 0),
  );
}
