// Writing objects the way the API server would have stored them. The
// controller writes straight to the store (it is the cluster's own
// component, not an API client), so it stamps what the write path would:
// identity, defaults, generation and managedFields, so that clients,
// kubectl and server-side apply see controller-made objects exactly as on AKS.
import { randomUUID } from "node:crypto";
import { mutateOnCreate, validateOnCreate } from "../admission";
import { applyDefaults } from "../defaults";
import { recordUpdate } from "../managed-fields";
import { clone, deepEqual, timestamp, type KubeObject } from "../objects";
import { apiVersionOf, type ResourceType } from "../resources";
import type { ControllerContext } from "./context";

/** Field managers as a real cluster records them. */
export const managers = {
  controllerManager: "kube-controller-manager",
  kubelet: "kubelet",
  scheduler: "kube-scheduler",
} as const;

/**
 * Creates an object as the API server would: defaults, then the same
 * admission a client's create goes through (LimitRanger, quota). Throws the
 * API's KubeError (403 Forbidden) when admission refuses it.
 */
export function createObject(ctx: ControllerContext, type: ResourceType, object: KubeObject, manager: string): KubeObject {
  object.apiVersion = apiVersionOf(type);
  object.kind = type.kind;
  applyDefaults(type.kind, object);
  mutateOnCreate(ctx.store, type, object);
  validateOnCreate(ctx.store, type, object);
  object.metadata.uid = randomUUID();
  object.metadata.creationTimestamp = timestamp(new Date(ctx.now()));
  if (type.tracksGeneration) object.metadata.generation = 1;
  return ctx.store.write(type, recordUpdate(type, undefined, object, manager));
}

/**
 * Stores `next` in place of `current` when they differ, bumping generation on
 * a spec change as the API server does; returns what is stored. Writing only
 * on change keeps watchers quiet and lets the reconcile loop reach a fixpoint.
 */
export function updateObject(
  ctx: ControllerContext,
  type: ResourceType,
  current: KubeObject,
  next: KubeObject,
  manager: string,
  subresource: "" | "status" = "",
): KubeObject {
  if (deepEqual(next, current)) return current;
  const candidate = clone(next);
  if (type.tracksGeneration && !deepEqual(candidate.spec, current.spec)) candidate.metadata.generation = (current.metadata.generation ?? 0) + 1;
  return ctx.store.write(type, recordUpdate(type, current, candidate, manager, subresource));
}

/** The owner reference a controller puts on what it creates. */
export function controllerReference(owner: KubeObject): NonNullable<KubeObject["metadata"]["ownerReferences"]>[number] {
  return {
    apiVersion: owner.apiVersion ?? "",
    kind: owner.kind ?? "",
    name: owner.metadata.name ?? "",
    uid: owner.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The uid of the object's managing controller, if any. */
export function controllerUid(object: KubeObject, kind: string): string | undefined {
  return object.metadata.ownerReferences?.find((reference) => reference.controller && reference.kind === kind)?.uid;
}

export function controllerName(object: KubeObject, kind: string): string | undefined {
  return object.metadata.ownerReferences?.find((reference) => reference.controller && reference.kind === kind)?.name;
}

/** Random name suffixes drawn from the alphabet apimachinery uses (no vowels, no look-alikes). */
const alphanums = "bcdfghjklmnpqrstvwxz2456789";

export function randomSuffix(length = 5): string {
  let suffix = "";
  for (let index = 0; index < length; index++) suffix += alphanums[Math.floor(Math.random() * alphanums.length)];
  return suffix;
}

/** rand.SafeEncodeString: maps each byte onto the same alphabet, as pod-template-hash is spelled. */
export function safeEncode(text: string): string {
  let encoded = "";
  for (const char of text) encoded += alphanums[char.charCodeAt(0) % alphanums.length];
  return encoded;
}
