// A service's 24-hour trend in one namespace: the poller's per-minute
// samples folded into 5-minute points, small enough for a chart and the API.
// Pure. Requests are given per minute (the bucket's sum over the minutes it
// has, so the newest, still-filling bucket does not look like a drop); the failure rate is recomputed from the sums (an
// average of rates would let a quiet minute count as much as a busy one);
// p95 takes the worst minute (a percentile cannot be averaged back); ready
// replicas the lowest, so a dip is not smoothed away.
import { z } from "zod";

export const trendBucketMinutes = 5;

export const trendPointSchema = z.object({
  at: z.string().describe("Start of the 5-minute bucket (ISO 8601)."),
  requestsPerMinute: z.number().nullable().describe("Requests per minute over the minutes sampled in the bucket (ItemCount-weighted)."),
  failureRatePct: z.number().nullable(),
  p95DurationMs: z.number().nullable(),
  availabilityPct: z.number().nullable(),
  readyReplicas: z.number().nullable(),
  desiredReplicas: z.number().nullable(),
});

export type TrendPoint = z.infer<typeof trendPointSchema>;

export interface SampleRow {
  at: Date;
  requests: number | null;
  failed: number | null;
  failureRatePct: number | null;
  p95DurationMs: number | null;
  availabilityPct: number | null;
  readyReplicas: number | null;
  desiredReplicas: number | null;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const maxOf = (values: (number | null)[]) => {
  const known = values.filter((value): value is number => value !== null);
  return known.length ? Math.max(...known) : null;
};
const minOf = (values: (number | null)[]) => {
  const known = values.filter((value): value is number => value !== null);
  return known.length ? Math.min(...known) : null;
};

export function bucketSamples(samples: readonly SampleRow[], bucketMinutes = trendBucketMinutes): TrendPoint[] {
  const size = bucketMinutes * 60_000;
  const buckets = new Map<number, SampleRow[]>();
  for (const sample of samples) {
    const start = Math.floor(sample.at.getTime() / size) * size;
    const bucket = buckets.get(start) ?? [];
    bucket.push(sample);
    buckets.set(start, bucket);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, rows]) => {
      const withRequests = rows.filter((row) => row.requests !== null);
      const requests = withRequests.length ? withRequests.reduce((sum, row) => sum + row.requests!, 0) : null;
      // Failed counts where the poller stored them; otherwise back from each minute's rate.
      const failed = withRequests.reduce((sum, row) => sum + (row.failed ?? ((row.failureRatePct ?? 0) * row.requests!) / 100), 0);
      const availability = rows.map((row) => row.availabilityPct).filter((value): value is number => value !== null);
      return {
        at: new Date(start).toISOString(),
        requestsPerMinute: requests === null ? null : round(requests / withRequests.length, 1),
        failureRatePct: requests ? round((100 * failed) / requests, 2) : requests === 0 ? 0 : null,
        p95DurationMs: maxOf(rows.map((row) => row.p95DurationMs)),
        availabilityPct: availability.length ? round(availability.reduce((sum, value) => sum + value, 0) / availability.length, 2) : null,
        readyReplicas: minOf(rows.map((row) => row.readyReplicas)),
        desiredReplicas: maxOf(rows.map((row) => row.desiredReplicas)),
      };
    });
}
