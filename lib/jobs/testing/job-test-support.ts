// Helpers for the jobs integration tests: a private pg-boss schema, short
// timings, and waiting on conditions instead of sleeping.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { getPrisma } from "@/lib/db/client";
import type { JobTiming } from "@/lib/jobs/boss";

export function testSchema(): string {
  return `pgboss_test_${randomBytes(4).toString("hex")}`;
}

/** Heartbeats at pg-boss's minimum, everything else as short as pg-boss allows. */
export const fastTiming: Partial<JobTiming> = {
  heartbeatSeconds: 10,
  monitorIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
  rescueDelaySeconds: 1,
  backoff: { baseSeconds: 1, maxSeconds: 1 },
  stopTimeoutSeconds: 5,
};

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function jobState(schema: string, id: string): Promise<string | undefined> {
  const rows = await getPrisma().$queryRawUnsafe<{ state: string }[]>(`SELECT state::text AS state FROM ${schema}.job WHERE id = $1::uuid`, id);
  return rows[0]?.state;
}

export async function dropSchema(schema: string): Promise<void> {
  await getPrisma().$executeRawUnsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
