// Renders a service's deploy spec into the Deployment and Service Wharf
// applies, following the AKS reference architecture: probes, requests and
// limits, a locked-down security context, labels a team can select on, and
// a rolling update that never takes a serving pod away before its
// replacement is ready. Pure: the same input gives the same objects, key for
// key, so their YAML is identical each time and a diff shows only real change.
// Decisions: docs/decisions/0014-deployment-rendering.md.
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IService } from "kubernetes-models/v1/Service";
import type { DeploySpec } from "@/lib/catalog/service-input";
import type { ImageVersion } from "./deploy-input";

/** The deploy spec as the catalog stores it; `readOnlyRootFilesystem: false` is the one opt-out a service may take. */
export type RenderableDeploySpec = DeploySpec & { readOnlyRootFilesystem?: boolean };

/** A declared dependency as the catalog stores it: `service` with the callee's slug, or an external kind with its target. */
export interface RenderedDependency {
  kind: string;
  target: string;
}

export interface RenderDeploymentInput {
  service: {
    slug: string;
    /** Becomes OTEL_SERVICE_NAME, which the Azure Monitor OpenTelemetry distro reports as the cloud role name (AppRoleName). */
    appInsightsRoleName?: string | null;
    /** Declared dependencies, written on the Deployment for tools that read the cluster (the sandbox's telemetry among them). */
    dependencies?: readonly RenderedDependency[];
  };
  deploySpec: RenderableDeploySpec;
  team: { slug: string };
  namespace: { name: string };
  image: ImageVersion;
  /** The request's override, or the deploy spec's replicas. */
  replicas?: number;
  /** Why this revision exists, as `kubectl rollout history` shows it: "Deploy 1.4.2 by Ada (Wharf)". */
  changeCause: string;
  /** Wharf's own revision number for this service in this namespace. */
  revision: number;
}

export const labelKeys = {
  name: "app.kubernetes.io/name",
  version: "app.kubernetes.io/version",
  managedBy: "app.kubernetes.io/managed-by",
  team: "wharf.io/team",
  service: "wharf.io/service",
} as const;

export const annotationKeys = { changeCause: "kubernetes.io/change-cause", revision: "wharf.io/revision", dependencies: "wharf.io/dependencies" } as const;

/** The environment variable OpenTelemetry SDKs (and the Azure Monitor distro) read the service name from. */
export const roleNameEnv = "OTEL_SERVICE_NAME";

export const fieldManager = "wharf";
export const portName = "http";

/** Rollout settings; why each value: docs/decisions/0014-deployment-rendering.md. */
export const rolloutSettings = {
  maxSurge: "25%",
  maxUnavailable: 0,
  progressDeadlineSeconds: 300,
  revisionHistoryLimit: 5,
} as const;

type Labels = Record<string, string>;

interface HttpProbe {
  httpGet: { path: string; port: string };
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

export interface RenderedContainer {
  name: string;
  image: string;
  imagePullPolicy: "IfNotPresent";
  ports: { name: string; containerPort: number; protocol: "TCP" }[];
  env?: { name: string; value: string }[];
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  startupProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  securityContext: {
    allowPrivilegeEscalation: boolean;
    capabilities: { drop: string[] };
    privileged: boolean;
    readOnlyRootFilesystem: boolean;
    runAsNonRoot: boolean;
  };
  volumeMounts?: { name: string; mountPath: string }[];
}

/** The Deployment Wharf applies: a kubernetes-models IDeployment with every field Wharf sets made required. */
export interface RenderedDeployment {
  apiVersion: "apps/v1";
  kind: "Deployment";
  metadata: { name: string; namespace: string; labels: Labels; annotations: Labels };
  spec: {
    replicas: number;
    revisionHistoryLimit: number;
    progressDeadlineSeconds: number;
    selector: { matchLabels: Labels };
    strategy: { type: "RollingUpdate"; rollingUpdate: { maxSurge: string | number; maxUnavailable: string | number } };
    template: {
      metadata: { labels: Labels };
      spec: {
        securityContext: { runAsNonRoot: boolean; seccompProfile: { type: "RuntimeDefault" } };
        containers: RenderedContainer[];
        volumes?: { name: string; emptyDir: Record<string, never> }[];
      };
    };
  };
}

export interface RenderedService {
  apiVersion: "v1";
  kind: "Service";
  metadata: { name: string; namespace: string; labels: Labels };
  spec: {
    type: "ClusterIP";
    selector: Labels;
    ports: { name: string; port: number; targetPort: string; protocol: "TCP" }[];
  };
}

export interface RenderedManifest {
  deployment: RenderedDeployment;
  service: RenderedService;
}

/**
 * `repository:tag`, `repository@sha256:...`, or `repository:tag@sha256:...` for a digest picked as a tag: the
 * runtime pulls by the digest and ignores the tag, which stays for people (`kubectl get pods`, health's version running).
 */
export function imageReference(repository: string, image: ImageVersion): string {
  if (!("digest" in image)) return `${repository}:${image.tag}`;
  return `${repository}${image.tag !== undefined ? `:${image.tag}` : ""}@${image.digest}`;
}

/**
 * The `app.kubernetes.io/version` value. A label value is at most 63
 * characters of [A-Za-z0-9_.-] that start and end alphanumeric, while a tag
 * may have 128 and start with `_`: long tags are cut and their edges trimmed.
 * A digest becomes `sha256-` and its first 12 hex digits, as `docker images`
 * shortens ids; a digest picked as a tag is labelled with the tag (decision
 * 0064). The label is for people and selectors; the image field is the truth.
 */
export function versionLabel(image: ImageVersion): string {
  const tag = image.tag;
  if (tag === undefined) return "digest" in image ? `sha256-${image.digest.slice("sha256:".length, "sha256:".length + 12)}` : "";
  return tag
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/[^A-Za-z0-9]+$/, "");
}

/**
 * Labels that never change for a service, and so the only ones a selector
 * may use: a Deployment's selector is immutable, and a Service selecting on
 * the version would drop traffic to old pods in the middle of a rollout.
 */
export function selectorLabels(serviceSlug: string): Labels {
  return { [labelKeys.name]: serviceSlug };
}

function labelsFor(input: RenderDeploymentInput): Labels {
  return {
    [labelKeys.name]: input.service.slug,
    [labelKeys.version]: versionLabel(input.image),
    [labelKeys.managedBy]: "wharf",
    [labelKeys.team]: input.team.slug,
    [labelKeys.service]: input.service.slug,
  };
}

function httpProbe(path: string, periodSeconds: number, failureThreshold: number): HttpProbe {
  return { httpGet: { path, port: portName }, periodSeconds, timeoutSeconds: 2, failureThreshold };
}

function container(input: RenderDeploymentInput, readOnlyRootFilesystem: boolean): RenderedContainer {
  const spec = input.deploySpec;
  const rendered: RenderedContainer = {
    name: input.service.slug,
    image: imageReference(spec.imageRepository, input.image),
    // Not Always: with Always a container restart needs the registry up, even for an image the node holds.
    imagePullPolicy: "IfNotPresent",
    ports: [{ name: portName, containerPort: spec.port, protocol: "TCP" }],
    // Configured the way a real app is, so its telemetry carries the catalog's role name.
    ...(input.service.appInsightsRoleName ? { env: [{ name: roleNameEnv, value: input.service.appInsightsRoleName }] } : {}),
    resources: {
      requests: { cpu: spec.cpuRequest, memory: spec.memoryRequest },
      limits: { cpu: spec.cpuLimit, memory: spec.memoryLimit },
    },
    // Up to 30 × 5 s = 150 s to start before liveness may restart the container: slow
    // starters are not killed mid-start (the reference architecture's warning), and the
    // budget stays inside progressDeadlineSeconds.
    startupProbe: httpProbe(spec.livenessPath, 5, 30),
    readinessProbe: httpProbe(spec.readinessPath, 10, 3),
    livenessProbe: httpProbe(spec.livenessPath, 10, 3),
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      privileged: false,
      readOnlyRootFilesystem,
      runAsNonRoot: true,
    },
  };
  // Runtimes (.NET, the JVM, Node) write temporary files; a writable /tmp keeps a read-only root usable.
  if (readOnlyRootFilesystem) rendered.volumeMounts = [{ name: "tmp", mountPath: "/tmp" }];
  return rendered;
}

function annotationsFor(input: RenderDeploymentInput): Labels {
  const annotations: Labels = { [annotationKeys.changeCause]: input.changeCause, [annotationKeys.revision]: String(input.revision) };
  const dependencies = input.service.dependencies ?? [];
  if (dependencies.length) annotations[annotationKeys.dependencies] = JSON.stringify(dependencies.map(({ kind, target }) => ({ kind, target })));
  return annotations;
}

export function renderDeployment(input: RenderDeploymentInput): RenderedManifest {
  const name = input.service.slug;
  const namespace = input.namespace.name;
  const labels = labelsFor(input);
  const selector = selectorLabels(name);
  const readOnlyRootFilesystem = input.deploySpec.readOnlyRootFilesystem !== false;
  const podSpec: RenderedDeployment["spec"]["template"]["spec"] = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [container(input, readOnlyRootFilesystem)],
  };
  if (readOnlyRootFilesystem) podSpec.volumes = [{ name: "tmp", emptyDir: {} }];

  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name,
      namespace,
      labels,
      // On the Deployment, not the pod template: the controller copies them to the
      // ReplicaSet (so `kubectl rollout history` shows them), and a re-deploy or a
      // rollback of the same template reuses its ReplicaSet instead of restarting pods.
      annotations: annotationsFor(input),
    },
    spec: {
      replicas: input.replicas ?? input.deploySpec.replicas,
      revisionHistoryLimit: rolloutSettings.revisionHistoryLimit,
      progressDeadlineSeconds: rolloutSettings.progressDeadlineSeconds,
      selector: { matchLabels: selector },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: rolloutSettings.maxSurge, maxUnavailable: rolloutSettings.maxUnavailable } },
      template: { metadata: { labels: { ...labels } }, spec: podSpec },
    },
  } satisfies RenderedDeployment & IDeployment;

  const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace, labels: { ...labels } },
    spec: {
      type: "ClusterIP",
      selector: { ...selector },
      ports: [{ name: portName, port: input.deploySpec.port, targetPort: portName, protocol: "TCP" }],
    },
  } satisfies RenderedService & IService;

  return { deployment, service };
}

/**
 * A stored manifest with a new revision and change cause: a rollback
 * re-applies an earlier revision's manifest as a new, audited deployment.
 */
export function restampManifest(manifest: RenderedManifest, stamp: { revision: number; changeCause: string }): RenderedManifest {
  const deployment = structuredClone(manifest.deployment);
  const dependencies = manifest.deployment.metadata.annotations[annotationKeys.dependencies];
  deployment.metadata.annotations = { [annotationKeys.changeCause]: stamp.changeCause, [annotationKeys.revision]: String(stamp.revision) };
  // The revision's declared dependencies go back with it.
  if (dependencies !== undefined) deployment.metadata.annotations[annotationKeys.dependencies] = dependencies;
  return { deployment, service: structuredClone(manifest.service) };
}
