// Watch streams: newline-delimited `{"type","object"}` events over one long
// response. Headers go out at once because client-node resolves `watch()`
// only when they arrive. A watch from a resourceVersion replays the history
// after it; one older than the history gets an ERROR event carrying a 410
// Expired Status, as the real watch cache answers, and the client relists.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { KubeObject } from "./objects";
import { resourceKey, type ResourceType } from "./resources";
import { badRequest, expired } from "./status";
import type { ClusterStore, StoreEvent } from "./store";

export interface WatchRequest {
  store: ClusterStore;
  type: ResourceType;
  namespace: string | undefined;
  matches: (object: KubeObject) => boolean;
  resourceVersion: string | undefined;
  timeoutSeconds: string | undefined;
  /** Set when the client sent allowWatchBookmarks=true: BOOKMARK events this often, and one before a timeout ends the watch. */
  bookmarkIntervalMs?: number;
}

type Emitted = { type: "ADDED" | "MODIFIED" | "DELETED"; object: KubeObject };

/** Maps a store event to what this watch sees: objects entering or leaving the selector become ADDED or DELETED. */
function project(event: Readonly<StoreEvent>, request: WatchRequest): Emitted | undefined {
  if (resourceKey(event.resource) !== resourceKey(request.type)) return undefined;
  const inScope = (object: KubeObject | undefined): boolean =>
    object !== undefined && (request.namespace === undefined || object.metadata.namespace === request.namespace) && request.matches(object);
  const now = inScope(event.object);
  if (event.type !== "MODIFIED") return now ? { type: event.type, object: event.object } : undefined;
  const before = inScope(event.previous);
  if (now && before) return { type: "MODIFIED", object: event.object };
  if (now) return { type: "ADDED", object: event.object };
  if (before) return { type: "DELETED", object: event.object };
  return undefined;
}

function parseVersion(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) throw badRequest(`invalid resource version "${value}"`);
  return number;
}

/** Streams the watch; returns a function that ends it (the API server ends open watches when it closes). */
export function serveWatch(req: IncomingMessage, res: ServerResponse, request: WatchRequest): () => void {
  const { store } = request;
  const fromVersion = request.resourceVersion && request.resourceVersion !== "0" ? parseVersion(request.resourceVersion) : undefined;
  const timeout = request.timeoutSeconds ? Number(request.timeoutSeconds) : undefined;
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout < 0)) throw badRequest(`invalid timeoutSeconds "${request.timeoutSeconds}"`);

  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache, private", "transfer-encoding": "chunked" });
  res.flushHeaders();
  const send = (event: Emitted | { type: "ERROR" | "BOOKMARK"; object: unknown }): void => {
    if (!res.writableEnded) res.write(`${JSON.stringify(event)}\n`);
  };

  let backlog: Readonly<StoreEvent>[] | undefined = [];
  if (fromVersion !== undefined) {
    backlog = store.eventsSince(request.type, fromVersion);
    if (!backlog) {
      send({ type: "ERROR", object: expired(`too old resource version: ${fromVersion} (${store.oldestResumableRevision(request.type)})`).status });
      res.end();
      return () => undefined;
    }
  } else {
    // No version (or "0"): start with the current state as synthetic ADDED events.
    for (const object of store.view(request.type, request.namespace))
      if (request.matches(object as KubeObject)) send({ type: "ADDED", object: object as KubeObject });
  }
  for (const event of backlog) {
    const emitted = project(event, request);
    if (emitted) send(emitted);
  }

  const unsubscribe = store.subscribe((event) => {
    const emitted = project(event, request);
    if (emitted) send(emitted);
  });
  // A bookmark carries only the resourceVersion the client has seen everything up to, so a resumed
  // watch starts there even when none of its objects changed for a long time (client-go relies on it).
  const bookmark = (): void => {
    const apiVersion = request.type.group ? `${request.type.group}/${request.type.version}` : request.type.version;
    send({ type: "BOOKMARK", object: { kind: request.type.kind, apiVersion, metadata: { resourceVersion: String(store.currentRevision) } } });
  };
  const bookmarks = request.bookmarkIntervalMs ? setInterval(bookmark, request.bookmarkIntervalMs) : undefined;
  bookmarks?.unref();
  const timer =
    timeout !== undefined
      ? setTimeout(() => {
          if (request.bookmarkIntervalMs) bookmark();
          res.end();
        }, timeout * 1000)
      : undefined;
  const stop = (): void => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    if (bookmarks) clearInterval(bookmarks);
  };
  res.on("close", stop);
  req.on("close", stop);
  return () => {
    stop();
    res.end();
  };
}
