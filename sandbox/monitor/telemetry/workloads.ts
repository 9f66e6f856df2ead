// What runs in a sandbox cluster, as telemetry needs it: each Deployment whose
// pod template names its App Insights role (OTEL_SERVICE_NAME, as Wharf's
// renderer sets it), its declared dependencies (the wharf.io/dependencies
// annotation), its revisions with their image tags and since when each ran,
// and which of its pods are not ready now and since when. Pure: objects in,
// workloads out.
import type { SandboxCluster } from "../../clusters";
import type { KubeObject } from "../../kubernetes/objects";
import { parseImage } from "../../kubernetes/controller/images";

export const roleNameEnv = "OTEL_SERVICE_NAME";
export const dependenciesAnnotation = "wharf.io/dependencies";

export interface DeclaredDependency {
  kind: string;
  target: string;
}

export interface WorkloadRevision {
  /** When this revision's ReplicaSet was created: it serves from then until the next one. */
  since: number;
  /** The ReplicaSet's name, the prefix of its pods' names (AppRoleInstance). */
  replicaSet: string;
  tag: string;
}

export interface Workload {
  cluster: SandboxCluster;
  namespace: string;
  /** The Deployment's name. */
  name: string;
  /** The catalog slug (label wharf.io/service), or the Deployment's name. */
  service: string;
  roleName: string;
  dependencies: DeclaredDependency[];
  replicas: number;
  /** Oldest first; never empty. */
  revisions: WorkloadRevision[];
  /** Pods that are not ready now, as a share of max(desired, pods); 0 when all serve. */
  unready: number;
  /**
   * Pods crash-looping now (restarted, or waiting in CrashLoopBackOff), as a share of max(desired, pods): part of
   * `unready`. Each takes its share of the calls routed to the role and drops them (profile.ts `conditionAt`).
   */
  crashing: number;
  /** No pod is ready: every request fails. */
  down: boolean;
  /** Since when the pods have been unready (epoch ms), when `unready` > 0. */
  unreadySince?: number;
  /** A waiting reason among the unready pods (CrashLoopBackOff, ImagePullBackOff…), for exception messages. */
  waitingReason?: string;
}

export interface ClusterObjects {
  cluster: SandboxCluster;
  deployments: readonly Readonly<KubeObject>[];
  replicaSets: readonly Readonly<KubeObject>[];
  pods: readonly Readonly<KubeObject>[];
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const time = (value: unknown): number | undefined => (typeof value === "string" && !Number.isNaN(Date.parse(value)) ? Date.parse(value) : undefined);

function containersOf(template: Json): Json[] {
  return asArray(asObject(asObject(template).spec).containers).map(asObject);
}

function roleNameOf(deployment: Readonly<KubeObject>): string | undefined {
  for (const container of containersOf(asObject(asObject(deployment.spec).template))) {
    const env = asArray(container.env)
      .map(asObject)
      .find((e) => e.name === roleNameEnv);
    if (typeof env?.value === "string" && env.value.trim()) return env.value.trim();
  }
  return undefined;
}

/** The annotation's JSON; anything else (hand-edited, truncated) declares nothing rather than failing every query. */
export function parseDependencies(annotation: string | undefined): DeclaredDependency[] {
  if (!annotation) return [];
  try {
    return asArray(JSON.parse(annotation))
      .map(asObject)
      .flatMap((d) => (typeof d.kind === "string" && typeof d.target === "string" && d.target ? [{ kind: d.kind, target: d.target }] : []));
  } catch {
    return [];
  }
}

/**
 * The positions of `objects` by namespace and owner uid (each object once per
 * owner, in order): what `filter` by owner found by scanning every object for
 * every owner, quadratic in a cluster of 2,000 Deployments.
 */
function ownerIndex(objects: readonly Readonly<KubeObject>[]): Map<unknown, Map<unknown, number[]>> {
  const index = new Map<unknown, Map<unknown, number[]>>();
  objects.forEach((object, position) => {
    const namespace = object.metadata.namespace;
    let owners = index.get(namespace);
    if (!owners) index.set(namespace, (owners = new Map()));
    for (const ref of asArray(object.metadata.ownerReferences)) {
      const positions = owners.get(asObject(ref).uid) ?? [];
      if (positions.at(-1) !== position) positions.push(position);
      owners.set(asObject(ref).uid, positions);
    }
  });
  return index;
}

/** The objects in `namespace` owned by any of `uids`, in their order in `objects` (as `objects.filter` would give them). */
function ownedBy<T>(objects: readonly T[], index: Map<unknown, Map<unknown, number[]>>, namespace: string, uids: readonly (string | undefined)[]): T[] {
  const owners = index.get(namespace);
  const positions = new Set<number>();
  for (const uid of uids) if (uid !== undefined) for (const position of owners?.get(uid) ?? []) positions.add(position);
  return [...positions].sort((a, b) => a - b).map((position) => objects[position]!);
}

function tagOf(template: Json): string {
  const image = containersOf(template)[0]?.image;
  return typeof image === "string" ? (parseImage(image).tag ?? "") : "";
}

function podReadiness(pod: Readonly<KubeObject>): { ready: boolean; since: number | undefined; waiting?: string; crashing: boolean } {
  const status = asObject(pod.status);
  const ready = asArray(status.conditions)
    .map(asObject)
    .find((c) => c.type === "Ready");
  const waiting = asArray(status.containerStatuses)
    .map((c) => asObject(asObject(asObject(c).state).waiting).reason)
    .find((reason): reason is string => typeof reason === "string");
  // A container that has died and been started again (or waits to be): the kubelet restarts it for ever.
  const crashing = asArray(status.containerStatuses)
    .map(asObject)
    .some((c) => (typeof c.restartCount === "number" && c.restartCount > 0) || asObject(asObject(c.state).waiting).reason === "CrashLoopBackOff");
  return { ready: ready?.status === "True", since: time(ready?.lastTransitionTime) ?? time(pod.metadata.creationTimestamp), waiting, crashing };
}

export function workloadsOf({ cluster, deployments, replicaSets, pods }: ClusterObjects): Workload[] {
  const workloads: Workload[] = [];
  const replicaSetOwners = ownerIndex(replicaSets);
  const podOwners = ownerIndex(pods);
  for (const deployment of deployments) {
    const roleName = roleNameOf(deployment);
    const spec = asObject(deployment.spec);
    const replicas = typeof spec.replicas === "number" ? spec.replicas : 1;
    if (!roleName || replicas < 1 || deployment.metadata.deletionTimestamp) continue;
    const namespace = deployment.metadata.namespace ?? "default";
    const own = ownedBy(replicaSets, replicaSetOwners, namespace, [deployment.metadata.uid]);
    const revisions = own
      .map((rs) => ({
        since: time(rs.metadata.creationTimestamp) ?? 0,
        revision: Number(asObject(rs.metadata.annotations)["deployment.kubernetes.io/revision"] ?? 0),
        replicaSet: rs.metadata.name ?? "",
        tag: tagOf(asObject(asObject(rs.spec).template)),
      }))
      .sort((a, b) => a.revision - b.revision || a.since - b.since)
      .map(({ since, replicaSet, tag }) => ({ since, replicaSet, tag }));
    if (revisions.length === 0) {
      revisions.push({
        since: time(deployment.metadata.creationTimestamp) ?? 0,
        replicaSet: deployment.metadata.name ?? "",
        tag: tagOf(asObject(spec.template)),
      });
    }
    const ownPods = ownedBy(
      pods,
      podOwners,
      namespace,
      own.map((rs) => rs.metadata.uid),
    ).filter((pod) => !pod.metadata.deletionTimestamp);
    const states = ownPods.map(podReadiness);
    const unreadyPods = states.filter((s) => !s.ready);
    const readyCount = states.length - unreadyPods.length;
    const sinces = unreadyPods.flatMap((s) => (s.since === undefined ? [] : [s.since]));
    const labels = asObject(deployment.metadata.labels);
    workloads.push({
      cluster,
      namespace,
      name: deployment.metadata.name ?? "",
      service: typeof labels["wharf.io/service"] === "string" ? labels["wharf.io/service"] : (deployment.metadata.name ?? ""),
      roleName,
      dependencies: parseDependencies(asObject(deployment.metadata.annotations)[dependenciesAnnotation] as string | undefined),
      replicas,
      revisions,
      unready: unreadyPods.length / Math.max(replicas, states.length, 1),
      crashing: unreadyPods.filter((s) => s.crashing).length / Math.max(replicas, states.length, 1),
      down: readyCount === 0,
      unreadySince: sinces.length ? Math.min(...sinces) : unreadyPods.length || readyCount === 0 ? revisions.at(-1)?.since : undefined,
      waitingReason: unreadyPods.find((s) => s.waiting)?.waiting,
    });
  }
  return workloads.sort((a, b) => (a.cluster.name + a.namespace + a.name < b.cluster.name + b.namespace + b.name ? -1 : 1));
}
