// The live deployment hub: one load per change burst per process, whoever
// watches; the last state never missed. Unit tests with a fake feed and
// loader, then one through the real change feed and database.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { publishChange } from "@/lib/changes/publish-change";
import { getPrisma } from "@/lib/db/client";
import { deploymentRow } from "./__fixtures__/deployment-row";
import { createLiveDeploymentHub } from "./live-deployments";
import type { DeploymentProgress } from "./deployment-view";

function fakeFeed() {
  const listeners = new Map<string, () => void>();
  let stopped = 0;
  return {
    feed: async (topics: string[], onChange: () => void) => {
      for (const topic of topics) listeners.set(topic, onChange);
      return () => {
        stopped += 1;
        for (const topic of topics) listeners.delete(topic);
      };
    },
    notify: (id: string) => listeners.get(`deployment:${id}`)?.(),
    listening: (id: string) => listeners.has(`deployment:${id}`),
    get stopped() {
      return stopped;
    },
  };
}

/** A loader whose loads finish when the test says, returning the state at the time the load started. */
function gatedLoader() {
  let state = 0;
  const pending: (() => void)[] = [];
  return {
    set: (value: number) => {
      state = value;
    },
    load: (id: string) => {
      const seen = state;
      return new Promise<DeploymentProgress | null>((resolve) => pending.push(() => resolve({ id, readyReplicas: seen } as unknown as DeploymentProgress)));
    },
    finishAll: async () => {
      while (pending.length > 0) {
        pending.shift()!();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    get waiting() {
      return pending.length;
    },
  };
}

const ready = (view: DeploymentProgress) => (view as unknown as { readyReplicas: number }).readyReplicas;

describe("live deployments hub", () => {
  it("loads once per notice for any number of watchers and gives each the same view", async () => {
    const feed = fakeFeed();
    const loader = gatedLoader();
    const hub = createLiveDeploymentHub(loader.load, feed.feed);
    const seen: number[][] = [[], [], []];
    for (const list of seen) await hub.subscribe("d1", (view) => list.push(ready(view)));
    loader.set(1);
    feed.notify("d1");
    await loader.finishAll();
    expect(hub.loads).toBe(1);
    expect(seen).toEqual([[1], [1], [1]]);
  });

  it("folds notices that arrive during a load into one more load, so the last state is delivered", async () => {
    const feed = fakeFeed();
    const loader = gatedLoader();
    const hub = createLiveDeploymentHub(loader.load, feed.feed);
    const seen: number[] = [];
    await hub.subscribe("d1", (view) => seen.push(ready(view)));
    loader.set(1);
    feed.notify("d1");
    for (let value = 2; value <= 10; value += 1) {
      loader.set(value);
      feed.notify("d1");
    }
    expect(loader.waiting).toBe(1);
    await loader.finishAll();
    expect(hub.loads).toBe(2);
    expect(seen).toEqual([1, 10]);
  });

  it("stops listening when the last watcher leaves, and only then", async () => {
    const feed = fakeFeed();
    const hub = createLiveDeploymentHub(gatedLoader().load, feed.feed);
    const first = await hub.subscribe("d1", () => undefined);
    const second = await hub.subscribe("d1", () => undefined);
    first();
    first();
    expect(feed.listening("d1")).toBe(true);
    second();
    await new Promise((resolve) => setImmediate(resolve));
    expect(feed.listening("d1")).toBe(false);
    expect(feed.stopped).toBe(1);
  });

  it("keeps other watchers going when a load fails, and tries the feed again after it failed", async () => {
    let failLoad = true;
    const feed = fakeFeed();
    let feedDown = true;
    const hub = createLiveDeploymentHub(
      async (id) => {
        if (failLoad) throw new Error("database is restarting");
        return { id, readyReplicas: 3 } as unknown as DeploymentProgress;
      },
      async (topics, onChange) => {
        if (feedDown) throw new Error("LISTEN connection refused");
        return feed.feed(topics, onChange);
      },
    );
    await expect(hub.subscribe("d1", () => undefined)).rejects.toThrow("LISTEN connection refused");
    feedDown = false;
    const seen: number[] = [];
    await hub.subscribe("d1", (view) => seen.push(ready(view)));
    feed.notify("d1");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([]);
    failLoad = false;
    feed.notify("d1");
    await expect.poll(() => seen).toEqual([3]);
  });

  it("pushes a deployment's new state through the real change feed and database, with only what moves", async () => {
    const prisma = getPrisma();
    const deployment = await deploymentRow("live");
    const hub = createLiveDeploymentHub();
    const views: DeploymentProgress[] = [];
    const stop = await hub.subscribe(deployment.id, (view) => views.push(view));
    await prisma.deployment.update({ where: { id: deployment.id }, data: { readyReplicas: 1, updatedReplicas: 2 } });
    await publishChange({ kind: "deployment", id: deployment.id });
    await expect.poll(() => views.length, { timeout: 5_000 }).toBe(1);
    expect(views[0]).toMatchObject({
      id: deployment.id,
      status: "progressing",
      inFlight: true,
      counts: { desired: 0, updated: 2, ready: 1, available: 0 },
      pods: [],
      events: [],
    });
    // Only what moves: what never changes stays with the page.
    expect(views[0]).not.toHaveProperty("manifestYaml");
    expect(views[0]).not.toHaveProperty("service");
    // A notice for a deployment nobody here watches loads nothing.
    await publishChange({ kind: "deployment", id: randomUUID() });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hub.loads).toBe(1);
    stop();
  });
});
