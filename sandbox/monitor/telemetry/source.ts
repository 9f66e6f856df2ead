// The synthetic telemetry of one or more workspaces as a KqlTableSource. Rows
// are made on demand for the time buckets the query's range covers, and the
// last buckets made are kept (bounded) for the next queries: minute buckets for the last 15 minutes (where health looks), 5-minute
// buckets for the rest of the last day, hour buckets before that (each row's
// ItemCount carries its bucket's share), back to the 30-day retention.
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import type { AppInsightsTableName } from "../app-insights-schema";
import type { KqlColumnBatch, KqlRow, KqlTableSource, KqlTimeRange } from "../kql/types";
import type { SandboxWorkspace } from "../../workspaces";
import { generateBucket, generateBucketColumns, type BucketColumns, type BucketRows, type ColumnarRows, type GenerationContext, type Row } from "./generate";
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
 * workspace, table, start, length, the columns kept and the workspace's
 * workloads as read from the clusters), so a hit is exactly the rows
 * generation would make again. A changed Deployment, ReplicaSet or pod changes
 * the key of the buckets it can change (`timelineOf`). The evaluator reads buckets
 * column by column with only the columns a query uses (`columns`), ≈8 bytes
 * a value; `rows` keeps whole row objects, ≈600 bytes each. Bounded to a
 * quarter of the heap: the sandbox runs with a 256 MB old space, where that
 * is ≈70 MB, an hour of the health query's seven columns for about 2,500
 * roles; a query evaluates in the rest.
 */
export const bucketCacheBytes = Math.floor(getHeapStatistics().heap_size_limit * 0.25);
const rowBytes = 600;
const valueBytes = 8;
type Cached = { rows: Row[]; bytes: number } | { columnar: ColumnarRows; bytes: number };
const bucketCache = new Map<string, Cached>();
let cachedBytes = 0;
const stats = { rowsGenerated: 0, bucketHits: 0, bucketMisses: 0, generationMs: 0 };

/** How many rows the generator has made in this process and how often a bucket was reused, for benchmarks. */
export function telemetryStats(): { rowsGenerated: number; bucketHits: number; bucketMisses: number; generationMs: number; cachedBytes: number } {
  return { ...stats, cachedBytes };
}

function cached(key: string): Cached | undefined {
  const entry = bucketCache.get(key);
  if (entry) {
    // Least recently used first in the Map's order.
    bucketCache.delete(key);
    bucketCache.set(key, entry);
  }
  return entry;
}

/**
 * Keeps a bucket, evicting the least recently used ones if `evict` (what
 * `prepare` makes for the query about to run); otherwise only into free room,
 * so a query larger than the cache does not push out, bucket after bucket,
 * everything it and the next poll need (LRU's failure on a scan).
 */
function remember(key: string, entry: Cached, evict: boolean): void {
  if (entry.bytes > bucketCacheBytes || (!evict && cachedBytes + entry.bytes > bucketCacheBytes)) return;
  if (heapPressed()) {
    // The sandbox's own objects (the clusters' at 2,000 services: ~180 MB) leave the queries too little: the cache gives way.
    dropBuckets(cachedBytes / 2);
    return;
  }
  const previous = bucketCache.get(key);
  if (previous) cachedBytes -= previous.bytes;
  bucketCache.set(key, entry);
  cachedBytes += entry.bytes;
  for (const [oldest, old] of bucketCache) {
    if (cachedBytes <= bucketCacheBytes) break;
    bucketCache.delete(oldest);
    cachedBytes -= old.bytes;
  }
}

/**
 * The cache keeps nothing more, and lets half of what it holds go, while the heap is fuller than this share of its
 * limit: a quarter of the heap is room for buckets only when the rest of the sandbox leaves it (kql/memory.ts stops a
 * query at 75 %).
 */
export const cacheHeapShare = 0.6;

function heapPressed(): boolean {
  const heap = getHeapStatistics();
  return heap.used_heap_size > heap.heap_size_limit * cacheHeapShare;
}

/** Lets the least recently used buckets go until at least `bytes` are freed (all of them by default). */
export function dropBuckets(bytes = Infinity): void {
  let freed = 0;
  for (const [oldest, old] of bucketCache) {
    if (freed >= bytes) break;
    bucketCache.delete(oldest);
    cachedBytes -= old.bytes;
    freed += old.bytes;
  }
}

const columnarBytes = (rows: ColumnarRows) => 64 + rows.length * rows.columns.length * valueBytes;

/**
 * What a workspace's rows in a bucket depend on besides the seed and the
 * bucket, as one string per bucket end. A row at time t reads its workload's
 * revision serving at t and its pods' unreadiness only from `unreadySince`
 * on (profile.ts `conditionAt`, generate.ts `conditionTag`), so a bucket
 * ending at `end` depends on the workloads' lasting facts (names, replicas,
 * dependencies, the first revision) and on the events before `end`: the
 * later revisions and the unreadiness (with the crash-looping share). A deploy or a pod turning unready
 * now changes the keys of the last buckets only, not the hour before,
 * which the poller would otherwise generate again in full each time.
 */
export interface WorkloadsTimeline {
  /** The key of a bucket that ends at `end` (exclusive). */
  keyAt(end: number): string;
}

/**
 * How far after its bucket's end a row may be stamped and read its
 * workload's state: an availability test runs up to 20 s after its slot, a
 * call's callee answers a few milliseconds later. Events this close after a
 * bucket count for it.
 */
const lateRowsMs = 60_000;

const timelines = new WeakMap<readonly Workload[], WorkloadsTimeline>();

export function timelineOf(workloads: readonly Workload[]): WorkloadsTimeline {
  let known = timelines.get(workloads);
  if (known === undefined) timelines.set(workloads, (known = workloadsTimeline(workloads)));
  return known;
}

function workloadsTimeline(workloads: readonly Workload[]): WorkloadsTimeline {
  const lasting = createHash("sha256");
  const events: { at: number; text: string }[] = [];
  workloads.forEach((w, index) => {
    const { revisions, unready, crashing, down, unreadySince, waitingReason, ...rest } = w;
    // Anything else a workload carries counts as lasting: a field added later changes every key rather than none.
    lasting.update(JSON.stringify({ ...rest, cluster: w.cluster.name, first: revisions[0] }));
    revisions.slice(1).forEach((revision, at) => events.push({ at: revision.since, text: JSON.stringify([index, at, revision]) }));
    if (unreadySince !== undefined) events.push({ at: unreadySince, text: JSON.stringify([index, "unready", unready, crashing, down, waitingReason]) });
  });
  events.sort((a, b) => a.at - b.at || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  // prefixes[k]: the lasting facts and the first k events.
  const prefixes = [lasting.digest("base64")];
  for (const event of events) prefixes.push(createHash("sha256").update(prefixes.at(-1)!).update(event.text).digest("base64"));
  return {
    keyAt(end) {
      let low = 0;
      let high = events.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (events[middle]!.at < end) low = middle + 1;
        else high = middle;
      }
      return prefixes[low]!;
    },
  };
}

/** The columns of each table a query reads, in the order it asks `columns` for them. */
export type TableColumns = ReadonlyMap<AppInsightsTableName, readonly string[]>;

export interface TelemetrySource extends KqlTableSource {
  columns(table: AppInsightsTableName, range: KqlTimeRange, columns: readonly string[]): Iterable<KqlColumnBatch>;
  /**
   * Generates (into the bucket cache) the buckets of `tables` over `range`
   * that are not there yet, yielding to the event loop between buckets so
   * the sandbox's other servers are answered meanwhile, as far as half the
   * cache holds: column by column with only `columns` when given (what the
   * evaluator will ask `columns` for), else whole rows. Optional: `rows`
   * and `columns` generate whatever is missing themselves.
   */
  prepare(tables: readonly AppInsightsTableName[], range: KqlTimeRange, columns?: TableColumns): Promise<void>;
}

export function createTelemetrySource(options: TelemetrySourceOptions): TelemetrySource {
  const now = options.now.getTime();
  const contexts = options.workspaces.map(({ workspace, workloads }) => ({
    key: `${options.seed}|${workspace.name}`,
    timeline: timelineOf(workloads),
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
  type Entry = (typeof contexts)[number];
  type Bucket = { start: number; length: number };
  const clip = (range: KqlTimeRange) => ({ from: Math.max(range.start.getTime(), now - retentionMs), to: Math.min(range.end.getTime(), now) });
  const keyOf = (entry: Entry, table: AppInsightsTableName, bucket: Bucket) =>
    `${entry.key}|${entry.timeline.keyAt(bucket.start + bucket.length + lateRowsMs)}|${table}|${bucket.start}|${bucket.length}`;
  const columnsKeyOf = (entry: Entry, table: AppInsightsTableName, bucket: Bucket, columns: readonly string[]) =>
    `${keyOf(entry, table, bucket)}|${columns.join(",")}`;
  const timed = <T>(make: () => T): T => {
    stats.bucketMisses += 1;
    const began = performance.now();
    const made = make();
    stats.generationMs += performance.now() - began;
    return made;
  };
  /** Generates the bucket for every table in `tables` in one walk (the random draws are the same whichever tables are kept) and caches each. */
  const generate = (entry: Entry, tables: readonly AppInsightsTableName[], bucket: Bucket, evict: boolean): BucketRows => {
    const made = timed(() => generateBucket(entry.context, bucket.start, bucket.length, new Set(tables)));
    for (const table of tables) {
      stats.rowsGenerated += made[table].length;
      remember(keyOf(entry, table, bucket), { rows: made[table], bytes: made[table].length * rowBytes }, evict);
    }
    return made;
  };
  const generateColumns = (entry: Entry, columns: TableColumns, bucket: Bucket, evict: boolean): BucketColumns => {
    const made = timed(() => generateBucketColumns(entry.context, bucket.start, bucket.length, columns));
    for (const [table, names] of columns) {
      const rows = made[table]!;
      stats.rowsGenerated += rows.length;
      remember(columnsKeyOf(entry, table, bucket, names), { columnar: rows, bytes: columnarBytes(rows) }, evict);
    }
    return made;
  };
  const bucketRows = (entry: Entry, table: AppInsightsTableName, bucket: Bucket): Row[] => {
    const hit = cached(keyOf(entry, table, bucket));
    if (hit && "rows" in hit) {
      stats.bucketHits += 1;
      return hit.rows;
    }
    return generate(entry, [table], bucket, false)[table];
  };
  const bucketColumns = (entry: Entry, table: AppInsightsTableName, bucket: Bucket, columns: readonly string[]): ColumnarRows => {
    const hit = cached(columnsKeyOf(entry, table, bucket, columns));
    if (hit && "columnar" in hit) {
      stats.bucketHits += 1;
      return hit.columnar;
    }
    return generateColumns(entry, new Map([[table, columns]]), bucket, false)[table]!;
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
    *columns(table: AppInsightsTableName, range: KqlTimeRange, columns: readonly string[]): Iterable<KqlColumnBatch> {
      const { from, to } = clip(range);
      if (!(from <= to)) return;
      // Generation needs TimeGenerated to clip a bucket's edges; it is dropped from the batches if not asked for.
      const names = columns.includes("TimeGenerated") ? columns : [...columns, "TimeGenerated"];
      const time = names.indexOf("TimeGenerated");
      for (const bucket of bucketsBetween(from, to + 1, now)) {
        for (const entry of contexts) {
          if (entry.context.workloads.length === 0) continue;
          const made = bucketColumns(entry, table, bucket, names);
          if (made.length === 0) continue;
          const times = made.values[time] as number[];
          let inside = 0;
          for (let r = 0; r < made.length; r++) if (times[r]! >= from && times[r]! <= to) inside += 1;
          if (inside === made.length) yield { length: made.length, values: made.values.slice(0, columns.length) };
          else if (inside > 0) {
            // A bucket across the range's edge (a call or a test run may fall a little after its bucket): only its rows inside.
            const keep: number[] = [];
            for (let r = 0; r < made.length; r++) if (times[r]! >= from && times[r]! <= to) keep.push(r);
            yield { length: keep.length, values: made.values.slice(0, columns.length).map((column) => keep.map((r) => column[r])) };
          }
        }
      }
    },
    async prepare(tables, range, columns) {
      const { from, to } = clip(range);
      if (!(from <= to)) return;
      // Past half the cache, buckets made now would be evicted before the evaluator reads them: it makes the rest itself.
      let made = 0;
      for (const bucket of bucketsBetween(from, to + 1, now)) {
        for (const entry of contexts) {
          if (entry.context.workloads.length === 0) continue;
          if (made > bucketCacheBytes / 2) return;
          if (columns) {
            const missing = new Map(
              [...columns]
                .filter(([table]) => tables.includes(table))
                .map(([table, names]) => [table, names.includes("TimeGenerated") ? names : [...names, "TimeGenerated"]] as const)
                .filter(([table, names]) => !bucketCache.has(columnsKeyOf(entry, table, bucket, names))),
            );
            if (missing.size === 0) continue;
            for (const rows of Object.values(generateColumns(entry, missing, bucket, true))) made += columnarBytes(rows);
          } else {
            const missing = tables.filter((table) => !bucketCache.has(keyOf(entry, table, bucket)));
            if (missing.length === 0) continue;
            const rows = generate(entry, missing, bucket, true);
            for (const table of missing) made += rows[table].length * rowBytes;
          }
          await new Promise((resume) => setImmediate(resume));
        }
      }
    },
  };
}
