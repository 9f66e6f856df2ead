// Integration: a rollout's progress is written and announced in one statement.
import { randomBytes } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { getPrisma } from "@/lib/db/client";
import { writeRolloutProgress } from "./rollout-slot";

async function progressingDeployment() {
  const prisma = getPrisma();
  const suffix = randomBytes(4).toString("hex");
  const team = await prisma.team.create({ data: { slug: `prog-${suffix}`, name: `Progress ${suffix}` } });
  const cluster = await prisma.cluster.create({ data: { armId: `/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prog-${suffix}`, name: `prog-${suffix}`, subscriptionId: "x", resourceGroup: "rg", location: "westeurope" } });
  const namespace = await prisma.namespace.create({ data: { clusterId: cluster.id, teamId: team.id, name: `prog-${suffix}`, environment: "dev", costCenter: "cc", quota: {}, containerDefaults: {}, status: "ready" } });
  const service = await prisma.service.create({ data: { slug: `prog-${suffix}`, displayName: "Progress", ownerTeamId: team.id, tier: "standard", lifecycle: "production", searchText: "progress" } });
  const deployment = await prisma.deployment.create({
    data: { serviceId: service.id, namespaceId: namespace.id, teamId: team.id, requestedByName: "Test", revision: 1, kind: "deploy", image: "contoso.azurecr.io/prog:1", replicas: 2, manifest: {}, manifestYaml: "kind: Deployment", status: "progressing", readyReplicas: 1 },
  });
  // Another file's cluster list must not see this one.
  onTestFinished(async () => {
    await prisma.deployment.delete({ where: { id: deployment.id } });
    await prisma.service.delete({ where: { id: service.id } });
    await prisma.namespace.delete({ where: { id: namespace.id } });
    await prisma.cluster.delete({ where: { id: cluster.id } });
    await prisma.team.delete({ where: { id: team.id } });
  });
  return deployment;
}

describe("writeRolloutProgress", () => {
  it("writes the counts, pods, events and message of a progressing deployment and announces it; stale counts are kept; an ended one is left alone, unannounced", async () => {
    const prisma = getPrisma();
    const deployment = await progressingDeployment();
    const notices: string[] = [];
    const stop = await subscribeToChanges([`deployment:${deployment.id}`], (change) => notices.push(change.id));
    try {
      const pods = [{ name: "api-1", phase: "Running", ready: true, restarts: 0 }];
      const events = [{ type: "Normal", reason: "Started", message: "Started container app" }];
      const before = Date.now();
      expect(await writeRolloutProgress(deployment.id, { message: "1 of 2 ready", pods, events, counts: { desired: 2, updated: 2, ready: 1, available: 0 } })).toBe(true);
      const written = await prisma.deployment.findUniqueOrThrow({ where: { id: deployment.id } });
      expect(written).toMatchObject({ message: "1 of 2 ready", pods, events, desiredReplicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 0, status: "progressing" });
      expect(written.updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1);
      await expect.poll(() => notices.length, { timeout: 5_000 }).toBe(1);

      // The informer's view is stale (the cluster is not answering): message and pods change, the counts stay.
      expect(await writeRolloutProgress(deployment.id, { message: "Cannot watch the cluster", pods: [], events: [] })).toBe(true);
      expect(await prisma.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).toMatchObject({ message: "Cannot watch the cluster", pods: [], readyReplicas: 1, desiredReplicas: 2 });
      await expect.poll(() => notices.length, { timeout: 5_000 }).toBe(2);

      await prisma.deployment.update({ where: { id: deployment.id }, data: { status: "cancelled" } });
      expect(await writeRolloutProgress(deployment.id, { message: "late", pods: [], events: [], counts: { desired: 2, updated: 2, ready: 2, available: 2 } })).toBe(false);
      expect(await prisma.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).toMatchObject({ status: "cancelled", message: "Cannot watch the cluster", readyReplicas: 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(notices).toHaveLength(2);
    } finally {
      stop();
    }
  });
});
