// List with selectors and paging. Continue tokens have the real server's
// shape (base64 of {"v","rv","start"}), so a client that inspects or replays
// them behaves the same. Pages come from the current state after the last
// key, not from a snapshot at the token's version: an object created between
// pages can appear in a later page (documented in ADR 0010).
import type { KubeObject } from "./objects";
import { apiVersionOf, resourceKey, type ResourceType } from "./resources";
import { parseFieldSelector, parseLabelSelector } from "./selectors";
import { badRequest } from "./status";
import type { ClusterStore } from "./store";

interface ContinueToken {
  v: "meta.k8s.io/v1";
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString("base64");
}

function decodeContinue(value: string): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(value, "base64").toString("utf8")) as Partial<ContinueToken>;
    if (token.v !== "meta.k8s.io/v1" || typeof token.rv !== "number" || typeof token.start !== "string") throw new Error("unknown shape");
    return token as ContinueToken;
  } catch {
    throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  }
}

const keyOf = (object: KubeObject): string => `${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`;

export interface ListResult {
  items: KubeObject[];
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
}

interface ListQuery {
  labels: ReturnType<typeof parseLabelSelector>;
  fields: ReturnType<typeof parseFieldSelector>;
  limit: number;
  token: ContinueToken | undefined;
}

function parseListQuery(type: ResourceType, query: URLSearchParams): ListQuery {
  const labels = parseLabelSelector(query.get("labelSelector") ?? undefined);
  const fields = parseFieldSelector(query.get("fieldSelector") ?? undefined, type);
  const limitText = query.get("limit");
  const limit = limitText ? Number(limitText) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid limit "${limitText}"`);
  const continueText = query.get("continue");
  const token = continueText ? decodeContinue(continueText) : undefined;
  return { labels, fields, limit, token };
}

/** One page of matching objects: the page, the key a next page starts after, and how many remain after it. */
function selectPage(store: ClusterStore, type: ResourceType, namespace: string | undefined, { labels, fields, limit, token }: ListQuery) {
  let matching = store.view(type, namespace).filter((object) => labels(object.metadata.labels) && fields(object as KubeObject)) as KubeObject[];
  if (token) matching = matching.filter((object) => keyOf(object) > token.start);
  const page = limit > 0 ? matching.slice(0, limit) : matching;
  const last = page[page.length - 1];
  const more = limit > 0 && matching.length > limit && last ? { start: `${keyOf(last)}\u0000`, remaining: matching.length - limit } : undefined;
  return { page, more };
}

function pageMetadata(revision: number, more: { start: string; remaining: number } | undefined): ListResult["metadata"] {
  const metadata: ListResult["metadata"] = { resourceVersion: String(revision) };
  if (more) {
    metadata.continue = encodeContinue({ v: "meta.k8s.io/v1", rv: revision, start: more.start });
    metadata.remainingItemCount = more.remaining;
  }
  return metadata;
}

export function listObjects(store: ClusterStore, type: ResourceType, namespace: string | undefined, query: URLSearchParams): ListResult {
  const parsed = parseListQuery(type, query);
  const { page, more } = selectPage(store, type, namespace, parsed);
  return { items: page, metadata: pageMetadata(parsed.token?.rv ?? store.currentRevision, more) };
}

/** The typed list body: items carry no apiVersion/kind, as a real server's JSON lists. */
export function listBody(type: ResourceType, result: ListResult): Record<string, unknown> {
  return { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata: result.metadata, items: result.items.map(listItem) };
}

function listItem({ apiVersion: _apiVersion, kind: _kind, ...item }: KubeObject): Record<string, unknown> {
  return item;
}

interface CachedPage {
  mark: string;
  /** The items array as UTF-8 JSON: bytes, so every answer sends the same buffer instead of encoding a string again. */
  items: Buffer;
  more: { start: string; remaining: number } | undefined;
}

/**
 * Serialized pages by query, per cluster, reused while no object of their
 * type changes, as a real API server serves lists from its watch cache.
 * Serializing 2,000 namespaces was most of a list's server time (~9 ms of
 * ~10), and a list of them is asked for again and again while only pods and
 * events change. Bounded to a few pages and a few megabytes: a page of every
 * pod is not kept.
 */
const pageCaches = new WeakMap<ClusterStore, Map<string, CachedPage>>();
const maxCachedPages = 16;
const maxCachedBytes = 8 * 1024 * 1024;

/** The list body as parts of UTF-8 JSON (envelope, cached items, end): `JSON.stringify(listBody(type, listObjects(...)))` in bytes. */
export function listParts(store: ClusterStore, type: ResourceType, namespace: string | undefined, query: URLSearchParams): Buffer[] {
  const parsed = parseListQuery(type, query);
  const key = JSON.stringify([
    resourceKey(type),
    namespace ?? null,
    query.get("labelSelector") ?? "",
    query.get("fieldSelector") ?? "",
    parsed.limit,
    parsed.token?.start ?? null,
  ]);
  const mark = store.changeMark(type);
  let cache = pageCaches.get(store);
  if (!cache) pageCaches.set(store, (cache = new Map()));
  let cached = cache.get(key);
  if (cached?.mark !== mark) {
    const { page, more } = selectPage(store, type, namespace, parsed);
    cached = { mark, items: Buffer.from(JSON.stringify(page.map(listItem))), more };
    cache.delete(key);
    if (cached.items.length <= maxCachedBytes) {
      cache.set(key, cached);
      let bytes = 0;
      for (const entry of cache.values()) bytes += entry.items.length;
      for (const [oldest, entry] of cache) {
        if (cache.size <= maxCachedPages && bytes <= maxCachedBytes) break;
        cache.delete(oldest);
        bytes -= entry.items.length;
      }
    }
  } else {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, cached);
  }
  const metadata = pageMetadata(parsed.token?.rv ?? store.currentRevision, cached.more);
  const envelope =
    `{"kind":${JSON.stringify(`${type.kind}List`)},"apiVersion":${JSON.stringify(apiVersionOf(type))},` + `"metadata":${JSON.stringify(metadata)},"items":`;
  return [Buffer.from(envelope), cached.items, Buffer.from("}")];
}

/** The list body as JSON text (what `listParts` sends). */
export function listJson(store: ClusterStore, type: ResourceType, namespace: string | undefined, query: URLSearchParams): string {
  return Buffer.concat(listParts(store, type, namespace, query)).toString("utf8");
}
