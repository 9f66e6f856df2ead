// The demo estate on a database and a sandbox of its own (the estate's namespaces and role names would otherwise land
// in the sandbox and database every other test file shares): what a new install has after its first start, made
// through the real use cases, and nothing more on the next start.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOnOwnDatabase } from "@/lib/db/testing/scratch-database";
import { getPrisma } from "@/lib/db/client";
import { jobsSchema } from "@/lib/jobs/boss";
import { clusterKubeConfig } from "@/lib/kubernetes/cluster-access";
import { listObjects } from "@/lib/kubernetes/apply";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { sandboxGroupIds } from "@/sandbox/personas";
import { seedSandbox } from "./seed";
import { demoEstate, seedDemoEstate } from "./seed-estate";

runOnOwnDatabase();
let sandbox: RunningSandbox;
const sandboxDir = resolve(".data", "test", `estate-sandbox-${randomBytes(4).toString("hex")}`);
const sharedSandbox = process.env.SANDBOX_ENDPOINTS_FILE;

beforeAll(async () => {
  sandbox = await startSandbox({ controllerSpeed: 20, costQuotaSpeed: 60, dataDir: sandboxDir, port: 0 });
  // Before anything in this file reads the configuration: the sandbox is this file's own too.
  process.env.SANDBOX_ENDPOINTS_FILE = sandbox.endpointsFile;
  await seedSandbox();
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(sandboxDir, { recursive: true, force: true });
  process.env.SANDBOX_ENDPOINTS_FILE = sharedSandbox;
});

async function queuedJobs(): Promise<{ name: string; data: Record<string, unknown> }[]> {
  return getPrisma().$queryRawUnsafe(`SELECT name, data FROM ${await jobsSchema()}.job WHERE state = 'created' ORDER BY name`);
}

describe("the demo estate on a new install", () => {
  it("names a team or cluster it needs and cannot find, before it writes anything", async () => {
    const elsewhere = [
      { ...demoEstate[0]!, name: "drone-delivery-lab", cluster: "aks-nowhere" },
      { ...demoEstate[2]!, team: "billing" },
    ];
    await expect(seedDemoEstate(elsewhere)).rejects.toThrow("the demo estate needs team billing, cluster aks-nowhere, which Wharf does not have");
    expect(await getPrisma().namespaceRequest.count()).toBe(0);
    expect(await getPrisma().user.count()).toBe(0);
  });

  it("has its teams' namespaces requested, approved and provisioned, deployments queued, and some things left to decide", async () => {
    const seeded = await seedDemoEstate();
    expect(seeded).toEqual({ namespaces: 5, pendingRequests: 1, deployments: 22, awaitingApproval: 1 });

    const prisma = getPrisma();
    const namespaces = await prisma.namespace.findMany({ include: { team: true, cluster: true }, orderBy: { name: "asc" } });
    expect(namespaces.map((namespace) => [namespace.name, namespace.team.slug, namespace.cluster.name, namespace.status])).toEqual([
      ["drone-delivery-dev", "drone-delivery", "aks-dev-weu", "ready"],
      ["drone-delivery-prod", "drone-delivery", "aks-prod-weu", "ready"],
      ["orders-dev", "orders", "aks-dev-weu", "ready"],
      ["payments-dev", "payments", "aks-dev-weu", "ready"],
      ["payments-prod", "payments", "aks-prod-weu", "ready"],
    ]);
    // Provisioned for real: the namespaces exist on the sandbox's clusters.
    const dev = await prisma.cluster.findFirstOrThrow({ where: { name: "aks-dev-weu" } });
    const onDev = (await listObjects<{ metadata: { name: string } }>(await clusterKubeConfig(dev), "v1", "Namespace")).map((object) => object.metadata.name);
    expect(onDev).toEqual(expect.arrayContaining(["drone-delivery-dev", "orders-dev", "payments-dev"]));

    // Orders' production namespace waits in the admins' queue, asked for by Omar.
    const pending = await prisma.namespaceRequest.findMany({ where: { status: "pending" } });
    expect(pending.map((request) => [request.name, request.requestedByName])).toEqual([["orders-prod", "Omar Haddad"]]);

    const deployments = await prisma.deployment.findMany({ include: { service: true, namespace: true }, orderBy: { createdAt: "asc" } });
    expect(deployments).toHaveLength(22);
    const byTarget = (namespace: string, service: string) => deployments.filter((d) => d.namespace.name === namespace && d.service.slug === service);
    // Dev runs small, and Delivery's dev version is the one that fails a fifth of its requests.
    expect(byTarget("drone-delivery-dev", "delivery")).toMatchObject([{ imageTag: "errors", replicas: 1, status: "applying" }]);
    expect(byTarget("drone-delivery-prod", "ingestion")).toMatchObject([{ imageTag: "2.0.0", replicas: 4, status: "applying", needsApproval: true }]);
    // Production deployments were approved by the admin, never by who asked; the second Ledger waits for someone.
    expect(byTarget("payments-prod", "ledger").map((d) => [d.imageTag, d.status, d.requestedByName])).toEqual([
      ["2.0.0", "applying", "Priya Shah"],
      ["2.3.0", "awaiting-approval", "Priya Shah"],
    ]);
    const approvals = await prisma.auditEvent.findMany({ where: { action: "deployment.approve", outcome: "success" } });
    expect(approvals).toHaveLength(8);
    expect(new Set(approvals.map((event) => event.actorName))).toEqual(new Set(["Alex Morgan"]));

    // The worker finds a rollout for each deployment that is applying, and a first cost sync.
    const jobs = await queuedJobs();
    const rollouts = jobs.filter((job) => job.name === "deployment.rollout");
    expect(rollouts).toHaveLength(21);
    expect(new Set(rollouts.map((job) => job.data.deploymentId))).toEqual(new Set(deployments.filter((d) => d.status === "applying").map((d) => d.id)));
    expect(jobs.filter((job) => job.name === "cost.sync")).toHaveLength(1);

    // The personas who did it have the rows their first sign-in would have written: Dana is in Drone Delivery.
    const dana = await prisma.user.findFirstOrThrow({ where: { name: "Dana Reyes" } });
    expect(dana.groupIds).toEqual([sandboxGroupIds.droneDelivery]);
  });

  it("adds nothing on the next start", async () => {
    const prisma = getPrisma();
    const before = { requests: await prisma.namespaceRequest.count(), deployments: await prisma.deployment.count() };
    expect(await seedDemoEstate()).toEqual({ namespaces: 0, pendingRequests: 0, deployments: 0, awaitingApproval: 0 });
    expect({ requests: await prisma.namespaceRequest.count(), deployments: await prisma.deployment.count() }).toEqual(before);
  });
});
