// The Kubernetes API stand-in: one API server per sandbox cluster behind
// `/k8s/<cluster>`. It authenticates the cluster's bearer token, serves
// discovery and OpenAPI, and maps REST paths and verbs onto the cluster's
// operations. State lives in a ClusterStore per cluster, persisted under
// <stateDir>/kubernetes/.
import type { IncomingMessage, ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { clusterReaderTokens, clusterTokens, sandboxReaderUser, type SandboxCluster } from "../clusters";
import { coreVersions, group, groupList, resourceList, versionInfo } from "./discovery";
import { decodeBody, isTrue, readBody, sendBody, sendError, sendJson, sendJsonText, sendStatus, splitRestPath } from "./http";
import { listBody, listObjects, listParts } from "./list";
import { updateManager } from "./managed-fields";
import { initialNamespaces } from "./namespace-lifecycle";
import { isPlainObject } from "./objects";
import { openApiDocument, openApiIndex } from "./openapi";
import { ClusterOperations, type DeleteOptions } from "./operations";
import { patchTypeOf } from "./patch";
import { clusterStateFile, loadSnapshot, persistStore, type PersistedStore } from "./persistence";
import { findResource, type ResourceType } from "./resources";
import { parseFieldSelector, parseLabelSelector } from "./selectors";
import { badRequest, invalid, KubeError, methodNotAllowed, notFound, notFoundPath, rbacForbidden, unauthorized } from "./status";
import { scaleOf, updateScale, hasScale } from "./scale";
import { ClusterStore } from "./store";
import { toTable, wantsTable } from "./table";
import { parseFieldValidation } from "./validation";
import { serveWatch } from "./watch";
import { servePodLog } from "./pod-log";
import { startController } from "./controller";
import { syncSystemObjects } from "./system-objects";
import { managedClusterResource } from "../arm/managed-cluster";
import { sandboxSubscriptionId } from "../clusters";

export interface KubernetesApiOptions {
  stateDir: string;
  clusters: readonly SandboxCluster[];
  /** Watch history per cluster and resource; versions older than this many changes of that resource get 410. */
  historyLimit?: number;
  /** Delay before a Terminating namespace is emptied and removed. */
  namespaceFinalizeDelayMs?: number;
  /** Debounce of state file writes. */
  persistDelayMs?: number;
  /**
   * Run the controller (Deployments → ReplicaSets → Pods, rollouts, quota) on
   * every cluster; `speed` divides its delays. Off unless asked for, so API
   * contract tests see only the objects they create.
   */
  controller?: { speed?: number; knownRegistries?: string[] };
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK (the real API server: about a minute). */
  bookmarkIntervalMs?: number;
}

export interface KubernetesApi {
  /** Serves one request; `restPath` is what follows `/k8s/<cluster>`, query included (e.g. `/api/v1/namespaces?limit=5`). */
  handle(req: IncomingMessage, res: ServerResponse, clusterName: string, restPath: string): Promise<void>;
  /** The cluster's store, for the controller and for tests; throws for an unknown cluster. */
  store(clusterName: string): ClusterStore;
  /** The cluster's write path (validation, admission, ownership), for a controller that writes objects. */
  operations(clusterName: string): ClusterOperations;
  /** Ends open watches, stops timers and writes state. */
  close(): Promise<void>;
}

interface ClusterRuntime {
  cluster: SandboxCluster;
  store: ClusterStore;
  operations: ClusterOperations;
  persisted: PersistedStore;
  controller?: { stop(): void };
  /** Hourly: the day's Nodes and kube-system pods (system-objects.ts). */
  systemTimer?: NodeJS.Timeout;
}

/** Paths that answer without credentials, as on a cluster with the default public-info-viewer binding. */
const publicPaths = new Set(["/version", "/healthz", "/livez", "/readyz"]);

type Target =
  | { kind: "collection"; type: ResourceType; namespace?: string }
  | { kind: "object"; type: ResourceType; namespace?: string; name: string; subresource: "" | "status" }
  | { kind: "scale"; type: ResourceType; namespace: string; name: string }
  | { kind: "log"; type: ResourceType; namespace: string; name: string };

/** Maps the segments after `/api/v1` or `/apis/<group>/<version>` to a collection or an object. */
function resolveTarget(groupName: string, version: string, segments: string[]): Target | undefined {
  const typeOf = (plural: string | undefined): ResourceType | undefined => (plural ? findResource(groupName, version, plural) : undefined);
  const [first, second, third, fourth, fifth, ...rest] = segments;
  if (rest.length > 0) return undefined;
  if (first === "namespaces" && second && third) {
    const type = typeOf(third);
    if (!type?.namespaced)
      return third === "status" && !fourth && groupName === ""
        ? { kind: "object", type: typeOf("namespaces") as ResourceType, name: second, subresource: "status" }
        : undefined;
    if (!fourth) return { kind: "collection", type, namespace: second };
    if (fifth === "scale" && hasScale(type)) return { kind: "scale", type, namespace: second, name: fourth };
    if (fifth === "log" && groupName === "" && type.plural === "pods") return { kind: "log", type, namespace: second, name: fourth };
    if (fifth && (fifth !== "status" || !type.statusSubresource)) return undefined;
    return { kind: "object", type, namespace: second, name: fourth, subresource: fifth ? "status" : "" };
  }
  const type = typeOf(first);
  if (!type) return undefined;
  if (!second) return { kind: "collection", type };
  if (type.namespaced || fourth) return undefined;
  if (third && (third !== "status" || !type.statusSubresource)) return undefined;
  return { kind: "object", type, name: second, subresource: third ? "status" : "" };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`invalid path segment "${segment}"`);
  }
}

export function createKubernetesApi(options: KubernetesApiOptions): KubernetesApi {
  const runtimes = new Map<string, ClusterRuntime>();
  const openWatches = new Set<() => void>();
  let tokens: Record<string, string> | undefined;
  let readerTokens: Record<string, string> | undefined;

  for (const cluster of options.clusters) {
    const store = new ClusterStore(cluster.name, { historyLimit: options.historyLimit });
    const file = clusterStateFile(options.stateDir, cluster.name);
    const snapshot = loadSnapshot(file);
    if (snapshot) store.restore(snapshot);
    const operations = new ClusterOperations(store, { namespaceFinalizeDelayMs: options.namespaceFinalizeDelayMs });
    if (!snapshot) {
      const namespaces = findResource("", "v1", "namespaces") as ResourceType;
      for (const name of initialNamespaces) operations.create(namespaces, undefined, { metadata: { name } }, { manager: "kube-apiserver" });
    }
    // With the controller, the cluster runs like an AKS cluster: its nodes and AKS's own pods are there (contract tests without it see only theirs).
    let systemTimer: NodeJS.Timeout | undefined;
    if (options.controller) {
      const arm = {
        nodeResourceGroup: String((managedClusterResource(cluster).properties as { nodeResourceGroup: string }).nodeResourceGroup),
        subscriptionId: sandboxSubscriptionId,
      };
      syncSystemObjects(operations, store, cluster, arm);
      systemTimer = setInterval(() => syncSystemObjects(operations, store, cluster, arm), 3_600_000).unref();
    }
    // After restore: the controller resumes what was in flight before a restart.
    const controller = options.controller ? startController(store, options.controller) : undefined;
    runtimes.set(cluster.name, { cluster, store, operations, persisted: persistStore(store, file, options.persistDelayMs ?? 200), controller, systemTimer });
  }

  const runtimeOf = (name: string): ClusterRuntime => {
    const runtime = runtimes.get(name);
    if (!runtime) throw new Error(`no sandbox cluster named ${name}`);
    return runtime;
  };

  /** Who the bearer token is: the cluster user ARM hands out (true), the read-only user, nobody (false), or no token at all. */
  function authenticated(req: IncomingMessage, cluster: string): boolean | "anonymous" | "reader" {
    const header = req.headers.authorization;
    if (!header) return "anonymous";
    tokens ??= clusterTokens(options.stateDir);
    readerTokens ??= clusterReaderTokens(options.stateDir);
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1]) return false;
    const given = Buffer.from(match[1].trim());
    const same = (expected: string | undefined) =>
      expected !== undefined && given.length === Buffer.byteLength(expected) && timingSafeEqual(given, Buffer.from(expected));
    if (same(tokens[cluster])) return true;
    if (same(readerTokens[cluster])) return "reader";
    return false;
  }

  const verbs: Record<string, string> = { POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" };

  /** The reader may read; every write gets RBAC's 403, as a real cluster answers a view-only identity. */
  function authorize(auth: ReturnType<typeof authenticated>, method: string, target: Target): void {
    if (auth !== "reader" || method === "GET") return;
    const verb = target.kind === "collection" && method === "DELETE" ? "deletecollection" : (verbs[method] ?? method.toLowerCase());
    throw rbacForbidden(target.type, verb, sandboxReaderUser, target.namespace, target.kind === "collection" ? undefined : target.name);
  }

  async function serveResource(req: IncomingMessage, res: ServerResponse, runtime: ClusterRuntime, target: Target, query: URLSearchParams): Promise<void> {
    const method = req.method ?? "GET";
    const { operations, store } = runtime;
    const dryRun = query.getAll("dryRun").includes("All");
    if (query.getAll("dryRun").some((value) => value !== "All"))
      throw badRequest(`dryRun: Unsupported value: "${query.get("dryRun") ?? ""}": supported values: "All"`);
    const manager = updateManager(query.get("fieldManager") ?? undefined, req.headers["user-agent"]);
    const fieldValidation = query.has("fieldValidation") ? parseFieldValidation(query.get("fieldValidation") ?? undefined) : undefined;
    const table = wantsTable(req.headers.accept);

    if (target.kind === "log") {
      if (method !== "GET") throw methodNotAllowed(method);
      return servePodLog(res, store, target.namespace, target.name, query);
    }

    if (target.kind === "scale") {
      const { type, namespace, name } = target;
      if (method === "GET") return sendJson(res, 200, scaleOf(operations.get(type, namespace, name)));
      if (method !== "PUT" && method !== "PATCH") throw methodNotAllowed(method);
      const body = decodeBody(await readBody(req), req.headers["content-type"]);
      const result = updateScale(
        operations,
        type,
        namespace,
        name,
        method === "PUT" ? { kind: "replace", body } : { kind: "patch", patchType: patchTypeOf(req.headers["content-type"]), body },
        { manager, fieldValidation, dryRun },
      );
      return sendJson(res, 200, result);
    }

    if (target.kind === "collection") {
      const { type, namespace } = target;
      if (method === "GET") {
        if (isTrue(query.get("watch"))) return watch(req, res, runtime, type, namespace, query);
        if (!table) return sendJsonText(res, 200, listParts(store, type, namespace, query));
        const result = listObjects(store, type, namespace, query);
        return sendJson(res, 200, toTable(type, result.items, result.metadata, query.get("includeObject") ?? undefined));
      }
      if (method === "POST") {
        if (type.namespaced && !namespace) throw methodNotAllowed(method);
        const body = decodeBody(await readBody(req), req.headers["content-type"]);
        const result = operations.create(type, namespace, body, { manager, fieldValidation, dryRun });
        return sendJson(res, 201, result.object, result.warnings);
      }
      if (method === "DELETE") {
        const result = listObjects(store, type, namespace, query);
        const items = result.items.map((object) => operations.delete(type, object.metadata.namespace, object.metadata.name ?? "", { dryRun }));
        return sendJson(
          res,
          200,
          listBody(type, { items: items.filter((item) => item.kind !== "Status") as never, metadata: { resourceVersion: String(store.currentRevision) } }),
        );
      }
      throw methodNotAllowed(method);
    }

    const { type, namespace, name, subresource } = target;
    if (method === "GET") {
      if (isTrue(query.get("watch"))) {
        query.set("fieldSelector", `metadata.name=${name}`);
        return watch(req, res, runtime, type, namespace, query);
      }
      const object = operations.get(type, namespace, name);
      return sendJson(
        res,
        200,
        table ? toTable(type, [object], { resourceVersion: object.metadata.resourceVersion }, query.get("includeObject") ?? undefined) : object,
      );
    }
    if (method === "PUT") {
      const body = decodeBody(await readBody(req), req.headers["content-type"]);
      const result = operations.update(type, namespace, name, body, { manager, fieldValidation, dryRun, subresource });
      return sendJson(res, 200, result.object, result.warnings);
    }
    if (method === "PATCH") {
      const patchType = patchTypeOf(req.headers["content-type"]);
      const force = query.has("force") ? isTrue(query.get("force")) : undefined;
      if (patchType === "apply" && !query.get("fieldManager")) {
        throw invalid({ group: "meta.k8s.io", plural: "patchoptions", kind: "PatchOptions" }, "", [
          { reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager" },
        ]);
      }
      if (patchType !== "apply" && force !== undefined) {
        throw invalid({ group: "meta.k8s.io", plural: "patchoptions", kind: "PatchOptions" }, "", [
          { reason: "FieldValueForbidden", message: "Forbidden: may not be specified for non-apply patch", field: "force" },
        ]);
      }
      const body = decodeBody(await readBody(req), req.headers["content-type"]);
      const result = operations.patch(type, namespace, name, patchType, body, { manager, fieldValidation, dryRun, subresource, force });
      return sendJson(res, result.created ? 201 : 200, result.object, result.warnings);
    }
    if (method === "DELETE") {
      if (subresource) throw methodNotAllowed(method);
      const raw = await readBody(req);
      const body = raw.length > 0 ? decodeBody(raw, req.headers["content-type"]) : {};
      const deleteOptions: DeleteOptions = isPlainObject(body) ? (body as DeleteOptions) : {};
      const propagation = query.get("propagationPolicy") ?? deleteOptions.propagationPolicy;
      const result = operations.delete(type, namespace, name, {
        propagationPolicy: propagation as DeleteOptions["propagationPolicy"],
        preconditions: deleteOptions.preconditions,
        dryRun: dryRun || (Array.isArray((body as { dryRun?: unknown }).dryRun) && (body as { dryRun: string[] }).dryRun.includes("All")),
      });
      return sendJson(res, 200, result);
    }
    throw methodNotAllowed(method);
  }

  function watch(
    req: IncomingMessage,
    res: ServerResponse,
    runtime: ClusterRuntime,
    type: ResourceType,
    namespace: string | undefined,
    query: URLSearchParams,
  ): void {
    const labels = parseLabelSelector(query.get("labelSelector") ?? undefined);
    const fields = parseFieldSelector(query.get("fieldSelector") ?? undefined, type);
    const end = serveWatch(req, res, {
      store: runtime.store,
      type,
      namespace,
      matches: (object) => labels(object.metadata.labels) && fields(object),
      resourceVersion: query.get("resourceVersion") ?? undefined,
      timeoutSeconds: query.get("timeoutSeconds") ?? undefined,
      bookmarkIntervalMs: isTrue(query.get("allowWatchBookmarks")) ? (options.bookmarkIntervalMs ?? 60_000) : undefined,
    });
    openWatches.add(end);
    res.on("close", () => openWatches.delete(end));
  }

  async function route(req: IncomingMessage, res: ServerResponse, runtime: ClusterRuntime, restPath: string): Promise<void> {
    const { path, query } = splitRestPath(restPath);
    const auth = authenticated(req, runtime.cluster.name);
    if (auth === false || (auth === "anonymous" && !publicPaths.has(path))) throw unauthorized();
    const method = req.method ?? "GET";
    const segments = path.split("/").filter(Boolean).map(decodeSegment);
    const [root, second, third, ...rest] = segments;

    if (publicPaths.has(path)) {
      if (method !== "GET") throw methodNotAllowed(method);
      if (path === "/version") return sendJson(res, 200, versionInfo(runtime.cluster));
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      res.end("ok");
      return;
    }
    if (root === "openapi" && method === "GET") {
      if (second === "v3" && !third) return sendJson(res, 200, openApiIndex());
      const document = second === "v3" ? openApiDocument(segments.slice(2).join("/")) : undefined;
      if (!document) throw notFoundPath();
      return sendBody(res, 200, { "content-type": "application/json", etag: `"${document.hash}"`, "cache-control": "public, immutable" }, document.body);
    }
    if (root === "api") {
      if (!second)
        return method === "GET" ? sendJson(res, 200, coreVersions(req.headers.host ?? "localhost")) : sendStatus(res, methodNotAllowed(method).status);
      if (second !== "v1") throw notFoundPath();
      if (!third) return method === "GET" ? sendJson(res, 200, resourceList("", "v1")) : sendStatus(res, methodNotAllowed(method).status);
      const target = resolveTarget("", "v1", [third, ...rest]);
      if (!target) throw notFoundPath();
      authorize(auth, method, target);
      return serveResource(req, res, runtime, target, query);
    }
    if (root === "apis") {
      if (!second) return sendJson(res, 200, groupList());
      const groupDocument = group(second);
      if (!groupDocument) throw notFoundPath();
      if (!third) return sendJson(res, 200, groupDocument);
      const [fourth, ...more] = rest;
      if (!fourth) {
        const list = resourceList(second, third);
        if (!list) throw notFoundPath();
        return sendJson(res, 200, list);
      }
      const target = resolveTarget(second, third, [fourth, ...more]);
      if (!target) throw notFoundPath();
      authorize(auth, method, target);
      return serveResource(req, res, runtime, target, query);
    }
    throw notFoundPath();
  }

  return {
    async handle(req, res, clusterName, restPath) {
      try {
        const runtime = runtimes.get(clusterName);
        if (!runtime) throw notFound({ group: "", plural: "clusters", kind: "Cluster" }, clusterName);
        await route(req, res, runtime, restPath);
      } catch (error) {
        if (res.headersSent) {
          res.destroy();
          if (!(error instanceof KubeError)) console.error("[sandbox/k8s] request failed after headers", error);
          return;
        }
        sendError(res, error);
      }
    },
    store: (clusterName) => runtimeOf(clusterName).store,
    operations: (clusterName) => runtimeOf(clusterName).operations,
    async close() {
      for (const end of openWatches) end();
      openWatches.clear();
      for (const runtime of runtimes.values()) {
        runtime.controller?.stop();
        clearInterval(runtime.systemTimer);
        runtime.operations.close();
        runtime.persisted.close();
      }
    },
  };
}
