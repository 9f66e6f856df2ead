// One in-process sandbox cluster (the API server's write path and the
// controller, no network) with payments-api deployed as Wharf deploys it:
// rendered, then server-side applied with strict field validation. Serves
// the rollout capture script and the tests that run rollouts for real.
import { startController } from "@/sandbox/kubernetes/controller/controller";
import type { KubeObject } from "@/sandbox/kubernetes/objects";
import { ClusterOperations } from "@/sandbox/kubernetes/operations";
import { findResource, type ResourceType } from "@/sandbox/kubernetes/resources";
import { ClusterStore } from "@/sandbox/kubernetes/store";
import type { RolloutObservation } from "../rollout-state";
import { renderDeployment, type RenderDeploymentInput } from "../render";
import { paymentsApi } from "./services";

const type = (group: string, plural: string): ResourceType => findResource(group, "v1", plural) as ResourceType;
export const types = {
  namespaces: type("", "namespaces"),
  deployments: type("apps", "deployments"),
  replicaSets: type("apps", "replicasets"),
  pods: type("", "pods"),
  events: type("", "events"),
  resourceQuotas: type("", "resourcequotas"),
};

export const namespace = paymentsApi.namespace.name;

export interface SandboxCluster {
  store: ClusterStore;
  operations: ClusterOperations;
  /** Renders payments-api at `tag` (with `changes` to the render input) and applies it as Wharf does. */
  deploy(tag: string, changes?: Partial<RenderDeploymentInput> & { progressDeadlineSeconds?: number }): void;
  /** Resolves once `predicate` holds, re-checked after every store change. */
  until(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  deployment(): KubeObject;
  /** What Wharf's informer would hand to `rolloutState`. */
  observe(): RolloutObservation;
  close(): void;
}

export function startSandboxCluster(speed = 50): SandboxCluster {
  const store = new ClusterStore("aks-wharf-test");
  const operations = new ClusterOperations(store, { namespaceFinalizeDelayMs: 20 });
  operations.create(types.namespaces, undefined, { metadata: { name: namespace } }, { manager: "test" });
  const controller = startController(store, { speed });
  let revision = 0;
  const deployment = (): KubeObject => store.get(types.deployments, namespace, paymentsApi.service.slug) as KubeObject;
  return {
    store,
    operations,
    deploy(tag, { progressDeadlineSeconds, ...changes } = {}) {
      revision += 1;
      const rendered = renderDeployment({ ...paymentsApi, image: { tag }, revision, changeCause: `Deploy ${tag} by Ada Lovelace (Wharf)`, ...changes });
      if (progressDeadlineSeconds !== undefined) rendered.deployment.spec.progressDeadlineSeconds = progressDeadlineSeconds;
      operations.apply(types.deployments, namespace, rendered.deployment.metadata.name, rendered.deployment, { manager: "wharf", fieldValidation: "Strict", force: true });
    },
    until(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        if (predicate()) return resolve();
        const timer = setTimeout(() => {
          unsubscribe();
          reject(new Error(`condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        const unsubscribe = store.subscribe(() => {
          if (!predicate()) return;
          clearTimeout(timer);
          unsubscribe();
          resolve();
        });
      });
    },
    deployment,
    observe: () => ({
      deployment: deployment(),
      replicaSets: store.list(types.replicaSets, namespace),
      pods: store.list(types.pods, namespace),
      events: store.list(types.events, namespace),
    }),
    close() {
      controller.stop();
      operations.close();
    },
  };
}
