// The sandbox's AKS clusters: what ARM lists and what the Kubernetes API
// stand-in serves. Both sides read this one module, so a kubeconfig from
// listClusterUserCredential always points at a cluster that exists.
import { readOrCreate, randomSecret } from "./state";

export const sandboxSubscriptionId = "8c2b1f4e-6a3d-4b5c-9e7f-1a2b3c4d5e6f";
export const sandboxResourceGroup = "rg-wharf-sandbox";

export interface SandboxCluster {
  /** The AKS resource name, also the path segment of its API server URL. */
  name: string;
  location: string;
  kubernetesVersion: string;
  /** What admins would set in Wharf; ARM does not know it, tags carry it. */
  environment: "dev" | "test" | "prod";
  /** Can be switched unreachable through /_sandbox/faults to show failure isolation. */
  flaky: boolean;
  /** Set as `az aks create --node-resource-group` sets it; otherwise AKS's MC_<group>_<cluster>_<region>. */
  nodeResourceGroup?: string;
}

export const sandboxClusters: readonly SandboxCluster[] = [
  { name: "aks-dev-weu", location: "westeurope", kubernetesVersion: "1.32.4", environment: "dev", flaky: false },
  { name: "aks-prod-weu", location: "westeurope", kubernetesVersion: "1.32.4", environment: "prod", flaky: false },
  { name: "aks-lab-neu", location: "northeurope", kubernetesVersion: "1.31.8", environment: "test", flaky: true, nodeResourceGroup: "rg-aks-lab-neu-nodes" },
];

export function findCluster(name: string): SandboxCluster | undefined {
  return sandboxClusters.find((cluster) => cluster.name === name);
}

/** The cluster's API server URL on the sandbox's HTTPS origin. */
export function clusterServerUrl(origin: string, cluster: Pick<SandboxCluster, "name">): string {
  return `${origin}/k8s/${cluster.name}`;
}

/** A bearer token per cluster, kept across restarts, as AKS user credentials carry one. */
export function clusterTokens(stateDir: string): Record<string, string> {
  const json = readOrCreate(stateDir, "cluster-tokens.json", () =>
    JSON.stringify(Object.fromEntries(sandboxClusters.map((cluster) => [cluster.name, randomSecret()])), null, 2),
  );
  return JSON.parse(json) as Record<string, string>;
}

/** The user name a reader token authenticates as; it may get, list and watch, nothing else. */
export const sandboxReaderUser = "wharf-sandbox-reader";

/** A read-only bearer token per cluster, for testing how clients handle 403 Forbidden. */
export function clusterReaderTokens(stateDir: string): Record<string, string> {
  const json = readOrCreate(stateDir, "cluster-reader-tokens.json", () =>
    JSON.stringify(Object.fromEntries(sandboxClusters.map((cluster) => [cluster.name, randomSecret()])), null, 2),
  );
  return JSON.parse(json) as Record<string, string>;
}
