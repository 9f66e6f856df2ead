// Integration (embedded PostgreSQL, pg-boss in a private schema): which scheduled jobs a starting worker sends, from
// what is stored: a discovery when no cluster was checked within the hour, a cost sync when a subscription is due;
// nothing when both are fresh, and one job each however many workers start.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type WharfConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { startBoss, stopBoss } from "@/lib/jobs/boss";
import { dropSchema, fastTiming, testSchema } from "@/lib/jobs/testing/job-test-support";
import { scopeOf } from "@/lib/costs/sync-costs";
import { catchUpAtStart, jobsDueAtStart } from "./catch-up";

const schema = testSchema();
const subscriptions = [randomUUID(), randomUUID()];
const scopes = subscriptions.map(scopeOf);
const armId = `/subscriptions/${subscriptions[0]}/resourceGroups/rg-catch-up/providers/Microsoft.ContainerService/managedClusters/aks-${randomBytes(3).toString("hex")}`;
let config: WharfConfig;

beforeAll(async () => {
  const base = loadConfig({ SANDBOX_ENDPOINTS_FILE: process.env.SANDBOX_ENDPOINTS_FILE });
  config = { ...base, azure: { ...base.azure, subscriptionIds: subscriptions }, costs: { ...base.costs, syncHours: 6 } };
  // At least one cluster, checked now: other tests' clusters may be older, never newer than this one.
  await getPrisma().cluster.create({
    data: { armId, name: "aks-catch-up", subscriptionId: subscriptions[0]!, resourceGroup: "rg-catch-up", location: "westeurope", lastCheckedAt: new Date() },
  });
});

afterAll(async () => {
  await stopBoss();
  await dropSchema(schema);
  await getPrisma().cluster.deleteMany({ where: { armId } });
  await getPrisma().costSyncState.deleteMany({ where: { scope: { in: scopes } } });
});

const hour = 3_600_000;

describe("jobsDueAtStart", () => {
  it("asks for a discovery when no cluster was checked within the hour, not when one was", async () => {
    const now = new Date();
    expect((await jobsDueAtStart(config, now)).map((job) => job.queue)).not.toContain("cluster.discover");
    const later = new Date(now.getTime() + hour + 60_000);
    expect((await jobsDueAtStart(config, later)).find((job) => job.queue === "cluster.discover")).toEqual({
      queue: "cluster.discover",
      reason: "no cluster checked in the last hour",
    });
  });

  it("asks for a cost sync while a subscription never synced or its last sync is WHARF_COST_SYNC_HOURS old, not otherwise", async () => {
    const now = new Date();
    const costJob = async (at = now) => (await jobsDueAtStart(config, at)).find((job) => job.queue === "cost.sync");
    expect(await costJob()).toEqual({ queue: "cost.sync", reason: "2 subscription(s) never synced" });

    await getPrisma().costSyncState.create({ data: { scope: scopes[0]!, lastSyncedAt: now, lastMonths: [] } });
    expect(await costJob()).toEqual({ queue: "cost.sync", reason: "1 subscription(s) never synced" });

    // The other one synced an hour ago: neither is due until six hours after it (less the hourly check's slack).
    await getPrisma().costSyncState.create({ data: { scope: scopes[1]!, lastSyncedAt: new Date(now.getTime() - hour), lastMonths: [] } });
    expect(await costJob()).toBeUndefined();
    expect(await costJob(new Date(now.getTime() + 5 * hour))).toEqual({ queue: "cost.sync", reason: "1 subscription(s) due for their cost sync" });

    // Cost Management said to wait (a 429): not due before then, even if it never synced.
    await getPrisma().costSyncState.update({ where: { scope: scopes[1]! }, data: { lastSyncedAt: null, nextAllowedAt: new Date(now.getTime() + 10 * hour) } });
    expect(await costJob()).toBeUndefined();
  });
});

describe("catchUpAtStart", () => {
  it("queues each due job once, however many workers start at once", async () => {
    await getPrisma().costSyncState.deleteMany({ where: { scope: { in: scopes } } });
    await startBoss({ schema, timing: fastTiming });
    // Two hours on, no cluster was checked within the hour.
    const later = new Date(Date.now() + 2 * hour);
    const sent = await Promise.all([catchUpAtStart(config, later), catchUpAtStart(config, later), catchUpAtStart(config, later)]);
    for (const due of sent) expect(due.map((job) => job.queue)).toEqual(["cluster.discover", "cost.sync"]);
    const jobs = await getPrisma().$queryRawUnsafe<{ name: string; data: object; count: number }[]>(
      `SELECT name, data, count(*)::int AS count FROM ${schema}.job WHERE state IN ('created', 'retry', 'active') GROUP BY name, data ORDER BY name`,
    );
    // The cost sync is the hourly check's, unforced: it syncs only the scopes still due when it runs.
    expect(jobs).toEqual([
      { name: "cluster.discover", data: {}, count: 1 },
      { name: "cost.sync", data: {}, count: 1 },
    ]);
  });

  it("sends nothing when nothing is due", async () => {
    const now = new Date();
    await getPrisma().cluster.update({ where: { armId }, data: { lastCheckedAt: now } });
    await getPrisma().costSyncState.createMany({ data: scopes.map((scope) => ({ scope, lastSyncedAt: now, lastMonths: [] })) });
    const before = await getPrisma().$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM ${schema}.job`);
    expect(await catchUpAtStart(config, now)).toEqual([]);
    expect(await getPrisma().$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM ${schema}.job`)).toEqual(before);
  });
});
