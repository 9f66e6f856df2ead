// Writes one cycle's verdicts: ServiceHealth snapshots (upsert), a
// HealthTransition per state change, HealthSample rows per minute; and keeps
// history bounded: samples and transitions older than 30 days go, minute
// samples older than 24 hours are folded into hour samples. Set-based SQL
// (one statement per table per cycle), so 2,000 services cost a handful of
// round trips, not thousands.
import { getPrisma } from "@/lib/db/client";
import type { HealthReason, HealthState, KubernetesObservation, TelemetryObservation } from "@/lib/health/types";

export interface HealthSnapshotWrite {
  serviceId: string;
  namespaceId: string;
  environment: string;
  state: HealthState;
  reasons: HealthReason[];
  stateSince: Date;
  kubernetes: KubernetesObservation | null;
  telemetry: TelemetryObservation | null;
  evaluatedAt: Date;
  /** The state before this cycle (null for a first snapshot): a change writes a transition. */
  previousState: HealthState | null;
}

export interface SampleWrite {
  serviceId: string;
  namespaceId: string;
  /** The minute's start. */
  at: Date;
  state: HealthState;
  requests: number | null;
  failed: number | null;
  failureRatePct: number | null;
  p95DurationMs: number | null;
  availabilityPct: number | null;
  readyReplicas: number | null;
  desiredReplicas: number | null;
}

export const retentionDays = 30;
export const minuteResolutionHours = 24;

export async function writeHealth(input: {
  snapshots: HealthSnapshotWrite[];
  /** This minute's sample per snapshot: state, replicas, and the figures known now. */
  current: SampleWrite[];
  /** Earlier minutes' telemetry figures that arrived this cycle; they keep the state recorded for that minute. */
  figures: SampleWrite[];
  /** Snapshots of pairs no longer watched (namespace gone, service retired) are removed. */
  pruneOthers: boolean;
}): Promise<{ transitions: number }> {
  const prisma = getPrisma();
  const snapshots = JSON.stringify(
    input.snapshots.map((row) => ({ ...row, stateSince: row.stateSince.toISOString(), evaluatedAt: row.evaluatedAt.toISOString(), previousState: undefined })),
  );
  const transitions = input.snapshots
    .filter((row) => row.previousState !== row.state)
    .map((row) => ({
      serviceId: row.serviceId,
      namespaceId: row.namespaceId,
      fromState: row.previousState,
      toState: row.state,
      reasons: row.reasons as object[],
      at: row.evaluatedAt,
    }));
  const samples = (rows: SampleWrite[]) => JSON.stringify(rows.map((row) => ({ ...row, at: row.at.toISOString() })));
  const pairs = JSON.stringify(input.snapshots.map((row) => ({ serviceId: row.serviceId, namespaceId: row.namespaceId })));

  await prisma.$transaction([
    prisma.$executeRaw`
      INSERT INTO "ServiceHealth" ("serviceId", "namespaceId", "environment", "state", "reasons", "stateSince", "kubernetes", "telemetry", "evaluatedAt")
      SELECT r."serviceId"::uuid, r."namespaceId"::uuid, r."environment", r."state", r."reasons", r."stateSince"::timestamptz,
        r."kubernetes", r."telemetry", r."evaluatedAt"::timestamptz
      FROM jsonb_to_recordset(${snapshots}::jsonb) AS r(
        "serviceId" text, "namespaceId" text, "environment" text, "state" text, "reasons" jsonb, "stateSince" text,
        "kubernetes" jsonb, "telemetry" jsonb, "evaluatedAt" text)
      ON CONFLICT ("serviceId", "namespaceId") DO UPDATE SET
        "environment" = EXCLUDED."environment", "state" = EXCLUDED."state", "reasons" = EXCLUDED."reasons", "stateSince" = EXCLUDED."stateSince",
        "kubernetes" = EXCLUDED."kubernetes", "telemetry" = EXCLUDED."telemetry", "evaluatedAt" = EXCLUDED."evaluatedAt"`,
    ...(input.pruneOthers
      ? [
          prisma.$executeRaw`
            DELETE FROM "ServiceHealth" h
            WHERE NOT EXISTS (
              SELECT 1 FROM jsonb_to_recordset(${pairs}::jsonb) AS p("serviceId" text, "namespaceId" text)
              WHERE p."serviceId"::uuid = h."serviceId" AND p."namespaceId"::uuid = h."namespaceId")`,
        ]
      : []),
    prisma.healthTransition.createMany({ data: transitions }),
    // Earlier minutes: figures only; a row that exists keeps its state and replicas.
    prisma.$executeRaw`
      INSERT INTO "HealthSample" (
        "serviceId", "namespaceId", "at", "resolution", "state", "requests", "failed", "failureRatePct", "p95DurationMs", "availabilityPct",
        "readyReplicas", "desiredReplicas")
      SELECT r."serviceId"::uuid, r."namespaceId"::uuid, r."at"::timestamptz, 'minute', r."state", r."requests", r."failed", r."failureRatePct",
        r."p95DurationMs", r."availabilityPct", r."readyReplicas", r."desiredReplicas"
      FROM jsonb_to_recordset(${samples(input.figures)}::jsonb) AS r(
        "serviceId" text, "namespaceId" text, "at" text, "state" text, "requests" float8, "failed" float8, "failureRatePct" float8,
        "p95DurationMs" float8, "availabilityPct" float8, "readyReplicas" int, "desiredReplicas" int)
      ON CONFLICT ("serviceId", "namespaceId", "at") DO UPDATE SET
        "requests" = EXCLUDED."requests", "failed" = EXCLUDED."failed", "failureRatePct" = EXCLUDED."failureRatePct", "p95DurationMs" = EXCLUDED."p95DurationMs"
      WHERE "HealthSample"."resolution" = 'minute'`,
    // This minute: everything.
    prisma.$executeRaw`
      INSERT INTO "HealthSample" (
        "serviceId", "namespaceId", "at", "resolution", "state", "requests", "failed", "failureRatePct", "p95DurationMs", "availabilityPct",
        "readyReplicas", "desiredReplicas")
      SELECT r."serviceId"::uuid, r."namespaceId"::uuid, r."at"::timestamptz, 'minute', r."state", r."requests", r."failed", r."failureRatePct",
        r."p95DurationMs", r."availabilityPct", r."readyReplicas", r."desiredReplicas"
      FROM jsonb_to_recordset(${samples(input.current)}::jsonb) AS r(
        "serviceId" text, "namespaceId" text, "at" text, "state" text, "requests" float8, "failed" float8, "failureRatePct" float8,
        "p95DurationMs" float8, "availabilityPct" float8, "readyReplicas" int, "desiredReplicas" int)
      ON CONFLICT ("serviceId", "namespaceId", "at") DO UPDATE SET
        "state" = EXCLUDED."state",
        "requests" = COALESCE(EXCLUDED."requests", "HealthSample"."requests"), "failed" = COALESCE(EXCLUDED."failed", "HealthSample"."failed"),
        "failureRatePct" = COALESCE(EXCLUDED."failureRatePct", "HealthSample"."failureRatePct"),
        "p95DurationMs" = COALESCE(EXCLUDED."p95DurationMs", "HealthSample"."p95DurationMs"),
        "availabilityPct" = EXCLUDED."availabilityPct", "readyReplicas" = EXCLUDED."readyReplicas", "desiredReplicas" = EXCLUDED."desiredReplicas"
      WHERE "HealthSample"."resolution" = 'minute'`,
  ]);
  return { transitions: transitions.length };
}

/**
 * Drops samples and transitions older than 30 days, and folds minute samples
 * of whole hours older than 24 hours into one hour sample each: requests and
 * failures summed, failure rate recomputed from them, p95 the hour's highest
 * minute p95 (percentiles do not add up; the highest is the honest bound),
 * availability averaged, replicas the fewest ready of the most desired, state
 * the worst of the hour.
 */
export async function applyRetention(now: Date): Promise<{ deleted: number; folded: number }> {
  const prisma = getPrisma();
  const oldest = new Date(now.getTime() - retentionDays * 86_400_000);
  const foldBefore = new Date(Math.floor((now.getTime() - minuteResolutionHours * 3_600_000) / 3_600_000) * 3_600_000);
  const [samples, transitions, folded] = await prisma.$transaction([
    prisma.$executeRaw`DELETE FROM "HealthSample" WHERE "at" < ${oldest}`,
    prisma.$executeRaw`DELETE FROM "HealthTransition" WHERE "at" < ${oldest}`,
    // A minute row at the hour's first minute shares the hour row's key: it is replaced by the aggregate it is part of.
    prisma.$executeRaw`
      INSERT INTO "HealthSample" (
        "serviceId", "namespaceId", "at", "resolution", "state", "requests", "failed", "failureRatePct", "p95DurationMs", "availabilityPct",
        "readyReplicas", "desiredReplicas")
      SELECT "serviceId", "namespaceId", date_trunc('hour', "at"), 'hour',
        (ARRAY['unhealthy', 'degraded', 'unknown', 'healthy'])[
          MIN(CASE "state" WHEN 'unhealthy' THEN 1 WHEN 'degraded' THEN 2 WHEN 'unknown' THEN 3 ELSE 4 END)],
        SUM("requests"), SUM("failed"),
        CASE WHEN SUM("requests") > 0 THEN 100.0 * SUM("failed") / SUM("requests") END,
        MAX("p95DurationMs"), AVG("availabilityPct"), MIN("readyReplicas"), MAX("desiredReplicas")
      FROM "HealthSample"
      WHERE "resolution" = 'minute' AND "at" < ${foldBefore}
      GROUP BY "serviceId", "namespaceId", date_trunc('hour', "at")
      ON CONFLICT ("serviceId", "namespaceId", "at") DO UPDATE SET
        "resolution" = 'hour',
        "state" = CASE WHEN "HealthSample"."resolution" = 'minute' THEN EXCLUDED."state"
          ELSE (ARRAY['unhealthy', 'degraded', 'unknown', 'healthy'])[LEAST(
            CASE "HealthSample"."state" WHEN 'unhealthy' THEN 1 WHEN 'degraded' THEN 2 WHEN 'unknown' THEN 3 ELSE 4 END,
            CASE EXCLUDED."state" WHEN 'unhealthy' THEN 1 WHEN 'degraded' THEN 2 WHEN 'unknown' THEN 3 ELSE 4 END)] END,
        "requests" = CASE WHEN "HealthSample"."resolution" = 'minute' THEN EXCLUDED."requests"
          ELSE COALESCE("HealthSample"."requests", 0) + COALESCE(EXCLUDED."requests", 0) END,
        "failed" = CASE WHEN "HealthSample"."resolution" = 'minute' THEN EXCLUDED."failed"
          ELSE COALESCE("HealthSample"."failed", 0) + COALESCE(EXCLUDED."failed", 0) END,
        "failureRatePct" = CASE WHEN "HealthSample"."resolution" = 'minute' THEN EXCLUDED."failureRatePct"
          ELSE 100.0 * (COALESCE("HealthSample"."failed", 0) + COALESCE(EXCLUDED."failed", 0))
            / NULLIF(COALESCE("HealthSample"."requests", 0) + COALESCE(EXCLUDED."requests", 0), 0) END,
        "p95DurationMs" = CASE WHEN "HealthSample"."resolution" = 'minute' THEN EXCLUDED."p95DurationMs"
          ELSE GREATEST("HealthSample"."p95DurationMs", EXCLUDED."p95DurationMs") END,
        "availabilityPct" = CASE WHEN "HealthSample"."resolution" = 'minute' THEN EXCLUDED."availabilityPct"
          ELSE COALESCE(EXCLUDED."availabilityPct", "HealthSample"."availabilityPct") END,
        "readyReplicas" = CASE WHEN "HealthSample"."resolution" = 'minute' THEN EXCLUDED."readyReplicas"
          ELSE LEAST("HealthSample"."readyReplicas", EXCLUDED."readyReplicas") END,
        "desiredReplicas" = CASE WHEN "HealthSample"."resolution" = 'minute' THEN EXCLUDED."desiredReplicas"
          ELSE GREATEST("HealthSample"."desiredReplicas", EXCLUDED."desiredReplicas") END`,
    prisma.$executeRaw`DELETE FROM "HealthSample" WHERE "resolution" = 'minute' AND "at" < ${foldBefore}`,
  ]);
  return { deleted: samples + transitions, folded };
}
