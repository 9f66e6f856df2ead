// Integration: deployments rolled out by the real worker (pg-boss in a schema
// of its own) against the sandbox: the job is enqueued by the use case, runs
// the apply and the follow, and a queued deployment starts by itself when the
// one ahead of it ends, and a failing apply is retried with its reason shown.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { refreshClusters } from "@/lib/clusters/refresh-clusters";
import { requestNamespace } from "@/lib/namespaces/request-namespace";
import { decideNamespaceRequest } from "@/lib/namespaces/decide-namespace-request";
import { provisionNamespace } from "@/lib/namespaces/provision-namespace";
import { suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";
import { startWorker, type RunningWorker } from "@/lib/jobs/worker";
import { jobDefinitions } from "@/lib/worker/job-registry";
import { dropSchema, fastTiming, testSchema, waitFor } from "@/lib/jobs/testing/job-test-support";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";
import { createDeployment } from "./create-deployment";
import { getDeployment } from "./list-deployments";
import { stopRolloutInformers } from "./rollout-informers";
import type { DeploymentView } from "./deployment-view";
import { smallDeploySpec } from "@/lib/test-support/team-fixture";

const endpoints = readEndpoints();
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca: readFileSync(endpoints.caFile, "utf8"), method, body });
const suffix = randomBytes(3).toString("hex");
const slug = `dw${suffix}`;
const schema = testSchema();
let worker: RunningWorker;
let member: UserActor;
let namespaceId: string;

async function service(name: string): Promise<string> {
  const serviceSlug = `${name}-${suffix}`;
  const team = member.teams[0]!;
  await getPrisma().service.create({
    data: {
      slug: serviceSlug,
      displayName: serviceSlug,
      ownerTeamId: team.id,
      tier: "standard",
      lifecycle: "production",
      tags: [],
      searchText: serviceSlug,
      deploySpec: smallDeploySpec(`contoso.azurecr.io/${slug}/${name}`, { replicas: 2 }),
    },
  });
  return serviceSlug;
}

const ended = (id: string) =>
  waitFor(
    `deployment ${id} to end`,
    async () => {
      const deployment = await getDeployment({ actor: member, id });
      return ["succeeded", "failed", "cancelled"].includes(deployment.status) ? deployment : null;
    },
    45_000,
  );

beforeAll(async () => {
  worker = await startWorker({ definitions: jobDefinitions, schema, timing: fastTiming, queues: ["deployment.rollout"] });
  const prisma = getPrisma();
  const created = await prisma.team.create({ data: { slug, name: `Team ${suffix}`, entraGroupIds: [], costCenter: "CC-1" } });
  const row = await prisma.user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: "Wes Worker",
      email: "wes@example.com",
      groupIds: [],
      appRoles: [],
      lastSignInAt: new Date(),
    },
  });
  member = {
    kind: "user",
    userId: row.id,
    name: row.name,
    email: row.email,
    isAdmin: false,
    teams: [{ id: created.id, slug: created.slug, name: created.name }],
  };
  const admin: UserActor = {
    kind: "user",
    userId: (
      await prisma.user.create({
        data: {
          entraObjectId: randomBytes(8).toString("hex"),
          tenantId: "t",
          name: "Ada Admin",
          email: "ada@example.com",
          groupIds: [],
          appRoles: [getConfig().identity.adminAppRole],
          lastSignInAt: new Date(),
        },
      })
    ).id,
    name: "Ada Admin",
    email: "ada@example.com",
    isAdmin: true,
    teams: [],
  };
  await refreshClusters({ actor: { kind: "system", name: "test" } });
  await prisma.cluster.updateMany({ where: { name: "aks-dev-weu" }, data: { environment: "dev" } });
  const cluster = await prisma.cluster.findFirstOrThrow({ where: { name: "aks-dev-weu" } });
  const request = await requestNamespace({
    actor: member,
    input: {
      teamId: created.id,
      clusterId: cluster.id,
      name: `${slug}-dev`,
      quota: suggestedQuota,
      containerDefaults: suggestedDefaults,
      justification: "Worker integration tests",
    },
  });
  namespaceId = (await decideNamespaceRequest({ actor: admin, requestId: request.id, input: { decision: "approve" } })).namespaceId!;
  await provisionNamespace({ namespaceId, attempt: 1 });
});

afterAll(async () => {
  await faults({}, "DELETE");
  await worker?.stop();
  stopRolloutInformers();
  await dropSchema(schema);
});

describe("rollouts through the worker", () => {
  it("applies and follows a deployment to succeeded, then starts the one queued behind it", async () => {
    const api = await service("queue");
    // The cluster answers 2 s late while both are asked for: the first cannot have been applied (two applies, each
    // 2 s late) when the second comes, even though deployment requests may wait up to half a second for a busy
    // event loop, long enough for a fast rollout in the sped-up sandbox to end.
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-dev-weu", latencyMs: 2_000 }] });
    const [first, second] = await (async (): Promise<[DeploymentView, DeploymentView]> => {
      const one = await createDeployment({ actor: member, input: { service: api, namespaceId, tag: "1.0.0" } });
      return [one, await createDeployment({ actor: member, input: { service: api, namespaceId, tag: "1.0.1", whenBusy: "queue" } })];
    })().finally(() => faults({}, "DELETE"));
    expect(second.status).toBe("queued");
    expect(await ended(first.id)).toMatchObject({ status: "succeeded", counts: { updated: 2, available: 2 } });
    const done: DeploymentView = await ended(second.id);
    expect(done).toMatchObject({ status: "succeeded", revision: 2, image: expect.stringContaining(":1.0.1") });
  }, 60_000);

  it("503s when the worker applies: retried with the reason shown, then it succeeds", async () => {
    const api = await service("retried");
    // A crashing build keeps the slot for a few seconds; the next deployment waits behind it.
    const crashing = await createDeployment({ actor: member, input: { service: api, namespaceId, tag: "crash" } });
    const created = await createDeployment({ actor: member, input: { service: api, namespaceId, tag: "1.0.0", whenBusy: "queue" } });
    await waitFor("the crashing rollout to progress", async () => (await getDeployment({ actor: member, id: crashing.id })).status === "progressing");
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-dev-weu", errorRate: 1, errorStatus: 503, retryAfterSeconds: 1 }] });
    expect(await ended(crashing.id)).toMatchObject({ status: "failed", reason: "CrashLoopBackOff" });
    await waitFor("the retry to be shown", async () => (await getDeployment({ actor: member, id: created.id })).message?.includes("will be retried"));
    await faults({}, "DELETE");
    expect(await ended(created.id)).toMatchObject({ status: "succeeded" });
  }, 60_000);
});
