// Events as the client-go event recorder writes them (core/v1 Events): one
// object per distinct (source, object, type, reason, message), named
// `<object>.<hex nanoseconds>`, whose `count` and `lastTimestamp` grow when
// the same thing happens again. That is what `kubectl describe` shows as
// "(x4 over 2m)", and what Wharf reads to explain a failed rollout.
import type { KubeObject } from "../objects";
import { timestamp } from "../objects";
import type { ControllerContext, EventSink, EventSource, EventType } from "./context";
import { events, namespaces } from "./types";
import { createObject, managers, updateObject } from "./writes";

const combinedPrefix = "(combined from similar events): ";
const aggregateThreshold = 10;
const aggregateWindowMs = 10 * 60 * 1000;

/** How long events live, as the API server's default `--event-ttl`. */
const eventTtlMs = 60 * 60 * 1000;

/**
 * client-go's EventCorrelator keeps both of its caches (the aggregator's and
 * the logger's) in LRUs of `maxLruCacheEntries` = 4096: past that, a repeat of
 * a long-forgotten event starts a new Event instead of bumping the old one's
 * count. Unbounded, they held ~27 MB at 10,000 pods.
 */
const maxLruCacheEntries = 4096;

/** A Map that forgets its least recently used entries past `limit`. */
class Lru<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return [...this.entries][Symbol.iterator]();
  }
}

export class EventRecorder implements EventSink {
  /** Aggregation key → event name, so a repeat bumps the existing event's count. */
  private readonly seen = new Lru<string, { namespace: string; name: string }>(maxLruCacheEntries);
  /** Distinct recent messages per (source, object, type, reason), for aggregation. */
  private readonly similar = new Lru<string, { message: string; at: number }[]>(maxLruCacheEntries);
  private ctx: ControllerContext | undefined;

  bind(ctx: ControllerContext): void {
    this.ctx = ctx;
  }

  record(object: KubeObject, type: EventType, reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const ctx = this.ctx;
    const namespace = object.metadata.namespace;
    if (!ctx || !namespace) return;
    // A Terminating or missing namespace refuses new content, events included.
    const owner = ctx.store.get(namespaces, undefined, namespace);
    if (!owner || owner.metadata.deletionTimestamp) return;
    const involvedObject: Record<string, string> = {
      kind: object.kind ?? "",
      namespace,
      name: object.metadata.name ?? "",
      uid: object.metadata.uid ?? "",
      apiVersion: object.apiVersion ?? "",
      resourceVersion: object.metadata.resourceVersion ?? "",
    };
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    const similar = JSON.stringify([
      source.component,
      source.host ?? "",
      involvedObject.kind,
      namespace,
      involvedObject.name,
      involvedObject.uid,
      fieldPath ?? "",
      type,
      reason,
    ]);
    message = this.aggregate(similar, message, ctx.now());
    const key = `${similar}${message.startsWith(combinedPrefix) ? "" : message}`;
    const now = timestamp(new Date(ctx.now()));
    const previous = this.seen.get(key);
    const existing = previous && ctx.store.get(events, previous.namespace, previous.name);
    if (existing) {
      updateObject(
        ctx,
        events,
        existing,
        { ...existing, message, count: (typeof existing.count === "number" ? existing.count : 1) + 1, lastTimestamp: now, involvedObject },
        managerOf(source),
      );
      return;
    }
    const name = this.uniqueName(ctx, namespace, involvedObject.name ?? "");
    const event: KubeObject = {
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      source: source.host ? { component: source.component, host: source.host } : { component: source.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      reportingComponent: source.component,
      reportingInstance: source.host ?? "",
    };
    createObject(ctx, events, event, managerOf(source));
    this.seen.set(key, { namespace, name });
  }

  /**
   * client-go's EventAggregator: past 10 distinct messages for the same object
   * and reason within 10 minutes (a FailedCreate naming a new pod each retry),
   * they fold into one "(combined from similar events)" event.
   */
  private aggregate(similar: string, message: string, now: number): string {
    const recent = (this.similar.get(similar) ?? []).filter((entry) => entry.at > now - aggregateWindowMs);
    if (!recent.some((entry) => entry.message === message)) recent.push({ message, at: now });
    this.similar.set(similar, recent);
    return recent.length > aggregateThreshold ? `${combinedPrefix}${message}` : message;
  }

  /** Removes events older than the TTL, as the API server's lease on each event does. */
  expire(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const cutoff = ctx.now() - eventTtlMs;
    // The stored objects, not copies: 40,000 cloned events every sweep were a 50 MB spike.
    for (const event of ctx.store.view(events)) {
      const last = Date.parse(typeof event.lastTimestamp === "string" ? event.lastTimestamp : (event.metadata.creationTimestamp ?? ""));
      if (Number.isFinite(last) && last < cutoff) ctx.store.remove(events, event.metadata.namespace, event.metadata.name ?? "");
    }
    for (const [key, where] of this.seen) if (!ctx.store.get(events, where.namespace, where.name)) this.seen.delete(key);
    for (const [key, recent] of this.similar) if (recent.every((entry) => entry.at < ctx.now() - aggregateWindowMs)) this.similar.delete(key);
  }

  private uniqueName(ctx: ControllerContext, namespace: string, objectName: string): string {
    // client-go names events `<name>.<UnixNano in hex>`; bump on a same-nanosecond clash.
    let nanos = BigInt(ctx.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
    while (ctx.store.get(events, namespace, `${objectName}.${nanos.toString(16)}`)) nanos += 1n;
    return `${objectName}.${nanos.toString(16)}`;
  }
}

function managerOf(source: EventSource): string {
  if (source.component === "kubelet") return managers.kubelet;
  if (source.component === "default-scheduler") return managers.scheduler;
  return managers.controllerManager;
}
