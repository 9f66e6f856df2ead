// Integration: health poll cycles against the sandbox (ARM discovery of
// workspaces and components, Log Analytics, the clusters through the worker's
// informers) and the embedded PostgreSQL, no mocks. Services are deployed for
// real by the rollout worker first.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig, type WharfConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { refreshClusters } from "@/lib/clusters/refresh-clusters";
import { requestNamespace } from "@/lib/namespaces/request-namespace";
import { decideNamespaceRequest } from "@/lib/namespaces/decide-namespace-request";
import { provisionNamespace } from "@/lib/namespaces/provision-namespace";
import { suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { getDeployment } from "@/lib/deployments/list-deployments";
import { stopRolloutInformers } from "@/lib/deployments/rollout-informers";
import { startWorker, type RunningWorker } from "@/lib/jobs/worker";
import { jobDefinitions } from "@/lib/worker/job-registry";
import { dropSchema, fastTiming, testSchema, waitFor } from "@/lib/jobs/testing/job-test-support";
import { observeLogsRequests } from "@/lib/azure/logs";
import { changeChannel } from "@/lib/changes/publish-change";
import { pollHealth } from "@/lib/telemetry/poll-health";
import type { HealthReason, KubernetesObservation, TelemetryObservation } from "@/lib/health/types";
import { approveDeployment } from "@/lib/deployments/approve-deployment";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";
import { smallDeploySpec } from "@/lib/test-support/team-fixture";

const endpoints = readEndpoints();
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca: readFileSync(endpoints.caFile, "utf8"), method, body });
const suffix = randomBytes(3).toString("hex");
const slug = `hp${suffix}`;
const schema = testSchema();
let worker: RunningWorker;
let member: UserActor;
let config: WharfConfig;
const namespaces: Record<"dev" | "lab" | "prod", string> = { dev: "", lab: "", prod: "" };
const services: Record<"withRole" | "withoutRole" | "onLab" | "onProd", { id: string; slug: string }> = {
  withRole: { id: "", slug: "" },
  onProd: { id: "", slug: "" },
  withoutRole: { id: "", slug: "" },
  onLab: { id: "", slug: "" },
};

async function createService(name: string, role: string | null): Promise<{ id: string; slug: string }> {
  const serviceSlug = `${name}-${suffix}`;
  const row = await getPrisma().service.create({
    data: {
      slug: serviceSlug,
      displayName: serviceSlug,
      ownerTeamId: member.teams[0]!.id,
      tier: "standard",
      lifecycle: "production",
      tags: [],
      searchText: serviceSlug,
      appInsightsRoleName: role,
      deploySpec: smallDeploySpec(`contoso.azurecr.io/${slug}/${name}`, { replicas: 2 }),
    },
  });
  return { id: row.id, slug: serviceSlug };
}

let admin: UserActor;

async function deploy(service: string, namespaceId: string, tag: string): Promise<void> {
  const created = await createDeployment({ actor: member, input: { service, namespaceId, tag } });
  if (created.status === "awaiting-approval") await approveDeployment({ actor: admin, deploymentId: created.id });
  await waitFor(
    `${service} ${tag} to end`,
    async () => ["succeeded", "failed"].includes((await getDeployment({ actor: member, id: created.id })).status),
    45_000,
  );
}

async function snapshot(serviceId: string, namespaceId: string) {
  return getPrisma().serviceHealth.findUniqueOrThrow({ where: { serviceId_namespaceId: { serviceId, namespaceId } } });
}

beforeAll(async () => {
  config = { ...getConfig(), health: { pollSeconds: 5 } };
  worker = await startWorker({ definitions: jobDefinitions, schema, timing: fastTiming, queues: ["deployment.rollout"] });
  const prisma = getPrisma();
  const team = await prisma.team.create({ data: { slug, name: `Team ${suffix}`, entraGroupIds: [], costCenter: "CC-1" } });
  const user = await prisma.user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: "Hal Health",
      email: "hal@example.com",
      groupIds: [],
      appRoles: [],
      lastSignInAt: new Date(),
    },
  });
  member = { kind: "user", userId: user.id, name: user.name, email: user.email, isAdmin: false, teams: [{ id: team.id, slug: team.slug, name: team.name }] };
  const adminRow = await prisma.user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: "Ada Admin",
      email: "ada@example.com",
      groupIds: [],
      appRoles: [getConfig().identity.adminAppRole],
      lastSignInAt: new Date(),
    },
  });
  admin = { kind: "user", userId: adminRow.id, name: "Ada Admin", email: "ada@example.com", isAdmin: true, teams: [] };
  await refreshClusters({ actor: { kind: "system", name: "test" } });
  await prisma.cluster.updateMany({ where: { name: "aks-dev-weu" }, data: { environment: "dev" } });
  await prisma.cluster.updateMany({ where: { name: "aks-lab-neu" }, data: { environment: "test" } });
  await prisma.cluster.updateMany({ where: { name: "aks-prod-weu" }, data: { environment: "prod" } });
  for (const [key, clusterName] of [
    ["dev", "aks-dev-weu"],
    ["lab", "aks-lab-neu"],
    ["prod", "aks-prod-weu"],
  ] as const) {
    const cluster = await prisma.cluster.findFirstOrThrow({ where: { name: clusterName } });
    const request = await requestNamespace({
      actor: member,
      input: {
        teamId: team.id,
        clusterId: cluster.id,
        name: `${slug}-${key}`,
        quota: suggestedQuota,
        containerDefaults: suggestedDefaults,
        justification: "Health poll integration tests",
      },
    });
    namespaces[key] = (await decideNamespaceRequest({ actor: admin, requestId: request.id, input: { decision: "approve" } })).namespaceId!;
    await provisionNamespace({ namespaceId: namespaces[key], attempt: 1 });
  }
  services.withRole = await createService("api", `api-${suffix}`);
  services.withoutRole = await createService("batch", null);
  services.onLab = await createService("lab", `lab-${suffix}`);
  services.onProd = await createService("shop", `shop-${suffix}`);
  await Promise.all([
    deploy(services.withRole.slug, namespaces.dev, "1.0.0"),
    deploy(services.withoutRole.slug, namespaces.dev, "1.0.0"),
    deploy(services.onLab.slug, namespaces.lab, "1.0.0"),
    deploy(services.onProd.slug, namespaces.prod, "1.0.0"),
  ]);
}, 120_000);

afterAll(async () => {
  await faults({}, "DELETE");
  await worker?.stop();
  stopRolloutInformers();
  await dropSchema(schema);
});

describe("a health poll cycle", () => {
  it("a cluster that cannot be reached: its services are unknown with the cluster's error, the others are judged", async () => {
    stopRolloutInformers();
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-lab-neu", unreachable: true }] });
    try {
      await pollHealth({ config, syncTimeoutMs: 3_000 });
    } finally {
      await faults({}, "DELETE");
    }
    const lab = await snapshot(services.onLab.id, namespaces.lab);
    expect(lab.state).toBe("unknown");
    const reasons = lab.reasons as unknown as HealthReason[];
    expect(reasons[0]).toMatchObject({ signal: "cluster", state: "unknown" });
    expect(reasons[0]!.message).toMatch(/^Kubernetes state unknown: the cluster could not be read: .+/);
    expect((lab.kubernetes as unknown as KubernetesObservation).error).toEqual(expect.any(String));
    const dev = await snapshot(services.withoutRole.id, namespaces.dev);
    expect((dev.kubernetes as unknown as KubernetesObservation).error).toBeUndefined();
    stopRolloutInformers();
  }, 60_000);

  it("writes a snapshot per service and namespace, a transition and this minute's sample; one Log Analytics request per workspace", async () => {
    const requests: string[][] = [];
    const stop = observeLogsRequests((request) => requests.push(request.workspaces));
    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const notices: string[] = [];
    await listener.connect();
    listener.on("notification", (message) => notices.push(message.payload ?? ""));
    await listener.query(`LISTEN ${changeChannel}`);
    const before = new Date();
    let summary;
    try {
      summary = await pollHealth({ config: { ...config, health: { pollSeconds: 5 } }, syncTimeoutMs: 10_000, now: new Date(Date.now() + 10_000) });
    } finally {
      stop();
    }
    await waitFor("the health notice", async () => notices.includes(JSON.stringify({ kind: "health", id: "fleet" })), 5_000).finally(() => listener.end());
    // Two workspaces serve the environments in use (dev and test share log-wharf-nonprod; prod has its own): every workspace some component writes to is asked once.
    const workspaces = await getPrisma().telemetryWorkspace.findMany({ where: { missingSince: null, components: { some: { environment: { not: null } } } } });
    expect(workspaces.map((workspace) => workspace.name).sort()).toEqual(["log-wharf-nonprod", "log-wharf-prod"]);
    // One request each (the health query and the map's edges ride in one $batch), each asking one workspace.
    expect(requests).toHaveLength(workspaces.length);
    expect(requests.every((asked) => asked.length === 1)).toBe(true);
    expect(new Set(requests.flat()).size).toBe(workspaces.length);
    expect(summary.workspacesQueried).toBe(workspaces.length);
    // The application map's edges came back in those same requests: every window stored per workspace, and the map built from them.
    expect(summary.mapError).toBeUndefined();
    const mapEdges = await getPrisma().appMapEdges.findMany({ where: { workspaceId: { in: workspaces.map((workspace) => workspace.id) } } });
    expect(mapEdges.map((row) => `${row.window}:${row.fetchedAt !== null}:${row.lastError}`).sort()).toEqual(
      workspaces.flatMap(() => ["1h:true:null", "24h:true:null", "7d:true:null"]).sort(),
    );
    const devMap = await getPrisma().appMapSnapshot.findUniqueOrThrow({ where: { window_environment: { window: "1h", environment: "dev" } } });
    const devNodes = devMap.nodes as unknown as { id: string; health: string | null }[];
    expect(devNodes).toEqual(expect.arrayContaining([expect.objectContaining({ id: `svc:${services.withRole.slug}` })]));
    expect((devMap.edges as unknown as { source: string }[]).some((edge) => edge.source === `svc:${services.withRole.slug}`)).toBe(true);

    const withRole = await snapshot(services.withRole.id, namespaces.dev);
    expect(withRole.environment).toBe("dev");
    expect(withRole.evaluatedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(withRole.kubernetes as unknown as KubernetesObservation).toMatchObject({ desiredReplicas: 2, readyReplicas: 2, tag: "1.0.0", waiting: [] });
    expect(withRole.telemetry).not.toBeNull();
    // The sandbox's synthetic telemetry for the role, from log-wharf-nonprod through appi-wharf-dev.
    expect(withRole.telemetry as unknown as TelemetryObservation).toMatchObject({
      requests: expect.any(Number),
      failed: expect.any(Number),
      p95DurationMs: expect.any(Number),
    });
    const observed = withRole.telemetry as unknown as TelemetryObservation;
    expect(observed.requests).toBeGreaterThan(0);
    // The sandbox's rows are sampled (ItemCount over 1): worth fewer requests as evidence than they stand for, never none.
    expect(observed.effectiveRequests).toBeGreaterThan(0);
    expect(observed.effectiveRequests).toBeLessThanOrEqual(observed.requests!);
    expect(withRole.state).toBe("healthy");
    const minuteFigures = await getPrisma().healthSample.findMany({
      where: { serviceId: services.withRole.id, namespaceId: namespaces.dev, requests: { gt: 0 } },
    });
    expect(minuteFigures.length).toBeGreaterThan(0);

    const withoutRole = await snapshot(services.withoutRole.id, namespaces.dev);
    expect(withoutRole.state).toBe("healthy");
    expect(withoutRole.telemetry).toBeNull();
    expect(withoutRole.reasons).toEqual([
      expect.objectContaining({ signal: "telemetry", state: "healthy", message: "No App Insights role name: health comes from Kubernetes only" }),
    ]);

    const transitions = await getPrisma().healthTransition.findMany({ where: { serviceId: services.withoutRole.id } });
    expect(transitions.map((transition) => transition.toState)).toContain("healthy");
    const samples = await getPrisma().healthSample.findMany({ where: { serviceId: services.withoutRole.id, namespaceId: namespaces.dev } });
    expect(
      samples.some((sample) => sample.resolution === "minute" && sample.state === "healthy" && sample.readyReplicas === 2 && sample.desiredReplicas === 2),
    ).toBe(true);

    // A second cycle right after asks no workspace again (each waits a cycle, or its backoff); the snapshots still refresh.
    const again: string[] = [];
    const stopAgain = observeLogsRequests((request) => again.push(request.url));
    try {
      await pollHealth({ config, now: new Date(Date.now() + 11_000) });
    } finally {
      stopAgain();
    }
    expect(again).toEqual([]);
    expect((await snapshot(services.withoutRole.id, namespaces.dev)).evaluatedAt.getTime()).toBeGreaterThan(withoutRole.evaluatedAt.getTime());
  }, 60_000);

  it("a workspace answering 429: its services keep their figures for two cycles, then are unknown with the data's age and the error; the other workspace's stay current", async () => {
    const prisma = getPrisma();
    // Cycles 5 s long, run with a clock moved forward so minutes pass without waiting for them.
    const start = Date.now() + 60_000;
    const cycle = (offsetMs: number) => pollHealth({ config, now: new Date(start + offsetMs) });
    // The baseline: a healthy prod service. Its pods may still be settling on a loaded machine (a CI run once saw it
    // degraded on the first cycle), so cycles repeat until it is; a service that never gets there fails with its reasons.
    await expect
      .poll(
        async () => {
          await cycle(0);
          const baseline = await snapshot(services.onProd.id, namespaces.prod);
          return baseline.state === "healthy" ? "healthy" : `${baseline.state}: ${JSON.stringify(baseline.reasons)}`;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe("healthy");
    const fresh = await snapshot(services.onProd.id, namespaces.prod);
    expect((fresh.telemetry as unknown as TelemetryObservation).requests).toBeGreaterThan(0);

    const requests: string[][] = [];
    const stop = observeLogsRequests((request) => requests.push(request.workspaces));
    await faults({ rules: [{ api: "logs", workspace: "log-wharf-nonprod", errorRate: 1, errorStatus: 429, retryAfterSeconds: 300 }] });
    try {
      await cycle(6_000);
      const throttled = await prisma.telemetryWorkspace.findFirstOrThrow({ where: { name: "log-wharf-nonprod" } });
      expect(throttled.lastError).toMatch(/^HTTP 429.*\(retry after 300 s\)$/);
      expect(throttled.nextPollAt!.getTime()).toBeGreaterThanOrEqual(start + 6_000 + 300_000);
      // Within two cycles the last good figures stand.
      expect((await snapshot(services.withRole.id, namespaces.dev)).state).toBe("healthy");

      // Three minutes on: the throttled workspace is not asked again before its Retry-After; the other one is, every cycle.
      requests.length = 0;
      await cycle(180_000);
      expect(requests.map((asked) => asked.includes(throttled.customerId))).toEqual([false]);
      const aged = await snapshot(services.withRole.id, namespaces.dev);
      expect(aged.state).toBe("unknown");
      const messages = (aged.reasons as unknown as HealthReason[]).map((reason) => reason.message);
      expect(messages[0]).toMatch(/^Telemetry unknown: data is 3 min old/);
      expect(messages[1]).toMatch(/^Telemetry unknown: the Log Analytics workspace could not be queried: HTTP 429/);
      const current = await snapshot(services.onProd.id, namespaces.prod);
      expect(current.state).toBe("healthy");
      expect((current.telemetry as unknown as TelemetryObservation).observedAt).toBe(new Date(start + 180_000).toISOString());

      // Past the Retry-After, with the fault gone, the workspace recovers and its services are current again.
      await faults({}, "DELETE");
      await cycle(6_000 + 301_000);
      const recovered = await snapshot(services.withRole.id, namespaces.dev);
      expect(recovered.state).toBe("healthy");
      expect((await prisma.telemetryWorkspace.findFirstOrThrow({ where: { name: "log-wharf-nonprod" } })).lastError).toBeNull();
    } finally {
      stop();
      await faults({}, "DELETE");
    }
  }, 60_000);

  it("a crashing build: unhealthy with the crash loop and the failed rollout; deployed again, healthy", async () => {
    await deploy(services.withoutRole.slug, namespaces.dev, "crash");
    await pollHealth({ config, now: new Date(Date.now() + 400_000) });
    const crashing = await snapshot(services.withoutRole.id, namespaces.dev);
    expect(crashing.state).toBe("unhealthy");
    const signals = (crashing.reasons as unknown as HealthReason[]).map((reason) => `${reason.signal}:${reason.state}`);
    // The crash loop shows as the failed rollout and as restarts; whether a pod is waiting in CrashLoopBackOff at the instant of the cycle depends on the back-off.
    expect(signals).toEqual(expect.arrayContaining(["rollout:unhealthy"]));
    expect(signals.some((signal) => signal.startsWith("restarts:") || signal === "crashLoop:unhealthy")).toBe(true);
    expect((crashing.reasons as unknown as HealthReason[]).find((reason) => reason.signal === "rollout")!.message).toMatch(
      /^The last rollout to crash failed: CrashLoopBackOff/,
    );
    // The version running is what the old ReplicaSet's ready pods still run, not the failed tag.
    expect(crashing.kubernetes as unknown as KubernetesObservation).toMatchObject({ tag: "1.0.0", rollout: { phase: "failed", targetTag: "crash" } });
    const transitions = await getPrisma().healthTransition.findMany({ where: { serviceId: services.withoutRole.id }, orderBy: { at: "desc" }, take: 1 });
    expect(transitions[0]).toMatchObject({ fromState: "healthy", toState: "unhealthy" });

    await deploy(services.withoutRole.slug, namespaces.dev, "1.0.1");
    await pollHealth({ config, now: new Date(Date.now() + 410_000) });
    expect((await snapshot(services.withoutRole.id, namespaces.dev)).state).toBe("healthy");
  }, 120_000);
});
