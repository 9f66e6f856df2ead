// Integration: the latest deployment per service × namespace, found by PostgreSQL, against the test database.
import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { latestDeploymentIds } from "@/lib/deployments/latest-deployments";
import { deploymentRow } from "@/lib/deployments/__fixtures__/deployment-row";

describe("latestDeploymentIds", () => {
  it("returns the highest revision of each service in each namespace, filtered as asked", async () => {
    const prisma = getPrisma();
    const first = await deploymentRow("latest");
    const rest = {
      serviceId: first.serviceId,
      namespaceId: first.namespaceId,
      teamId: first.teamId,
      requestedByName: "Test",
      kind: "deploy",
      image: first.image,
      replicas: 2,
      manifestYaml: "kind: Deployment",
    };
    const row = (revision: number, startedAt: Date | null) =>
      prisma.deployment.create({ data: { ...rest, manifest: {}, revision, startedAt, status: startedAt ? "succeeded" : "awaiting-approval" } });
    await prisma.deployment.update({ where: { id: first.id }, data: { startedAt: new Date(), status: "succeeded" } });
    const applied = await row(2, new Date());
    const waiting = await row(3, null);

    // A second namespace of the same service: its own latest.
    const other = await prisma.namespace.create({
      data: {
        clusterId: (await prisma.namespace.findUniqueOrThrow({ where: { id: first.namespaceId } })).clusterId,
        teamId: first.teamId,
        name: `${first.id.slice(0, 8)}-b`,
        environment: "prod",
        costCenter: "cc",
        quota: {},
        containerDefaults: {},
        status: "decommissioned",
      },
    });
    const elsewhere = await prisma.deployment.create({
      data: { ...rest, manifest: {}, namespaceId: other.id, revision: 1, status: "succeeded", startedAt: new Date() },
    });

    try {
      const all = await latestDeploymentIds({ serviceId: first.serviceId });
      expect(all.sort()).toEqual([waiting.id, elsewhere.id].sort());
      expect(await latestDeploymentIds({ serviceId: first.serviceId, appliedOnly: true })).toEqual(expect.arrayContaining([applied.id, elsewhere.id]));
      expect(await latestDeploymentIds({ serviceId: first.serviceId, appliedOnly: true, excludeNamespaceStatuses: ["decommissioned"] })).toEqual([applied.id]);
      expect(await latestDeploymentIds({ serviceId: first.serviceId, namespaceStatuses: ["ready"] })).toEqual([waiting.id]);
      await prisma.service.update({ where: { id: first.serviceId }, data: { retiredAt: new Date() } });
      expect(await latestDeploymentIds({ serviceId: first.serviceId, activeServicesOnly: true })).toEqual([]);
    } finally {
      await prisma.deployment.deleteMany({ where: { namespaceId: other.id } });
      await prisma.namespace.delete({ where: { id: other.id } });
    }
  });
});
