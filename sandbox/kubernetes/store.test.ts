// The store's contract for watches, a future controller and persistence.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fieldSetOf, fromFieldsV1, toFieldsV1 } from "./field-sets";
import { listBody, listJson, listObjects } from "./list";
import { persistStore } from "./persistence";
import { findResource, type ResourceType } from "./resources";
import { ClusterStore, type StoreEvent } from "./store";

const serviceAccounts = findResource("", "v1", "serviceaccounts") as ResourceType;
const account = (name: string) => ({ metadata: { name, namespace: "team" } });

afterEach(() => vi.useRealTimers());

describe("ClusterStore", () => {
  it("bumps one cluster-wide revision per write and tells subscribers synchronously", () => {
    const store = new ClusterStore("test");
    const seen: string[] = [];
    store.subscribe((event: Readonly<StoreEvent>) => seen.push(`${event.type} ${event.object.metadata.name} ${event.revision}`));
    store.write(serviceAccounts, account("a"));
    store.write(serviceAccounts, account("a"));
    store.remove(serviceAccounts, "team", "a");
    expect(seen).toEqual(["ADDED a 1", "MODIFIED a 2", "DELETED a 3"]);
    expect(store.currentRevision).toBe(3);
  });

  it("keeps a bounded history per resource: resuming before it is refused, and other resources' changes do not push a watch's version out", () => {
    const store = new ClusterStore("test", { historyLimit: 2 });
    const namespaces = findResource("", "v1", "namespaces") as ResourceType;
    for (const name of ["a", "b", "c", "d"]) store.write(serviceAccounts, account(name));
    expect(store.eventsSince(serviceAccounts, 1)).toBeUndefined();
    expect(store.oldestResumableRevision(serviceAccounts)).toBe(2);
    expect(store.eventsSince(serviceAccounts, 2)?.map((event) => event.object.metadata.name)).toEqual(["c", "d"]);
    // A watch of namespaces from revision 1 (nothing of that kind changed since) can still resume after pods or accounts churned.
    expect(store.eventsSince(namespaces, 1)).toEqual([]);
    for (const name of ["x", "y", "z"]) store.write(namespaces, { metadata: { name } });
    expect(store.eventsSince(namespaces, 1)).toBeUndefined();
    expect(store.eventsSince(namespaces, 5)?.map((event) => event.object.metadata.name)).toEqual(["y", "z"]);
    expect(store.eventsSince(serviceAccounts, 3)?.map((event) => event.object.metadata.name)).toEqual(["d"]);
  });

  it("serves a list body from its cache only while nothing of that type changed", () => {
    const store = new ClusterStore("test");
    const namespaces = findResource("", "v1", "namespaces") as ResourceType;
    for (const name of ["a", "b", "c"]) store.write(serviceAccounts, account(name));
    const expected = (query: URLSearchParams) => JSON.stringify(listBody(serviceAccounts, listObjects(store, serviceAccounts, "team", query)));
    const page = new URLSearchParams({ limit: "2" });
    expect(listJson(store, serviceAccounts, "team", page)).toBe(expected(page));
    // Another type's write moves the resourceVersion, not the items.
    store.write(namespaces, { metadata: { name: "team" } });
    expect(listJson(store, serviceAccounts, "team", page)).toBe(expected(page));
    const second = new URLSearchParams({
      limit: "2",
      continue: (JSON.parse(listJson(store, serviceAccounts, "team", page)) as { metadata: { continue: string } }).metadata.continue,
    });
    expect(
      (JSON.parse(listJson(store, serviceAccounts, "team", second)) as { items: { metadata: { name: string } }[] }).items.map((item) => item.metadata.name),
    ).toEqual(["c"]);
    store.write(serviceAccounts, { metadata: { name: "a", namespace: "team", labels: { changed: "yes" } } });
    store.remove(serviceAccounts, "team", "b");
    const all = new URLSearchParams();
    expect(listJson(store, serviceAccounts, "team", all)).toBe(expected(all));
    expect(listJson(store, serviceAccounts, "team", page)).toBe(expected(page));
    expect(
      (JSON.parse(listJson(store, serviceAccounts, "team", new URLSearchParams({ labelSelector: "changed=yes" }))) as { items: unknown[] }).items,
    ).toHaveLength(1);
  });

  it("hands out copies, so a caller cannot change stored objects", () => {
    const store = new ClusterStore("test");
    const written = store.write(serviceAccounts, account("a"));
    written.metadata.name = "changed";
    expect(store.get(serviceAccounts, "team", "a")?.metadata.name).toBe("a");
  });

  it("keeps one frozen copy of repeated managedFields trees, and hands out mutable copies", () => {
    const store = new ClusterStore("test");
    const fieldsV1 = { "f:metadata": { "f:labels": { "f:app": {} } } };
    const managedFields = [
      { manager: "wharf", operation: "Update" as const, apiVersion: "v1", time: "2026-01-01T00:00:00Z", fieldsType: "FieldsV1" as const, fieldsV1 },
    ];
    store.write(serviceAccounts, { metadata: { name: "a", namespace: "team", managedFields } });
    store.write(serviceAccounts, { metadata: { name: "b", namespace: "other", managedFields } });
    const [a, b] = [...store.view(serviceAccounts, "team"), ...store.view(serviceAccounts, "other")];
    expect(a?.metadata.managedFields?.[0]?.fieldsV1).toBe(b?.metadata.managedFields?.[0]?.fieldsV1);
    expect(Object.isFrozen(a?.metadata.managedFields?.[0]?.fieldsV1)).toBe(true);
    const copy = store.get(serviceAccounts, "team", "a");
    (copy?.metadata.managedFields?.[0]?.fieldsV1 as Record<string, unknown>)["f:spec"] = {};
    expect(store.get(serviceAccounts, "other", "b")?.metadata.managedFields?.[0]?.fieldsV1).toEqual(fieldsV1);
    expect(store.list(serviceAccounts).map((object) => `${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`)).toEqual(["other/b", "team/a"]);
  });

  it("persists after a debounce and restores with an empty history", () => {
    vi.useFakeTimers();
    const dir = mkdtempSync(join(tmpdir(), "wharf-store-"));
    try {
      const file = join(dir, "kubernetes", "test.json");
      const store = new ClusterStore("test");
      const persisted = persistStore(store, file, 200);
      store.write(serviceAccounts, account("a"));
      store.write(serviceAccounts, account("b"));
      expect((JSON.parse(readFileSync(file, "utf8")) as { revision: number }).revision).toBe(0);
      vi.advanceTimersByTime(200);
      const snapshot = JSON.parse(readFileSync(file, "utf8")) as ReturnType<ClusterStore["snapshot"]>;
      expect(snapshot.revision).toBe(2);
      persisted.close();
      const restored = new ClusterStore("test");
      restored.restore(snapshot);
      expect(restored.list(serviceAccounts).map((object) => object.metadata.name)).toEqual(["a", "b"]);
      expect(restored.eventsSince(serviceAccounts, 1)).toBeUndefined();
      expect(restored.eventsSince(serviceAccounts, 2)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("field sets", () => {
  it("round-trips through FieldsV1 with keyed list items and atomic selectors", () => {
    const set = fieldSetOf(
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "x", labels: { app: "x" } },
        spec: { selector: { matchLabels: { app: "x" } }, template: { spec: { containers: [{ name: "web", image: "i" }] } } },
      },
      "V1Deployment",
    );
    const fields = toFieldsV1(set);
    expect(fields).toEqual({
      "f:metadata": { "f:labels": { "f:app": {} } },
      "f:spec": { "f:selector": {}, "f:template": { "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} } } } } },
    });
    expect(fromFieldsV1(fields)).toEqual(set);
  });
});
