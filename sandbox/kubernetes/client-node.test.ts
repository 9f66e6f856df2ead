// Contract tests through @kubernetes/client-node 2, the library Wharf uses:
// every behaviour of the API stand-in, seen as Wharf's code will see it.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  NetworkingV1Api,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
  Watch,
  type KubernetesObject,
  type V1Deployment,
} from "@kubernetes/client-node";
import { clusterStateFile } from "./persistence";
import { startTestApiServer, type TestApiServer } from "./test-harness";

let server: TestApiServer;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  server = await startTestApiServer({ historyLimit: 50 });
  core = server.kubeConfig().makeApiClient(CoreV1Api);
  apps = server.kubeConfig().makeApiClient(AppsV1Api);
});
afterAll(() => server.close());

interface StatusBody {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { causes?: { reason: string; field?: string; message: string }[]; name?: string; kind?: string; group?: string };
}

/** The Status a failing call carried (client-node throws ApiException with it in `.body`). */
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

function deployment(name: string, namespace: string, overrides: { replicas?: number; image?: string; labels?: Record<string, string> } = {}): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels: overrides.labels ?? { app: name } },
    spec: {
      replicas: overrides.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: "web", image: overrides.image ?? "wharfacr.azurecr.io/web:1.0.0", ports: [{ containerPort: 8080 }], env: [{ name: "MODE", value: "a" }] },
          ],
        },
      },
    },
  };
}

async function namespace(name: string, labels: Record<string, string> = {}): Promise<void> {
  await core.createNamespace({ body: { metadata: { name, labels } } });
}

describe("discovery and authentication", () => {
  it("serves version, core and group discovery with real resource facts", async () => {
    const version = await server.kubeConfig().makeApiClient(CoreV1Api).getAPIResources();
    const byName = new Map(version.resources.map((resource) => [resource.name, resource]));
    expect(byName.get("namespaces")).toMatchObject({ namespaced: false, kind: "Namespace", singularName: "namespace", shortNames: ["ns"] });
    expect(byName.get("resourcequotas")?.shortNames).toEqual(["quota"]);
    expect(byName.get("pods")).toMatchObject({ namespaced: true, shortNames: ["po"], verbs: expect.arrayContaining(["watch", "patch", "deletecollection"]) });
    const appsResources = await apps.getAPIResources();
    expect(appsResources.groupVersion).toBe("apps/v1");
    expect(appsResources.resources.find((resource) => resource.name === "deployments")).toMatchObject({
      kind: "Deployment",
      shortNames: ["deploy"],
      categories: ["all"],
    });
    const rbac = await server.kubeConfig().makeApiClient(RbacAuthorizationV1Api).getAPIResources();
    expect(rbac.resources.map((resource) => resource.name)).toEqual(["rolebindings"]);
    const netpol = await server.kubeConfig().makeApiClient(NetworkingV1Api).getAPIResources();
    expect(netpol.resources[0]).toMatchObject({ name: "networkpolicies", shortNames: ["netpol"] });
  });

  it("answers 401 Unauthorized for a wrong token, a token of another cluster, or none", async () => {
    // client-node drops the body of a 401 (its spec declares none), so the Status is checked raw.
    const wrong = server.kubeConfig({ token: "not-the-token" }).makeApiClient(CoreV1Api);
    await expect(wrong.listNamespace()).rejects.toMatchObject({ code: 401 });
    const otherCluster = server.kubeConfig({ token: server.token("aks-prod-weu") }).makeApiClient(CoreV1Api);
    await expect(otherCluster.listNamespace()).rejects.toMatchObject({ code: 401 });
    const raw = await fetchJson("/api/v1/namespaces", { authorization: "Bearer not-the-token" });
    expect(raw).toMatchObject({
      status: 401,
      body: { kind: "Status", apiVersion: "v1", status: "Failure", code: 401, reason: "Unauthorized", message: "Unauthorized" },
    });
    const anonymous = await fetchJson("/api/v1/namespaces", {});
    expect(anonymous).toMatchObject({ status: 401, body: { reason: "Unauthorized" } });
  });

  it("starts every cluster with the AKS system namespaces, labelled with their name", async () => {
    const list = await core.listNamespace();
    const names = list.items.map((item) => item.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(["default", "kube-system", "kube-public", "kube-node-lease", "ingress-nginx"]));
    expect(list.items.find((item) => item.metadata?.name === "ingress-nginx")?.metadata?.labels).toEqual({ "kubernetes.io/metadata.name": "ingress-nginx" });
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);
    const prod = await server.kubeConfig({ cluster: "aks-prod-weu" }).makeApiClient(CoreV1Api).listNamespace();
    expect(prod.items).toHaveLength(5);
  });
});

/** A raw HTTPS request to the dev cluster, for what the typed clients cannot express. */
async function fetchJson(
  path: string,
  headers: Record<string, string>,
  init: { method?: string; body?: string } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const { request } = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = request(`${server.serverUrl()}${path}`, { method: init.method ?? "GET", headers, ca: server.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) for (const item of [value ?? []].flat()) responseHeaders.append(name, item);
        resolve({
          status: res.statusCode ?? 0,
          body: text.startsWith("{") ? (JSON.parse(text) as Record<string, unknown>) : { text },
          headers: responseHeaders,
        });
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

const auth = (): Record<string, string> => ({ authorization: `Bearer ${server.token()}` });

describe("create, get and list", () => {
  it("creates with server-filled metadata and defaults, and refuses a duplicate with 409 AlreadyExists", async () => {
    await namespace("team-create");
    const created = await apps.createNamespacedDeployment({ namespace: "team-create", body: deployment("api", "team-create") });
    expect(created.metadata).toMatchObject({ name: "api", namespace: "team-create", generation: 1 });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.spec?.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } });
    expect(created.spec?.template.spec?.containers[0]?.ports?.[0]?.protocol).toBe("TCP");
    const again = await failure(apps.createNamespacedDeployment({ namespace: "team-create", body: deployment("api", "team-create") }));
    expect(again).toMatchObject({
      code: 409,
      reason: "AlreadyExists",
      message: 'deployments.apps "api" already exists',
      details: { name: "api", group: "apps", kind: "deployments" },
    });
    const missing = await failure(apps.readNamespacedDeployment({ name: "nope", namespace: "team-create" }));
    expect(missing).toMatchObject({ code: 404, reason: "NotFound", message: 'deployments.apps "nope" not found' });
    const service = await core.createNamespacedService({
      namespace: "team-create",
      body: { metadata: { name: "api" }, spec: { selector: { app: "api" }, ports: [{ port: 80, targetPort: 8080 }] } },
    });
    expect(service.spec).toMatchObject({
      type: "ClusterIP",
      clusterIP: expect.stringMatching(/^10\.0\./),
      ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }],
    });
  });

  it("refuses content in a namespace that does not exist (404) and generates names from generateName", async () => {
    const missing = await failure(core.createNamespacedServiceAccount({ namespace: "ghost", body: { metadata: { name: "robot" } } }));
    expect(missing).toMatchObject({ code: 404, reason: "NotFound", message: 'namespaces "ghost" not found' });
    const generated = await core.createNamespacedEvent({
      namespace: "default",
      body: { metadata: { generateName: "web-" }, involvedObject: { kind: "Deployment", name: "web" }, reason: "Testing", message: "hello", type: "Normal" },
    });
    expect(generated.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
  });

  it("lists with label selectors (equality, inequality, set, existence), field selectors, limit and continue", async () => {
    await namespace("team-list");
    const labels: Record<string, string>[] = [{ tier: "web", env: "dev" }, { tier: "api", env: "dev" }, { tier: "db" }, { tier: "web", env: "prod" }, {}];
    for (const [index, set] of labels.entries()) {
      await core.createNamespacedServiceAccount({ namespace: "team-list", body: { metadata: { name: `sa-${index}`, labels: set } } });
    }
    const names = async (params: { labelSelector?: string; fieldSelector?: string }): Promise<string[]> =>
      (await core.listNamespacedServiceAccount({ namespace: "team-list", ...params })).items.map((item) => item.metadata?.name ?? "");
    expect(await names({ labelSelector: "tier=web" })).toEqual(["sa-0", "sa-3"]);
    expect(await names({ labelSelector: "tier==web,env=prod" })).toEqual(["sa-3"]);
    expect(await names({ labelSelector: "tier!=web" })).toEqual(["default", "sa-1", "sa-2", "sa-4"]);
    expect(await names({ labelSelector: "tier in (api, db)" })).toEqual(["sa-1", "sa-2"]);
    expect(await names({ labelSelector: "tier notin (web),env" })).toEqual(["sa-1"]);
    expect(await names({ labelSelector: "env" })).toEqual(["sa-0", "sa-1", "sa-3"]);
    expect(await names({ labelSelector: "!env,tier" })).toEqual(["sa-2"]);
    expect(await names({ fieldSelector: "metadata.name=sa-2" })).toEqual(["sa-2"]);
    expect(await names({ fieldSelector: "metadata.name!=sa-2,metadata.namespace=team-list", labelSelector: "tier" })).toEqual(["sa-0", "sa-1", "sa-3"]);
    const badField = await failure(core.listNamespacedServiceAccount({ namespace: "team-list", fieldSelector: "spec.foo=bar" }));
    expect(badField).toMatchObject({ code: 400, reason: "BadRequest", message: "field label not supported: spec.foo" });
    expect((await failure(core.listNamespacedServiceAccount({ namespace: "team-list", labelSelector: "tier in (web" }))).code).toBe(400);

    const first = await core.listNamespacedServiceAccount({ namespace: "team-list", limit: 2 });
    expect(first.items.map((item) => item.metadata?.name)).toEqual(["default", "sa-0"]);
    expect(first.metadata?.remainingItemCount).toBe(4);
    const token = first.metadata?._continue ?? "";
    expect(JSON.parse(Buffer.from(token, "base64").toString())).toMatchObject({ v: "meta.k8s.io/v1", rv: Number(first.metadata?.resourceVersion) });
    const second = await core.listNamespacedServiceAccount({ namespace: "team-list", limit: 2, _continue: token });
    expect(second.items.map((item) => item.metadata?.name)).toEqual(["sa-1", "sa-2"]);
    const third = await core.listNamespacedServiceAccount({ namespace: "team-list", limit: 2, _continue: second.metadata?._continue });
    expect(third.items.map((item) => item.metadata?.name)).toEqual(["sa-3", "sa-4"]);
    expect(third.metadata?._continue).toBeUndefined();
    expect((await failure(core.listNamespacedServiceAccount({ namespace: "team-list", _continue: "garbage" }))).code).toBe(400);

    const across = await core.listServiceAccountForAllNamespaces({ labelSelector: "tier=db" });
    expect(across.items.map((item) => `${item.metadata?.namespace}/${item.metadata?.name}`)).toEqual(["team-list/sa-2"]);
  });

  it("answers kubectl's Table request with the real columns", async () => {
    const table = await fetchJson("/api/v1/namespaces?limit=500", { ...auth(), accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" });
    expect(table.body).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1" });
    expect((table.body.columnDefinitions as { name: string }[]).map((column) => column.name)).toEqual(["Name", "Status", "Age"]);
    const row = (table.body.rows as { cells: unknown[]; object: { kind: string } }[])[0];
    expect(row?.cells[1]).toBe("Active");
    expect(row?.object.kind).toBe("PartialObjectMetadata");
  });
});

describe("replace and patch", () => {
  it("replaces with optimistic concurrency: a stale resourceVersion gets 409 Conflict, spec changes bump generation", async () => {
    await namespace("team-replace");
    const created = await apps.createNamespacedDeployment({ namespace: "team-replace", body: deployment("web", "team-replace") });
    const changed = { ...created, spec: { ...created.spec!, replicas: 5 } };
    const replaced = await apps.replaceNamespacedDeployment({ name: "web", namespace: "team-replace", body: changed });
    expect(replaced.metadata?.generation).toBe(2);
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));
    const stale = await failure(
      apps.replaceNamespacedDeployment({ name: "web", namespace: "team-replace", body: { ...changed, spec: { ...changed.spec, replicas: 6 } } }),
    );
    expect(stale).toMatchObject({
      code: 409,
      reason: "Conflict",
      message:
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    });
    const labelsOnly = await apps.replaceNamespacedDeployment({
      name: "web",
      namespace: "team-replace",
      body: { ...replaced, metadata: { ...replaced.metadata, labels: { app: "web", extra: "yes" } } },
    });
    expect(labelsOnly.metadata?.generation).toBe(2);
    const unchanged = await apps.replaceNamespacedDeployment({ name: "web", namespace: "team-replace", body: labelsOnly });
    expect(unchanged.metadata?.resourceVersion).toBe(labelsOnly.metadata?.resourceVersion);
  });

  it("keeps status on writes to the main resource and takes only status through /status", async () => {
    const current = await apps.readNamespacedDeployment({ name: "web", namespace: "team-replace" });
    const withStatus = await apps.replaceNamespacedDeploymentStatus({
      name: "web",
      namespace: "team-replace",
      body: { ...current, spec: { ...current.spec!, replicas: 9 }, status: { replicas: 5, readyReplicas: 3, observedGeneration: 2 } },
    });
    expect(withStatus.status).toMatchObject({ readyReplicas: 3 });
    expect(withStatus.spec?.replicas).toBe(current.spec?.replicas);
    const mainWrite = await apps.replaceNamespacedDeployment({ name: "web", namespace: "team-replace", body: { ...withStatus, status: { readyReplicas: 0 } } });
    expect(mainWrite.status?.readyReplicas).toBe(3);
  });

  it("merge patches (lists replaced, null deletes) with an explicit content type", async () => {
    const patched = await apps.patchNamespacedDeployment(
      { name: "web", namespace: "team-replace", body: { metadata: { labels: { extra: null, team: "payments" } }, spec: { replicas: 1 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(patched.metadata?.labels).toEqual({ app: "web", team: "payments" });
    expect(patched.spec?.replicas).toBe(1);
    const stale = await failure(
      apps.patchNamespacedDeployment(
        { name: "web", namespace: "team-replace", body: { metadata: { resourceVersion: "1" }, spec: { replicas: 2 } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
    );
    expect(stale.reason).toBe("Conflict");
  });

  it("strategic merge patches containers by name, ports by containerPort and env by name", async () => {
    const patch = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "web",
                image: "wharfacr.azurecr.io/web:2.0.0",
                env: [{ name: "LEVEL", value: "debug" }],
                ports: [{ containerPort: 9090, name: "metrics" }],
              },
              { name: "sidecar", image: "wharfacr.azurecr.io/proxy:1.0.0" },
            ],
          },
        },
      },
    };
    const patched = await apps.patchNamespacedDeployment(
      { name: "web", namespace: "team-replace", body: patch },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    const [web, sidecar] = patched.spec?.template.spec?.containers ?? [];
    expect(web?.image).toBe("wharfacr.azurecr.io/web:2.0.0");
    expect(web?.env).toEqual([
      { name: "MODE", value: "a" },
      { name: "LEVEL", value: "debug" },
    ]);
    expect(web?.ports?.map((port) => port.containerPort)).toEqual([8080, 9090]);
    expect(sidecar?.name).toBe("sidecar");
    const removed = await apps.patchNamespacedDeployment(
      { name: "web", namespace: "team-replace", body: { spec: { template: { spec: { containers: [{ name: "sidecar", $patch: "delete" }] } } } } },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    expect(removed.spec?.template.spec?.containers.map((container) => container.name)).toEqual(["web"]);
    const jsonPatched = await apps.patchNamespacedDeployment(
      { name: "web", namespace: "team-replace", body: [{ op: "replace", path: "/spec/replicas", value: 4 }] },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.spec?.replicas).toBe(4);
  });
});

describe("server-side apply", () => {
  it("creates on apply, is idempotent, records managedFields and reports conflicts between managers", async () => {
    await namespace("team-apply");
    const objects = server.kubeConfig().makeApiClient(KubernetesObjectApi);
    const spec = deployment("checkout", "team-apply") as KubernetesObject;
    const first = (await objects.patch(spec, undefined, undefined, "wharf", false, PatchStrategy.ServerSideApply)) as V1Deployment;
    expect(first.metadata?.generation).toBe(1);
    const entry = first.metadata?.managedFields?.find((item) => item.manager === "wharf");
    expect(entry).toMatchObject({ operation: "Apply", apiVersion: "apps/v1", fieldsType: "FieldsV1" });
    expect(entry?.fieldsV1).toMatchObject({
      "f:spec": { "f:replicas": {}, "f:selector": {}, "f:template": { "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {} } } } } },
    });

    const second = (await objects.patch(spec, undefined, undefined, "wharf", false, PatchStrategy.ServerSideApply)) as V1Deployment;
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);

    const scaled = (await objects.patch(
      { ...spec, spec: { ...(spec as V1Deployment).spec, replicas: 3 } } as KubernetesObject,
      undefined,
      undefined,
      "wharf",
      false,
      PatchStrategy.ServerSideApply,
    )) as V1Deployment;
    expect(scaled.spec?.replicas).toBe(3);
    expect(scaled.metadata?.generation).toBe(2);

    const hpa = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "checkout", namespace: "team-apply" },
      spec: { replicas: 7 },
    } as KubernetesObject;
    const clash = await failure(objects.patch(hpa, undefined, undefined, "autoscaler", false, PatchStrategy.ServerSideApply));
    expect(clash).toMatchObject({
      code: 409,
      reason: "Conflict",
      message: 'Apply failed with 1 conflict: conflict with "wharf" using apps/v1: .spec.replicas',
    });
    expect(clash.details?.causes).toEqual([{ reason: "FieldManagerConflict", message: 'conflict with "wharf" using apps/v1', field: ".spec.replicas" }]);

    const sameValue = { ...hpa, spec: { replicas: 3 } } as KubernetesObject;
    const shared = (await objects.patch(sameValue, undefined, undefined, "autoscaler", false, PatchStrategy.ServerSideApply)) as V1Deployment;
    expect(shared.metadata?.managedFields?.map((item) => item.manager).sort()).toEqual(["autoscaler", "wharf"]);

    const forced = (await objects.patch(hpa, undefined, undefined, "autoscaler", true, PatchStrategy.ServerSideApply)) as V1Deployment;
    expect(forced.spec?.replicas).toBe(7);
    const wharfFields = forced.metadata?.managedFields?.find((item) => item.manager === "wharf")?.fieldsV1 as { "f:spec": Record<string, unknown> };
    expect(wharfFields["f:spec"]["f:replicas"]).toBeUndefined();

    const withoutEnv = deployment("checkout", "team-apply", { replicas: 7 });
    delete withoutEnv.spec!.template.spec!.containers[0]!.env;
    const dropped = (await objects.patch(withoutEnv as KubernetesObject, undefined, undefined, "wharf", true, PatchStrategy.ServerSideApply)) as V1Deployment;
    expect(dropped.spec?.template.spec?.containers[0]?.env).toBeUndefined();
  });

  it("needs a fieldManager and refuses force on other patch types", async () => {
    const body = JSON.stringify({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot" } });
    const noManager = await fetchJson(
      "/api/v1/namespaces/team-apply/serviceaccounts/robot",
      { ...auth(), "content-type": "application/apply-patch+yaml" },
      { method: "PATCH", body },
    );
    expect(noManager.body).toMatchObject({ code: 422, reason: "Invalid", details: { causes: [{ field: "fieldManager" }] } });
    const yaml = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n";
    const created = await fetchJson(
      "/api/v1/namespaces/team-apply/serviceaccounts/robot?fieldManager=wharf",
      { ...auth(), "content-type": "application/apply-patch+yaml" },
      { method: "PATCH", body: yaml },
    );
    expect(created.status).toBe(201);
    const forced = await fetchJson(
      "/api/v1/namespaces/team-apply/serviceaccounts/robot?force=true",
      { ...auth(), "content-type": "application/merge-patch+json" },
      { method: "PATCH", body: "{}" },
    );
    expect(forced.status).toBe(422);
  });
});

describe("validation", () => {
  it("answers 422 Invalid with causes for names, labels and workload rules", async () => {
    const badName = await failure(core.createNamespace({ body: { metadata: { name: "Team_A" } } }));
    expect(badName).toMatchObject({ code: 422, reason: "Invalid", details: { name: "Team_A", kind: "Namespace" } });
    expect(badName.message).toMatch(/^Namespace "Team_A" is invalid: metadata.name: Invalid value: "Team_A": a lowercase RFC 1123 label must consist of/);
    expect(badName.details?.causes).toEqual([expect.objectContaining({ reason: "FieldValueInvalid", field: "metadata.name" })]);

    const noName = await failure(core.createNamespace({ body: { metadata: {} } }));
    expect(noName.details?.causes).toEqual([
      { reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" },
    ]);

    const service = await failure(
      core.createNamespacedService({ namespace: "default", body: { metadata: { name: "1api" }, spec: { ports: [{ port: 80 }] } } }),
    );
    expect(service.details?.causes?.[0]?.message).toMatch(/a DNS-1035 label must consist of/);

    const mismatch = deployment("shop", "default");
    mismatch.spec!.template.metadata!.labels = { app: "other" };
    mismatch.metadata!.labels = { "bad label!": "x" };
    const invalidDeployment = await failure(apps.createNamespacedDeployment({ namespace: "default", body: mismatch }));
    expect(invalidDeployment).toMatchObject({ code: 422, reason: "Invalid", details: { group: "apps", kind: "Deployment" } });
    expect(invalidDeployment.details?.causes?.map((cause) => cause.field)).toEqual(["metadata.labels", "spec.template.metadata.labels"]);
    expect(invalidDeployment.message).toContain("`selector` does not match template `labels`");

    const noSelector = { ...deployment("shop", "default"), spec: { ...deployment("shop", "default").spec!, selector: undefined } } as unknown as V1Deployment;
    const required = await failure(apps.createNamespacedDeployment({ namespace: "default", body: noSelector }));
    expect(required.details?.causes).toContainEqual({ reason: "FieldValueRequired", message: "Required value", field: "spec.selector" });

    // Quantities are parsed while decoding: a bad one is a 400, as on a real server.
    const quota = await failure(
      core.createNamespacedResourceQuota({ namespace: "default", body: { metadata: { name: "q" }, spec: { hard: { cpu: "lots" } } } }),
    );
    expect(quota).toMatchObject({ code: 400, reason: "BadRequest" });
    expect(quota.message).toBe(
      `ResourceQuota in version "v1" cannot be handled as a ResourceQuota: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  });

  it("refuses unknown fields under fieldValidation=Strict (400) and warns by default", async () => {
    const body = JSON.stringify({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "strict" },
      spec: { foo: 1 },
      automountServiceAccountToken: true,
    });
    const strict = await fetchJson(
      "/api/v1/namespaces/default/serviceaccounts?fieldValidation=Strict",
      { ...auth(), "content-type": "application/json" },
      { method: "POST", body },
    );
    expect(strict.body).toMatchObject({ code: 400, reason: "BadRequest", message: 'strict decoding error: unknown field "spec"' });
    const nested = deployment("strict", "default") as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    nested.spec.template.spec.containers[0]!.imagePolicy = "x";
    const nestedStrict = await fetchJson(
      "/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict",
      { ...auth(), "content-type": "application/json" },
      { method: "POST", body: JSON.stringify(nested) },
    );
    expect(nestedStrict.body.message).toBe('strict decoding error: unknown field "spec.template.spec.containers[0].imagePolicy"');
    const warned = await fetchJson("/api/v1/namespaces/default/serviceaccounts", { ...auth(), "content-type": "application/json" }, { method: "POST", body });
    expect(warned.status).toBe(201);
    expect(warned.headers.get("warning")).toBe('299 - "unknown field \\"spec\\""');
    const badType = await fetchJson(
      "/apis/apps/v1/namespaces/default/deployments",
      { ...auth(), "content-type": "application/json" },
      { method: "POST", body: JSON.stringify({ ...deployment("typed", "default"), spec: { ...deployment("typed", "default").spec, replicas: "two" } }) },
    );
    expect(badType.body).toMatchObject({ code: 400, reason: "BadRequest" });
    expect(badType.body.message).toMatch(/cannot unmarshal string into Go struct field Deployment\.spec\.replicas/);
  });

  it("runs every check on dryRun=All but stores nothing, and deletes collections by selector", async () => {
    const dry = await core.createNamespacedServiceAccount({ namespace: "default", body: { metadata: { name: "dry" } }, dryRun: "All" });
    expect(dry.metadata?.name).toBe("dry");
    expect((await failure(core.readNamespacedServiceAccount({ name: "dry", namespace: "default" }))).code).toBe(404);
    expect((await failure(core.createNamespacedServiceAccount({ namespace: "default", body: { metadata: { name: "Dry" } }, dryRun: "All" }))).code).toBe(422);
    for (const name of ["bulk-a", "bulk-b", "keep"])
      await core.createNamespacedServiceAccount({ namespace: "default", body: { metadata: { name, labels: name === "keep" ? {} : { bulk: "yes" } } } });
    await core.deleteCollectionNamespacedServiceAccount({ namespace: "default", labelSelector: "bulk=yes" });
    const left = (await core.listNamespacedServiceAccount({ namespace: "default" })).items.map((item) => item.metadata?.name);
    expect(left).toContain("keep");
    expect(left).not.toContain("bulk-a");
  });

  it("serves OpenAPI v3 (index and group versions with GVK extensions), not v2", async () => {
    const index = await fetchJson("/openapi/v3", auth());
    const paths = index.body.paths as Record<string, { serverRelativeURL: string }>;
    expect(Object.keys(paths).sort()).toEqual(["api/v1", "apis/apps/v1", "apis/networking.k8s.io/v1", "apis/rbac.authorization.k8s.io/v1"]);
    const appsDocument = await fetchJson(paths["apis/apps/v1"]?.serverRelativeURL ?? "", auth());
    const schemas = (appsDocument.body.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    expect(
      Object.values(schemas).some(
        (schema) => JSON.stringify(schema["x-kubernetes-group-version-kind"]) === JSON.stringify([{ group: "apps", kind: "Deployment", version: "v1" }]),
      ),
    ).toBe(true);
    expect(JSON.stringify(schemas)).toContain('"x-kubernetes-patch-merge-key":"name"');
    expect((await fetchJson("/openapi/v2", auth())).status).toBe(404);
  });

  it("refuses unknown paths with 404 and wrong methods with 405", async () => {
    expect((await fetchJson("/api/v1/widgets", auth())).body).toMatchObject({ code: 404, reason: "NotFound" });
    expect((await fetchJson("/api/v1/pods", { ...auth(), "content-type": "application/json" }, { method: "POST", body: "{}" })).body).toMatchObject({
      code: 405,
      reason: "MethodNotAllowed",
    });
  });
});

describe("delete", () => {
  it("takes a namespace through Terminating, empties it, then removes it", async () => {
    await namespace("team-gone");
    await apps.createNamespacedDeployment({ namespace: "team-gone", body: deployment("web", "team-gone") });
    await core.createNamespacedResourceQuota({
      namespace: "team-gone",
      body: { metadata: { name: "quota" }, spec: { hard: { cpu: "4", memory: "8Gi", pods: "20" } } },
    });
    // The API returns the Terminating Namespace; client-node types the answer as V1Status, so read it back.
    await core.deleteNamespace({ name: "team-gone" });
    const terminating = await core.readNamespace({ name: "team-gone" });
    expect(terminating.status?.phase).toBe("Terminating");
    expect(terminating.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    const refused = await failure(core.createNamespacedServiceAccount({ namespace: "team-gone", body: { metadata: { name: "late" } } }));
    expect(refused).toMatchObject({
      code: 403,
      reason: "Forbidden",
      message: 'serviceaccounts "late" is forbidden: unable to create new content in namespace team-gone because it is being terminated',
    });
    expect((await failure(core.deleteNamespace({ name: "team-gone" }))).code).toBe(409);
    await expect.poll(async () => (await failure(core.readNamespace({ name: "team-gone" }))).code, { timeout: 2000 }).toBe(404);
    expect((await apps.listDeploymentForAllNamespaces({ fieldSelector: "metadata.namespace=team-gone" })).items).toEqual([]);
    expect((await core.listResourceQuotaForAllNamespaces({ fieldSelector: "metadata.namespace=team-gone" })).items).toEqual([]);
  });

  it("deletes other objects at once with a Success Status, cascades to owned objects, and protects system namespaces", async () => {
    await namespace("team-delete");
    const owner = await apps.createNamespacedDeployment({ namespace: "team-delete", body: deployment("web", "team-delete") });
    const ownerReference = { apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: owner.metadata?.uid ?? "", controller: true };
    const template = deployment("web", "team-delete").spec!;
    await apps.createNamespacedReplicaSet({
      namespace: "team-delete",
      body: {
        metadata: { name: "web-5d4f8", ownerReferences: [ownerReference] },
        spec: { replicas: 1, selector: template.selector, template: template.template },
      },
    });
    const status = await apps.deleteNamespacedDeployment({ name: "web", namespace: "team-delete" });
    expect(status).toMatchObject({ kind: "Status", status: "Success", details: { name: "web", group: "apps", kind: "deployments", uid: owner.metadata?.uid } });
    expect((await apps.listNamespacedReplicaSet({ namespace: "team-delete" })).items).toEqual([]);
    expect(await failure(core.deleteNamespace({ name: "kube-system" }))).toMatchObject({
      code: 403,
      message: 'namespaces "kube-system" is forbidden: this namespace may not be deleted',
    });
  });
});

describe("watch", () => {
  it("streams ADDED, MODIFIED and DELETED after a resourceVersion, with label selectors", async () => {
    await namespace("team-watch");
    const list = await core.listNamespacedServiceAccount({ namespace: "team-watch" });
    const events: string[] = [];
    const watch = new Watch(server.kubeConfig());
    const controller = await watch.watch(
      "/api/v1/namespaces/team-watch/serviceaccounts",
      { resourceVersion: list.metadata?.resourceVersion, labelSelector: "watched=yes" },
      (type, object: { metadata: { name: string } }) => events.push(`${type} ${object.metadata.name}`),
      () => undefined,
    );
    await core.createNamespacedServiceAccount({ namespace: "team-watch", body: { metadata: { name: "one", labels: { watched: "yes" } } } });
    await core.createNamespacedServiceAccount({ namespace: "team-watch", body: { metadata: { name: "ignored" } } });
    await core.patchNamespacedServiceAccount(
      { name: "one", namespace: "team-watch", body: { metadata: { annotations: { note: "x" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await core.patchNamespacedServiceAccount(
      { name: "ignored", namespace: "team-watch", body: { metadata: { labels: { watched: "yes" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedServiceAccount({ name: "one", namespace: "team-watch" });
    await expect.poll(() => events, { timeout: 2000 }).toEqual(["ADDED one", "MODIFIED one", "ADDED ignored", "DELETED one"]);
    controller.abort();

    // Resuming from the list's version replays what happened since.
    const replayed: string[] = [];
    const again = await watch.watch(
      "/api/v1/namespaces/team-watch/serviceaccounts",
      { resourceVersion: list.metadata?.resourceVersion },
      (type, object: { metadata: { name: string } }) => replayed.push(`${type} ${object.metadata.name}`),
      () => undefined,
    );
    await expect.poll(() => replayed, { timeout: 2000 }).toEqual(["ADDED one", "ADDED ignored", "MODIFIED one", "MODIFIED ignored", "DELETED one"]);
    again.abort();
  });

  it("sends an ERROR event with 410 Expired for a version older than the history, and honours timeoutSeconds", async () => {
    const oldVersion = "1";
    for (let index = 0; index < 60; index++)
      await core.createNamespacedEvent({
        namespace: "default",
        body: { metadata: { name: `churn-${index}` }, involvedObject: { kind: "Pod", name: "p" }, reason: "Churn" },
      });
    const received: { type: string; object: StatusBody }[] = [];
    let ended = false;
    // The history is per resource, as the API server's watch cache: the events churned out of it, namespaces did not.
    await new Watch(server.kubeConfig()).watch(
      "/api/v1/namespaces/default/events",
      { resourceVersion: oldVersion },
      (type, object: StatusBody) => received.push({ type, object }),
      () => (ended = true),
    );
    await expect.poll(() => ended, { timeout: 2000 }).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
    expect(received[0]?.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);

    const started = Date.now();
    let timedOut = false;
    await new Watch(server.kubeConfig()).watch(
      "/api/v1/namespaces",
      { timeoutSeconds: 1 },
      () => undefined,
      () => (timedOut = true),
    );
    await expect.poll(() => timedOut, { timeout: 3000 }).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe("persistence", () => {
  it("keeps every cluster's objects and resourceVersion across a restart", async () => {
    await namespace("team-persist", { "wharf.io/team": "payments" });
    const created = await apps.createNamespacedDeployment({ namespace: "team-persist", body: deployment("web", "team-persist") });
    await server.restart();
    const file = JSON.parse(readFileSync(clusterStateFile(server.stateDir, "aks-dev-weu"), "utf8")) as { revision: number };
    expect(file.revision).toBeGreaterThanOrEqual(Number(created.metadata?.resourceVersion));
    const read = await apps.readNamespacedDeployment({ name: "web", namespace: "team-persist" });
    expect(read.metadata?.uid).toBe(created.metadata?.uid);
    expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    expect((await core.readNamespace({ name: "team-persist" })).metadata?.labels?.["wharf.io/team"]).toBe("payments");
    const next = await core.createNamespacedServiceAccount({ namespace: "team-persist", body: { metadata: { name: "after" } } });
    expect(Number(next.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));
  });
});
