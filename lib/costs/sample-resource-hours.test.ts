// Integration (embedded PostgreSQL): resource-hour samples from the stored quota usage and deployments,
// accumulated per namespace and day, one claim per interval, stale usage left unsampled.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { claimSample, recordSample } from "./sample-resource-hours";

const suffix = randomBytes(3).toString("hex");
let clusterId: string;
let teamId: string;

const manifest = (cpu: string, memory: string) => ({
  deployment: { spec: { replicas: 2, template: { spec: { containers: [{ resources: { requests: { cpu, memory } } }] } } } },
});

beforeAll(async () => {
  const prisma = getPrisma();
  const team = await prisma.team.create({ data: { slug: `rh${suffix}`, name: `Team ${suffix}`, entraGroupIds: [], costCenter: "CC-1" } });
  teamId = team.id;
  const service = await prisma.service.create({
    data: { slug: `rh-${suffix}`, displayName: "rh", ownerTeamId: team.id, tier: "standard", lifecycle: "production", tags: [], searchText: "rh" },
  });
  const cluster = await prisma.cluster.create({
    data: {
      armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/rh-${suffix}`,
      name: `rh-${suffix}`,
      subscriptionId: "s",
      resourceGroup: "rg",
      location: "westeurope",
    },
  });
  clusterId = cluster.id;
  const namespace = (name: string, usage: object | null, checkedAt: Date | null, status = "ready") =>
    prisma.namespace.create({
      data: {
        clusterId,
        teamId,
        name,
        activeName: name,
        environment: "dev",
        costCenter: "CC-1",
        quota: {},
        containerDefaults: {},
        status,
        usage: usage ?? undefined,
        checkedAt,
      },
    });
  const fresh = new Date("2026-12-04T10:00:00Z");
  const shop = await namespace(`shop-${suffix}`, { hard: {}, used: { "requests.cpu": "1", "requests.memory": "2Gi" } }, fresh);
  await namespace(`stale-${suffix}`, { hard: {}, used: { "requests.cpu": "4", "requests.memory": "8Gi" } }, new Date("2026-12-04T08:00:00Z"));
  await namespace(`new-${suffix}`, null, null, "provisioning");
  const deployment = (revision: number, status: string, cpu: string) =>
    prisma.deployment.create({
      data: {
        serviceId: service.id,
        namespaceId: shop.id,
        teamId,
        requestedByName: "t",
        revision,
        kind: "deploy",
        image: "x",
        replicas: 2,
        manifest: manifest(cpu, "256Mi"),
        manifestYaml: "",
        status,
      },
    });
  await deployment(1, "succeeded", "100m");
  await deployment(2, "succeeded", "250m");
  await deployment(3, "failed", "4");
});

describe("resource-hour samples", () => {
  it("adds each sample's interval of requests to the namespace's and its services' day", async () => {
    const prisma = getPrisma();
    await recordSample(new Date("2026-12-04T10:01:00Z"), 300);
    await recordSample(new Date("2026-12-04T10:06:00Z"), 300);
    const rows = await prisma.namespaceResourceHours.findMany({ where: { clusterId } });
    expect(rows.map((r) => r.namespace)).toEqual([`shop-${suffix}`]);
    expect(rows[0]).toMatchObject({ teamId, sampledSeconds: 600 });
    expect(rows[0]!.cpuCoreHours).toBeCloseTo(1 / 6, 10);
    expect(rows[0]!.memoryGiBHours).toBeCloseTo(2 / 6, 10);
    // The last successful deployment counts (2 × 250m), not the failed one after it.
    const services = await prisma.serviceResourceHours.findMany({ where: { clusterId } });
    expect(services).toHaveLength(1);
    expect(services[0]!.service).toBe(`rh-${suffix}`);
    expect(services[0]!.cpuCoreHours).toBeCloseTo(0.5 / 6, 10);
  });

  it("starts a new row on the next UTC day and keeps the team after the namespace is gone", async () => {
    const prisma = getPrisma();
    await prisma.namespace.updateMany({ where: { clusterId, name: `shop-${suffix}` }, data: { checkedAt: new Date("2026-12-05T00:00:00Z") } });
    await recordSample(new Date("2026-12-05T00:02:00Z"), 300);
    await prisma.namespace.updateMany({ where: { clusterId, name: `shop-${suffix}` }, data: { status: "decommissioned", activeName: null } });
    await recordSample(new Date("2026-12-05T00:07:00Z"), 300);
    const rows = await prisma.namespaceResourceHours.findMany({ where: { clusterId }, orderBy: { day: "asc" } });
    expect(rows.map((r) => [r.day.toISOString().slice(0, 10), r.sampledSeconds, r.teamId])).toEqual([
      ["2026-12-04", 600, teamId],
      ["2026-12-05", 300, teamId],
    ]);
  });

  it("lets one worker claim each interval", async () => {
    const t = new Date("2030-01-01T00:00:00Z");
    expect(await claimSample(t, 300)).toBe(true);
    expect(await claimSample(t, 300)).toBe(false);
    expect(await claimSample(new Date(t.getTime() + 60_000), 300)).toBe(false);
    expect(await claimSample(new Date(t.getTime() + 280_000), 300)).toBe(true);
  });

  it("samples the cluster's node capacity and its system namespaces, with no team, while the reconcile's reading is fresh", async () => {
    const prisma = getPrisma();
    const at = new Date("2026-12-06T09:00:00Z");
    await prisma.clusterCapacity.create({
      data: {
        clusterId,
        nodes: 3,
        cpuMillicores: 11_580n,
        memoryBytes: 3n * 13_807_636n * 1024n,
        // "default" is no system namespace: a reading never makes a team's namespace idle or system.
        systemRequests: { "kube-system": { cpuMillicores: 1_500, memoryBytes: 2 * 2 ** 30 }, default: { cpuMillicores: 100, memoryBytes: 0 } },
        checkedAt: at,
      },
    });
    await recordSample(new Date("2026-12-06T09:01:00Z"), 300);
    // Three intervals later the reading is stale (the cluster away): no capacity for that time, rather than a guess.
    await recordSample(new Date("2026-12-06T09:30:00Z"), 300);
    const [capacity] = await prisma.clusterCapacityHours.findMany({ where: { clusterId } });
    expect(capacity).toMatchObject({ sampledSeconds: 300 });
    expect(capacity!.cpuCoreHours).toBeCloseTo(11.58 / 12, 10);
    expect(capacity!.memoryGiBHours).toBeCloseTo((3 * 13_807_636 * 1024) / 2 ** 30 / 12, 10);
    const system = await prisma.namespaceResourceHours.findMany({ where: { clusterId, day: new Date("2026-12-06T00:00:00Z") } });
    expect(system.map((row) => [row.namespace, row.teamId, row.sampledSeconds])).toEqual([["kube-system", null, 300]]);
    expect(system[0]!.cpuCoreHours).toBeCloseTo(1.5 / 12, 10);
  });
});
