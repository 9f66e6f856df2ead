// One shared view of a cluster's objects, kept current by list + watch, as
// client-go's informers keep theirs: list once, then watch from the list's
// resourceVersion; when the stream ends (API servers end watches on a timer,
// or under load), watch again from the last resourceVersion seen; when the
// server says that version is too old (410 Gone), list again and report what
// changed meanwhile. Readers ask the cache, never the cluster, so a hundred
// rollouts cost one watch per kind, not a hundred polls.
import { setTimeout as sleep } from "node:timers/promises";
import type { KubeConfig } from "@kubernetes/client-node";
import { toKubernetesApiError, KubernetesApiError } from "@/lib/kubernetes/api-error";
import { kubeRequest, kubeStream, resourcePath } from "@/lib/kubernetes/request";
import { backoffWithJitter } from "@/lib/net/backoff";

export interface InformedKind {
  apiVersion: string;
  kind: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Objects to keep in the cache; the rest are dropped as they arrive. It may consult the informer's other kinds. */
  keep?: (object: InformedObject, informer: ClusterInformer) => boolean;
  /** Listed only once this kind (by name) has been: `keep` can then rely on what that one knows. */
  after?: string;
}

export interface InformedObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; uid?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface InformerChange {
  type: "ADDED" | "MODIFIED" | "DELETED";
  kind: string;
  namespace: string;
  name: string;
}

export interface KindStats {
  /** Full lists: the first, and one after every 410. */
  lists: number;
  /** Watch streams opened. */
  watches: number;
  /** Watches opened again from the last resourceVersion after a stream ended. */
  resumes: number;
  /** Lists after the server said the resourceVersion was too old (410 Gone). */
  relists: number;
  failures: number;
  resourceVersion?: string;
}

export interface InformerOptions {
  /** For messages: the cluster's name. */
  name: string;
  /** The cluster's credentials, asked for on every (re)connect; a cache may answer. */
  kubeConfig: () => Promise<KubeConfig>;
  kinds: InformedKind[];
  /** The cluster refused the credentials (401): drop cached ones. */
  onUnauthorized?: () => void;
  /** How long each watch asks to stream before the server ends it (jittered by up to 10%). */
  watchTimeoutSeconds?: number;
  backoff?: { initialMs: number; maxMs: number };
}

type Cache = Map<string, Map<string, InformedObject>>;

export class ClusterInformer {
  private readonly caches = new Map<string, Cache>();
  private readonly listeners = new Set<(change: InformerChange) => void>();
  private readonly synced = new Set<string>();
  /** Woken whenever a kind syncs, and on stop. */
  private readonly syncWaiters = new Set<() => void>();
  private readonly abort = new AbortController();
  private started = false;
  readonly stats: Record<string, KindStats> = {};
  /** The last failure to list or watch, cleared when a watch opens again: what a page shows while the cluster is away. */
  lastError: string | undefined;

  constructor(private readonly options: InformerOptions) {
    for (const kind of options.kinds) {
      this.caches.set(kind.kind, new Map());
      this.stats[kind.kind] = { lists: 0, watches: 0, resumes: 0, relists: 0, failures: 0 };
    }
  }

  start(): this {
    if (this.started) return this;
    this.started = true;
    for (const kind of this.options.kinds) void this.run(kind);
    return this;
  }

  stop(): void {
    this.abort.abort();
    for (const wake of this.syncWaiters) wake();
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** Every kind has been listed once. */
  get hasSynced(): boolean {
    return this.synced.size === this.options.kinds.length;
  }

  /** Resolves when every kind has been listed once, or false after `timeoutMs`. */
  whenSynced(timeoutMs: number): Promise<boolean> {
    return this.untilSynced(() => this.hasSynced, timeoutMs);
  }

  private untilSynced(condition: () => boolean, timeoutMs?: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.syncWaiters.delete(wake);
        resolve(condition());
      };
      const wake = () => {
        if (condition() || this.stopped) finish();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(finish, timeoutMs);
      this.syncWaiters.add(wake);
    });
  }

  subscribe(listener: (change: InformerChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get<T = InformedObject>(kind: string, namespace: string, name: string): T | undefined {
    return this.caches.get(kind)?.get(namespace)?.get(name) as T | undefined;
  }

  /** The cached objects of a kind in one namespace. */
  objects<T = InformedObject>(kind: string, namespace: string): T[] {
    return [...(this.caches.get(kind)?.get(namespace)?.values() ?? [])] as T[];
  }

  private emit(change: InformerChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's bug must not stop the watch for everyone else.
      }
    }
  }

  private put(kind: InformedKind, object: InformedObject): void {
    const namespace = object.metadata?.namespace ?? "";
    const name = object.metadata?.name ?? "";
    const cache = this.caches.get(kind.kind)!;
    if (kind.keep && !kind.keep(object, this)) {
      this.remove(kind, namespace, name);
      return;
    }
    let names = cache.get(namespace);
    if (!names) cache.set(namespace, (names = new Map()));
    const previous = names.get(name);
    if (previous && previous.metadata?.resourceVersion === object.metadata?.resourceVersion) return;
    names.set(name, object);
    this.emit({ type: previous ? "MODIFIED" : "ADDED", kind: kind.kind, namespace, name });
  }

  private remove(kind: InformedKind, namespace: string, name: string): void {
    const names = this.caches.get(kind.kind)!.get(namespace);
    if (!names?.delete(name)) return;
    if (names.size === 0) this.caches.get(kind.kind)!.delete(namespace);
    this.emit({ type: "DELETED", kind: kind.kind, namespace, name });
  }

  private query(kind: InformedKind, extra: Record<string, string>): string {
    const query = new URLSearchParams(extra);
    if (kind.labelSelector) query.set("labelSelector", kind.labelSelector);
    if (kind.fieldSelector) query.set("fieldSelector", kind.fieldSelector);
    return `${resourcePath(kind.apiVersion, kind.kind)}?${query}`;
  }

  /** Lists every page, replaces the cache (reporting what was added, changed and removed meanwhile), returns the list's resourceVersion. */
  private async listAll(config: KubeConfig, kind: InformedKind): Promise<string> {
    const items: InformedObject[] = [];
    let resourceVersion = "";
    let continueToken: string | undefined;
    do {
      const page = (
        await kubeRequest(config, "GET", this.query(kind, { limit: "500", ...(continueToken ? { continue: continueToken } : {}) }), { timeoutMs: 30_000 })
      ).body as {
        items?: InformedObject[];
        metadata?: { resourceVersion?: string; continue?: string };
      };
      items.push(...(page.items ?? []));
      if (!resourceVersion) resourceVersion = page.metadata?.resourceVersion ?? "";
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(`${item.metadata?.namespace ?? ""}/${item.metadata?.name ?? ""}`);
      this.put(kind, item);
    }
    for (const [namespace, names] of [...this.caches.get(kind.kind)!]) {
      for (const name of [...names.keys()]) if (!seen.has(`${namespace}/${name}`)) this.remove(kind, namespace, name);
    }
    return resourceVersion;
  }

  /**
   * Watches from `from`, keeping `stats.resourceVersion` at the last version
   * seen (so a stream cut mid-way resumes from there); returns false when the
   * server said the version is too old.
   */
  private async watch(config: KubeConfig, kind: InformedKind, from: string): Promise<boolean> {
    const stats = this.stats[kind.kind]!;
    const base = this.options.watchTimeoutSeconds ?? 290;
    const timeoutSeconds = Math.max(1, Math.round(base * (0.9 + Math.random() * 0.1)));
    let expired = false;
    await kubeStream(config, this.query(kind, { watch: "1", allowWatchBookmarks: "true", resourceVersion: from, timeoutSeconds: String(timeoutSeconds) }), {
      signal: this.abort.signal,
      idleTimeoutMs: (timeoutSeconds + 30) * 1000,
      onLine: (line) => {
        const event = line as { type?: string; object?: InformedObject & { code?: number; message?: string } };
        const object = event.object ?? {};
        if (event.type === "ERROR") {
          if (object.code === 410) {
            expired = true;
            return "stop";
          }
          throw new KubernetesApiError(`watching ${kind.kind} on ${this.options.name}: ${object.message ?? "the API server ended the watch with an error"}`, {
            status: object.code,
            retryable: true,
          });
        }
        if (object.metadata?.resourceVersion) stats.resourceVersion = object.metadata.resourceVersion;
        if (event.type === "ADDED" || event.type === "MODIFIED") this.put(kind, object);
        else if (event.type === "DELETED") this.remove(kind, object.metadata?.namespace ?? "", object.metadata?.name ?? "");
        return undefined;
      },
    });
    return !expired;
  }

  private markSynced(kind: InformedKind): void {
    if (this.synced.has(kind.kind)) return;
    this.synced.add(kind.kind);
    for (const wake of [...this.syncWaiters]) wake();
  }

  private async run(kind: InformedKind): Promise<void> {
    const stats = this.stats[kind.kind]!;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    let failures = 0;
    let relist = false;
    if (kind.after) await this.untilSynced(() => this.synced.has(kind.after!));
    while (!this.stopped) {
      try {
        const config = await this.options.kubeConfig();
        if (stats.resourceVersion === undefined) {
          stats.resourceVersion = await this.listAll(config, kind);
          stats.lists += 1;
          if (relist) stats.relists += 1;
          relist = false;
          this.markSynced(kind);
        } else if (stats.watches > 0) {
          stats.resumes += 1;
        }
        stats.watches += 1;
        failures = 0;
        this.lastError = undefined;
        const opened = Date.now();
        if (!(await this.watch(config, kind, stats.resourceVersion))) {
          stats.resourceVersion = undefined;
          relist = true;
        } else if (Date.now() - opened < 1000) {
          // A server ending every watch at once must not turn this loop into a busy one.
          await sleep(250, undefined, { signal: this.abort.signal }).catch(() => undefined);
        }
      } catch (error) {
        if (this.stopped) break;
        const failure = toKubernetesApiError(error, `watching ${kind.kind} on ${this.options.name}`);
        if (failure.status === 410) {
          stats.resourceVersion = undefined;
          relist = true;
          continue;
        }
        if (failure.status === 401) this.options.onUnauthorized?.();
        failures += 1;
        stats.failures += 1;
        this.lastError = failure.message;
        const wait = Math.max(backoffWithJitter(failures, { initial: initialMs, max: maxMs }), (failure.retryAfterSeconds ?? 0) * 1000);
        await sleep(wait, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }
}
