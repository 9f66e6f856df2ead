// List with selectors and paging. Continue tokens have the real server's
// shape (base64 of {"v","rv","start"}), so a client that inspects or replays
// them behaves the same. Pages come from the current state after the last
// key, not from a snapshot at the token's version: an object created between
// pages can appear in a later page (documented in ADR 0010).
import type { KubeObject } from "./objects";
import { apiVersionOf, type ResourceType } from "./resources";
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

export function listObjects(store: ClusterStore, type: ResourceType, namespace: string | undefined, query: URLSearchParams): ListResult {
  const labels = parseLabelSelector(query.get("labelSelector") ?? undefined);
  const fields = parseFieldSelector(query.get("fieldSelector") ?? undefined, type);
  const limitText = query.get("limit");
  const limit = limitText ? Number(limitText) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid limit "${limitText}"`);
  const continueText = query.get("continue");
  const token = continueText ? decodeContinue(continueText) : undefined;
  const revision = token?.rv ?? store.currentRevision;

  let matching = store.view(type, namespace).filter((object) => labels(object.metadata.labels) && fields(object as KubeObject)) as KubeObject[];
  if (token) matching = matching.filter((object) => keyOf(object) > token.start);
  const page = limit > 0 ? matching.slice(0, limit) : matching;
  const metadata: ListResult["metadata"] = { resourceVersion: String(revision) };
  const last = page[page.length - 1];
  if (limit > 0 && matching.length > limit && last) {
    metadata.continue = encodeContinue({ v: "meta.k8s.io/v1", rv: revision, start: `${keyOf(last)}\u0000` });
    metadata.remainingItemCount = matching.length - limit;
  }
  return { items: page, metadata };
}

/** The typed list body: items carry no apiVersion/kind, as a real server's JSON lists. */
export function listBody(type: ResourceType, result: ListResult): Record<string, unknown> {
  const items = result.items.map(({ apiVersion: _apiVersion, kind: _kind, ...item }) => item);
  return { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata: result.metadata, items };
}
