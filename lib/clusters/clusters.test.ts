// Integration: discovering and probing the sandbox's clusters into the database.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { refreshClusters } from "@/lib/clusters/refresh-clusters";
import { listClusters } from "@/lib/clusters/list-clusters";
import { setClusterEnvironment } from "@/lib/clusters/set-cluster-environment";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";

const admin: UserActor = { kind: "user", userId: randomUUID(), name: "Ada Admin", email: "ada@example.com", isAdmin: true, teams: [] };
const viewer: UserActor = { kind: "user", userId: randomUUID(), name: "Vic Viewer", email: "vic@example.com", isAdmin: false, teams: [] };
const endpoints = readEndpoints();
const sandboxClusters = ["aks-dev-weu", "aks-lab-neu", "aks-prod-weu"];
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca: readFileSync(endpoints.caFile, "utf8"), method, body });

afterEach(async () => {
  await faults({}, "DELETE");
});

describe("clusters", () => {
  it("discovers and probes every cluster, and records one unreachable cluster's own error", async () => {
    expect(await refreshClusters({ actor: admin })).toEqual({ found: 3, reachable: 3, failures: [] });
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-lab-neu", unreachable: true }] });
    expect(await refreshClusters({ actor: admin })).toEqual({ found: 3, reachable: 2, failures: [] });
    // Other files may leave clusters of their own in the shared database; this test is about the sandbox's three.
    const clusters = (await listClusters({ actor: viewer })).filter((cluster) => sandboxClusters.includes(cluster.name));
    expect(clusters).toHaveLength(3);
    const lab = clusters.find((cluster) => cluster.name === "aks-lab-neu")!;
    expect(lab).toMatchObject({ reachable: false, lastError: expect.stringContaining("dropped the connection") });
    expect(clusters.filter((cluster) => cluster.reachable).map((cluster) => cluster.name)).toEqual(["aks-dev-weu", "aks-prod-weu"]);
    expect(clusters.every((cluster) => cluster.kubernetesVersion?.match(/^1\.\d+\.\d+$/))).toBe(true);
  });

  it("stores the node resource group ARM reports, custom ones included, and has stored costs allocated again when it moves", async () => {
    const prisma = getPrisma();
    await refreshClusters({ actor: admin });
    const nodeGroups = async () =>
      Object.fromEntries(
        (await prisma.cluster.findMany({ where: { name: { in: sandboxClusters } }, orderBy: { name: "asc" } })).map((c) => [c.name, c.nodeResourceGroup]),
      );
    // aks-lab-neu was created with --node-resource-group; the others have AKS's default name.
    expect(await nodeGroups()).toEqual({
      "aks-dev-weu": "MC_rg-wharf-sandbox_aks-dev-weu_westeurope",
      "aks-lab-neu": "rg-aks-lab-neu-nodes",
      "aks-prod-weu": "MC_rg-wharf-sandbox_aks-prod-weu_westeurope",
    });
    // A month allocated while Wharf did not know lab's group (as before it stored one): lab's nodes were billed outside it.
    const month = new Date("2041-03-01T00:00:00Z");
    await prisma.costAllocationMonth.create({ data: { grouping: "team", currency: "EUR", month, key: "", team: "", days: [1], costMinor: [100n] } });
    const staleMonths = () => prisma.costAllocationStale.findMany({ where: { month }, select: { reason: true } });
    try {
      // Unchanged: nothing to allocate again.
      await refreshClusters({ actor: admin });
      expect(await staleMonths()).toEqual([]);
      // The default name, which is what a cluster without a stored group was allocated with, differs from lab's custom one.
      await prisma.cluster.updateMany({ where: { name: { in: ["aks-lab-neu", "aks-dev-weu"] } }, data: { nodeResourceGroup: null } });
      await refreshClusters({ actor: admin });
      expect(await staleMonths()).toEqual([{ reason: "node resource group of aks-lab-neu discovered" }]);
      expect((await nodeGroups())["aks-lab-neu"]).toBe("rg-aks-lab-neu-nodes");
    } finally {
      await prisma.costAllocationStale.deleteMany({ where: { reason: { startsWith: "node resource group of" } } });
      await prisma.costAllocationMonth.deleteMany({ where: { month } });
    }
  });

  it("keeps going when ARM fails, and says so", async () => {
    await refreshClusters({ actor: admin });
    await faults({ rules: [{ api: "arm", errorRate: 1, errorStatus: 500 }] });
    const result = await refreshClusters({ actor: admin });
    expect(result.found).toBe(0);
    expect(result.failures[0]?.message).toMatch(/500|InternalError/);
    // A failed listing says nothing about whether clusters still exist.
    const known = (await listClusters({ actor: admin })).filter((cluster) => sandboxClusters.includes(cluster.name));
    expect(known.map((cluster) => [cluster.name, cluster.missingSince])).toEqual(sandboxClusters.map((name) => [name, null]));
  });

  it("lets only admins refresh and set the environment, with bad input refused", async () => {
    await refreshClusters({ actor: admin });
    await expect(refreshClusters({ actor: viewer })).rejects.toMatchObject({ code: "forbidden" });
    const [cluster] = await listClusters({ actor: admin });
    await expect(setClusterEnvironment({ actor: viewer, id: cluster!.id, environment: "prod" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(setClusterEnvironment({ actor: admin, id: cluster!.id, environment: "staging" })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(setClusterEnvironment({ actor: admin, id: "nope", environment: "dev" })).rejects.toMatchObject({ code: "not_found" });
    expect((await setClusterEnvironment({ actor: admin, id: cluster!.id, environment: "dev" })).environment).toBe("dev");
    const audit = await getPrisma().auditEvent.findFirst({ where: { action: "cluster.set_environment", outcome: "success" }, orderBy: { id: "desc" } });
    expect(audit?.after).toEqual({ environment: "dev" });
  });
});
