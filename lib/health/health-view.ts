// What pages and the API see of health: one entry per service × namespace,
// read from the poller's `ServiceHealth` snapshots with their age applied at
// read time. The zod schemas describe the responses (the OpenAPI document is
// generated from them); `toHealthEntry` is pure so staleness is tested
// without a clock or a database.
import { z } from "zod";
import {
  healthSignals,
  healthStateRank,
  healthStates,
  type HealthReason,
  type HealthState,
  type KubernetesObservation,
  type TelemetryObservation,
} from "@/lib/health/types";

/** The change-feed topic the poller announces each cycle on; live health views refetch when it fires. */
export const healthChangeTopic = "health:fleet";

const iso = z.string().describe("ISO 8601 time");

export const healthReasonSchema = z.object({
  signal: z.enum(healthSignals),
  state: z.enum(healthStates).describe("The state this reason alone implies."),
  value: z.union([z.number(), z.string(), z.null()]),
  threshold: z.union([z.number(), z.string(), z.null()]),
  since: iso.nullable(),
  message: z.string(),
});

export const kubernetesObservationSchema = z.object({
  observedAt: iso,
  error: z.string().optional(),
  desiredReplicas: z.number().optional(),
  readyReplicas: z.number().optional(),
  restarts: z.number().optional(),
  waiting: z.array(z.object({ reason: z.string(), pods: z.number(), since: iso.nullable() })).optional(),
  rollout: z
    .object({
      phase: z.enum(["progressing", "succeeded", "failed"]),
      reason: z.string().nullable(),
      since: iso.nullable(),
      targetTag: z.string().nullable().optional().describe("The tag the rollout was taking the Deployment to."),
    })
    .optional(),
  image: z.string().optional().describe("What the ready pods run: after a failed rollout, still the old version."),
  tag: z.string().nullable().optional(),
  digest: z.string().nullable().optional(),
});

export const telemetryObservationSchema = z.object({
  observedAt: iso,
  error: z.string().optional(),
  requests: z.number().optional(),
  failed: z.number().optional(),
  effectiveRequests: z
    .number()
    .optional()
    .describe("How many unsampled requests the sampled telemetry is worth as evidence of the failure rate; the rate's bound is judged on it."),
  sampledRequests: z
    .number()
    .optional()
    .describe("How many requests the sampled telemetry is worth as evidence of p95 (the rows, under uniform sampling); p95 is judged from the tier's minimum."),
  failureRatePct: z.number().nullable().optional(),
  p95DurationMs: z.number().nullable().optional(),
  availabilityPct: z.number().nullable().optional(),
  availabilityRuns: z.number().optional().describe("Availability test runs in the window (ItemCount-weighted), when counted."),
  availabilityPassed: z.number().optional().describe("Of them, the runs that passed."),
});

export const healthEntrySchema = z.object({
  service: z.object({
    id: z.string(),
    slug: z.string(),
    displayName: z.string(),
    tier: z.string(),
    appInsightsRoleName: z.string().nullable(),
    team: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  }),
  namespace: z.object({ id: z.string(), name: z.string(), cluster: z.object({ id: z.string(), name: z.string() }) }),
  environment: z.string(),
  state: z.enum(healthStates).describe("unknown when the snapshot is older than two poll cycles, whatever it said."),
  reasons: z.array(healthReasonSchema),
  stateSince: iso.nullable(),
  evaluatedAt: iso.nullable().describe("When the poller last evaluated this; null when it never has."),
  dataAgeSeconds: z.number().nullable(),
  stale: z.boolean().describe("The snapshot is older than two poll cycles (or missing): its state is not trusted."),
  lastKnown: z
    .object({ state: z.enum(healthStates), reasons: z.array(healthReasonSchema) })
    .nullable()
    .describe("For a stale snapshot: what it said when it was current."),
  kubernetes: kubernetesObservationSchema.nullable(),
  telemetry: telemetryObservationSchema.nullable(),
});

export type HealthEntry = z.infer<typeof healthEntrySchema>;
export type HealthCounts = Record<HealthState, number>;

export const healthCountsSchema = z.object({ unhealthy: z.number(), degraded: z.number(), unknown: z.number(), healthy: z.number() });

export const workspaceProblemSchema = z.object({ name: z.string(), lastError: z.string(), lastSuccessAt: iso.nullable(), lastPolledAt: iso.nullable() });
export type WorkspaceProblem = z.infer<typeof workspaceProblemSchema>;

export function emptyCounts(): HealthCounts {
  return { unhealthy: 0, degraded: 0, unknown: 0, healthy: 0 };
}

/** The row as read with its service, team, namespace and cluster. */
export interface ServiceHealthRow {
  state: string;
  reasons: unknown;
  stateSince: Date;
  kubernetes: unknown;
  telemetry: unknown;
  environment: string;
  evaluatedAt: Date;
  service: {
    id: string;
    slug: string;
    displayName: string;
    tier: string;
    appInsightsRoleName: string | null;
    ownerTeam: { id: string; slug: string; name: string };
  };
  namespace: { id: string; name: string; cluster: { id: string; name: string } };
}

export const serviceHealthInclude = {
  service: {
    select: { id: true, slug: true, displayName: true, tier: true, appInsightsRoleName: true, ownerTeam: { select: { id: true, slug: true, name: true } } },
  },
  namespace: { select: { id: true, name: true, cluster: { select: { id: true, name: true } } } },
} as const;

const utcTime = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** "data is N min old": whole minutes, never "0 min" for data that is past the limit. */
export function dataAgeMessage(evaluatedAt: Date, now: Date): string {
  const minutes = Math.max(1, Math.floor((now.getTime() - evaluatedAt.getTime()) / 60_000));
  return `Data is ${minutes} min old (last evaluated ${utcTime(evaluatedAt)}): health is unknown until the poller reports again.`;
}

function asState(value: string): HealthState {
  return (healthStates as readonly string[]).includes(value) ? (value as HealthState) : "unknown";
}

/**
 * The newest evaluation time that is already stale: a snapshot evaluated at
 * or before it is older than two poll cycles (its age rounded to the second,
 * as `dataAgeSeconds` shows it). One boundary for `toHealthEntry` and for the
 * SQL that filters, counts and sorts by the state as shown.
 */
export function staleAtOrBefore(now: Date, pollSeconds: number): Date {
  return new Date(now.getTime() - 2 * pollSeconds * 1000 - 500);
}

/**
 * A snapshot as it may be shown now: older than two poll cycles, it is
 * unknown with its age as the reason (never a stale green), and what it said
 * is kept apart as `lastKnown`.
 */
export function toHealthEntry(row: ServiceHealthRow, now: Date, pollSeconds: number): HealthEntry {
  const ageSeconds = Math.max(0, Math.round((now.getTime() - row.evaluatedAt.getTime()) / 1000));
  const stale = row.evaluatedAt.getTime() <= staleAtOrBefore(now, pollSeconds).getTime();
  const state = asState(row.state);
  const reasons = Array.isArray(row.reasons) ? (row.reasons as HealthReason[]) : [];
  const ageReason: HealthReason = {
    signal: "dataAge",
    state: "unknown",
    value: Math.floor(ageSeconds / 60),
    threshold: Math.round((2 * pollSeconds) / 60),
    since: row.evaluatedAt.toISOString(),
    message: dataAgeMessage(row.evaluatedAt, now),
  };
  return {
    service: {
      id: row.service.id,
      slug: row.service.slug,
      displayName: row.service.displayName,
      tier: row.service.tier,
      appInsightsRoleName: row.service.appInsightsRoleName,
      team: row.service.ownerTeam,
    },
    namespace: row.namespace,
    environment: row.environment,
    state: stale ? "unknown" : state,
    reasons: stale ? [ageReason] : reasons,
    stateSince: stale ? row.evaluatedAt.toISOString() : row.stateSince.toISOString(),
    evaluatedAt: row.evaluatedAt.toISOString(),
    dataAgeSeconds: ageSeconds,
    stale,
    lastKnown: stale ? { state, reasons } : null,
    kubernetes: (row.kubernetes ?? null) as KubernetesObservation | null,
    telemetry: (row.telemetry ?? null) as TelemetryObservation | null,
  };
}

const environmentOrder = ["prod", "test", "dev"];

/** Worst first; then by service name, production before test before dev, and namespace name. */
export function compareHealthEntries(a: HealthEntry, b: HealthEntry): number {
  const env = (value: string) => (environmentOrder.includes(value) ? environmentOrder.indexOf(value) : environmentOrder.length);
  return (
    healthStateRank[a.state] - healthStateRank[b.state] ||
    a.service.displayName.localeCompare(b.service.displayName) ||
    a.service.slug.localeCompare(b.service.slug) ||
    env(a.environment) - env(b.environment) ||
    a.namespace.name.localeCompare(b.namespace.name)
  );
}

/** Counts entries by the state shown (a board's tile over the rows it already holds; /health counts in SQL). */
export function countStates(entries: readonly HealthEntry[]): HealthCounts {
  const counts = emptyCounts();
  for (const entry of entries) counts[entry.state] += 1;
  return counts;
}
