// One service's hop of the application map for its page: read from the stored
// fleet-wide snapshot (never from Azure), held against the catalog's current
// declarations. Reading it takes `health:read`, like the map.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { mapWindows, type MapWindow } from "@/lib/health/queries";
import { fleetScope } from "@/lib/appmap/refresh-map";
import { serviceNeighbours, type ServiceNeighbours } from "@/lib/appmap/service-neighbours";
import type { DeclaredNotSeen, MapEdge, MapNode, MapSource } from "@/lib/appmap/types";

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
    prisma.appMapSnapshot.findUnique({
      where: { window_environment: { window, environment: fleetScope } },
      select: { nodes: true, edges: true, notSeen: true, sources: true, builtAt: true },
    }),
    prisma.serviceDependency.findMany({ where: { serviceId: service.id, kind: "service" }, select: { target: true } }),
    prisma.serviceDependency.findMany({
      where: { kind: "service", target: slug, service: { retiredAt: null } },
      select: { service: { select: { slug: true } } },
    }),
  ]);
  const catalog = { declares: declares.map((row) => row.target), declaredBy: declaredBy.map((row) => row.service.slug) };
  if (!snapshot) return { window, builtAt: null, failingSources: [], ...serviceNeighbours({ nodes: [], edges: [], notSeen: [] }, slug, catalog) };
  const map = {
    nodes: snapshot.nodes as unknown as MapNode[],
    edges: snapshot.edges as unknown as MapEdge[],
    notSeen: snapshot.notSeen as unknown as DeclaredNotSeen[],
  };
  return {
    window,
    builtAt: snapshot.builtAt.toISOString(),
    failingSources: (snapshot.sources as unknown as MapSource[]).filter((source) => source.error),
    ...serviceNeighbours(map, slug, catalog),
  };
}
