// The Kustomize manifests Wharf runs on AKS with (decision 0039): every
// overlay renders with kubectl's built-in Kustomize, every rendered object
// passes its schema (kubernetes-models for built-in kinds, unknown fields
// refused as `kubectl apply`'s strict field validation does, the published
// CRD schema for SecretProviderClass), and the rules Wharf's own pods follow
// hold in each overlay. A wrong field injected into a rendered object fails.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { ConfigMap, Namespace, Service, ServiceAccount } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { unknownFields } from "@/sandbox/kubernetes/schema";

const here = import.meta.dirname;
const root = join(here, "..", "..");
const overlays = readdirSync(join(here, "overlays"));
const kubectl = process.env.KUBECTL ?? "kubectl";

type Json = Record<string, unknown>;
interface KubeObject extends Json {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

/**
 * The overlays use Kustomize 4+ fields (`replicas`, `patches`): kubectl 1.21 and later. Debian bookworm's
 * kubernetes-client is 1.20 (Kustomize 2), which cannot read them; say so rather than fail on a parse error.
 */
function checkKubectl(): void {
  const version = spawnSync(kubectl, ["version", "--client"], { encoding: "utf8" });
  if (version.error && (version.error as NodeJS.ErrnoException).code === "ENOENT")
    throw new Error(
      `kubectl is not installed (looked for "${kubectl}" on PATH): these tests render the manifests with \`kubectl kustomize\`. ` +
        "Install kubectl 1.21 or later (https://kubernetes.io/docs/tasks/tools/) or point KUBECTL at one.",
    );
  const kustomize = /Kustomize Version: v(\d+)\./.exec(version.stdout);
  if (!kustomize || Number(kustomize[1]) < 4)
    throw new Error(`${kubectl} is too old: the overlays need kubectl 1.21 or later (Kustomize 4+); it says: ${version.stdout.split("\n")[0]}`);
}

function render(overlay: string): KubeObject[] {
  checkKubectl();
  const result = spawnSync(kubectl, ["kustomize", join(here, "overlays", overlay)], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${overlay} failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

// --- schemas ---------------------------------------------------------------

/** The kinds the manifests use, by apiVersion and kind: a kind added without a model here fails the schema test. */
const models: Record<string, new (data: never) => { validate(): void }> = {
  "v1 Namespace": Namespace,
  "v1 ServiceAccount": ServiceAccount,
  "v1 ConfigMap": ConfigMap,
  "v1 Service": Service,
  "apps/v1 Deployment": Deployment,
  "batch/v1 Job": Job,
  "networking.k8s.io/v1 Ingress": Ingress,
  "networking.k8s.io/v1 NetworkPolicy": NetworkPolicy,
  "autoscaling/v2 HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "policy/v1 PodDisruptionBudget": PodDisruptionBudget,
};

/** kubernetes-models: types, formats and required fields of every built-in kind. */
function modelProblems(object: KubeObject): string[] {
  const Model = models[`${object.apiVersion} ${object.kind}`];
  if (!Model) return [`no schema for ${object.apiVersion} ${object.kind} (add its kubernetes-models class to this test)`];
  try {
    new Model(object as never).validate();
    return [];
  } catch (error) {
    return [`${object.kind} ${object.metadata.name}: ${(error as Error).message}`];
  }
}

/**
 * kubernetes-models accepts fields it does not know; `kubectl apply` (strict
 * field validation) refuses them. The same check the sandbox's API server runs,
 * on client-node's models.
 */
function unknownFieldProblems(object: KubeObject): string[] {
  const version = object.apiVersion.split("/").pop()!;
  const typeName = `${version[0]!.toUpperCase()}${version.slice(1)}${object.kind}`;
  if (!hasModel(typeName)) return [`no model ${typeName} to check ${object.kind} ${object.metadata.name}'s fields against`];
  return unknownFields(object, { kind: "struct", typeName }).map((path) => `${object.kind} ${object.metadata.name}: unknown field "${path}"`);
}

function hasModel(typeName: string): boolean {
  return unknownFields({ "x-probe": 1 }, { kind: "struct", typeName }).length === 1;
}

/**
 * ajv 8 as kubernetes-models' validator uses it (its own dependency: Wharf
 * does not list ajv itself). A CRD's structural schema refuses fields it does
 * not declare unless it says x-kubernetes-preserve-unknown-fields; JSON Schema
 * allows them, so each object schema with properties gets additionalProperties: false.
 */
function crdValidator(schemaFile: string): (object: unknown) => string[] {
  const requireHere = createRequire(join(root, "package.json"));
  const validatePackage = join(dirname(requireHere.resolve("kubernetes-models/package.json")), "..", "@kubernetes-models", "validate", "package.json");
  const requireAjv = createRequire(validatePackage);
  const AjvClass = requireAjv("ajv").default as new (options: object) => {
    compile(schema: object): ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params: object }[] | null };
  };
  const strict = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(strict);
    if (schema === null || typeof schema !== "object") return schema;
    const entries = Object.entries(schema as Json).filter(([key]) => !key.startsWith("x-kubernetes-"));
    const copy = Object.fromEntries(entries.map(([key, value]) => [key, key === "properties" ? mapValues(value as Json, strict) : strict(value)]));
    if ("properties" in copy && !(schema as Json)["x-kubernetes-preserve-unknown-fields"] && !("additionalProperties" in copy))
      copy.additionalProperties = false;
    return copy;
  };
  const validate = new AjvClass({ allErrors: true, strict: false }).compile(strict(parseYaml(readFileSync(schemaFile, "utf8"))) as object);
  return (object) =>
    validate(object) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
}

const mapValues = (object: Json, map: (value: unknown) => unknown) => Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value)]));

const customResources: Record<string, (object: unknown) => string[]> = {
  "secrets-store.csi.x-k8s.io/v1 SecretProviderClass": crdValidator(join(here, "schemas", "secretproviderclass-v1.yaml")),
};

function schemaProblems(object: KubeObject): string[] {
  const custom = customResources[`${object.apiVersion} ${object.kind}`];
  if (custom) return custom(object).map((problem) => `${object.kind} ${object.metadata.name}: ${problem}`);
  return [...modelProblems(object), ...unknownFieldProblems(object)];
}

// --- Wharf's rules for its own pods ----------------------------------------

interface Container extends Json {
  name: string;
  securityContext?: Json & { capabilities?: { drop?: string[] }; seccompProfile?: { type?: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  startupProbe?: { httpGet?: { path?: string } };
  readinessProbe?: { httpGet?: { path?: string } };
  livenessProbe?: { httpGet?: { path?: string } };
  volumeMounts?: { name: string; mountPath: string }[];
  env?: { name: string }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: Json & {
    serviceAccountName?: string;
    containers: Container[];
    initContainers?: Container[];
    volumes?: (Json & { name: string; emptyDir?: object })[];
    topologySpreadConstraints?: { topologyKey: string }[];
  };
}

const podTemplate = (object: KubeObject) => (object.spec as { template: PodTemplate }).template;

function containerProblems(where: string, container: Container, pod: PodTemplate, needsProbes: boolean): string[] {
  const problems: string[] = [];
  const context = container.securityContext ?? {};
  const podContext = pod.spec.securityContext as { seccompProfile?: { type?: string } } | undefined;
  if (context.runAsNonRoot !== true) problems.push(`${where}: securityContext.runAsNonRoot is not true`);
  if (context.readOnlyRootFilesystem !== true) problems.push(`${where}: securityContext.readOnlyRootFilesystem is not true`);
  if (context.allowPrivilegeEscalation !== false) problems.push(`${where}: securityContext.allowPrivilegeEscalation is not false`);
  if (JSON.stringify(context.capabilities?.drop) !== '["ALL"]') problems.push(`${where}: securityContext.capabilities.drop is not [ALL]`);
  if ((context.seccompProfile ?? podContext?.seccompProfile)?.type !== "RuntimeDefault") problems.push(`${where}: seccompProfile is not RuntimeDefault`);
  for (const resource of ["cpu", "memory"])
    for (const kind of ["requests", "limits"] as const) if (!container.resources?.[kind]?.[resource]) problems.push(`${where}: no ${kind}.${resource}`);
  const tmp = container.volumeMounts?.find((mount) => mount.mountPath === "/tmp");
  if (!tmp || !pod.spec.volumes?.find((volume) => volume.name === tmp.name)?.emptyDir) problems.push(`${where}: /tmp is not an emptyDir`);
  if (needsProbes) {
    if (container.startupProbe?.httpGet?.path !== "/api/healthz") problems.push(`${where}: startupProbe is not GET /api/healthz`);
    if (container.readinessProbe?.httpGet?.path !== "/api/readyz") problems.push(`${where}: readinessProbe is not GET /api/readyz`);
    if (container.livenessProbe?.httpGet?.path !== "/api/healthz") problems.push(`${where}: livenessProbe is not GET /api/healthz`);
  }
  return problems;
}

/** Every Deployment's and Job's pods: securityContext, requests and limits, /tmp, workload identity; Deployments' containers probes too. */
function podProblems(objects: KubeObject[]): string[] {
  const serviceAccounts = new Map(objects.filter((object) => object.kind === "ServiceAccount").map((account) => [account.metadata.name, account]));
  return objects
    .filter((object) => object.kind === "Deployment" || object.kind === "Job")
    .flatMap((object) => {
      const pod = podTemplate(object);
      const name = `${object.kind} ${object.metadata.name}`;
      const problems = [
        ...pod.spec.containers.flatMap((container) => containerProblems(`${name} container ${container.name}`, container, pod, object.kind === "Deployment")),
        ...(pod.spec.initContainers ?? []).flatMap((container) => containerProblems(`${name} init container ${container.name}`, container, pod, false)),
      ];
      if (pod.metadata.labels["azure.workload.identity/use"] !== "true") problems.push(`${name}: pods lack the label azure.workload.identity/use: "true"`);
      const account = serviceAccounts.get(pod.spec.serviceAccountName ?? "default");
      if (!account?.metadata.annotations?.["azure.workload.identity/client-id"])
        problems.push(`${name}: its service account has no azure.workload.identity/client-id annotation`);
      if (object.kind === "Deployment" && !pod.spec.topologySpreadConstraints?.some((spread) => spread.topologyKey === "topology.kubernetes.io/zone"))
        problems.push(`${name}: no topology spread across zones`);
      return problems;
    });
}

/** Every variable the manifests set is one Wharf reads (lib/config.ts, the scripts), so a typo cannot pass unnoticed. */
function unknownVariables(objects: KubeObject[]): string[] {
  const sources = ["lib/config.ts", "scripts/start.ts", "scripts/worker.ts", "scripts/migrate.ts", "deploy/image/entrypoint.sh"]
    .map((file) => readFileSync(join(root, file), "utf8"))
    .join("\n");
  const names = new Set<string>();
  for (const object of objects) {
    if (object.kind === "ConfigMap") for (const name of Object.keys((object.data as Json | undefined) ?? {})) names.add(name);
    if (object.kind === "Deployment" || object.kind === "Job") {
      const pod = podTemplate(object);
      for (const container of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])])
        for (const variable of container.env ?? []) names.add(variable.name);
    }
  }
  // NODE_OPTIONS is Node's own.
  return [...names].filter((name) => name !== "NODE_OPTIONS" && !new RegExp(`\\b${name}\\b`).test(sources));
}

/**
 * The image's entrypoint (deploy/image/entrypoint.sh, decision 0055) picks the program by its first argument and sizes
 * the heap from the container's memory limit: a `command` would skip it, and NODE_OPTIONS heap flags would fight it.
 */
function entrypointProblems(objects: KubeObject[]): string[] {
  const roles = [...readFileSync(join(root, "deploy", "image", "entrypoint.sh"), "utf8").matchAll(/^  ([a-z-]+)\) script=/gm)].map((match) => match[1]);
  return objects
    .filter((object) => object.kind === "Deployment" || object.kind === "Job")
    .flatMap((object) => {
      const pod = podTemplate(object);
      return [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].flatMap((container) => {
        const where = `${object.kind} ${object.metadata.name} container ${container.name}`;
        const args = container.args as string[] | undefined;
        const problems: string[] = [];
        if (container.command) problems.push(`${where}: a command replaces the image's entrypoint`);
        if (!args?.[0] || !roles.includes(args[0])) problems.push(`${where}: args must start with one of ${roles.join(", ")}; got ${JSON.stringify(args)}`);
        if (container.env?.some((variable) => variable.name === "NODE_OPTIONS")) problems.push(`${where}: NODE_OPTIONS set (the entrypoint sizes the heap)`);
        return problems;
      });
    });
}

const byKind = (objects: KubeObject[], kind: string, name?: string) =>
  objects.filter((object) => object.kind === kind && (!name || object.metadata.name === name));
const one = (objects: KubeObject[], kind: string, name?: string) => {
  const found = byKind(objects, kind, name);
  expect(found, `one ${kind}${name ? ` ${name}` : ""}`).toHaveLength(1);
  return found[0]!;
};

// --- tests ------------------------------------------------------------------

describe.each(overlays)("overlay %s", (overlay) => {
  const objects = render(overlay);

  it("renders every part Wharf needs", () => {
    const kinds = objects.map((object) => `${object.kind}/${object.metadata.name.replace(/-[a-z0-9]{10}$/, "")}`).sort();
    for (const part of [
      "ConfigMap/wharf-config",
      "Deployment/wharf-web",
      "Deployment/wharf-worker",
      "HorizontalPodAutoscaler/wharf-web",
      "Ingress/wharf",
      "Job/wharf-migrate",
      "Namespace/wharf",
      "NetworkPolicy/default-deny",
      "NetworkPolicy/web-from-ingress",
      "NetworkPolicy/wharf-egress",
      "PodDisruptionBudget/wharf-web",
      "SecretProviderClass/wharf-key-vault",
      "Service/wharf-web",
      "ServiceAccount/wharf",
    ])
      expect(kinds).toContain(part);
  });

  it("every object passes its schema, with no field its kind does not have", () => {
    const problems = objects.flatMap(schemaProblems);
    expect(problems).toEqual([]);
  });

  it("every container runs as non-root on a read-only root with /tmp, no privileges, requests, limits and probes; pods use workload identity", () => {
    expect(podProblems(objects)).toEqual([]);
  });

  it("sets only environment variables Wharf reads", () => {
    expect(unknownVariables(objects)).toEqual([]);
  });

  it("runs the web without jobs and the worker alone, migrations before either serves", () => {
    const web = podTemplate(one(objects, "Deployment", "wharf-web")).spec.containers[0]!;
    expect(web.env).toContainEqual({ name: "WHARF_WORKER", value: "off" });
    expect(web.args).toEqual(["web"]);
    const worker = podTemplate(one(objects, "Deployment", "wharf-worker")).spec;
    expect(worker.containers[0]!.args).toEqual(["worker"]);
    expect(worker.initContainers?.[0]?.args).toEqual(["migrate", "--wait"]);
    expect(podTemplate(one(objects, "Job", "wharf-migrate")).spec.containers[0]!.args).toEqual(["migrate"]);
  });

  it("runs every container through the image's entrypoint, which sizes the heap from the memory limit", () => {
    expect(entrypointProblems(objects)).toEqual([]);
  });

  it("lets only the application routing ingress reach the web, over TLS; egress only DNS, PostgreSQL and HTTPS", () => {
    const ingress = one(objects, "Ingress") as KubeObject & { spec: { ingressClassName: string; tls: { secretName: string; hosts: string[] }[] } };
    expect(ingress.spec.ingressClassName).toBe("webapprouting.kubernetes.azure.com");
    expect(ingress.spec.tls[0]!.secretName).toBeTruthy();
    const policies = byKind(objects, "NetworkPolicy") as (KubeObject & { spec: Json })[];
    expect(one(objects, "NetworkPolicy", "default-deny").spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const ingressRules = policies.flatMap((policy) => (policy.spec.ingress as { from: Json[] }[] | undefined) ?? []);
    expect(ingressRules.flatMap((rule) => rule.from)).toEqual([
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "app-routing-system" } } },
    ]);
    const egressPorts = policies.flatMap((policy) => ((policy.spec.egress as { ports: { port: number }[] }[] | undefined) ?? []).flatMap((rule) => rule.ports));
    expect([...new Set(egressPorts.map((port) => port.port))].sort((a, b) => a - b)).toEqual([53, 443, 5432]);
  });

  it("sizes the web for the environment: replicas and autoscaler bounds", () => {
    const replicas = (one(objects, "Deployment", "wharf-web").spec as { replicas: number }).replicas;
    const hpa = one(objects, "HorizontalPodAutoscaler").spec as { minReplicas: number; maxReplicas: number; scaleTargetRef: { name: string } };
    expect(hpa.scaleTargetRef.name).toBe("wharf-web");
    expect({ replicas, min: hpa.minReplicas, max: hpa.maxReplicas }).toEqual(
      overlay === "prod" ? { replicas: 3, min: 3, max: 10 } : { replicas: 1, min: 1, max: 2 },
    );
  });
});

describe("the checks can fail", () => {
  const objects = render("prod");
  const copy = (kind: string, name?: string) => structuredClone(byKind(objects, kind, name)[0]!) as KubeObject & { spec: Json };

  it("a typo'd field in a container's securityContext is an unknown field", () => {
    const web = copy("Deployment", "wharf-web");
    const container = podTemplate(web).spec.containers[0]!;
    container.securityContext = { ...container.securityContext, readOnlyRootFilesystm: true };
    expect(schemaProblems(web)).toEqual([`Deployment wharf-web: unknown field "spec.template.spec.containers[0].securityContext.readOnlyRootFilesystm"`]);
  });

  it("a wrong type is refused by kubernetes-models", () => {
    const hpa = copy("HorizontalPodAutoscaler");
    hpa.spec.maxReplicas = "ten";
    expect(schemaProblems(hpa).join()).toMatch(/maxReplicas must be integer/);
  });

  it("the SecretProviderClass against its CRD: a misspelt field and a non-string parameter", () => {
    const spc = copy("SecretProviderClass");
    spc.spec.provder = "azure";
    (spc.spec.parameters as Json).usePodIdentity = false;
    const problems = schemaProblems(spc).join("\n");
    expect(problems).toMatch(/\/spec must NOT have additional properties \{"additionalProperty":"provder"\}/);
    expect(problems).toMatch(/\/spec\/parameters\/usePodIdentity must be string/);
  });

  it("a container without a probe, a writable root, or a pod without the workload identity label", () => {
    const web = copy("Deployment", "wharf-web");
    const pod = podTemplate(web);
    delete pod.spec.containers[0]!.readinessProbe;
    pod.spec.containers[0]!.securityContext!.readOnlyRootFilesystem = false;
    delete pod.metadata.labels["azure.workload.identity/use"];
    const others = objects.filter((object) => !(object.kind === "Deployment" && object.metadata.name === "wharf-web"));
    expect(podProblems([...others, web])).toEqual([
      "Deployment wharf-web container web: securityContext.readOnlyRootFilesystem is not true",
      "Deployment wharf-web container web: readinessProbe is not GET /api/readyz",
      'Deployment wharf-web: pods lack the label azure.workload.identity/use: "true"',
    ]);
  });

  it("a command in place of the entrypoint, an unknown program, or heap flags in NODE_OPTIONS", () => {
    const worker = copy("Deployment", "wharf-worker");
    const pod = podTemplate(worker);
    Object.assign(pod.spec.containers[0]!, {
      command: ["node"],
      env: [...(pod.spec.containers[0]!.env ?? []), { name: "NODE_OPTIONS", value: "--max-old-space-size=384" }],
    });
    pod.spec.initContainers![0]!.args = ["scripts/migrate.ts", "--wait"];
    expect(entrypointProblems([worker])).toEqual([
      "Deployment wharf-worker container worker: a command replaces the image's entrypoint",
      "Deployment wharf-worker container worker: NODE_OPTIONS set (the entrypoint sizes the heap)",
      'Deployment wharf-worker container wait-for-migrations: args must start with one of web, worker, migrate; got ["scripts/migrate.ts","--wait"]',
    ]);
  });

  it("a variable Wharf never reads", () => {
    const config = copy("ConfigMap");
    (config.data as Json).WHARF_PUBLIC_URLS = "https://x";
    expect(unknownVariables([config])).toEqual(["WHARF_PUBLIC_URLS"]);
  });
});
