// Compares what the cluster has with what was approved. Pure: the reconcile
// job lists the objects once per cluster and hands each namespace's share here.
import { quantityMilli } from "@/lib/kubernetes/quantity";
import type { RenderedObject } from "@/lib/namespaces/render-namespace";

export interface ClusterObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; deletionTimestamp?: unknown };
  spec?: unknown;
  roleRef?: unknown;
  subjects?: unknown;
  status?: { phase?: string; hard?: Record<string, string>; used?: Record<string, string> };
}

export function objectKey(object: { kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  return `${object.kind}/${object.metadata?.namespace ?? ""}/${object.metadata?.name}`;
}

function describe(object: RenderedObject): string {
  return object.kind === "Namespace" ? `The namespace ${object.metadata.name}` : `${object.kind} ${object.metadata.name}`;
}

/** Quantities compare by value ("0.5" is "500m"); everything else by JSON, with fields the server added ignored. */
function same(expected: unknown, actual: unknown): boolean {
  if (typeof expected === "string" && typeof actual === "string") {
    if (expected === actual) return true;
    const a = quantityMilli(expected);
    const b = quantityMilli(actual);
    return a !== null && b !== null && a === b;
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => same(item, actual[i]));
  if (expected && typeof expected === "object") {
    if (!actual || typeof actual !== "object") return false;
    return Object.entries(expected).every(([key, value]) => same(value, (actual as Record<string, unknown>)[key]));
  }
  return expected === actual;
}

function hardDifferences(expected: Record<string, string>, actual: Record<string, string> | undefined): string[] {
  const differences: string[] = [];
  for (const [resource, value] of Object.entries(expected)) {
    const found = actual?.[resource];
    if (found === undefined) differences.push(`${resource} is not set (approved ${value})`);
    else if (!same(value, found)) differences.push(`${resource} is ${found} (approved ${value})`);
  }
  for (const resource of Object.keys(actual ?? {})) if (!(resource in expected)) differences.push(`${resource} was added by hand`);
  return differences;
}

/** One sentence per difference; empty when the cluster matches the approved state. */
export function findDrift(expected: RenderedObject[], actual: ReadonlyMap<string, ClusterObject>): string[] {
  const drift: string[] = [];
  for (const object of expected) {
    const found = actual.get(objectKey(object));
    if (!found) {
      drift.push(`${describe(object)} is missing from the cluster.`);
      if (object.kind === "Namespace") return drift;
      continue;
    }
    if (object.kind === "Namespace") {
      if (found.metadata?.deletionTimestamp || found.status?.phase === "Terminating") drift.push(`${describe(object)} is being deleted on the cluster.`);
      for (const [label, value] of Object.entries(object.metadata.labels)) {
        const current = found.metadata?.labels?.[label];
        if (current !== value) drift.push(`${describe(object)} has label ${label}=${current ?? "(none)"}, approved ${value}.`);
      }
    } else if (object.kind === "ResourceQuota") {
      const expectedHard = (object.spec as { hard: Record<string, string> }).hard;
      const differences = hardDifferences(expectedHard, (found.spec as { hard?: Record<string, string> } | undefined)?.hard);
      if (differences.length) drift.push(`${describe(object)} was changed: ${differences.join("; ")}.`);
    } else if (object.kind === "RoleBinding") {
      const subjects = (value: unknown) =>
        JSON.stringify(((value as { kind: string; name: string }[] | undefined) ?? []).map((s) => `${s.kind}:${s.name}`).sort());
      if (!same(object.roleRef, found.roleRef) || subjects(object.subjects) !== subjects(found.subjects))
        drift.push(`${describe(object)} no longer binds the team's groups to edit.`);
    } else if (!same(object.spec, found.spec)) {
      drift.push(`${describe(object)} was changed on the cluster.`);
    }
  }
  return drift;
}
