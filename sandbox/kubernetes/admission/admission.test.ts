// Admission on direct creates, through @kubernetes/client-node: ResourceQuota
// and LimitRanger refuse or fill in pods (and count other objects) with the
// real API server's 403 messages, whoever creates them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiException, AppsV1Api, CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { startTestApiServer, type TestApiServer } from "../test-harness";

let server: TestApiServer;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  server = await startTestApiServer();
  core = server.kubeConfig().makeApiClient(CoreV1Api);
  apps = server.kubeConfig().makeApiClient(AppsV1Api);
});
afterAll(() => server.close());

interface StatusBody {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { name?: string; kind?: string };
}

async function failure(call: Promise<unknown>): Promise<StatusBody> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    const body = (error as ApiException<unknown>).body;
    return (typeof body === "string" ? JSON.parse(body) : body) as StatusBody;
  }
  throw new Error("expected the call to fail");
}

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function pod(name: string, resources?: Resources, more: Resources[] = []): V1Pod {
  const containers = [
    { name: "app", image: "contoso.azurecr.io/app:1.0", resources },
    ...more.map((extra, index) => ({ name: `side${index + 1}`, image: "contoso.azurecr.io/side:1.0", resources: extra })),
  ];
  return { metadata: { name }, spec: { containers } };
}

async function namespaceWith(name: string, quota?: Record<string, string>, limits?: Record<string, unknown>[]): Promise<string> {
  await core.createNamespace({ body: { metadata: { name } } });
  if (quota) await core.createNamespacedResourceQuota({ namespace: name, body: { metadata: { name: "q" }, spec: { hard: quota } } });
  if (limits) await core.createNamespacedLimitRange({ namespace: name, body: { metadata: { name: "limits" }, spec: { limits: limits as never } } });
  return name;
}

describe("ResourceQuota admission on pods created through the API", () => {
  it("refuses a pod that would exceed the quota with 403 Forbidden and the real message, also under dryRun", async () => {
    const namespace = await namespaceWith("quota-cpu", { "requests.cpu": "2", pods: "5" });
    await core.createNamespacedPod({ namespace, body: pod("small", { requests: { cpu: "500m" } }) });
    const refused = await failure(core.createNamespacedPod({ namespace, body: pod("big", { requests: { cpu: "2" } }) }));
    expect(refused).toMatchObject({ kind: "Status", code: 403, reason: "Forbidden", details: { name: "big", kind: "pods" } });
    expect(refused.message).toBe('pods "big" is forbidden: exceeded quota: q, requested: requests.cpu=2, used: requests.cpu=500m, limited: requests.cpu=2');
    expect((await failure(core.createNamespacedPod({ namespace, body: pod("big", { requests: { cpu: "2" } }), dryRun: "All" }))).code).toBe(403);
    await core.createNamespacedPod({ namespace, body: pod("fits", { requests: { cpu: "1500m" } }) });
    expect((await core.listNamespacedPod({ namespace })).items.map((item) => item.metadata?.name)).toEqual(["fits", "small"]);
  });

  it("counts pods and frees quota when a pod is deleted", async () => {
    const namespace = await namespaceWith("quota-count", { pods: "1" });
    await core.createNamespacedPod({ namespace, body: pod("one") });
    expect((await failure(core.createNamespacedPod({ namespace, body: pod("two") }))).message).toBe(
      'pods "two" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1',
    );
    await core.deleteNamespacedPod({ namespace, name: "one" });
    await core.createNamespacedPod({ namespace, body: pod("two") });
  });

  it("refuses pods without the requests or limits the quota constrains, naming every container", async () => {
    const namespace = await namespaceWith("quota-missing", { "limits.cpu": "4", "requests.memory": "4Gi" });
    const refused = await failure(core.createNamespacedPod({ namespace, body: pod("bare", undefined, [{ limits: { cpu: "1" } }]) }));
    expect(refused).toMatchObject({ code: 403, reason: "Forbidden" });
    expect(refused.message).toBe('pods "bare" is forbidden: failed quota: q: must specify limits.cpu for: app; requests.memory for: app,side1');
    // A limit alone is enough: the API server defaults the request from it.
    const created = await core.createNamespacedPod({ namespace, body: pod("limited", { limits: { cpu: "1", memory: "1Gi" } }) });
    expect(created.spec?.containers[0]?.resources).toEqual({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1", memory: "1Gi" } });
    expect(created.status?.qosClass).toBe("Guaranteed");
  });

  it("counts other objects by count/<resource> and load balancers by services.loadbalancers", async () => {
    const namespace = await namespaceWith("quota-objects", { "count/deployments.apps": "1", "services.loadbalancers": "1", services: "3" });
    const deployment = (name: string) => ({
      metadata: { name },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "contoso.azurecr.io/web:1" }] } },
      },
    });
    await apps.createNamespacedDeployment({ namespace, body: deployment("first") });
    expect((await failure(apps.createNamespacedDeployment({ namespace, body: deployment("second") }))).message).toBe(
      'deployments.apps "second" is forbidden: exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1',
    );
    const service = (name: string, type: string) => ({ metadata: { name }, spec: { type, selector: { app: "first" }, ports: [{ port: 80 }] } });
    await core.createNamespacedService({ namespace, body: service("public", "LoadBalancer") });
    await core.createNamespacedService({ namespace, body: service("internal", "ClusterIP") });
    expect((await failure(core.createNamespacedService({ namespace, body: service("public-two", "LoadBalancer") }))).message).toBe(
      'services "public-two" is forbidden: exceeded quota: q, requested: services.loadbalancers=1, used: services.loadbalancers=1, limited: services.loadbalancers=1',
    );
  });
});

describe("LimitRanger admission", () => {
  it("fills container defaults (as the LimitRange was defaulted on create) and records them in an annotation, so quota admits the pod", async () => {
    const namespace = await namespaceWith("limits-default", { "limits.cpu": "4", "requests.cpu": "2" }, [
      { type: "Container", _default: { cpu: "500m" }, max: { memory: "1Gi" } },
    ]);
    // client-node names the `default` field `_default` (on the way out too).
    const range = await core.readNamespacedLimitRange({ namespace, name: "limits" });
    expect(range.spec?.limits[0]).toMatchObject({
      type: "Container",
      _default: { cpu: "500m", memory: "1Gi" },
      defaultRequest: { cpu: "500m", memory: "1Gi" },
      max: { memory: "1Gi" },
    });
    const created = await core.createNamespacedPod({ namespace, body: pod("defaulted", { requests: { cpu: "100m" } }) });
    expect(created.spec?.containers[0]?.resources).toEqual({ requests: { cpu: "100m", memory: "1Gi" }, limits: { cpu: "500m", memory: "1Gi" } });
    expect(created.metadata?.annotations?.["kubernetes.io/limit-ranger"]).toBe(
      "LimitRanger plugin set: memory request for container app; cpu, memory limit for container app",
    );
    expect(created.spec?.serviceAccountName).toBe("default");
    expect(created.spec?.tolerations?.map((toleration) => toleration.key)).toEqual(["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]);
    expect(created.status?.qosClass).toBe("Burstable");
  });

  it("refuses containers above max, below min, or beyond the limit/request ratio, with the plugin's messages", async () => {
    const namespace = await namespaceWith("limits-max", undefined, [
      { type: "Container", max: { cpu: "1" }, min: { memory: "64Mi" }, maxLimitRequestRatio: { memory: "2" } },
      { type: "Pod", max: { cpu: "1500m" } },
    ]);
    const tooBig = await failure(core.createNamespacedPod({ namespace, body: pod("too-big", { limits: { cpu: "2", memory: "128Mi" } }) }));
    expect(tooBig).toMatchObject({ code: 403, reason: "Forbidden", details: { name: "too-big", kind: "pods" } });
    expect(tooBig.message).toBe(
      'pods "too-big" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum cpu usage per Pod is 1500m, but limit is 2]',
    );
    const tooSmall = await failure(
      core.createNamespacedPod({ namespace, body: pod("too-small", { requests: { memory: "32Mi" }, limits: { cpu: "500m", memory: "64Mi" } }) }),
    );
    expect(tooSmall.message).toBe('pods "too-small" is forbidden: minimum memory usage per Container is 64Mi, but request is 32Mi');
    const ratio = await failure(
      core.createNamespacedPod({ namespace, body: pod("ratio", { requests: { memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } }) }),
    );
    expect(ratio.message).toBe('pods "ratio" is forbidden: memory max limit to request ratio per Container is 2, but provided ratio is 4.000000');
    await core.createNamespacedPod({ namespace, body: pod("fits", { requests: { memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } }) });
  });
});
