// The API server's write path for one cluster (its "registry"): create,
// update, patch, apply and delete with admission (namespace lifecycle),
// defaulting, validation, optimistic concurrency, generation, field
// ownership and cascading deletion. The HTTP layer parses requests and calls
// these; a controller can call them too, so every writer gets the same rules.
import { randomUUID } from "node:crypto";
import { mutateOnCreate, validateOnCreate } from "./admission";
import { applyDefaults } from "./defaults";
import { applyConfiguration, recordUpdate } from "./managed-fields";
import { finalizeNamespace } from "./namespace-lifecycle";
import { clone, deepEqual, isPlainObject, timestamp, withoutNulls, type JsonObject, type KubeObject } from "./objects";
import { jsonPatch, mergePatch, strategicMerge, type PatchType } from "./patch";
import { findResource, type ResourceType } from "./resources";
import { alreadyExists, badRequest, conflict, deleted, forbidden, notFound, staleObjectMessage, type Status } from "./status";
import type { ClusterStore } from "./store";
import { checkTypeMeta, checkUnknownFields, validateObject, type FieldValidation } from "./validation";

const namespaces = findResource("", "v1", "namespaces") as ResourceType;
const serviceAccounts = findResource("", "v1", "serviceaccounts") as ResourceType;
const protectedNamespaces = new Set(["default", "kube-system", "kube-public"]);

export interface WriteOptions {
  /** Who is writing, recorded in managedFields. */
  manager: string;
  fieldValidation?: FieldValidation;
  dryRun?: boolean;
  /** "status" writes only status; "" (the main resource) keeps the stored status. */
  subresource?: "" | "status";
}

export interface WriteResult {
  object: KubeObject;
  /** Unknown-field warnings under fieldValidation=Warn, for the Warning header. */
  warnings: string[];
  created: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface ClusterOperationsOptions {
  /** How long a Terminating namespace waits before its contents and itself are removed. */
  namespaceFinalizeDelayMs?: number;
}

const generateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

function generatedName(prefix: string): string {
  let suffix = "";
  for (let index = 0; index < 5; index++) suffix += generateNameAlphabet[Math.floor(Math.random() * generateNameAlphabet.length)];
  return prefix + suffix;
}

/** Parses a request body into an object, turning anything that is not a JSON object into 400. */
export function asObject(body: unknown, what = "the request body"): KubeObject {
  if (!isPlainObject(body)) throw badRequest(`${what} must be a JSON object`);
  const object = withoutNulls(body) as JsonObject;
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  return { ...object, metadata } as KubeObject;
}

function withoutServerFields(object: KubeObject): JsonObject {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = object.metadata;
  return { ...object, metadata };
}

export class ClusterOperations {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly finalizeDelayMs: number;

  constructor(
    readonly store: ClusterStore,
    options: ClusterOperationsOptions = {},
  ) {
    this.finalizeDelayMs = options.namespaceFinalizeDelayMs ?? 500;
    // A namespace that was Terminating when the sandbox stopped finishes now.
    for (const namespace of store.list(namespaces)) if (namespace.metadata.deletionTimestamp) this.scheduleFinalize(namespace.metadata.name ?? "");
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.store.get(type, namespace, name);
    if (!object) throw notFound(type, name);
    return object;
  }

  /** Namespace lifecycle admission: creating content needs an existing namespace that is not being deleted. */
  private admitNamespace(type: ResourceType, namespace: string | undefined, name: string): void {
    if (!type.namespaced || !namespace) return;
    const owner = this.store.get(namespaces, undefined, namespace);
    if (!owner) throw notFound(namespaces, namespace);
    if (owner.metadata.deletionTimestamp) throw forbidden(type, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  }

  private prepareIdentity(type: ResourceType, object: KubeObject, namespace: string | undefined): void {
    if (type.namespaced) {
      if (object.metadata.namespace && object.metadata.namespace !== namespace)
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      object.metadata.namespace = namespace;
    } else delete object.metadata.namespace;
    object.apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
    object.kind = type.kind;
  }

  private commit(type: ResourceType, object: KubeObject, dryRun: boolean | undefined, current?: KubeObject): KubeObject {
    if (dryRun) return { ...object, metadata: { ...object.metadata, resourceVersion: current?.metadata.resourceVersion ?? object.metadata.resourceVersion } };
    return this.store.write(type, object);
  }

  create(type: ResourceType, namespace: string | undefined, body: unknown, options: WriteOptions): WriteResult {
    const object = asObject(body);
    checkTypeMeta(type, object);
    const warnings = checkUnknownFields(type, object, options.fieldValidation ?? "Warn");
    this.prepareIdentity(type, object, namespace);
    if (!object.metadata.name && object.metadata.generateName) object.metadata.name = generatedName(object.metadata.generateName);
    if (object.metadata.resourceVersion) throw badRequest("resourceVersion should not be set on objects to be created");
    return { object: this.createObject(type, object, options), warnings, created: true };
  }

  private createObject(type: ResourceType, object: KubeObject, options: WriteOptions): KubeObject {
    const name = object.metadata.name ?? "";
    const namespace = object.metadata.namespace;
    if (name) this.admitNamespace(type, namespace, name);
    if (type.statusSubresource && type.kind !== "Namespace") delete object.status;
    for (const field of ["uid", "creationTimestamp", "deletionTimestamp", "generation", "resourceVersion", "selfLink"]) delete object.metadata[field];
    applyDefaults(type.kind, object);
    mutateOnCreate(this.store, type, object);
    validateObject(type, object);
    validateOnCreate(this.store, type, object);
    if (this.store.get(type, namespace, name)) throw alreadyExists(type, name);
    object.metadata.uid = randomUUID();
    object.metadata.creationTimestamp = timestamp();
    if (type.tracksGeneration) object.metadata.generation = 1;
    const recorded = object.metadata.managedFields ? object : recordUpdate(type, undefined, object, options.manager);
    const stored = this.commit(type, recorded, options.dryRun);
    if (type.kind === "Namespace" && !options.dryRun) this.addDefaultServiceAccount(name);
    return stored;
  }

  /** The service account controller's job, done at once: every namespace has `default`. */
  private addDefaultServiceAccount(namespace: string): void {
    if (this.store.get(serviceAccounts, namespace, "default")) return;
    const account: KubeObject = {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "default", namespace, uid: randomUUID(), creationTimestamp: timestamp() },
    };
    this.store.write(serviceAccounts, account);
  }

  /** PUT: the whole object, guarded by resourceVersion when the client sends one. */
  update(type: ResourceType, namespace: string | undefined, name: string, body: unknown, options: WriteOptions): WriteResult {
    const object = asObject(body);
    checkTypeMeta(type, object);
    const warnings = checkUnknownFields(type, object, options.fieldValidation ?? "Warn");
    if (object.metadata.name !== undefined && object.metadata.name !== name)
      throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
    object.metadata.name = name;
    this.prepareIdentity(type, object, namespace);
    const current = this.get(type, namespace, name);
    const sentVersion = object.metadata.resourceVersion;
    if (sentVersion && sentVersion !== current.metadata.resourceVersion) throw conflict(type, name, staleObjectMessage);
    return { object: this.replace(type, current, object, options), warnings, created: false };
  }

  /** Stores `next` in place of `current` with the server's rules; a write that changes nothing is not stored. */
  private replace(type: ResourceType, current: KubeObject, next: KubeObject, options: WriteOptions, ownership: "update" | "apply" = "update"): KubeObject {
    const subresource = options.subresource ?? "";
    // The status endpoint takes status only; everything else stays as stored.
    const candidate: KubeObject =
      subresource === "status"
        ? { ...clone(current), status: clone(next.status), metadata: { ...clone(current.metadata), managedFields: clone(next.metadata.managedFields) } }
        : clone(next);
    if (candidate.status === undefined) delete candidate.status;
    for (const field of ["uid", "creationTimestamp", "deletionTimestamp", "generation"]) {
      if (current.metadata[field] === undefined) delete candidate.metadata[field];
      else candidate.metadata[field] = current.metadata[field];
    }
    if (subresource === "" && type.statusSubresource) {
      if (current.status === undefined) delete candidate.status;
      else candidate.status = clone(current.status);
    }
    applyDefaults(type.kind, candidate, current);
    validateObject(type, candidate, current);
    if (type.tracksGeneration && !deepEqual(candidate.spec, current.spec)) candidate.metadata.generation = (current.metadata.generation ?? 0) + 1;
    const recorded = ownership === "apply" ? candidate : recordUpdate(type, current, candidate, options.manager, subresource);
    if (deepEqual(withoutServerFields(recorded), withoutServerFields(current)) && deepEqual(stripTimes(recorded), stripTimes(current))) return current;
    recorded.metadata.resourceVersion = current.metadata.resourceVersion;
    const stored = this.commit(type, recorded, options.dryRun, current);
    if (!options.dryRun) this.finishDeletionIfReleased(type, stored);
    return stored;
  }

  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    body: unknown,
    options: WriteOptions & { force?: boolean },
  ): WriteResult {
    if (patchType === "apply") return this.apply(type, namespace, name, body, options);
    const current = this.get(type, namespace, name);
    const base: JsonObject = clone(current);
    let patched: unknown;
    if (patchType === "json") patched = jsonPatch(base, body);
    else if (!isPlainObject(body)) throw badRequest("the body of a merge patch must be a JSON object");
    else if (patchType === "merge") patched = mergePatch(base, body);
    else patched = strategicMerge(base, body, { kind: "struct", typeName: type.modelType });
    const object = asObject(patched);
    checkTypeMeta(type, object);
    const warnings = checkUnknownFields(type, object, options.fieldValidation ?? "Warn");
    if (object.metadata.name !== name)
      throw badRequest(`the name of the object (${String(object.metadata.name)}) does not match the name on the URL (${name})`);
    this.prepareIdentity(type, object, namespace);
    if (object.metadata.resourceVersion !== current.metadata.resourceVersion) throw conflict(type, name, staleObjectMessage);
    return { object: this.replace(type, current, object, options), warnings, created: false };
  }

  /** Server-side apply; creates the object when it does not exist. */
  apply(type: ResourceType, namespace: string | undefined, name: string, body: unknown, options: WriteOptions & { force?: boolean }): WriteResult {
    const applied = asObject(body, "the applied configuration");
    if (!applied.apiVersion) throw badRequest("apiVersion must be set");
    if (!applied.kind) throw badRequest("kind must be set");
    checkTypeMeta(type, applied);
    if (applied.metadata.name !== undefined && applied.metadata.name !== name)
      throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    if (type.namespaced && applied.metadata.namespace && applied.metadata.namespace !== namespace)
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    const warnings = checkUnknownFields(type, applied, options.fieldValidation ?? "Strict");
    applied.metadata.name = name;
    const current = this.store.get(type, namespace, name);
    if (current && applied.metadata.resourceVersion && applied.metadata.resourceVersion !== current.metadata.resourceVersion)
      throw conflict(type, name, staleObjectMessage);
    const merged = applyConfiguration({
      type,
      live: current,
      applied,
      manager: options.manager,
      force: options.force ?? false,
      subresource: options.subresource,
    });
    this.prepareIdentity(type, merged, namespace);
    if (!current) return { object: this.createObject(type, merged, options), warnings, created: true };
    merged.metadata.resourceVersion = current.metadata.resourceVersion;
    return { object: this.replace(type, current, merged, options, "apply"), warnings, created: false };
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject | Status {
    const current = this.get(type, namespace, name);
    const { preconditions } = options;
    if (preconditions?.uid && preconditions.uid !== current.metadata.uid) {
      throw conflict(type, name, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid ?? ""}`);
    }
    if (preconditions?.resourceVersion && preconditions.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        type,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ` +
          `ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ""}`,
      );
    }
    if (type.kind === "Namespace") return this.deleteNamespace(current, options);
    if (options.dryRun) return current;
    if (current.metadata.finalizers?.length) {
      // Objects with finalizers wait for their owners to remove them, as on a real cluster.
      if (!current.metadata.deletionTimestamp) {
        current.metadata.deletionTimestamp = timestamp();
        if (type.tracksGeneration) current.metadata.generation = (current.metadata.generation ?? 0) + 1;
        return this.store.write(type, current);
      }
      return current;
    }
    const gone = this.store.remove(type, namespace, name) ?? current;
    if (options.propagationPolicy !== "Orphan") this.collectDependents(gone);
    return type.kind === "Pod" ? gone : deleted(type, name, current.metadata.uid ?? "");
  }

  private deleteNamespace(current: KubeObject, options: DeleteOptions): KubeObject {
    const name = current.metadata.name ?? "";
    if (protectedNamespaces.has(name)) throw forbidden(namespaces, name, "this namespace may not be deleted");
    if (current.metadata.deletionTimestamp) {
      throw conflict(
        namespaces,
        name,
        "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.",
      );
    }
    if (options.dryRun) return current;
    current.metadata.deletionTimestamp = timestamp();
    current.status = { ...(isPlainObject(current.status) ? current.status : {}), phase: "Terminating" };
    const stored = this.store.write(namespaces, current);
    this.scheduleFinalize(name);
    return stored;
  }

  private scheduleFinalize(name: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      finalizeNamespace(this.store, name, (gone) => this.collectDependents(gone));
    }, this.finalizeDelayMs);
    this.timers.add(timer);
  }

  /** Garbage collection, background propagation: dependents whose owner is gone are deleted too. */
  private collectDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    if (!uid) return;
    for (const { type, object } of this.store.contentsOf(owner.metadata.namespace ?? "")) {
      if (object.metadata.ownerReferences?.some((reference) => reference.uid === uid)) {
        const gone = this.store.remove(type, object.metadata.namespace, object.metadata.name ?? "");
        if (gone) this.collectDependents(gone);
      }
    }
  }

  /** An object marked for deletion goes once its last finalizer is removed. */
  private finishDeletionIfReleased(type: ResourceType, object: KubeObject): void {
    if (type.kind === "Namespace" || !object.metadata.deletionTimestamp || object.metadata.finalizers?.length) return;
    const gone = this.store.remove(type, object.metadata.namespace, object.metadata.name ?? "");
    if (gone) this.collectDependents(gone);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

function stripTimes(object: KubeObject): unknown {
  return (object.metadata.managedFields ?? []).map(({ time: _time, ...entry }) => entry);
}
