// Integration: reading health from ServiceHealth / HealthSample / Deployment
// rows seeded as the poller writes them, against the test PostgreSQL;
// thresholds edited with their audit events.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { PipelineActor, UserActor } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import type { HealthReason, KubernetesObservation, TelemetryObservation } from "@/lib/health/types";
import { defaultThresholds } from "@/lib/health/thresholds";
import { listServiceHealth } from "@/lib/health/list-service-health";
import { getServiceHealth } from "@/lib/health/get-service-health";
import { getHealthThresholds } from "@/lib/health/get-health-thresholds";
import { setHealthThresholds } from "@/lib/health/set-health-thresholds";
import { getHomeDashboard } from "@/lib/health/get-home-dashboard";

const suffix = randomBytes(3).toString("hex");
const now = new Date();
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

let admin: UserActor;
let member: UserActor;
let viewer: UserActor;
let teamA: { id: string; slug: string; name: string };
let teamB: { id: string; slug: string; name: string };
const services: Record<string, string> = {};
const namespaces: Record<string, string> = {};

async function user(name: string, isAdmin: boolean, teams: UserActor["teams"]): Promise<UserActor> {
  const row = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name,
      email: `${name.toLowerCase()}-${suffix}@example.com`,
      groupIds: [],
      appRoles: isAdmin ? [getConfig().identity.adminAppRole] : [],
      lastSignInAt: new Date(),
    },
  });
  return { kind: "user", userId: row.id, name, email: row.email, isAdmin, teams };
}

async function team(slug: string, name: string) {
  return getPrisma().team.create({ data: { slug, name, entraGroupIds: [] }, select: { id: true, slug: true, name: true } });
}

async function service(key: string, teamId: string, tier: string, roleName: string | null) {
  const slug = `${key}-${suffix}`;
  const row = await getPrisma().service.create({
    data: {
      slug,
      displayName: `${key[0]!.toUpperCase()}${key.slice(1)} ${suffix}`,
      ownerTeamId: teamId,
      tier,
      lifecycle: "production",
      tags: [],
      searchText: slug,
      appInsightsRoleName: roleName,
    },
  });
  services[key] = row.id;
  return row;
}

async function namespace(key: string, clusterId: string, teamId: string, environment: string) {
  const name = `${key}-${suffix}`;
  const row = await getPrisma().namespace.create({
    data: { clusterId, teamId, name, activeName: name, environment, costCenter: "CC-1", quota: {}, containerDefaults: {}, status: "ready", readyAt: now },
  });
  namespaces[key] = row.id;
  return row;
}

const k8s = (ready: number, desired: number, extra: Partial<KubernetesObservation> = {}): KubernetesObservation => ({
  observedAt: now.toISOString(),
  desiredReplicas: desired,
  readyReplicas: ready,
  restarts: 0,
  waiting: [],
  image: "wharfsandbox.azurecr.io/orders-api:1.4.2",
  tag: "1.4.2",
  digest: "sha256:" + "a".repeat(64),
  ...extra,
});
const telemetry = (requests: number, failed: number, p95: number): TelemetryObservation => ({
  observedAt: now.toISOString(),
  requests,
  failed,
  failureRatePct: requests ? (100 * failed) / requests : null,
  p95DurationMs: p95,
  availabilityPct: 100,
});
const reason = (signal: HealthReason["signal"], state: HealthReason["state"], value: number, threshold: number, message: string): HealthReason => ({
  signal,
  state,
  value,
  threshold,
  since: ago(600).toISOString(),
  message,
});

async function snapshot(
  serviceKey: string,
  namespaceKey: string,
  environment: string,
  state: string,
  evaluatedAt: Date,
  extra: { reasons?: HealthReason[]; kubernetes?: KubernetesObservation | null; telemetry?: TelemetryObservation | null } = {},
) {
  await getPrisma().serviceHealth.create({
    data: {
      serviceId: services[serviceKey]!,
      namespaceId: namespaces[namespaceKey]!,
      environment,
      state,
      reasons: (extra.reasons ?? []) as object[],
      stateSince: ago(3600),
      kubernetes: (extra.kubernetes === undefined ? k8s(2, 2) : extra.kubernetes) as object,
      telemetry: (extra.telemetry === undefined ? telemetry(1200, 3, 180) : extra.telemetry) as object,
      evaluatedAt,
    },
  });
}

beforeAll(async () => {
  const prisma = getPrisma();
  teamA = await team(`ha-${suffix}`, `Health A ${suffix}`);
  teamB = await team(`hb-${suffix}`, `Health B ${suffix}`);
  admin = await user("Admin", true, []);
  member = await user("Member", false, [teamA]);
  viewer = await user("Viewer", false, []);
  const cluster = (environment: string) =>
    prisma.cluster.create({
      data: {
        armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/h-${environment}-${suffix}`,
        name: `aks-h-${environment}-${suffix}`,
        subscriptionId: "s",
        resourceGroup: "rg",
        location: "westeurope",
        environment,
        reachable: true,
      },
    });
  const dev = await cluster("dev");
  const prod = await cluster("prod");
  await service("checkout", teamA.id, "critical", "checkout-api");
  await service("ledger", teamA.id, "standard", "ledger-api");
  await service("drone", teamB.id, "experimental", null);
  await namespace("a-dev", dev.id, teamA.id, "dev");
  await namespace("a-prod", prod.id, teamA.id, "prod");
  await namespace("b-dev", dev.id, teamB.id, "dev");
  await namespace("a-gone", dev.id, teamA.id, "dev");
  await prisma.namespace.update({ where: { id: namespaces["a-gone"] }, data: { status: "decommissioned", activeName: null } });

  await snapshot("checkout", "a-prod", "prod", "unhealthy", ago(20), {
    reasons: [
      reason("crashLoop", "unhealthy", 2, 1, "2 pods in CrashLoopBackOff (since 14:02 UTC)"),
      reason("replicas", "unhealthy", 0, 3, "0 of 3 replicas ready"),
    ],
    kubernetes: k8s(0, 3, { waiting: [{ reason: "CrashLoopBackOff", pods: 2, since: ago(600).toISOString() }] }),
  });
  await snapshot("checkout", "a-dev", "dev", "healthy", ago(30));
  // The poller stopped 5 minutes ago (two cycles are 2 min): this green is not to be trusted.
  await snapshot("ledger", "a-prod", "prod", "healthy", ago(5 * 60 + 10));
  await snapshot("ledger", "a-dev", "dev", "degraded", ago(15), {
    reasons: [reason("failureRate", "degraded", 6.2, 5, "Failure rate 6.2 % is at or above the degraded threshold of 5 %")],
    telemetry: telemetry(1000, 62, 300),
  });
  await snapshot("drone", "b-dev", "dev", "healthy", ago(10), {
    telemetry: null,
    reasons: [
      { signal: "telemetry", state: "healthy", value: null, threshold: null, since: null, message: "No App Insights role name: health from Kubernetes only." },
    ],
  });
  await snapshot("ledger", "a-gone", "dev", "unhealthy", ago(10));

  await prisma.telemetryWorkspace.create({
    data: {
      armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/h-${suffix}`,
      customerId: "00000000-0000-4000-8000-" + randomBytes(6).toString("hex"),
      name: `log-h-${suffix}`,
      subscriptionId: "s",
      resourceGroup: "rg",
      location: "westeurope",
      lastPolledAt: ago(30),
      lastSuccessAt: ago(400),
      lastError: "Log Analytics answered 429 Too Many Requests; retrying after 30 s",
      failures: 3,
    },
  });
});

const mine = (entries: { service: { slug: string }; environment: string }[]) =>
  entries.filter((entry) => entry.service.slug.endsWith(suffix)).map((entry) => `${entry.service.slug.replace(`-${suffix}`, "")}/${entry.environment}`);

describe("listServiceHealth", () => {
  it("lists every service × environment of a team worst first, a snapshot older than two cycles as unknown with its age", async () => {
    const list = await listServiceHealth({ actor: viewer, query: { team: teamA.slug }, now });
    expect(mine(list.entries)).toEqual(["checkout/prod", "ledger/dev", "ledger/prod", "checkout/dev"]);
    expect(list.counts).toEqual({ unhealthy: 1, degraded: 1, unknown: 1, healthy: 1 });
    const stale = list.entries.find((entry) => entry.service.slug === `ledger-${suffix}` && entry.environment === "prod")!;
    expect(stale.state).toBe("unknown");
    expect(stale.stale).toBe(true);
    expect(stale.reasons).toHaveLength(1);
    expect(stale.reasons[0]!.signal).toBe("dataAge");
    expect(stale.reasons[0]!.message).toMatch(/^Data is 5 min old/);
    expect(stale.lastKnown?.state).toBe("healthy");
    const crashing = list.entries[0]!;
    expect(crashing.reasons.map((r) => r.signal)).toEqual(["crashLoop", "replicas"]);
    expect(crashing.kubernetes?.waiting?.[0]?.reason).toBe("CrashLoopBackOff");
    expect(crashing.namespace.cluster.name).toBe(`aks-h-prod-${suffix}`);
  });

  it("filters by status as shown now: the stale green is not healthy", async () => {
    const healthy = await listServiceHealth({ actor: viewer, query: { team: teamA.slug, status: "healthy" }, now });
    expect(mine(healthy.entries)).toEqual(["checkout/dev"]);
    expect(healthy.total).toBe(1);
    expect(healthy.counts.unknown).toBe(1);
    const unknown = await listServiceHealth({ actor: viewer, query: { team: teamA.slug, status: "unknown" }, now });
    expect(mine(unknown.entries)).toEqual(["ledger/prod"]);
  });

  it("shows everything as unknown once the poller has stopped for longer than two cycles", async () => {
    const later = new Date(now.getTime() + 30 * 60_000);
    const list = await listServiceHealth({ actor: viewer, query: { team: teamA.slug }, now: later });
    expect(list.entries.every((entry) => entry.state === "unknown")).toBe(true);
    expect(list.counts).toEqual({ unhealthy: 0, degraded: 0, unknown: 4, healthy: 0 });
    expect(list.entries.every((entry) => /^Data is 3\d min old/.test(entry.reasons[0]!.message))).toBe(true);
  });

  it("filters by environment, tier, and the member's own teams; leaves out decommissioned namespaces", async () => {
    expect(mine((await listServiceHealth({ actor: viewer, query: { environment: "prod", team: teamA.slug }, now })).entries)).toEqual([
      "checkout/prod",
      "ledger/prod",
    ]);
    expect(mine((await listServiceHealth({ actor: viewer, query: { tier: "critical", team: teamA.slug }, now })).entries)).toEqual([
      "checkout/prod",
      "checkout/dev",
    ]);
    expect(mine((await listServiceHealth({ actor: viewer, query: { tier: "experimental" }, now })).entries)).toEqual(["drone/dev"]);
    const own = await listServiceHealth({ actor: member, query: { team: "mine" }, now });
    expect(own.entries.every((entry) => entry.service.team.id === teamA.id)).toBe(true);
    expect(own.entries).toHaveLength(4);
    expect((await listServiceHealth({ actor: viewer, query: { team: "mine" }, now })).entries).toEqual([]);
  });

  it("pages in the database: each page its slice of the order, the counts and total over every page", async () => {
    const query = { team: teamA.slug, pageSize: "2" };
    const first = await listServiceHealth({ actor: viewer, query, now });
    const second = await listServiceHealth({ actor: viewer, query: { ...query, page: "2" }, now });
    const third = await listServiceHealth({ actor: viewer, query: { ...query, page: "3" }, now });
    expect(mine(first.entries)).toEqual(["checkout/prod", "ledger/dev"]);
    expect(mine(second.entries)).toEqual(["ledger/prod", "checkout/dev"]);
    expect(third.entries).toEqual([]);
    for (const list of [first, second, third]) {
      expect(list).toMatchObject({ total: 4, pageSize: 2, sort: "health", counts: { unhealthy: 1, degraded: 1, unknown: 1, healthy: 1 } });
    }
    // The stale green is unknown in the status filter's page too, and the total is that state's count.
    const unknown = await listServiceHealth({ actor: viewer, query: { ...query, status: "unknown" }, now });
    expect(mine(unknown.entries)).toEqual(["ledger/prod"]);
    expect(unknown.total).toBe(1);
  });

  it("sorts by service name, or the longest since evaluated first", async () => {
    expect(mine((await listServiceHealth({ actor: viewer, query: { team: teamA.slug, sort: "service" }, now })).entries)).toEqual([
      "checkout/prod",
      "checkout/dev",
      "ledger/prod",
      "ledger/dev",
    ]);
    expect(mine((await listServiceHealth({ actor: viewer, query: { team: teamA.slug, sort: "evaluated" }, now })).entries)).toEqual([
      "ledger/prod",
      "checkout/dev",
      "checkout/prod",
      "ledger/dev",
    ]);
  });

  it("the boundary of two cycles is the same in SQL and in the entry: one second either side", async () => {
    const evaluatedAt = (
      await getPrisma().serviceHealth.findUniqueOrThrow({
        where: { serviceId_namespaceId: { serviceId: services.checkout!, namespaceId: namespaces["a-dev"]! } },
      })
    ).evaluatedAt;
    for (const seconds of [120, 121]) {
      const at = new Date(evaluatedAt.getTime() + seconds * 1000);
      const list = await listServiceHealth({ actor: viewer, query: { team: teamA.slug, tier: "critical", environment: "dev" }, now: at });
      const expected = seconds === 120 ? "healthy" : "unknown";
      expect(list.entries.map((entry) => entry.state)).toEqual([expected]);
      expect(list.counts[expected]).toBe(1);
    }
  });

  it("says which workspaces could not be queried", async () => {
    const list = await listServiceHealth({ actor: viewer, query: { team: teamB.slug }, now });
    expect(list.workspaces).toContainEqual(expect.objectContaining({ name: `log-h-${suffix}`, lastError: expect.stringContaining("429") }));
    expect(list.pollSeconds).toBe(60);
  });

  it("refuses a bad filter value with the allowed values", async () => {
    const attempt = (query: Record<string, string>) => listServiceHealth({ actor: viewer, query, now }).catch((error: unknown) => error);
    const status = await attempt({ status: "green" });
    expect(isAppError(status) && status.code).toBe("invalid_input");
    expect((status as Error).message).toBe("status must be one of healthy, degraded, unhealthy, unknown.");
    expect(((await attempt({ environment: "staging" })) as Error).message).toBe("environment must be one of dev, test, prod.");
    expect(((await attempt({ tier: "gold" })) as Error).message).toBe("tier must be one of critical, standard, experimental.");
    expect(((await attempt({ team: "Robert'); DROP" })) as Error).message).toMatch(/team must be a team slug/);
    expect(((await attempt({ sort: "name" })) as Error).message).toBe("sort must be one of health, service, evaluated.");
    expect(((await attempt({ pageSize: "500" })) as Error).message).toBe("pageSize can be at most 200.");
    expect(((await attempt({ page: "0" })) as Error).message).toBe("page starts at 1.");
    expect(((await attempt({ page: "two" })) as Error).message).toBe("page must be a number.");
  });

  it("is refused to a pipeline's token", async () => {
    const pipeline: PipelineActor = { kind: "pipeline", pipelineIdentityId: "p", clientId: "c", name: "CI (pipeline)", isAdmin: false, teams: [teamA] };
    const error = await listServiceHealth({ actor: pipeline, now }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("forbidden");
  });
});

describe("getServiceHealth", () => {
  beforeAll(async () => {
    const prisma = getPrisma();
    const base = {
      serviceId: services.checkout!,
      teamId: teamA.id,
      requestedByName: "Member",
      kind: "deploy",
      image: "wharfsandbox.azurecr.io/checkout:1.0.0",
      replicas: 3,
      manifest: {},
      manifestYaml: "",
    };
    await prisma.deployment.create({
      data: { ...base, namespaceId: namespaces["a-prod"]!, revision: 1, imageTag: "1.0.0", status: "succeeded", createdAt: ago(7200), finishedAt: ago(7000) },
    });
    await prisma.deployment.create({
      data: {
        ...base,
        namespaceId: namespaces["a-prod"]!,
        revision: 2,
        imageTag: "crash",
        image: "wharfsandbox.azurecr.io/checkout:crash",
        status: "failed",
        reason: "CrashLoopBackOff",
        createdAt: ago(900),
        finishedAt: ago(600),
        approvedByName: "Admin",
      },
    });
    // Deployed to a namespace the poller has not reached yet.
    await namespace("a-test", (await prisma.namespace.findUniqueOrThrow({ where: { id: namespaces["a-dev"]! } })).clusterId, teamA.id, "test");
    await prisma.deployment.create({
      data: { ...base, namespaceId: namespaces["a-test"]!, revision: 1, imageTag: "1.0.0", status: "progressing", createdAt: ago(30) },
    });
    // 24 hours and a bit of minute samples in prod: the one from 25 hours ago is left out.
    const minute = (at: Date, requests: number, failed: number, p95: number) => ({
      serviceId: services.checkout!,
      namespaceId: namespaces["a-prod"]!,
      at,
      resolution: "minute",
      state: failed / requests >= 0.05 ? "unhealthy" : "healthy",
      requests,
      failed,
      failureRatePct: (100 * failed) / requests,
      p95DurationMs: p95,
      availabilityPct: 100,
      readyReplicas: 3,
      desiredReplicas: 3,
    });
    const bucketStart = Math.floor(ago(30 * 60).getTime() / 300_000) * 300_000;
    await prisma.healthSample.createMany({
      data: [
        minute(ago(25 * 3600), 100, 0, 100),
        minute(new Date(bucketStart), 100, 0, 120),
        minute(new Date(bucketStart + 60_000), 300, 30, 900),
        minute(new Date(bucketStart + 120_000), 100, 0, 150),
      ],
    });
  });

  it("gives each namespace its snapshot, last rollout and 24-hour trend", async () => {
    const environments = await getServiceHealth({ actor: viewer, slug: `checkout-${suffix}`, now });
    expect(environments.map((e) => `${e.environment}:${e.state}`)).toEqual(["prod:unhealthy", "test:unknown", "dev:healthy"]);
    const prod = environments[0]!;
    expect(prod.lastRollout).toMatchObject({
      revision: 2,
      status: "failed",
      reason: "CrashLoopBackOff",
      imageTag: "crash",
      requestedBy: "Member",
      approvedBy: "Admin",
    });
    expect(prod.kubernetes).toMatchObject({ readyReplicas: 0, desiredReplicas: 3, tag: "1.4.2" });
    expect(prod.trend).toHaveLength(1);
    // 500 requests in 3 minutes, 30 failed: 6 % (the mean of the minutes' rates would say 3.3 %); p95 the worst minute.
    expect(prod.trend[0]).toMatchObject({ requestsPerMinute: 166.7, failureRatePct: 6, p95DurationMs: 900, readyReplicas: 3 });
    const pending = environments[1]!;
    expect(pending.stale).toBe(true);
    expect(pending.evaluatedAt).toBeNull();
    expect(pending.reasons[0]!.message).toMatch(/^Not evaluated yet/);
    expect(pending.lastRollout?.status).toBe("progressing");
    expect(environments[2]!.lastRollout).toBeNull();
  });

  it("names the service and its owning team on every entry, whether it reads the service or is given it", async () => {
    const slug = `checkout-${suffix}`;
    const row = await getPrisma().service.findUniqueOrThrow({
      where: { slug },
      select: { id: true, slug: true, displayName: true, tier: true, appInsightsRoleName: true, ownerTeam: { select: { id: true, slug: true, name: true } } },
    });
    const expected = {
      id: services.checkout,
      slug,
      displayName: `Checkout ${suffix}`,
      tier: "critical",
      appInsightsRoleName: "checkout-api",
      team: { id: teamA.id, slug: teamA.slug, name: teamA.name },
    };
    for (const environments of [await getServiceHealth({ actor: viewer, slug, now }), await getServiceHealth({ actor: viewer, slug, service: row, now })]) {
      // Two evaluated snapshots and the namespace deployed to but not evaluated yet.
      expect(environments.map((e) => e.environment)).toEqual(["prod", "test", "dev"]);
      for (const entry of environments) expect(entry.service).toEqual(expected);
    }
  });

  it("given the service, reads neither its row nor its team again (the API's by-slug route has read them)", async () => {
    const slug = `checkout-${suffix}`;
    const row = await getPrisma().service.findUniqueOrThrow({
      where: { slug },
      select: { id: true, slug: true, displayName: true, tier: true, appInsightsRoleName: true, ownerTeam: { select: { id: true, slug: true, name: true } } },
    });
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function recorded(this: pg.Client, ...args: unknown[]) {
      const statement = args[0];
      sent.push(typeof statement === "string" ? statement : String((statement as { text?: string }).text));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      expect(await getServiceHealth({ actor: viewer, slug, service: row, now })).toHaveLength(3);
    } finally {
      pg.Client.prototype.query = query;
    }
    expect(sent.some((text) => /FROM "HealthSample"|FROM "public"\."HealthSample"/.test(text))).toBe(true);
    expect(sent.filter((text) => /FROM "public"\."(Service|Team)"/.test(text))).toEqual([]);
  });

  it("answers 404 for a service that is not in the catalog", async () => {
    const error = await getServiceHealth({ actor: viewer, slug: `nope-${suffix}`, now }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("not_found");
  });
});

describe("health thresholds", () => {
  const valid = () => structuredClone({ tier: "experimental" as const, ...defaultThresholds.experimental });
  const audits = (outcome: string) => getPrisma().auditEvent.count({ where: { action: "health_thresholds.update", outcome } });

  it("reads the defaults while no admin has set a tier", async () => {
    await getPrisma().healthThresholds.deleteMany({ where: { tier: "standard" } });
    const tiers = await getHealthThresholds({ actor: viewer });
    expect(tiers.map((t) => t.tier)).toEqual(["critical", "standard", "experimental"]);
    expect(tiers[1]).toMatchObject({ ...defaultThresholds.standard, isDefault: true, updatedAt: null });
  });

  it("refuses -1, 101 % and text, naming each field at once", async () => {
    const input = valid();
    input.failureRatePct.degraded = -1;
    input.availabilityPct.degraded = 101;
    (input.p95DurationMs as unknown as { unhealthy: string }).unhealthy = "slow";
    const error = await setHealthThresholds({ actor: admin, input }).catch((e: unknown) => e);
    expect(isAppError(error) && error.status).toBe(400);
    const message = (error as Error).message;
    expect(message).toContain("failureRatePct.degraded: Failure rate thresholds cannot be negative.");
    expect(message).toContain("availabilityPct.degraded: Availability thresholds cannot be above 100 %.");
    expect(message).toContain("p95DurationMs.unhealthy: p95 duration thresholds must be numbers (ms).");
    expect((error as { path?: string[] }).path).toEqual(["failureRatePct", "degraded"]);
    const unknown = await setHealthThresholds({ actor: admin, input: { ...valid(), tier: "gold" } }).catch((e: unknown) => e);
    expect((unknown as Error).message).toBe("tier: tier must be one of critical, standard, experimental.");
  });

  it("lets only admins change them, auditing the refusal", async () => {
    const denied = await audits("denied");
    const error = await setHealthThresholds({ actor: member, input: valid() }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("forbidden");
    expect(await audits("denied")).toBe(denied + 1);
  });

  it("stores a tier's thresholds with an audit event of before and after", async () => {
    const input = valid();
    input.failureRatePct = { degraded: 12, unhealthy: 30 };
    const saved = await setHealthThresholds({ actor: admin, input });
    expect(saved).toMatchObject({ tier: "experimental", failureRatePct: { degraded: 12, unhealthy: 30 }, isDefault: false });
    const event = await getPrisma().auditEvent.findFirstOrThrow({
      where: { action: "health_thresholds.update", outcome: "success", resourceId: "experimental" },
      orderBy: { id: "desc" },
    });
    expect(event.actorName).toBe("Admin");
    expect((event.before as { failureRatePct: object }).failureRatePct).toEqual(defaultThresholds.experimental.failureRatePct);
    expect((event.after as { failureRatePct: object }).failureRatePct).toEqual({ degraded: 12, unhealthy: 30 });
    const read = (await getHealthThresholds({ actor: viewer })).find((t) => t.tier === "experimental")!;
    expect(read).toMatchObject({ failureRatePct: { degraded: 12, unhealthy: 30 }, isDefault: false });
    await getPrisma().healthThresholds.delete({ where: { tier: "experimental" } });
  });
});

describe("getHomeDashboard", () => {
  beforeAll(async () => {
    const prisma = getPrisma();
    const base = {
      serviceId: services.ledger!,
      namespaceId: namespaces["a-prod"]!,
      teamId: teamA.id,
      kind: "deploy",
      image: "wharfsandbox.azurecr.io/ledger:2.0.0",
      imageTag: "2.0.0",
      replicas: 2,
      manifest: {},
      manifestYaml: "",
      needsApproval: true,
      status: "awaiting-approval",
    };
    await prisma.deployment.create({ data: { ...base, revision: 1, requestedById: member.userId, requestedByName: "Member" } });
    await prisma.deployment.create({ data: { ...base, revision: 2, requestedById: admin.userId, requestedByName: "Admin" } });
    await prisma.healthTransition.create({
      data: {
        serviceId: services.checkout!,
        namespaceId: namespaces["a-prod"]!,
        fromState: "healthy",
        toState: "unhealthy",
        at: ago(600),
        reasons: [reason("crashLoop", "unhealthy", 2, 1, "2 pods in CrashLoopBackOff")] as object[],
      },
    });
  });

  it("shows a member their teams' health, rollouts, approvals they may give (not their own) and recent failures", async () => {
    const home = await getHomeDashboard({ actor: member, now });
    expect(home.myHealth.entries.every((entry) => entry.service.team.id === teamA.id)).toBe(true);
    expect(home.myHealth.counts.unhealthy).toBe(1);
    expect(home.rolloutsInProgress.map((d) => `${d.service.slug}/${d.namespace.environment}`)).toContain(`checkout-${suffix}/test`);
    expect(home.approvals.map((d) => d.requestedBy.name)).toEqual(["Admin"]);
    expect(home.failedDeployments.map((d) => d.reason)).toContain("CrashLoopBackOff");
    expect(home.turnedUnhealthy[0]).toMatchObject({ service: { slug: `checkout-${suffix}` }, toState: "unhealthy", message: "2 pods in CrashLoopBackOff" });
    expect(home.fleet).toBeNull();
    expect(home.namespaceRequests).toEqual([]);
  });

  it("gives admins the fleet's counts and the queue; a viewer sees no team's services", async () => {
    const home = await getHomeDashboard({ actor: admin, now });
    expect(home.fleet!.total).toBeGreaterThanOrEqual(5);
    expect(home.approvals.map((d) => d.requestedBy.name)).toContain("Member");
    expect(home.approvals.map((d) => d.requestedBy.name)).not.toContain("Admin");
    const seen = await getHomeDashboard({ actor: viewer, now });
    expect(seen.myHealth.total).toBe(0);
    expect(seen.approvals).toEqual([]);
    expect(seen.turnedUnhealthy).toEqual([]);
  });
});
