// One cluster's objects, its resourceVersion counter and its change history.
// This is the sandbox's etcd plus watch cache: one counter for the whole
// cluster (as etcd's revision), every write bumps it, and a bounded history
// per resource (as the API server's watch cache per resource) lets watches
// resume from a version and fail with 410 once it has rolled off.
// The API layer and, later, the controller both write through it; anything
// that needs to react to changes (watches, the controller, persistence)
// subscribes.
import { compactCopy } from "./compact";
import { clone, type KubeObject } from "./objects";
import { findResourceByKey, resourceKey, resourceTypes, type ResourceType } from "./resources";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceType;
  object: KubeObject;
  /** The object before a MODIFIED, so watches with selectors see objects enter and leave them. */
  previous?: KubeObject;
  revision: number;
}

/** Called synchronously after each write. The event's objects are shared with the store's history: read them, never mutate them. */
export type StoreListener = (event: Readonly<StoreEvent>) => void;

/** What the state file holds for one cluster. */
export interface ClusterSnapshot {
  revision: number;
  objects: Record<string, KubeObject[]>;
}

export interface ClusterStoreOptions {
  /** How many changes per resource a watch can resume across (5,000 by default); older versions get 410 Expired. */
  historyLimit?: number;
}

/** Objects of one resource type: by namespace ("" for cluster-scoped), then by name. */
type Bucket = Map<string, Map<string, KubeObject>>;

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class ClusterStore {
  private revision = 0;
  private readonly objects = new Map<string, Bucket>();
  /** Recent changes per resource key, as a real API server keeps a watch cache per resource: pod churn never pushes a Deployment watch's version out. */
  private readonly histories = new Map<string, { events: StoreEvent[]; oldestResumable: number }>();
  /** Watches from any revision at or after this one can be served for a type that has dropped nothing yet (0, or the restored revision). */
  private restoredAt = 0;
  private readonly listeners = new Set<StoreListener>();
  private readonly historyLimit: number;
  /** Revision of the last change per resource key, and how many times state was restored: what cached list bodies are checked against. */
  private readonly changedAt = new Map<string, number>();
  private restores = 0;

  constructor(
    readonly cluster: string,
    options: ClusterStoreOptions = {},
  ) {
    this.historyLimit = options.historyLimit ?? 5000;
  }

  /** The cluster's current resourceVersion, as lists report it. */
  get currentRevision(): number {
    return this.revision;
  }

  /** Changes whenever an object of `type` is written or removed (or state is restored); equal marks mean equal contents. */
  changeMark(type: ResourceType): string {
    return `${this.restores}/${this.changedAt.get(resourceKey(type)) ?? 0}`;
  }

  private stored(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects
      .get(resourceKey(type))
      ?.get(type.namespaced ? (namespace ?? "") : "")
      ?.get(name);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.stored(type, namespace, name);
    return found && clone(found);
  }

  /** Objects of a type, in one namespace or all, ordered by namespace then name as etcd keys sort. */
  list(type: ResourceType, namespace?: string): KubeObject[] {
    return this.view(type, namespace).map((object) => clone(object));
  }

  /**
   * The stored objects themselves, not copies, for callers that only read and
   * serialize (list and watch responses): cloning 10,000 pods per list was
   * most of a list's time. Callers must not mutate what they get (parts of
   * them are shared between objects and frozen; see compact.ts).
   */
  view(type: ResourceType, namespace?: string): readonly Readonly<KubeObject>[] {
    const bucket = this.objects.get(resourceKey(type));
    if (!bucket) return [];
    const sorted = (names: Map<string, KubeObject>): KubeObject[] => [...names.keys()].sort(byKey).map((name) => names.get(name) as KubeObject);
    if (namespace !== undefined && type.namespaced) {
      const names = bucket.get(namespace);
      return names ? sorted(names) : [];
    }
    return [...bucket.keys()].sort(byKey).flatMap((key) => sorted(bucket.get(key) as Map<string, KubeObject>));
  }

  /** Every namespaced object in a namespace, for namespace deletion. */
  contentsOf(namespace: string): { type: ResourceType; object: KubeObject }[] {
    return resourceTypes.filter((type) => type.namespaced).flatMap((type) => this.list(type, namespace).map((object) => ({ type, object })));
  }

  /** Creates or replaces an object, stamping the next resourceVersion. The caller has validated it. */
  write(type: ResourceType, object: KubeObject): KubeObject {
    const name = object.metadata.name;
    if (!name) throw new Error("store.write needs metadata.name");
    const namespace = type.namespaced ? (object.metadata.namespace ?? "") : "";
    let bucket = this.objects.get(resourceKey(type));
    if (!bucket) this.objects.set(resourceKey(type), (bucket = new Map()));
    let names = bucket.get(namespace);
    if (!names) bucket.set(namespace, (names = new Map()));
    const previous = names.get(name);
    const stored = compactCopy(object);
    this.revision += 1;
    stored.metadata.resourceVersion = String(this.revision);
    names.set(name, stored);
    this.emit({ type: previous ? "MODIFIED" : "ADDED", resource: type, object: stored, previous, revision: this.revision });
    return clone(stored);
  }

  /** Removes an object; the DELETED event carries the revision of the deletion, as etcd reports it. */
  remove(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const bucket = this.objects.get(resourceKey(type));
    const key = type.namespaced ? (namespace ?? "") : "";
    const names = bucket?.get(key);
    const existing = names?.get(name);
    if (!bucket || !names || !existing) return undefined;
    names.delete(name);
    if (names.size === 0) bucket.delete(key);
    this.revision += 1;
    const gone = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(this.revision) } };
    this.emit({ type: "DELETED", resource: type, object: gone, revision: this.revision });
    return clone(gone);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes to objects of `type` after `revision`, or undefined when its history no longer reaches back that far. */
  eventsSince(type: ResourceType, revision: number): StoreEvent[] | undefined {
    if (revision < this.oldestResumableRevision(type)) return undefined;
    const events = this.histories.get(resourceKey(type))?.events ?? [];
    // Binary search: the events are in revision order.
    let low = 0;
    let high = events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (events[middle]!.revision > revision) high = middle;
      else low = middle + 1;
    }
    return events.slice(low).map((event) => ({ ...event, object: clone(event.object), previous: event.previous && clone(event.previous) }));
  }

  /** The oldest revision a watch of `type` may still start from. */
  oldestResumableRevision(type: ResourceType): number {
    return this.histories.get(resourceKey(type))?.oldestResumable ?? this.restoredAt;
  }

  /** The stored objects by resource key, for the state file (read-only, like `view`). */
  snapshot(): ClusterSnapshot {
    const objects: Record<string, KubeObject[]> = {};
    for (const [key, bucket] of this.objects) {
      const all = [...bucket.values()].flatMap((names) => [...names.values()]);
      if (all.length > 0) objects[key] = all;
    }
    return { revision: this.revision, objects };
  }

  /** Restores persisted state. History starts empty, so watches from before a restart get 410 and relist, as after an API server restart. */
  restore(snapshot: ClusterSnapshot): void {
    this.objects.clear();
    this.histories.clear();
    this.changedAt.clear();
    this.restores += 1;
    for (const [key, objects] of Object.entries(snapshot.objects)) {
      const type = findResourceByKey(key);
      if (!type) continue;
      const bucket: Bucket = new Map();
      for (const object of objects) {
        const name = object.metadata.name;
        if (!name) continue;
        const namespace = type.namespaced ? (object.metadata.namespace ?? "") : "";
        let names = bucket.get(namespace);
        if (!names) bucket.set(namespace, (names = new Map()));
        names.set(name, compactCopy(object));
      }
      this.objects.set(key, bucket);
    }
    this.revision = snapshot.revision;
    this.restoredAt = snapshot.revision;
  }

  private emit(event: StoreEvent): void {
    const key = resourceKey(event.resource);
    this.changedAt.set(key, event.revision);
    let history = this.histories.get(key);
    if (!history) this.histories.set(key, (history = { events: [], oldestResumable: this.restoredAt }));
    history.events.push(event);
    if (history.events.length > this.historyLimit) {
      const dropped = history.events.splice(0, history.events.length - this.historyLimit);
      history.oldestResumable = dropped[dropped.length - 1]!.revision;
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // One broken subscriber (a closed watch socket) must not stop the others or the write.
        console.error(`[sandbox/k8s] ${this.cluster}: a store listener failed`, error);
      }
    }
  }
}
