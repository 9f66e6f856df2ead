// Integration (embedded PostgreSQL): a service's hop of the map, from the
// stored fleet-wide snapshot, held against the catalog's declarations as they are.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { getServiceMap } from "@/lib/appmap/get-service-map";
import type { MapEdge, MapNode } from "@/lib/appmap/types";

const suffix = randomBytes(3).toString("hex");
const slug = (name: string) => `${name}-${suffix}`;
let actor: UserActor;

const node = (name: string): MapNode => ({ id: `svc:${slug(name)}`, kind: "service", label: name, team: null, serviceSlug: slug(name), health: "healthy" });
const edge = (source: string, target: string): MapEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  calls: 10,
  failedCalls: 1,
  failurePct: 10,
  avgMs: 5,
  p95Ms: 9,
  declaration: "undeclared",
  selfCall: false,
  stale: false,
});

beforeAll(async () => {
  const prisma = getPrisma();
  const team = await prisma.team.create({ data: { slug: `gsm${suffix}`, name: "GSM", entraGroupIds: [], costCenter: "CC-1" } });
  const user = await prisma.user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: "Sam Map",
      email: "sam@example.com",
      groupIds: [],
      appRoles: [],
      lastSignInAt: new Date(),
    },
  });
  actor = { kind: "user", userId: user.id, name: user.name, email: user.email, isAdmin: false, teams: [] };
  const create = (name: string, dependencies: string[]) =>
    prisma.service.create({
      data: {
        slug: slug(name),
        displayName: name,
        ownerTeamId: team.id,
        tier: "standard",
        lifecycle: "production",
        tags: [],
        searchText: name,
        dependencies: { create: dependencies.map((target, position) => ({ position, kind: "service", target: slug(target) })) },
      },
    });
  await create("front", ["middle"]);
  await create("middle", ["back", "ghost"]);
  await create("back", []);
  const nodes = [node("front"), node("middle"), node("back")];
  const snapshot = {
    nodes: nodes as never,
    edges: [edge(nodes[0]!.id, nodes[1]!.id), edge(nodes[1]!.id, nodes[2]!.id), edge(nodes[2]!.id, nodes[1]!.id)] as never,
    notSeen: [{ from: slug("middle"), to: slug("ghost") }],
    sources: [
      { workspace: "log-a", fetchedAt: new Date().toISOString(), error: null },
      { workspace: "log-b", fetchedAt: null, error: "503 ServiceUnavailable" },
    ],
    topologyKey: "k",
    positions: Object.fromEntries(nodes.map((n, i) => [n.id, { x: i * 300, y: 0 }])),
    layoutMethod: "full",
    laidOutAt: new Date(),
    builtAt: new Date(),
  };
  await prisma.appMapSnapshot.upsert({
    where: { window_environment: { window: "24h", environment: "" } },
    create: { window: "24h", environment: "", ...snapshot },
    update: snapshot,
  });
});

describe("getServiceMap", () => {
  it("the service's callers and callees from the fleet-wide snapshot, declared or not by today's catalog, and what is declared but not seen", async () => {
    const hop = await getServiceMap({ actor, slug: slug("middle"), window: "24h" });
    expect(hop.builtAt).toEqual(expect.any(String));
    expect(hop.talksTo.map((entry) => [entry.node.serviceSlug, entry.declared, entry.edge.failurePct])).toEqual([[slug("back"), true, 10]]);
    expect(hop.calledBy.map((entry) => [entry.node.serviceSlug, entry.declared]).sort()).toEqual([
      [slug("back"), false],
      [slug("front"), true],
    ]);
    expect(hop.notSeen).toEqual([slug("ghost")]);
    expect(hop.failingSources.map((source) => source.workspace)).toEqual(["log-b"]);
    // The fleet map's positions are not part of a service's hop.
    expect([hop.node, ...hop.talksTo.map((entry) => entry.node), ...hop.calledBy.map((entry) => entry.node)].some((n) => n && "position" in n)).toBe(false);
  });

  it("an unknown service is not found; an unknown window says which to use", async () => {
    const missing = await getServiceMap({ actor, slug: "no-such-service" }).catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: "not_found" });
    const window = await getServiceMap({ actor, slug: slug("middle"), window: "2h" }).catch((error: unknown) => error);
    expect(window).toBeInstanceOf(AppError);
    expect((window as AppError).message).toMatch(/window must be one of 1h, 24h, 7d/);
  });
});
