// Test support: a real ClusterStore behind the API server's own write path
// (ClusterOperations: defaults, validation, generation), a running controller
// on it, and waits on conditions rather than sleeps.
import { isPlainObject, type JsonObject, type KubeObject } from "../objects";
import { ClusterOperations } from "../operations";
import { findResource, type ResourceType } from "../resources";
import { ClusterStore, type StoreEvent } from "../store";
import { startController, type ControllerOptions, type RunningController } from "./controller";

export const types = {
  namespaces: findResource("", "v1", "namespaces") as ResourceType,
  deployments: findResource("apps", "v1", "deployments") as ResourceType,
  replicaSets: findResource("apps", "v1", "replicasets") as ResourceType,
  pods: findResource("", "v1", "pods") as ResourceType,
  events: findResource("", "v1", "events") as ResourceType,
  resourceQuotas: findResource("", "v1", "resourcequotas") as ResourceType,
  limitRanges: findResource("", "v1", "limitranges") as ResourceType,
};

export interface TestCluster {
  store: ClusterStore;
  operations: ClusterOperations;
  controller: RunningController;
  namespace: string;
  create(type: ResourceType, body: KubeObject): KubeObject;
  patch(type: ResourceType, name: string, patch: JsonObject): KubeObject;
  deployment(name: string): KubeObject;
  /** Resolves once `predicate` holds, re-checked after every store change; fails after `timeoutMs`. */
  until<T>(predicate: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): void;
}

export function startTestCluster(options: ControllerOptions = { speed: 50 }): TestCluster {
  const store = new ClusterStore("aks-dev-weu");
  const operations = new ClusterOperations(store, { namespaceFinalizeDelayMs: 20 });
  const namespace = "team-a";
  operations.create(types.namespaces, undefined, { metadata: { name: namespace } }, { manager: "test" });
  const controller = startController(store, options);
  const cluster: TestCluster = {
    store,
    operations,
    controller,
    namespace,
    create: (type, body) => operations.create(type, type.namespaced ? namespace : undefined, body, { manager: "wharf" }).object,
    // Strategic merge, as `kubectl set image` and `kubectl scale` send: containers merge by name.
    patch: (type, name, patch) => operations.patch(type, namespace, name, "strategic", patch, { manager: "wharf" }).object,
    deployment: (name) => store.get(types.deployments, namespace, name) as KubeObject,
    until(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const value = predicate();
          if (value === undefined || value === false) return false;
          finish();
          resolve(value as never);
          return true;
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        const unsubscribe = store.subscribe(() => void check());
        const finish = (): void => {
          clearTimeout(timer);
          unsubscribe();
        };
        check();
      });
    },
    close() {
      controller.stop();
      operations.close();
    },
  };
  return cluster;
}

export interface DeploymentOptions {
  replicas?: number;
  image?: string;
  progressDeadlineSeconds?: number;
  strategy?: JsonObject;
  resources?: JsonObject;
  minReadySeconds?: number;
}

export function deploymentBody(name: string, options: DeploymentOptions = {}): KubeObject {
  const spec: JsonObject = {
    replicas: options.replicas ?? 3,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name: "web",
            image: options.image ?? "contoso.azurecr.io/web:1.0.0",
            ports: [{ containerPort: 8080 }],
            ...(options.resources ? { resources: options.resources } : {}),
          },
        ],
      },
    },
  };
  if (options.progressDeadlineSeconds !== undefined) spec.progressDeadlineSeconds = options.progressDeadlineSeconds;
  if (options.strategy) spec.strategy = options.strategy;
  if (options.minReadySeconds !== undefined) spec.minReadySeconds = options.minReadySeconds;
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name }, spec };
}

export function status(object: KubeObject | undefined): JsonObject {
  return object && isPlainObject(object.status) ? object.status : {};
}

export function condition(object: KubeObject | undefined, type: string): JsonObject | undefined {
  const conditions = status(object).conditions;
  return Array.isArray(conditions) ? conditions.filter(isPlainObject).find((item) => item.type === type) : undefined;
}

export function ownedBy(objects: KubeObject[], owner: KubeObject | undefined): KubeObject[] {
  return objects.filter((object) => object.metadata.ownerReferences?.some((reference) => reference.uid === owner?.metadata.uid));
}

export function eventsFor(cluster: TestCluster, name: string): KubeObject[] {
  return cluster.store.list(types.events, cluster.namespace).filter((event) => isPlainObject(event.involvedObject) && event.involvedObject.name === name);
}

export function containerStatus(pod: KubeObject): JsonObject | undefined {
  const statuses = status(pod).containerStatuses;
  return Array.isArray(statuses) ? statuses.filter(isPlainObject)[0] : undefined;
}

export type { StoreEvent };
