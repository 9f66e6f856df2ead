// The informer against a sandbox API server with a short watch history:
// streams the server ends are resumed from the last resourceVersion, and a
// version the server no longer has (410 Gone) makes it list again, reporting
// what changed meanwhile.
import { afterEach, describe, expect, it } from "vitest";
import type { KubeConfig } from "@kubernetes/client-node";
import { startTestApiServer, type TestApiServer } from "@/sandbox/kubernetes/test-harness";
import { rolloutKinds } from "@/lib/deployments/rollout-informers";
import { ClusterInformer, type InformerChange } from "./informer";
import { kubeRequest } from "./request";

let server: TestApiServer;
let informer: ClusterInformer;
afterEach(async () => {
  informer?.stop();
  await server?.close();
});

const namespace = "team-informer";

async function service(config: KubeConfig, name: string, labels: Record<string, string> = { "app.kubernetes.io/managed-by": "wharf" }): Promise<void> {
  await kubeRequest(config, "POST", `/api/v1/namespaces/${namespace}/services`, {
    body: { apiVersion: "v1", kind: "Service", metadata: { name, labels }, spec: { ports: [{ port: 80 }] } },
  });
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("ClusterInformer", () => {
  it("lists, then follows the watch; resumes streams the server ends; keeps only what the selector matches", async () => {
    server = await startTestApiServer();
    const config = server.kubeConfig();
    await kubeRequest(config, "POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } } });
    await service(config, "before");
    informer = new ClusterInformer({
      name: "aks-dev-weu",
      kubeConfig: async () => config,
      kinds: [{ apiVersion: "v1", kind: "Service", labelSelector: "app.kubernetes.io/managed-by=wharf" }],
      watchTimeoutSeconds: 1,
    }).start();
    const changes: InformerChange[] = [];
    informer.subscribe((change) => changes.push(change));
    expect(await informer.whenSynced(5_000)).toBe(true);
    expect(informer.get("Service", namespace, "before")).toBeDefined();
    await service(config, "during");
    await service(config, "unmanaged", { team: "x" });
    await until(() => informer.get("Service", namespace, "during") !== undefined);
    // The server ends each watch after about a second; changes after that arrive through the resumed watch.
    await until(() => informer.stats.Service!.resumes >= 1);
    await service(config, "after");
    await kubeRequest(config, "DELETE", `/api/v1/namespaces/${namespace}/services/before`);
    await until(() => informer.get("Service", namespace, "after") !== undefined && informer.get("Service", namespace, "before") === undefined);
    expect(informer.get("Service", namespace, "unmanaged")).toBeUndefined();
    expect(informer.stats.Service).toMatchObject({ lists: 1, relists: 0 });
    expect(changes.map((change) => `${change.type} ${change.name}`)).toEqual(["ADDED before", "ADDED during", "ADDED after", "DELETED before"]);
  });

  it("lists again when its resourceVersion is too old for the server (410 Gone), and reports what changed meanwhile", async () => {
    server = await startTestApiServer({ historyLimit: 5 });
    const config = server.kubeConfig();
    await kubeRequest(config, "POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } } });
    await service(config, "first");
    // After its first stream, the informer cannot reconnect until the gate opens: meanwhile the history moves on.
    let connects = 0;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    informer = new ClusterInformer({
      name: "aks-dev-weu",
      kubeConfig: async () => {
        connects += 1;
        if (connects > 1) await gate;
        return config;
      },
      kinds: [{ apiVersion: "v1", kind: "Service", labelSelector: "app.kubernetes.io/managed-by=wharf" }],
      watchTimeoutSeconds: 1,
    }).start();
    const changes: InformerChange[] = [];
    informer.subscribe((change) => changes.push(change));
    expect(await informer.whenSynced(5_000)).toBe(true);
    await until(() => connects >= 2);
    for (let index = 0; index < 8; index += 1) await service(config, `meanwhile-${index}`);
    await kubeRequest(config, "DELETE", `/api/v1/namespaces/${namespace}/services/first`);
    open();
    await until(() => informer.stats.Service!.relists === 1 && informer.get("Service", namespace, "meanwhile-7") !== undefined);
    expect(informer.get("Service", namespace, "first")).toBeUndefined();
    expect(informer.objects("Service", namespace)).toHaveLength(8);
    expect(changes.filter((change) => change.type === "DELETED").map((change) => change.name)).toEqual(["first"]);
    expect(informer.stats.Service!.lists).toBe(2);
  });

  it("keeps the Events about Wharf's objects in the namespaces Wharf provisioned only, listing those namespaces first", async () => {
    server = await startTestApiServer();
    const config = server.kubeConfig();
    const managed = { "app.kubernetes.io/managed-by": "wharf" };
    const createNamespace = (name: string, labels?: Record<string, string>) =>
      kubeRequest(config, "POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } } });
    const event = (namespace: string, name: string, involvedKind = "Pod") =>
      kubeRequest(config, "POST", `/api/v1/namespaces/${namespace}/events`, {
        body: {
          apiVersion: "v1",
          kind: "Event",
          metadata: { name },
          involvedObject: { kind: involvedKind, namespace, name: "web-1" },
          reason: "Pulled",
          message: "pulled",
          type: "Normal",
        },
      });
    await createNamespace("team-wharf", managed);
    await createNamespace("someone-else");
    await event("team-wharf", "listed");
    await event("someone-else", "elsewhere-listed");
    informer = new ClusterInformer({ name: "aks-dev-weu", kubeConfig: async () => config, kinds: rolloutKinds, watchTimeoutSeconds: 5 }).start();
    expect(await informer.whenSynced(5_000)).toBe(true);
    await event("team-wharf", "watched");
    await event("team-wharf", "about-a-node", "Node");
    await event("someone-else", "elsewhere-watched");
    // A namespace Wharf provisions later: its events are kept from then on.
    await createNamespace("team-later", managed);
    await until(() => informer.get("Namespace", "", "team-later") !== undefined);
    await event("team-later", "later");
    await until(() => informer.get("Event", "team-later", "later") !== undefined);
    expect(
      informer
        .objects<{ metadata: { name: string } }>("Event", "team-wharf")
        .map((object) => object.metadata.name)
        .sort(),
    ).toEqual(["listed", "watched"]);
    expect(informer.objects("Event", "someone-else")).toEqual([]);
    expect(informer.get("Namespace", "", "someone-else")).toBeUndefined();
  });
});
