// The synthetic telemetry of one or more workspaces as a KqlTableSource. Rows
// are made on demand for the time buckets the query's range covers and never
// kept: minute buckets for the last day, hour buckets before that (each row's
// ItemCount carries the hour's share), back to the workspace's 30-day retention.
import type { AppInsightsTableName } from "../app-insights-schema";
import type { KqlRow, KqlTableSource, KqlTimeRange } from "../kql/types";
import type { SandboxWorkspace } from "../workspaces";
import { generateBucket, type GenerationContext } from "./generate";
import type { Workload } from "./workloads";

export const retentionMs = 30 * 24 * 3_600_000;
const minuteMs = 60_000;
const hourMs = 3_600_000;

export interface WorkspaceTelemetry {
  workspace: SandboxWorkspace;
  workloads: readonly Workload[];
}

export interface TelemetrySourceOptions {
  /** Same seed and same cluster state: same rows. */
  seed: string;
  /** Rows after it do not exist yet; the retention counts back from it. */
  now: Date;
  workspaces: readonly WorkspaceTelemetry[];
}

/** The buckets covering [from, to): hours up to a day before `now`'s hour, minutes after. */
export function bucketsBetween(from: number, to: number, now: number): { start: number; length: number }[] {
  const fineFrom = Math.floor(now / hourMs) * hourMs - 24 * hourMs;
  const buckets: { start: number; length: number }[] = [];
  for (let start = Math.floor(from / hourMs) * hourMs; start < Math.min(to, fineFrom); start += hourMs) buckets.push({ start, length: hourMs });
  for (let start = Math.max(fineFrom, Math.floor(from / minuteMs) * minuteMs); start < to; start += minuteMs) buckets.push({ start, length: minuteMs });
  return buckets;
}

export function createTelemetrySource(options: TelemetrySourceOptions): KqlTableSource {
  const now = options.now.getTime();
  const contexts: GenerationContext[] = options.workspaces.map(({ workspace, workloads }) => ({ seed: options.seed, workspace, workloads, profiles: new Map() }));
  return {
    *rows(table: AppInsightsTableName, range: KqlTimeRange): Iterable<KqlRow> {
      const from = Math.max(range.start.getTime(), now - retentionMs);
      const to = Math.min(range.end.getTime(), now);
      if (!(from <= to)) return;
      for (const bucket of bucketsBetween(from, to + 1, now)) {
        for (const context of contexts) {
          if (context.workloads.length === 0) continue;
          for (const row of generateBucket(context, bucket.start, bucket.length, table)[table]) {
            const at = (row.TimeGenerated as Date).getTime();
            if (at >= from && at <= to) yield row;
          }
        }
      }
    },
  };
}
