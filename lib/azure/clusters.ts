// AKS clusters from Azure Resource Manager, reshaped into Wharf's own types
// at this border; nothing outside lib/azure sees an SDK type. Each
// subscription is asked on its own, so one failing subscription is reported
// and the others still answer.
import { ContainerServiceClient, type ManagedCluster } from "@azure/arm-containerservice";
import type { WharfConfig } from "@/lib/config";
import { azureCredential, azureTlsOptions } from "@/lib/azure/credential";

export interface AksCluster {
  /** The ARM resource id. */
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  /** The resource group AKS keeps the nodes' resources in (custom with `--node-resource-group`). */
  nodeResourceGroup: string | null;
  kubernetesVersion: string | null;
  provisioningState: string | null;
  powerState: string | null;
  fqdn: string | null;
  tags: Record<string, string>;
}

export interface ClusterDiscovery {
  clusters: AksCluster[];
  /** Subscriptions that could not be listed, with why. */
  failures: { subscriptionId: string; message: string }[];
}

type AzureConfig = Pick<WharfConfig, "identity" | "azure" | "mode">;

function client(config: AzureConfig, subscriptionId: string): ContainerServiceClient {
  const tlsOptions = azureTlsOptions(config);
  return new ContainerServiceClient(azureCredential(config), subscriptionId, { endpoint: config.azure.armEndpoint, ...(tlsOptions && { tlsOptions }) });
}

function resourceGroupOf(id: string): string {
  return /\/resourcegroups\/([^/]+)/i.exec(id)?.[1] ?? "";
}

export function reshapeCluster(subscriptionId: string, cluster: ManagedCluster): AksCluster {
  const id = cluster.id ?? "";
  return {
    id,
    name: cluster.name ?? "",
    subscriptionId,
    resourceGroup: resourceGroupOf(id),
    location: cluster.location,
    nodeResourceGroup: cluster.nodeResourceGroup ?? null,
    kubernetesVersion: cluster.currentKubernetesVersion ?? cluster.kubernetesVersion ?? null,
    provisioningState: cluster.provisioningState ?? null,
    powerState: cluster.powerState?.code ?? null,
    fqdn: cluster.fqdn ?? null,
    tags: cluster.tags ?? {},
  };
}

/** Describes an Azure SDK error by its ARM code, which survives where paging loses the message. */
export function describeAzureError(error: unknown): string {
  const shaped = error as { code?: string; statusCode?: number; message?: string };
  const parts = [shaped.statusCode ? `HTTP ${shaped.statusCode}` : undefined, shaped.code, shaped.message?.split("\n")[0]].filter(Boolean);
  return parts.length ? parts.join(": ") : String(error);
}

export async function discoverClusters(config: AzureConfig): Promise<ClusterDiscovery> {
  const results = await Promise.all(
    config.azure.subscriptionIds.map(async (subscriptionId) => {
      try {
        const clusters: AksCluster[] = [];
        for await (const cluster of client(config, subscriptionId).managedClusters.list()) clusters.push(reshapeCluster(subscriptionId, cluster));
        return { clusters, failures: [] };
      } catch (error) {
        return { clusters: [], failures: [{ subscriptionId, message: describeAzureError(error) }] };
      }
    }),
  );
  return { clusters: results.flatMap((r) => r.clusters).sort((a, b) => a.name.localeCompare(b.name)), failures: results.flatMap((r) => r.failures) };
}

/** The cluster user kubeconfig, as `az aks get-credentials` fetches it. */
export async function clusterUserKubeconfig(config: AzureConfig, cluster: Pick<AksCluster, "subscriptionId" | "resourceGroup" | "name">): Promise<string> {
  const result = await client(config, cluster.subscriptionId).managedClusters.listClusterUserCredentials(cluster.resourceGroup, cluster.name);
  const value = result.kubeconfigs?.[0]?.value;
  if (!value) throw new Error(`ARM returned no kubeconfig for ${cluster.name}`);
  return Buffer.from(value).toString("utf8");
}
