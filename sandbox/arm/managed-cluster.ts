// The vendor shapes: a Microsoft.ContainerService/managedClusters resource as
// AKS returns it, and the kubeconfig listClusterUserCredential hands out.
// Values that AKS derives or generates are derived from the cluster name here,
// so they are stable across restarts and data dirs.
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { clusterServerUrl, sandboxResourceGroup, sandboxSubscriptionId, type SandboxCluster } from "../clusters";
import { sandboxGroupIds, sandboxTenantId } from "../personas";

function digest(seed: string): string {
  return createHash("sha256").update(seed).digest("hex");
}

function stableUuid(seed: string): string {
  const hex = digest(seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** ARM's canonical id, as used in paths and in the resource's `id`. */
export function managedClusterId(cluster: Pick<SandboxCluster, "name">): string {
  // AKS answers with a lowercase `resourcegroups` segment although its own
  // request paths say `resourceGroups`; Wharf must compare ids case-insensitively.
  return `/subscriptions/${sandboxSubscriptionId}/resourcegroups/${sandboxResourceGroup}/providers/Microsoft.ContainerService/managedClusters/${cluster.name}`;
}

export function managedClusterResource(cluster: SandboxCluster): Record<string, unknown> {
  const dnsPrefix = `${cluster.name}-dns`;
  const hash = digest(`${sandboxSubscriptionId}/${cluster.name}`).slice(0, 8);
  const running = { code: "Running" };
  const systemPool = {
    name: "system",
    count: 3,
    vmSize: "Standard_D4ds_v5",
    osDiskSizeGB: 128,
    osDiskType: "Ephemeral",
    kubeletDiskType: "OS",
    maxPods: 110,
    type: "VirtualMachineScaleSets",
    availabilityZones: ["1", "2", "3"],
    enableAutoScaling: true,
    minCount: 3,
    maxCount: 6,
    provisioningState: "Succeeded",
    powerState: running,
    orchestratorVersion: cluster.kubernetesVersion,
    currentOrchestratorVersion: cluster.kubernetesVersion,
    enableNodePublicIP: false,
    mode: "System",
    osType: "Linux",
    osSKU: "Ubuntu",
    nodeImageVersion: "AKSUbuntu-2204gen2containerd-202505.14.0",
    enableFIPS: false,
    securityProfile: { enableVTPM: false, enableSecureBoot: false },
  };
  return {
    id: managedClusterId(cluster),
    location: cluster.location,
    name: cluster.name,
    // ARM reads the type case-insensitively; AKS spells it with a capital M.
    type: "Microsoft.ContainerService/ManagedClusters",
    tags: { "wharf.io/environment": cluster.environment, "cost-center": "platform" },
    sku: { name: "Base", tier: cluster.environment === "prod" ? "Standard" : "Free" },
    identity: { type: "SystemAssigned", principalId: stableUuid(`${cluster.name}/identity`), tenantId: sandboxTenantId },
    properties: {
      provisioningState: "Succeeded",
      powerState: running,
      kubernetesVersion: cluster.kubernetesVersion,
      currentKubernetesVersion: cluster.kubernetesVersion,
      dnsPrefix,
      fqdn: `${dnsPrefix}-${hash}.hcp.${cluster.location}.azmk8s.io`,
      azurePortalFQDN: `${dnsPrefix}-${hash}.portal.hcp.${cluster.location}.azmk8s.io`,
      agentPoolProfiles: [systemPool],
      servicePrincipalProfile: { clientId: "msi" },
      nodeResourceGroup: cluster.nodeResourceGroup ?? `MC_${sandboxResourceGroup}_${cluster.name}_${cluster.location}`,
      enableRBAC: true,
      supportPlan: "KubernetesOfficial",
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkPolicy: "cilium",
        networkDataplane: "cilium",
        loadBalancerSku: "standard",
        podCidr: "10.244.0.0/16",
        serviceCidr: "10.0.0.0/16",
        dnsServiceIP: "10.0.0.10",
        outboundType: "loadBalancer",
        podCidrs: ["10.244.0.0/16"],
        serviceCidrs: ["10.0.0.0/16"],
        ipFamilies: ["IPv4"],
      },
      aadProfile: {
        managed: true,
        adminGroupObjectIDs: [sandboxGroupIds.platformAdmins],
        enableAzureRBAC: false,
        tenantID: sandboxTenantId,
      },
      maxAgentPools: 100,
      disableLocalAccounts: false,
      oidcIssuerProfile: { enabled: false },
    },
  };
}

export interface UserKubeconfigInput {
  cluster: Pick<SandboxCluster, "name">;
  origin: string;
  caPem: string;
  token: string;
}

/** The kubeconfig YAML inside listClusterUserCredential, named the way AKS names its entries. */
export function clusterUserKubeconfig({ cluster, origin, caPem, token }: UserKubeconfigInput): string {
  const user = `clusterUser_${sandboxResourceGroup}_${cluster.name}`;
  return stringify({
    apiVersion: "v1",
    clusters: [
      { cluster: { "certificate-authority-data": Buffer.from(caPem).toString("base64"), server: clusterServerUrl(origin, cluster) }, name: cluster.name },
    ],
    contexts: [{ context: { cluster: cluster.name, user }, name: cluster.name }],
    "current-context": cluster.name,
    kind: "Config",
    preferences: {},
    users: [{ name: user, user: { token } }],
  });
}
