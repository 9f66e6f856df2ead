// The synthetic telemetry of one or more workspaces as a KqlTableSource. Rows
// are made on demand for the time buckets the query's range covers, and the
// last buckets made are kept (bounded) for the next queries: minute buckets for the last 15 minutes (where health looks), 5-minute
// buckets for the rest of the last day, hour buckets before that (each row's
// ItemCount carries its bucket's share), back to the 30-day retention.
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import type { AppInsightsTableName } from "../app-insights-schema";
import type { KqlRow, KqlTableSource, KqlTimeRange } from "../kql/types";
import type { SandboxWorkspace } from "../../workspaces";
import { generateBucket, type BucketRows, type GenerationContext, type Row } from "./generate";
import type { Workload } from "./workloads";

export const retentionMs = 30 * 24 * 3_600_000;
const minuteMs = 60_000;
const fiveMinutesMs = 5 * minuteMs;
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

/** The buckets covering [from, to): hours up to a day before `now`'s hour, then 5 minutes, then minutes for the last quarter hour. */
export function bucketsBetween(from: number, to: number, now: number): { start: number; length: number }[] {
  const hoursUntil = Math.floor(now / hourMs) * hourMs - 24 * hourMs;
  const fiveMinutesUntil = Math.floor(now / fiveMinutesMs) * fiveMinutesMs - 15 * minuteMs;
  const buckets: { start: number; length: number }[] = [];
  const tile = (length: number, start: number, until: number) => {
    for (let at = Math.max(start, Math.floor(from / length) * length); at < Math.min(to, until); at += length) buckets.push({ start: at, length });
  };
  tile(hourMs, -Infinity, hoursUntil);
  tile(fiveMinutesMs, hoursUntil, fiveMinutesUntil);
  tile(minuteMs, fiveMinutesUntil, Infinity);
  return buckets;
}

/**
 * Generated buckets kept across queries: the poller asks for the same last
 * minutes every cycle, and a bucket is a pure function of its key (seed,
 * workspace, table, start, length and the workspace's workloads as read from
 * the clusters), so a hit is exactly the rows generation would make again. A
 * changed Deployment, ReplicaSet or pod changes the workloads' fingerprint and
 * so the key. Bounded to about a tenth of the heap (a row is ≈600 bytes): the
 * sandbox runs with a 256 MB old space, where that is ≈49,000 rows, the
 * poller's 15 minutes of about 200 roles; a query evaluates in the rest.
 */
export const bucketCacheRows = Math.floor((getHeapStatistics().heap_size_limit * 0.1) / 600);
const bucketCache = new Map<string, Row[]>();
let cachedRows = 0;
const stats = { rowsGenerated: 0, bucketHits: 0, bucketMisses: 0, generationMs: 0 };

/** How many rows the generator has made in this process and how often a bucket was reused, for benchmarks. */
export function telemetryStats(): { rowsGenerated: number; bucketHits: number; bucketMisses: number; generationMs: number; cachedRows: number } {
  return { ...stats, cachedRows };
}

function cached(key: string): Row[] | undefined {
  const rows = bucketCache.get(key);
  if (rows) {
    // Least recently used first in the Map's order.
    bucketCache.delete(key);
    bucketCache.set(key, rows);
  }
  return rows;
}

/**
 * Keeps a bucket, evicting the least recently used ones if `evict` (what
 * `prepare` makes for the query about to run); otherwise only into free room,
 * so a query larger than the cache does not push out, bucket after bucket,
 * everything it and the next poll need (LRU's failure on a scan).
 */
function remember(key: string, rows: Row[], evict: boolean): void {
  if (rows.length > bucketCacheRows || (!evict && cachedRows + rows.length > bucketCacheRows)) return;
  bucketCache.set(key, rows);
  cachedRows += rows.length;
  for (const [oldest, old] of bucketCache) {
    if (cachedRows <= bucketCacheRows) break;
    bucketCache.delete(oldest);
    cachedRows -= old.length;
  }
}

/** Everything a workspace's rows depend on besides the seed and the bucket, as one string. */
function fingerprintOf(workloads: readonly Workload[]): string {
  const hash = createHash("sha256");
  for (const w of workloads) hash.update(JSON.stringify({ ...w, cluster: w.cluster.name }));
  return hash.digest("base64");
}

export interface TelemetrySource extends KqlTableSource {
  /**
   * Generates (into the bucket cache) the buckets of `tables` over `range`
   * that are not there yet, yielding to the event loop between buckets so
   * the sandbox's other servers are answered meanwhile, as far as half the
   * cache holds. Optional: `rows` generates whatever is missing itself.
   */
  prepare(tables: readonly AppInsightsTableName[], range: KqlTimeRange): Promise<void>;
}

export function createTelemetrySource(options: TelemetrySourceOptions): TelemetrySource {
  const now = options.now.getTime();
  const contexts = options.workspaces.map(({ workspace, workloads }) => ({
    key: `${options.seed}|${workspace.name}|${fingerprintOf(workloads)}`,
    context: {
      seed: options.seed,
      workspace,
      workloads,
      profiles: new Map(),
      instances: new Map(),
      calls: new Map(),
      bases: new WeakMap(),
    } as GenerationContext,
  }));
  const clip = (range: KqlTimeRange) => ({ from: Math.max(range.start.getTime(), now - retentionMs), to: Math.min(range.end.getTime(), now) });
  const keyOf = (entry: (typeof contexts)[number], table: AppInsightsTableName, bucket: { start: number; length: number }) =>
    `${entry.key}|${table}|${bucket.start}|${bucket.length}`;
  /** Generates the bucket for every table in `tables` in one walk (the random draws are the same whichever tables are kept) and caches each. */
  const generate = (
    entry: (typeof contexts)[number],
    tables: readonly AppInsightsTableName[],
    bucket: { start: number; length: number },
    evict: boolean,
  ): BucketRows => {
    stats.bucketMisses += 1;
    const began = performance.now();
    const made = generateBucket(entry.context, bucket.start, bucket.length, new Set(tables));
    stats.generationMs += performance.now() - began;
    for (const table of tables) {
      stats.rowsGenerated += made[table].length;
      remember(keyOf(entry, table, bucket), made[table], evict);
    }
    return made;
  };
  const bucketRows = (entry: (typeof contexts)[number], table: AppInsightsTableName, bucket: { start: number; length: number }): Row[] => {
    const hit = cached(keyOf(entry, table, bucket));
    if (hit) {
      stats.bucketHits += 1;
      return hit;
    }
    return generate(entry, [table], bucket, false)[table];
  };
  return {
    *rows(table: AppInsightsTableName, range: KqlTimeRange): Iterable<KqlRow> {
      const { from, to } = clip(range);
      if (!(from <= to)) return;
      for (const bucket of bucketsBetween(from, to + 1, now)) {
        for (const entry of contexts) {
          if (entry.context.workloads.length === 0) continue;
          for (const row of bucketRows(entry, table, bucket)) {
            const at = (row.TimeGenerated as Date).getTime();
            if (at >= from && at <= to) yield row;
          }
        }
      }
    },
    async prepare(tables, range) {
      const { from, to } = clip(range);
      if (!(from <= to)) return;
      // Past half the cache, buckets made now would be evicted before the evaluator reads them: it makes the rest itself.
      let made = 0;
      for (const bucket of bucketsBetween(from, to + 1, now)) {
        for (const entry of contexts) {
          const missing = tables.filter((table) => !bucketCache.has(keyOf(entry, table, bucket)));
          if (entry.context.workloads.length === 0 || missing.length === 0) continue;
          if (made > bucketCacheRows / 2) return;
          const rows = generate(entry, missing, bucket, true);
          for (const table of missing) made += rows[table].length;
          await new Promise((resume) => setImmediate(resume));
        }
      }
    },
  };
}
