// Integration (embedded PostgreSQL): the map rebuilt from the stored edges
// after a catalog change, without a health cycle: a role linked to a service
// turns its "unknown service" node into that service at once; a running
// health cycle (holding its lock) is waited for.
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import type { MapEdgeRow } from "@/lib/health/queries";
import type { MapNode } from "@/lib/appmap/types";
import { linkRoleName } from "@/lib/catalog/link-role-name";
import { rebuildAppMap } from "@/lib/telemetry/map-rebuild-job";
import { withCycleLock } from "@/lib/telemetry/health-poll-job";

const suffix = randomBytes(3).toString("hex");
const environment = `mr-${suffix}`;
const caller = `caller-${suffix}`;
const orphan = `orphan-${suffix}`;
const component = `/subscriptions/s/resourcegroups/rg/providers/microsoft.insights/components/mr-${suffix}`;
const admin: UserActor = { kind: "user", userId: randomUUID(), name: "Ada", email: "a@example.com", isAdmin: true, teams: [] };

const nodes = async () =>
  (await getPrisma().appMapSnapshot.findUniqueOrThrow({ where: { window_environment: { window: "1h", environment } } })).nodes as unknown as MapNode[];

beforeAll(async () => {
  const prisma = getPrisma();
  const team = await prisma.team.create({ data: { slug: `mr${suffix}`, name: `Team ${suffix}`, entraGroupIds: [] } });
  const service = (slug: string, role: string | null) =>
    prisma.service.create({
      data: { slug, displayName: slug, ownerTeamId: team.id, tier: "standard", lifecycle: "production", tags: [], searchText: slug, appInsightsRoleName: role },
    });
  await service(`mr-caller-${suffix}`, caller);
  await service(`mr-callee-${suffix}`, null);
  const workspace = await prisma.telemetryWorkspace.create({
    data: {
      armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/mr-${suffix}`,
      customerId: randomBytes(8).toString("hex"),
      name: `log-mr-${suffix}`,
      subscriptionId: "s",
      resourceGroup: "rg",
      location: "westeurope",
    },
  });
  await prisma.telemetryComponent.create({
    data: { armId: component, name: `mr-${suffix}`, appId: randomBytes(4).toString("hex"), workspaceId: workspace.id, environment },
  });
  const rows: MapEdgeRow[] = [
    {
      callerRole: caller,
      callerComponentId: component,
      calleeKind: "component",
      calleeRole: orphan,
      dependencyType: "Http",
      target: "",
      calls: 40,
      failedCalls: 2,
      failedPct: 5,
      avgMs: 12,
      p95Ms: 30,
    },
  ];
  await prisma.appMapEdges.create({ data: { workspaceId: workspace.id, window: "1h", rows: rows as object[], fetchedAt: new Date() } });
});

describe("rebuildAppMap", () => {
  it("rebuilds from the stored edges: a role linked to a service stops being an unknown node", async () => {
    expect(await rebuildAppMap()).toMatchObject({ snapshots: expect.any(Number) });
    expect((await nodes()).find((node) => node.id === `role:${orphan}`)).toMatchObject({ kind: "unknown", label: orphan });

    await linkRoleName({ actor: admin, slug: `mr-callee-${suffix}`, role: orphan });
    await rebuildAppMap();
    const after = await nodes();
    expect(after.find((node) => node.id === `role:${orphan}`)).toBeUndefined();
    expect(after.find((node) => node.id === `svc:mr-callee-${suffix}`)).toMatchObject({ kind: "service", role: orphan });
  });

  it("waits for a running health cycle, and says so when it runs past the wait", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const taken = new Promise<void>((resolve) => (holding = resolve));
    const cycle = withCycleLock(async () => {
      holding();
      await held;
      return "cycle";
    });
    await taken;
    expect(await rebuildAppMap({ waitMs: 1_500 })).toBe("busy");
    const waiting = rebuildAppMap({ waitMs: 30_000 });
    release();
    expect(await cycle).toBe("cycle");
    expect(await waiting).toMatchObject({ snapshots: expect.any(Number) });
  });
});
