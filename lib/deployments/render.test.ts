import { describe, expect, it } from "vitest";
import { ClusterOperations } from "@/sandbox/kubernetes/operations";
import { findResource, type ResourceType } from "@/sandbox/kubernetes/resources";
import { KubeError } from "@/sandbox/kubernetes/status";
import { ClusterStore } from "@/sandbox/kubernetes/store";
import { ordersWorker, paymentsApi, searchIndexer } from "./__fixtures__/services";
import { manifestDiff, manifestYaml, toYaml } from "./manifest";
import { renderDeployment, restampManifest, selectorLabels, versionLabel, type RenderDeploymentInput } from "./render";

const deployments = findResource("apps", "v1", "deployments") as ResourceType;
const services = findResource("", "v1", "services") as ResourceType;
const namespaces = findResource("", "v1", "namespaces") as ResourceType;

describe("renderDeployment against the expected YAML", () => {
  it.each([
    ["payments-api", paymentsApi],
    ["orders-worker", ordersWorker],
    ["search-indexer", searchIndexer],
  ] as const)("%s", async (name, input) => {
    await expect(manifestYaml(renderDeployment(input))).toMatchFileSnapshot(`./__fixtures__/render/${name}.yaml`);
  });

  it("renders byte for byte the same YAML each time, whatever order the input's keys came in", () => {
    const reversed = (value: unknown): unknown =>
      value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([key, item]) => [key, reversed(item)]),
          )
        : value;
    const shuffled = reversed(paymentsApi) as RenderDeploymentInput;
    expect(Object.keys(shuffled)[0]).toBe("revision");
    expect(manifestYaml(renderDeployment(shuffled))).toBe(manifestYaml(renderDeployment(paymentsApi)));
  });

  it("writes an object used twice out twice, never as a YAML anchor and alias", () => {
    const labels = { app: "web" };
    expect(toYaml({ metadata: { labels }, selector: { matchLabels: labels } })).toBe(
      "metadata:\n  labels:\n    app: web\nselector:\n  matchLabels:\n    app: web\n",
    );
  });
});

describe("what every render carries", () => {
  const { deployment, service } = renderDeployment(paymentsApi);
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0]!;

  it("probes on the spec's paths and the named port, with requests and limits", () => {
    expect(container.readinessProbe?.httpGet).toEqual({ path: "/ready", port: "http" });
    expect(container.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(container.resources).toEqual({ requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } });
  });

  it("a locked-down pod and container", () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: {} }]);
  });

  it("the read-only root filesystem only where the spec does not opt out, and no /tmp volume then", () => {
    const worker = renderDeployment(ordersWorker).deployment.spec.template.spec;
    expect(worker.containers[0]?.securityContext.readOnlyRootFilesystem).toBe(false);
    expect(worker.volumes).toBeUndefined();
    expect(worker.containers[0]?.volumeMounts).toBeUndefined();
  });

  it("selects on the service name only, never the version, in the Deployment and the Service", () => {
    expect(deployment.spec.selector).toEqual({ matchLabels: { "app.kubernetes.io/name": "payments-api" } });
    expect(service.spec.selector).toEqual(selectorLabels("payments-api"));
    const next = renderDeployment({ ...paymentsApi, image: { tag: "1.5.0" } });
    expect(next.deployment.spec.selector).toEqual(deployment.spec.selector);
    expect(next.deployment.spec.template.metadata.labels["app.kubernetes.io/version"]).toBe("1.5.0");
  });

  it("labels, change cause and revision", () => {
    expect(deployment.metadata.labels).toEqual({
      "app.kubernetes.io/name": "payments-api",
      "app.kubernetes.io/version": "1.4.2",
      "app.kubernetes.io/managed-by": "wharf",
      "wharf.io/team": "payments",
      "wharf.io/service": "payments-api",
    });
    expect(deployment.metadata.annotations).toEqual({ "kubernetes.io/change-cause": "Deploy 1.4.2 by Ada Lovelace (Wharf)", "wharf.io/revision": "7" });
    // On the Deployment only: a re-deploy of the same template must not restart pods.
    expect(deployment.spec.template.metadata).toEqual({ labels: deployment.metadata.labels });
  });

  it("a rolling update that keeps every serving pod until its replacement is ready", () => {
    expect(deployment.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } });
    expect(deployment.spec.progressDeadlineSeconds).toBe(300);
    expect(deployment.spec.revisionHistoryLimit).toBe(5);
  });

  it("the replicas override wins over the deploy spec", () => {
    expect(renderDeployment(ordersWorker).deployment.spec.replicas).toBe(1);
    expect(deployment.spec.replicas).toBe(3);
  });

  it("a ClusterIP Service on the port", () => {
    expect(service.spec).toEqual({
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "payments-api" },
      ports: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }],
    });
  });
});

describe("telemetry settings", () => {
  it("the role name as OTEL_SERVICE_NAME and the declared dependencies as JSON on the Deployment", () => {
    const { deployment } = renderDeployment(ordersWorker);
    expect(deployment.spec.template.spec.containers[0]?.env).toEqual([{ name: "OTEL_SERVICE_NAME", value: "fulfilment.orders-worker" }]);
    expect(JSON.parse(deployment.metadata.annotations["wharf.io/dependencies"] ?? "null")).toEqual([
      { kind: "service", target: "payments-api" },
      { kind: "sql", target: "orders-db" },
      { kind: "servicebus", target: "sb-fulfilment" },
    ]);
    // Not on the pod template: a change of declared dependencies must not restart pods.
    expect(deployment.spec.template.metadata).toEqual({ labels: deployment.metadata.labels });
  });

  it("neither without a role name or dependencies", () => {
    const { deployment } = renderDeployment(searchIndexer);
    expect(deployment.spec.template.spec.containers[0]?.env).toBeUndefined();
    expect(deployment.metadata.annotations["wharf.io/dependencies"]).toBeUndefined();
  });

  it("a rollback keeps the earlier revision's dependencies", () => {
    const rollback = restampManifest(renderDeployment(ordersWorker), { revision: 13, changeCause: "Roll back" });
    expect(rollback.deployment.metadata.annotations["wharf.io/dependencies"]).toBe(
      renderDeployment(ordersWorker).deployment.metadata.annotations["wharf.io/dependencies"],
    );
  });
});

describe("versionLabel", () => {
  it.each([
    [{ tag: "1.4.2" }, "1.4.2"],
    [{ tag: "_build.7" }, "build.7"],
    [{ tag: "a".repeat(62) + "-b" }, "a".repeat(62)],
    [{ tag: "___" }, ""],
    [{ digest: `sha256:${"0123456789abcdef".repeat(4)}` }, "sha256-0123456789ab"],
    [{ digest: `sha256:${"0123456789abcdef".repeat(4)}`, tag: "1.4.2" }, "1.4.2"],
  ])("%o → %s", (image, label) => {
    expect(versionLabel(image)).toBe(label);
    expect(label).toMatch(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/);
    expect(label.length).toBeLessThanOrEqual(63);
  });
});

describe("the sandbox API server accepts what Wharf renders", () => {
  function cluster(namespace: string): ClusterOperations {
    const operations = new ClusterOperations(new ClusterStore("aks-render-test"), {});
    operations.create(namespaces, undefined, { metadata: { name: namespace } }, { manager: "test" });
    return operations;
  }

  it.each([paymentsApi, ordersWorker, searchIndexer])("$service.slug: server-side apply with strict field validation", (input) => {
    const { deployment, service } = renderDeployment(input);
    const operations = cluster(input.namespace.name);
    try {
      const applied = operations.apply(deployments, deployment.metadata.namespace, deployment.metadata.name, deployment, {
        manager: "wharf",
        fieldValidation: "Strict",
      });
      expect(applied.warnings).toEqual([]);
      expect(
        operations.apply(services, service.metadata.namespace, service.metadata.name, service, { manager: "wharf", fieldValidation: "Strict" }).warnings,
      ).toEqual([]);
      // Re-applying the same manifest changes nothing, as a rollback of an unchanged template must not.
      const again = operations.apply(deployments, deployment.metadata.namespace, deployment.metadata.name, deployment, {
        manager: "wharf",
        fieldValidation: "Strict",
      });
      expect(again.object.metadata.generation).toBe(applied.object.metadata.generation);
    } catch (error) {
      throw error instanceof KubeError ? new Error(JSON.stringify(error.status, null, 2)) : error;
    } finally {
      operations.close();
    }
  });

  it("a service slug that starts with a digit is a Deployment name but not a Service name", () => {
    const { service } = renderDeployment({ ...paymentsApi, service: { slug: "3d-renderer" } });
    const operations = cluster("payments-prod");
    try {
      expect(() => operations.apply(services, "payments-prod", service.metadata.name, service, { manager: "wharf", fieldValidation: "Strict" })).toThrow(
        KubeError,
      );
    } finally {
      operations.close();
    }
  });
});

describe("manifestDiff", () => {
  const current = manifestYaml(renderDeployment(paymentsApi));

  it("a first deployment adds every line", () => {
    const diff = manifestDiff(null, current);
    expect(diff.changed).toBe(true);
    expect(diff.removed).toBe(0);
    expect(diff.added).toBe(current.trimEnd().split("\n").length);
    expect(diff.unified.startsWith("--- current\n+++ next\n@@ -0,0 +1,")).toBe(true);
  });

  it("a new tag changes the version labels, the change cause, the revision and the image, and nothing else", () => {
    const next = manifestYaml(renderDeployment({ ...paymentsApi, image: { tag: "1.4.3" }, changeCause: "Deploy 1.4.3 by Ada Lovelace (Wharf)", revision: 8 }));
    const diff = manifestDiff(current, next);
    expect(diff.lines.filter((line) => line.kind === "removed").map((line) => line.text.trim())).toEqual([
      "app.kubernetes.io/version: 1.4.2",
      "kubernetes.io/change-cause: Deploy 1.4.2 by Ada Lovelace (Wharf)",
      'wharf.io/revision: "7"',
      "app.kubernetes.io/version: 1.4.2",
      "image: contoso.azurecr.io/payments/api:1.4.2",
      "app.kubernetes.io/version: 1.4.2",
    ]);
    expect(diff.added).toBe(6);
    expect(diff.unified).toContain("-          image: contoso.azurecr.io/payments/api:1.4.2\n+          image: contoso.azurecr.io/payments/api:1.4.3\n");
  });

  it("the same manifest is no change", () => {
    expect(manifestDiff(current, current)).toEqual({ changed: false, added: 0, removed: 0, unified: "", lines: [] });
  });

  it("a rollback restamps an earlier manifest with a new revision and cause, and leaves the original alone", () => {
    const earlier = renderDeployment(paymentsApi);
    const rollback = restampManifest(earlier, { revision: 9, changeCause: "Roll back to revision 7 by Grace Hopper (Wharf)" });
    expect(rollback.deployment.metadata.annotations).toEqual({
      "kubernetes.io/change-cause": "Roll back to revision 7 by Grace Hopper (Wharf)",
      "wharf.io/revision": "9",
    });
    expect(earlier.deployment.metadata.annotations["wharf.io/revision"]).toBe("7");
    expect(rollback.deployment.spec).toEqual(earlier.deployment.spec);
    expect(manifestDiff(manifestYaml(earlier), manifestYaml(rollback)).removed).toBe(2);
  });
});
