// pods/log through @kubernetes/client-node's CoreV1Api.readNamespacedPodLog,
// as Wharf reads it: the kubelet's lines for a running and a crash-looping
// container, the previous instance, tailLines / limitBytes / timestamps, and
// the API server's and kubelet's refusals in their own words.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppsV1Api, CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { startTestApiServer, type TestApiServer } from "./test-harness";
import { startController, type RunningController } from "./controller";
import { maxLinesPerInstance, LogRing } from "./controller/container-logs";

let server: TestApiServer;
let controller: RunningController;
let core: CoreV1Api;
const namespace = "team-logs";

beforeAll(async () => {
  server = await startTestApiServer();
  controller = startController(server.api.store("aks-dev-weu"), { speed: 50 });
  core = server.kubeConfig().makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
});
afterAll(async () => {
  controller.stop();
  await server.close();
});

async function deploy(name: string, image: string): Promise<void> {
  await server
    .kubeConfig()
    .makeApiClient(AppsV1Api)
    .createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image, ports: [{ containerPort: 8080 }] }] } },
        },
      },
    });
}

/** The deployment's pod once `done` holds for it, polled through the API. */
async function podWhen(app: string, done: (pod: V1Pod) => boolean): Promise<V1Pod> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` });
    const pod = pods.items.find(done);
    if (pod) return pod;
    if (Date.now() > deadline) throw new Error(`no pod of ${app} reached the state in time: ${JSON.stringify(pods.items.map((item) => item.status))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What client-node throws for an error status: its code and the Status message. */
async function refusal(read: Promise<unknown>): Promise<{ code: number; reason?: string; message?: string }> {
  const error = (await read.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )) as { code?: number; body?: unknown } | undefined;
  if (!error) throw new Error("the read succeeded");
  const body = (typeof error.body === "string" ? JSON.parse(error.body) : error.body) as { reason?: string; message?: string };
  return { code: error.code ?? 0, reason: body.reason, message: body.message };
}

const restarts = (pod: V1Pod) => pod.status?.containerStatuses?.[0]?.restartCount ?? 0;

describe("GET pods/{name}/log", () => {
  it("serves a running container's start-up lines as text, with tailLines, limitBytes and timestamps", async () => {
    await deploy("web", "contoso.azurecr.io/shop/web:1.2.0");
    const pod = await podWhen("web", (item) => item.status?.containerStatuses?.[0]?.ready === true);
    const name = pod.metadata!.name!;

    const log = await core.readNamespacedPodLog({ namespace, name });
    expect(log).toContain("> web@1.2.0 start");
    expect(log).toContain("server listening on http://0.0.0.0:8080");
    expect(log.endsWith("\n")).toBe(true);

    const tail = await core.readNamespacedPodLog({ namespace, name, container: "app", tailLines: 2 });
    expect(tail.split("\n").filter(Boolean)).toEqual(log.split("\n").filter((line, index, all) => index >= all.length - 3 && line));
    expect(await core.readNamespacedPodLog({ namespace, name, limitBytes: 12 })).toBe(log.slice(0, 12));
    const stamped = await core.readNamespacedPodLog({ namespace, name, timestamps: true, tailLines: 1 });
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \{.*"msg":"(server listening|readiness check passed)/);

    expect(await refusal(core.readNamespacedPodLog({ namespace, name, previous: true }))).toEqual({
      code: 400,
      reason: "BadRequest",
      message: `previous terminated container "app" in pod "${name}" not found`,
    });
    expect(await refusal(core.readNamespacedPodLog({ namespace, name, container: "sidecar" }))).toMatchObject({
      code: 400,
      message: `container sidecar is not valid for pod ${name}`,
    });
    expect(await refusal(core.readNamespacedPodLog({ namespace, name, tailLines: -1 }))).toMatchObject({
      code: 422,
      reason: "Invalid",
      message: 'PodLogOptions "" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    });
  });

  it("keeps the crashed instance's cause as the previous log of a crash-looping container", async () => {
    await deploy("api", "contoso.azurecr.io/shop/api:crash");
    const pod = await podWhen("api", (item) => restarts(item) >= 1);
    const name = pod.metadata!.name!;
    const previous = await core.readNamespacedPodLog({ namespace, name, previous: true });
    expect(previous).toContain("connecting to PostgreSQL");
    expect(previous).toMatch(/^Error: connect ECONNREFUSED 10\.0\.\d+\.\d+:5432$/m);
    expect(previous.trimEnd().split("\n").at(-1)).toBe("Node.js v22.11.0");
    // The current instance is a new one: its own start-up, and never the lines of the instance before.
    const current = await core.readNamespacedPodLog({ namespace, name });
    expect(current).toContain("> api@crash start");
  });

  it("answers as the kubelet does for a container whose image cannot be pulled", async () => {
    await deploy("broken", "contoso.azurecr.io/shop/broken:bad");
    const pod = await podWhen("broken", (item) => item.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ImagePullBackOff");
    expect(await refusal(core.readNamespacedPodLog({ namespace, name: pod.metadata!.name! }))).toEqual({
      code: 400,
      reason: "BadRequest",
      message: `container "app" in pod "${pod.metadata!.name!}" is waiting to start: trying and failing to pull image`,
    });
  });

  it("answers 404 for a pod that does not exist", async () => {
    expect(await refusal(core.readNamespacedPodLog({ namespace, name: "nobody-1234" }))).toEqual({
      code: 404,
      reason: "NotFound",
      message: 'pods "nobody-1234" not found',
    });
  });

  it("keeps at most a bounded ring of lines per instance", () => {
    const ring = new LogRing();
    for (let index = 0; index < maxLinesPerInstance + 5; index++) ring.append({ time: "t", text: `line ${index}` });
    expect(ring.all()).toHaveLength(maxLinesPerInstance);
    expect(ring.all()[0]?.text).toBe("line 5");
    expect(ring.droppedLines).toBe(5);
  });
});
