// The bucket cache's keys: a change in a cluster (a deploy, a pod turning
// unready) must change the key of every bucket whose rows it changes, and
// only those, so the poller's next query generates the last minutes again
// instead of the whole hour.
import { describe, expect, it } from "vitest";
import { sandboxClusters } from "../../clusters";
import { sandboxWorkspaces } from "../../workspaces";
import { generateBucketColumns, type GenerationContext } from "./generate";
import { createTelemetrySource, telemetryStats, timelineOf } from "./source";
import type { Workload } from "./workloads";

const cluster = sandboxClusters.find((c) => c.environment === "dev")!;
const workspace = sandboxWorkspaces.find((w) => w.name === "log-wharf-nonprod")!;
const minute = 60_000;
const now = Date.UTC(2026, 11, 6, 12, 0, 0);
const change = now - 5 * minute;

function workload(index: number, overrides: Partial<Workload> = {}): Workload {
  return {
    cluster,
    namespace: "shop",
    name: `svc-${index}`,
    service: `svc-${index}`,
    roleName: `shop.svc-${index}`,
    dependencies: index > 0 ? [{ kind: "service", target: `svc-${index - 1}` }] : [{ kind: "sql", target: "orders-db" }],
    replicas: 2,
    revisions: [{ since: now - 3 * 24 * 60 * minute, replicaSet: `svc-${index}-1a2b3c`, tag: "1.0" }],
    unready: 0,
    crashing: 0,
    down: false,
    ...overrides,
  };
}

const before = [0, 1, 2, 3].map((i) => workload(i));
/** svc-1 rolled out tag `errors` five minutes ago; its new pod is not ready yet. */
const after = before.map((w, i) =>
  i === 1
    ? {
        ...w,
        revisions: [...w.revisions, { since: change, replicaSet: "svc-1-9f8e7d", tag: "errors" }],
        unready: 1 / 3,
        unreadySince: change,
        waitingReason: "ContainerCreating",
      }
    : w,
);

const context = (workloads: readonly Workload[]): GenerationContext => ({
  seed: "timeline-seed",
  workspace,
  workloads,
  profiles: new Map(),
  instances: new Map(),
  calls: new Map(),
  bases: new WeakMap(),
});
const columns = new Map([
  ["AppRequests", ["TimeGenerated", "AppRoleName", "AppVersion", "Success", "DurationMs", "ItemCount"]],
  ["AppDependencies", ["TimeGenerated", "AppRoleName", "Target", "Success", "ItemCount"]],
  ["AppAvailabilityResults", ["TimeGenerated", "Name", "Success", "ItemCount"]],
] as const);
const bucket = (workloads: readonly Workload[], start: number, length: number) =>
  JSON.stringify(generateBucketColumns(context(workloads), start, length, columns), (_, v: unknown) => (v instanceof Float64Array ? [...v] : v));

describe("bucket keys over the workloads' timeline", () => {
  it("keep the key of a bucket that ends before a change and change every key from the change on", () => {
    const [old, changed] = [timelineOf(before), timelineOf(after)];
    expect(changed.keyAt(change)).toBe(old.keyAt(change));
    expect(changed.keyAt(change - 60 * minute)).toBe(old.keyAt(change - 60 * minute));
    expect(changed.keyAt(change + 1)).not.toBe(old.keyAt(change + 1));
    expect(changed.keyAt(now)).not.toBe(old.keyAt(now));
    // A lasting fact (a declared dependency) changes the past too: generation applies it to every bucket.
    const redeclared = before.map((w, i) => (i === 2 ? { ...w, dependencies: [] } : w));
    expect(timelineOf(redeclared).keyAt(change - 60 * minute)).not.toBe(old.keyAt(change - 60 * minute));
  });

  it("count a pod's crash loop as an event from its unreadiness on, not as a lasting fact", () => {
    // The same unready pod, now crash-looping (tag crash): the buckets before it keep their keys and rows.
    const crashing = after.map((w, i) => (i === 1 ? { ...w, crashing: 1 / 3, waitingReason: "CrashLoopBackOff" } : w));
    const [starting, crashed] = [timelineOf(after), timelineOf(crashing)];
    expect(crashed.keyAt(change)).toBe(starting.keyAt(change));
    expect(crashed.keyAt(change - 60 * minute)).toBe(starting.keyAt(change - 60 * minute));
    expect(crashed.keyAt(change + 1)).not.toBe(starting.keyAt(change + 1));
    expect(bucket(crashing, change - 3 * minute, minute)).toBe(bucket(after, change - 3 * minute, minute));
    expect(bucket(crashing, change, minute)).not.toBe(bucket(after, change, minute));
  });

  it("rest on what generation does: rows of a bucket before the change are the same, rows of the bucket with it differ", () => {
    // The cache reads keyAt(end + 60 s): a bucket two minutes before the change is past that margin.
    expect(bucket(after, change - 3 * minute, minute)).toBe(bucket(before, change - 3 * minute, minute));
    expect(bucket(after, change - 60 * minute, 5 * minute)).toBe(bucket(before, change - 60 * minute, 5 * minute));
    expect(bucket(after, change, minute)).not.toBe(bucket(before, change, minute));
  });

  it("generates again only the buckets from the change on when the workloads change", () => {
    const range = { start: new Date(now - 60 * minute), end: new Date(now) };
    const read = (workloads: readonly Workload[]) => {
      const source = createTelemetrySource({ seed: "timeline-seed", now: new Date(now), workspaces: [{ workspace, workloads }] });
      return [...source.columns("AppRequests", range, ["TimeGenerated", "AppRoleName", "AppVersion", "ItemCount"])];
    };
    read(before);
    const first = telemetryStats();
    read(before);
    const again = telemetryStats();
    expect(again.bucketMisses).toBe(first.bucketMisses);
    const batches = read(after);
    const changed = telemetryStats();
    // The last quarter hour is in minute buckets: the change 5 minutes ago (and the 60 s margin) touches the last 7, nothing before.
    expect(changed.bucketMisses - again.bucketMisses).toBeGreaterThan(0);
    expect(changed.bucketMisses - again.bucketMisses).toBeLessThanOrEqual(7);
    expect(changed.bucketHits - again.bucketHits).toBeGreaterThan(0);
    // And what it answers is what the new state says: the new tag from the change on.
    const versions = batches.flatMap((b) =>
      Array.from({ length: b.length }, (_, r) => ({ at: Number(b.values[0]![r]), role: b.values[1]![r], tag: b.values[2]![r] })),
    );
    expect(versions.some((v) => v.role === "shop.svc-1" && v.at >= change && v.tag === "errors")).toBe(true);
    expect(versions.every((v) => v.role !== "shop.svc-1" || v.at >= change || v.tag === "1.0")).toBe(true);
  });
});
