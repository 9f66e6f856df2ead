// A Kubernetes client for a cluster Wharf knows, from the user credentials
// ARM hands out, cached and renewed by lib/kubernetes/clients.ts.
import type { KubeConfig } from "@kubernetes/client-node";
import { getConfig } from "@/lib/config";
import { clusterUserKubeconfig, describeAzureError } from "@/lib/azure/clusters";
import { forgetCredentials, kubeConfigFor } from "@/lib/kubernetes/clients";
import { KubernetesApiError } from "@/lib/kubernetes/api-error";

export interface ClusterRecord {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
}

/** A client for the cluster; ARM failures come back as KubernetesApiErrors that say whether to retry. */
export async function clusterKubeConfig(cluster: ClusterRecord): Promise<KubeConfig> {
  try {
    return await kubeConfigFor({ key: cluster.id, fetch: () => clusterUserKubeconfig(getConfig(), cluster) });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    const retryable = status === undefined || status === 429 || status >= 500 || status === 401;
    throw new KubernetesApiError(`getting credentials for ${cluster.name} from Azure Resource Manager: ${describeAzureError(error)}`, { status, retryable, cause: error });
  }
}

/** The cluster refused the credentials: fetch new ones next time. */
export function forgetClusterCredentials(cluster: Pick<ClusterRecord, "id">): void {
  forgetCredentials(cluster.id);
}
