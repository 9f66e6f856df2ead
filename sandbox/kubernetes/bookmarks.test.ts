// Watch bookmarks, as client-go's informers ask for them (allowWatchBookmarks=true).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api, Watch } from "@kubernetes/client-node";
import { startTestApiServer, type TestApiServer } from "./test-harness";

let server: TestApiServer;

beforeAll(async () => {
  server = await startTestApiServer({ bookmarkIntervalMs: 100 });
});

afterAll(async () => {
  await server.close();
});

type Seen = { type: string; object: { kind?: string; apiVersion?: string; metadata?: { resourceVersion?: string; name?: string } } };

async function watchFor(path: string, query: Record<string, string | number | boolean | undefined>, ms: number): Promise<Seen[]> {
  const seen: Seen[] = [];
  const controller = await new Watch(server.kubeConfig()).watch(
    path,
    query,
    (type, object: Seen["object"]) => seen.push({ type, object }),
    () => undefined,
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  controller.abort();
  return seen;
}

describe("watch bookmarks", () => {
  it("sends BOOKMARK events with the current resourceVersion only when asked, and one before a timeout ends the watch", async () => {
    const core = server.kubeConfig().makeApiClient(CoreV1Api);
    const created = await core.createNamespace({ body: { metadata: { name: "bookmarked" } } });
    const from = created.metadata?.resourceVersion;

    const asked = await watchFor("/apis/apps/v1/deployments", { resourceVersion: from, allowWatchBookmarks: true }, 450);
    const bookmarks = asked.filter((event) => event.type === "BOOKMARK");
    expect(bookmarks.length).toBeGreaterThanOrEqual(2);
    expect(bookmarks[0]!.object).toEqual({
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { resourceVersion: server.api.store("aks-dev-weu").currentRevision.toString() },
    });

    const notAsked = await watchFor("/api/v1/namespaces", { resourceVersion: from }, 350);
    expect(notAsked.filter((event) => event.type === "BOOKMARK")).toEqual([]);

    // A later change moves the bookmark's version on.
    await core.createNamespace({ body: { metadata: { name: "bookmarked-2" } } });
    const later = await watchFor("/api/v1/namespaces", { resourceVersion: from, allowWatchBookmarks: true }, 300);
    expect(later.map((event) => event.type)).toContain("ADDED");
    expect(Number(later.filter((event) => event.type === "BOOKMARK").at(-1)?.object.metadata?.resourceVersion)).toBeGreaterThan(Number(from));

    const ended: Seen[] = [];
    let done = false;
    await new Watch(server.kubeConfig()).watch(
      "/api/v1/namespaces",
      { resourceVersion: server.api.store("aks-dev-weu").currentRevision.toString(), allowWatchBookmarks: true, timeoutSeconds: 1 },
      (type, object: Seen["object"]) => ended.push({ type, object }),
      () => (done = true),
    );
    await expect.poll(() => done, { timeout: 3000 }).toBe(true);
    expect(ended.at(-1)?.type).toBe("BOOKMARK");
  });
});
