// Integration (embedded PostgreSQL): the map as the API serves it, from the
// stored snapshot; bad input is a 400 that says what to change.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { runOnOwnDatabase } from "@/lib/db/testing/scratch-database";
import type { UserActor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { getMap } from "@/lib/appmap/get-map";
import type { MapEdge, MapNode } from "@/lib/appmap/types";

const suffix = randomBytes(3).toString("hex");
// A real environment: this file has its own database (runOnOwnDatabase), so no other file's snapshot for it is met.
const environment = "test";
const teamA = { slug: `gma${suffix}`, name: "A" };
const teamB = { slug: `gmb${suffix}`, name: "B" };
let actor: UserActor;

const node = (id: string, team: typeof teamA | null, kind: MapNode["kind"] = "service"): MapNode => ({
  id,
  kind,
  label: id,
  team,
  ...(kind === "service" && { serviceSlug: id.slice(4) }),
  health: kind === "service" ? "healthy" : null,
});
const edge = (source: string, target: string): MapEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  calls: 10,
  failedCalls: 0,
  failurePct: 0,
  avgMs: 5,
  p95Ms: 9,
  declaration: "declared",
  selfCall: false,
  stale: false,
});

runOnOwnDatabase();

beforeAll(async () => {
  const prisma = getPrisma();
  await prisma.team.create({ data: { ...teamA, entraGroupIds: [], costCenter: "CC-1" } });
  await prisma.team.create({ data: { ...teamB, entraGroupIds: [], costCenter: "CC-1" } });
  const user = await prisma.user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: "Mia Map",
      email: "mia@example.com",
      groupIds: [],
      appRoles: [],
      lastSignInAt: new Date(),
    },
  });
  actor = { kind: "user", userId: user.id, name: user.name, email: user.email, isAdmin: false, teams: [] };
  await prisma.cluster.create({
    data: {
      armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/gm-${suffix}`,
      name: `gm-${suffix}`,
      subscriptionId: "s",
      resourceGroup: "rg",
      location: "westeurope",
      environment,
    },
  });
  const nodes = [node("svc:a1", teamA), node("svc:a2", teamA), node("svc:b1", teamB), node("svc:b2", teamB), node("ext:SQL:db", null, "external")];
  const edges = [edge("svc:a1", "svc:a2"), edge("svc:b1", "svc:a1"), edge("svc:b1", "svc:b2"), edge("svc:a2", "ext:SQL:db")];
  await prisma.appMapSnapshot.create({
    data: {
      window: "24h",
      environment,
      nodes: nodes as never,
      edges: edges as never,
      notSeen: [
        { from: "a1", to: "zz" },
        { from: "b1", to: "zz" },
      ],
      sources: [{ workspace: "log-x", fetchedAt: new Date().toISOString(), error: null }],
      topologyKey: "k",
      positions: Object.fromEntries(nodes.map((entry, index) => [entry.id, { x: index * 300, y: 0 }])),
      layoutMethod: "full",
      laidOutAt: new Date(),
      builtAt: new Date(),
    },
  });
});

async function refusal(query: Record<string, string>): Promise<AppError> {
  const error = await getMap({ actor, query }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("getMap", () => {
  it("serves the snapshot's nodes with their stored positions, and its edges", async () => {
    const map = await getMap({ actor, query: { window: "24h", environment } });
    expect(map.nodes).toHaveLength(5);
    expect(map.nodes.find((entry) => entry.id === "svc:b1")!.position).toEqual({ x: 600, y: 0 });
    expect(map.edges).toHaveLength(4);
    expect(map.builtAt).toEqual(expect.any(String));
  });

  it("team: its services, what they call and what calls them; not-seen of its services only", async () => {
    const map = await getMap({ actor, query: { window: "24h", environment, team: teamA.slug } });
    expect(map.nodes.map((entry) => entry.id).sort()).toEqual(["ext:SQL:db", "svc:a1", "svc:a2", "svc:b1"]);
    expect(map.edges.map((entry) => entry.id).sort()).toEqual(["svc:a1->svc:a2", "svc:a2->ext:SQL:db", "svc:b1->svc:a1"]);
    expect(map.notSeen).toEqual([{ from: "a1", to: "zz" }]);
  });

  it("an unknown window, team or environment is a 400 naming the field and what to use", async () => {
    const window = await refusal({ window: "2h" });
    expect(window.code).toBe("invalid_input");
    expect(window.message).toMatch(/window must be one of 1h, 24h, 7d/);
    const team = await refusal({ team: "no-such-team" });
    expect(team).toMatchObject({ code: "invalid_input", path: ["team"] });
    expect(team.message).toMatch(/No team has the slug "no-such-team"/);
    const env = await refusal({ environment: "moon" });
    expect(env).toMatchObject({ code: "invalid_input", path: ["environment"] });
    expect(env.message).toMatch(/No cluster serves the environment "moon"/);
  });

  it("a known environment with no snapshot yet: an empty map that says it has not been built", async () => {
    expect(await getMap({ actor, query: { window: "7d", environment } })).toMatchObject({ builtAt: null, nodes: [], edges: [] });
  });
});
