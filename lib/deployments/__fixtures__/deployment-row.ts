// For integration tests that need a deployment row and nothing on a cluster:
// a team, a cluster no sandbox knows, a ready namespace, a service and a
// progressing deployment, all removed when the test ends (a stray cluster
// would show up in other files' cluster lists).
import { randomBytes } from "node:crypto";
import { onTestFinished } from "vitest";
import { getPrisma } from "@/lib/db/client";

export async function deploymentRow(prefix: string, data: { readyReplicas?: number } = {}) {
  const prisma = getPrisma();
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  const team = await prisma.team.create({ data: { slug: name, name } });
  const cluster = await prisma.cluster.create({ data: { armId: `/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`, name, subscriptionId: "x", resourceGroup: "rg", location: "westeurope" } });
  const namespace = await prisma.namespace.create({ data: { clusterId: cluster.id, teamId: team.id, name, environment: "dev", costCenter: "cc", quota: {}, containerDefaults: {}, status: "ready" } });
  const service = await prisma.service.create({ data: { slug: name, displayName: name, ownerTeamId: team.id, tier: "standard", lifecycle: "production", searchText: name } });
  const deployment = await prisma.deployment.create({
    data: { serviceId: service.id, namespaceId: namespace.id, teamId: team.id, requestedByName: "Test", revision: 1, kind: "deploy", image: `contoso.azurecr.io/${name}:1`, replicas: 2, manifest: {}, manifestYaml: "kind: Deployment", status: "progressing", ...data },
  });
  onTestFinished(async () => {
    await prisma.deployment.deleteMany({ where: { serviceId: service.id } });
    await prisma.service.delete({ where: { id: service.id } });
    await prisma.namespace.delete({ where: { id: namespace.id } });
    await prisma.cluster.delete({ where: { id: cluster.id } });
    await prisma.team.delete({ where: { id: team.id } });
  });
  return deployment;
}
