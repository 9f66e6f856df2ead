// A Kubernetes client for a cluster Wharf knows, from the user credentials
// ARM hands out, cached and renewed by lib/kubernetes/clients.ts.
import type { KubeConfig } from "@kubernetes/client-node";
import { getConfig } from "@/lib/config";
import { clusterUserKubeconfig, describeAzureError } from "@/lib/azure/clusters";
import { azureCredential } from "@/lib/azure/credential";
import { EntraClusterTokenError, withWharfEntraToken } from "@/lib/kubernetes/entra-kubeconfig";
import { forgetCredentials, kubeConfigFor } from "@/lib/kubernetes/clients";
import { KubernetesApiError } from "@/lib/kubernetes/api-error";

export interface ClusterRecord {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
}

/**
 * The kubeconfig Wharf uses for a cluster: the user credentials from ARM, with
 * Wharf's own Entra token in place of kubelogin when the cluster uses Entra
 * sign-in (lib/kubernetes/entra-kubeconfig.ts).
 */
export async function wharfKubeconfig(cluster: Pick<ClusterRecord, "name" | "subscriptionId" | "resourceGroup">): Promise<string> {
  const config = getConfig();
  return withWharfEntraToken(await clusterUserKubeconfig(config, cluster), azureCredential(config), cluster.name);
}

/** Why Wharf has no credentials for a cluster, in words a person can act on. */
export function describeCredentialError(error: unknown): string {
  return error instanceof EntraClusterTokenError ? error.message : `no credentials from Azure Resource Manager: ${describeAzureError(error)}`;
}

/** A client for the cluster; ARM and Entra failures come back as KubernetesApiErrors that say whether to retry. */
export async function clusterKubeConfig(cluster: ClusterRecord): Promise<KubeConfig> {
  try {
    return await kubeConfigFor({ key: cluster.id, fetch: () => wharfKubeconfig(cluster) });
  } catch (error) {
    if (error instanceof EntraClusterTokenError) throw new KubernetesApiError(error.message, { retryable: true, cause: error });
    const status = (error as { statusCode?: number }).statusCode;
    const retryable = status === undefined || status === 429 || status >= 500 || status === 401;
    throw new KubernetesApiError(`getting credentials for ${cluster.name} from Azure Resource Manager: ${describeAzureError(error)}`, {
      status,
      retryable,
      cause: error,
    });
  }
}

/** The cluster refused the credentials: fetch new ones next time. */
export function forgetClusterCredentials(cluster: Pick<ClusterRecord, "id">): void {
  forgetCredentials(cluster.id);
}
