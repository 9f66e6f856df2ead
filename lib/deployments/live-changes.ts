// What runs on the cluster but not as Wharf last applied it: someone ran
// `kubectl set image`, `kubectl scale` or `kubectl edit`, or deleted the
// Deployment. Wharf applies with force (its fields are its own), so a
// deployment puts its values back; the confirm screen says so before it does.
// Pure: the live object is read with the namespace's quota and limits.
import { quantityMilli } from "@/lib/kubernetes/quantity";
import type { DeploymentShape } from "./quota-demand";

export interface LiveChange {
  /** What differs, as people say it: `replicas`, `image of api`, `CPU limit of api`, `Deployment`. */
  field: string;
  /** On the cluster now. */
  live: string;
  /** What Wharf applied last. */
  applied: string;
}

const resourceNames: [kind: "requests" | "limits", resource: string, label: string][] = [
  ["requests", "cpu", "CPU request"],
  ["limits", "cpu", "CPU limit"],
  ["requests", "memory", "memory request"],
  ["limits", "memory", "memory limit"],
];

/** Equal as quantities (the API server rewrites `0.5` as `500m` and `1024Mi` as `1Gi`). */
function sameQuantity(a: string | number | undefined, b: string | number | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const [x, y] = [quantityMilli(a), quantityMilli(b)];
  return x !== null && y !== null ? x === y : String(a) === String(b);
}

/**
 * The differences between the Deployment Wharf applied last (`applied`, null
 * before its first) and the one on the cluster (`live`, null if there is
 * none), in the fields Wharf sets: replicas, and each container's image,
 * requests and limits. Empty when the cluster runs what Wharf applied.
 */
export function liveChanges(applied: DeploymentShape | null, live: DeploymentShape | null, appliedRevision?: number): LiveChange[] {
  if (!applied && !live) return [];
  const revision = appliedRevision === undefined ? "" : ` (revision ${appliedRevision})`;
  if (!live) return [{ field: "Deployment", live: "missing: deleted outside Wharf", applied: `present${revision}` }];
  const liveContainers = live.spec.template?.spec?.containers ?? [];
  if (!applied) {
    const images = liveContainers.map((container) => container.image ?? "?").join(", ");
    return [{ field: "Deployment", live: `present, not deployed by Wharf (${images})`, applied: "nothing yet" }];
  }
  const changes: LiveChange[] = [];
  const appliedReplicas = applied.spec.replicas ?? 1;
  const liveReplicas = live.spec.replicas ?? 1;
  if (appliedReplicas !== liveReplicas) changes.push({ field: "replicas", live: String(liveReplicas), applied: String(appliedReplicas) });
  for (const container of applied.spec.template?.spec?.containers ?? []) {
    const name = container.name ?? "";
    const running = liveContainers.find((candidate) => candidate.name === name);
    if (!running) {
      changes.push({ field: `container ${name}`, live: "missing", applied: container.image ?? "present" });
      continue;
    }
    if (running.image !== container.image) changes.push({ field: `image of ${name}`, live: running.image ?? "none", applied: container.image ?? "none" });
    for (const [kind, resource, label] of resourceNames) {
      const want = container.resources?.[kind]?.[resource];
      const have = running.resources?.[kind]?.[resource];
      if (!sameQuantity(have, want)) changes.push({ field: `${label} of ${name}`, live: String(have ?? "none"), applied: String(want ?? "none") });
    }
  }
  const known = new Set((applied.spec.template?.spec?.containers ?? []).map((container) => container.name));
  for (const extra of liveContainers.filter((container) => !known.has(container.name))) {
    changes.push({ field: `container ${extra.name ?? ""}`, live: `added (${extra.image ?? "?"})`, applied: "none" });
  }
  return changes;
}
