// One service's hop of the application map for its page: read from the stored
// fleet-wide snapshot (never from Azure) through the process's parsed copy
// (read-map-snapshot.ts: a version check, no parse while the snapshot is
// unchanged), held against the catalog's current declarations. Reading it
// takes `health:read`, like the map.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { mapWindows, type MapWindow } from "@/lib/health/queries";
import { fleetScope } from "@/lib/appmap/refresh-map";
import { serviceNeighbours, type ServiceNeighbours } from "@/lib/appmap/service-neighbours";
import { readMapSnapshot } from "@/lib/appmap/read-map-snapshot";
import type { PlacedNode } from "@/lib/appmap/team-slice";
import type { MapNode, MapSource } from "@/lib/appmap/types";

const windows = Object.keys(mapWindows) as [MapWindow, ...MapWindow[]];
const serviceMapQuery = z.object({
  slug: z.string().trim().min(1),
  window: z.enum(windows, { error: `window must be one of ${windows.join(", ")}.` }).default("1h"),
});

export interface ServiceMapView extends ServiceNeighbours {
  window: MapWindow;
  /** null: no health cycle has built the map yet. */
  builtAt: string | null;
  /** Workspaces whose last fetch failed: their part of the figures is old. */
  failingSources: MapSource[];
}

export async function getServiceMap(input: { actor: Actor; slug: string; window?: string }): Promise<ServiceMapView> {
  if (!can(input.actor, "health:read")) throw forbidden("health:read");
  const { slug, window } = parseInput(serviceMapQuery, { slug: input.slug, window: input.window });
  const prisma = getPrisma();
  const service = await prisma.service.findUnique({ where: { slug }, select: { id: true } });
  if (!service) throw new AppError("not_found", `There is no service "${slug}" in the catalog.`);
  const [snapshot, declares, declaredBy] = await Promise.all([
    readMapSnapshot(window, fleetScope),
    prisma.serviceDependency.findMany({ where: { serviceId: service.id, kind: "service" }, select: { target: true } }),
    prisma.serviceDependency.findMany({
      where: { kind: "service", target: slug, service: { retiredAt: null } },
      select: { service: { select: { slug: true } } },
    }),
  ]);
  const catalog = { declares: declares.map((row) => row.target), declaredBy: declaredBy.map((row) => row.service.slug) };
  if (!snapshot) return { window, builtAt: null, failingSources: [], ...serviceNeighbours({ nodes: [], edges: [], notSeen: [] }, slug, catalog) };
  const hop = serviceNeighbours(snapshot, slug, catalog);
  return {
    window,
    builtAt: snapshot.builtAt.toISOString(),
    failingSources: snapshot.sources.filter((source) => source.error),
    ...hop,
    // The page draws a hop in its own layout: the fleet map's positions stay out of the answer.
    node: hop.node && unplaced(hop.node),
    talksTo: hop.talksTo.map((neighbour) => ({ ...neighbour, node: unplaced(neighbour.node) })),
    calledBy: hop.calledBy.map((neighbour) => ({ ...neighbour, node: unplaced(neighbour.node) })),
  };
}

function unplaced(node: MapNode | PlacedNode): MapNode {
  if (!("position" in node)) return node;
  const { position: _position, ...rest } = node;
  return rest;
}
