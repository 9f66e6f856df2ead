// What AKS itself runs in a cluster, which Wharf never creates: the Node
// objects of each pool (as many as the bill charges for the day, from
// ../node-pools.ts, with the allocatable CPU and memory pods may request)
// and kube-system's add-on pods with their requests (CoreDNS, metrics-server,
// konnectivity, and per node Cilium, Azure CNS, the cloud node manager and the
// CSI drivers; requests as AKS 1.32 ships them, rounded). Written through the
// cluster's operations like any client's objects, so lists, watches and
// tables serve them; `syncSystemObjects` runs at start and each hour, adding
// or removing nodes (and their per-node pods) when the day's count changes.
import type { SandboxCluster } from "../clusters";
import { clusterNodesOn, vmSizes, type PoolNode } from "../node-pools";
import type { ClusterOperations } from "./operations";
import { findResource, type ResourceType } from "./resources";
import type { ClusterStore } from "./store";

const nodes = findResource("", "v1", "nodes") as ResourceType;
const pods = findResource("", "v1", "pods") as ResourceType;
const manager = "aks-system";
/** Marks the pods written here, so a sync finds its own and leaves others alone. */
export const systemPodLabel = "sandbox.wharf.io/system-pod";

interface SystemContainer {
  name: string;
  image: string;
  cpu: string;
  memory: string;
}

interface SystemWorkload {
  name: string;
  /** Replicas of a Deployment, or "node" for a DaemonSet's one pod per node. */
  replicas: number | "node";
  containers: SystemContainer[];
}

const mcr = "mcr.microsoft.com/oss/v2";
export const systemWorkloads: readonly SystemWorkload[] = [
  { name: "coredns", replicas: 2, containers: [{ name: "coredns", image: `${mcr}/kubernetes/coredns:v1.11.3-8`, cpu: "100m", memory: "70Mi" }] },
  {
    name: "coredns-autoscaler",
    replicas: 1,
    containers: [{ name: "autoscaler", image: `${mcr}/kubernetes/autoscaler/cluster-proportional-autoscaler:v1.9.0-1`, cpu: "20m", memory: "10Mi" }],
  },
  {
    name: "metrics-server",
    replicas: 2,
    containers: [
      { name: "metrics-server", image: `${mcr}/kubernetes/metrics-server:v0.7.2-6`, cpu: "150m", memory: "100Mi" },
      { name: "metrics-server-vpa", image: `${mcr}/kubernetes/autoscaler/addon-resizer:v1.8.23-2`, cpu: "5m", memory: "25Mi" },
    ],
  },
  {
    name: "konnectivity-agent",
    replicas: 2,
    containers: [{ name: "konnectivity-agent", image: `${mcr}/kubernetes/apiserver-network-proxy/agent:v0.30.3-hotfix.20240819`, cpu: "20m", memory: "20Mi" }],
  },
  { name: "cilium", replicas: "node", containers: [{ name: "cilium-agent", image: `${mcr}/cilium/cilium:1.16.6-1`, cpu: "100m", memory: "300Mi" }] },
  {
    name: "azure-cns",
    replicas: "node",
    containers: [{ name: "cns-container", image: "mcr.microsoft.com/containernetworking/azure-cns:v1.6.21", cpu: "40m", memory: "250Mi" }],
  },
  {
    name: "cloud-node-manager",
    replicas: "node",
    containers: [{ name: "cloud-node-manager", image: `${mcr}/kubernetes/azure-cloud-node-manager:v1.32.3`, cpu: "50m", memory: "50Mi" }],
  },
  {
    name: "csi-azuredisk-node",
    replicas: "node",
    containers: [
      { name: "liveness-probe", image: `${mcr}/kubernetes-csi/livenessprobe:v2.15.0`, cpu: "10m", memory: "20Mi" },
      { name: "node-driver-registrar", image: `${mcr}/kubernetes-csi/csi-node-driver-registrar:v2.13.0`, cpu: "10m", memory: "20Mi" },
      { name: "azuredisk", image: `${mcr}/kubernetes-csi/azuredisk-csi:v1.31.5`, cpu: "10m", memory: "20Mi" },
    ],
  },
  {
    name: "csi-azurefile-node",
    replicas: "node",
    containers: [
      { name: "liveness-probe", image: `${mcr}/kubernetes-csi/livenessprobe:v2.15.0`, cpu: "10m", memory: "20Mi" },
      { name: "node-driver-registrar", image: `${mcr}/kubernetes-csi/csi-node-driver-registrar:v2.13.0`, cpu: "10m", memory: "20Mi" },
      { name: "azurefile", image: `${mcr}/kubernetes-csi/azurefile-csi:v1.31.5`, cpu: "10m", memory: "20Mi" },
    ],
  },
];

function nodeObject(cluster: SandboxCluster, node: PoolNode, nodeResourceGroup: string, subscriptionId: string) {
  const size = vmSizes[node.vmSize];
  if (!size) throw new Error(`sandbox/node-pools.ts has no size ${node.vmSize}`);
  return {
    metadata: {
      name: node.name,
      labels: {
        "kubernetes.azure.com/agentpool": node.pool,
        "kubernetes.azure.com/cluster": nodeResourceGroup,
        "kubernetes.azure.com/mode": "system",
        "kubernetes.io/hostname": node.name,
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": node.vmSize,
        "topology.kubernetes.io/region": cluster.location,
        "topology.kubernetes.io/zone": `${cluster.location}-${(node.index % 3) + 1}`,
      },
    },
    spec: {
      podCIDR: `10.244.${node.podSubnet}.0/24`,
      providerID:
        `azure:///subscriptions/${subscriptionId}/resourceGroups/${nodeResourceGroup.toLowerCase()}` +
        `/providers/Microsoft.Compute/virtualMachineScaleSets/${node.name.slice(0, -6)}/virtualMachines/${node.index}`,
    },
    status: {
      capacity: { ...size.capacity, pods: "110", "ephemeral-storage": "128749336Ki" },
      allocatable: { ...size.allocatable, pods: "110", "ephemeral-storage": "118656647210" },
      conditions: [
        { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: new Date().toISOString() },
      ],
      addresses: [
        { type: "InternalIP", address: node.ip },
        { type: "Hostname", address: node.name },
      ],
      nodeInfo: {
        kubeletVersion: `v${cluster.kubernetesVersion}`,
        kubeProxyVersion: `v${cluster.kubernetesVersion}`,
        containerRuntimeVersion: "containerd://1.7.27-1",
        osImage: "Ubuntu 22.04.5 LTS",
        kernelVersion: "5.15.0-1089-azure",
        operatingSystem: "linux",
        architecture: "amd64",
        machineID: "",
        systemUUID: "",
        bootID: "",
      },
    },
  };
}

/** The system pods the day's nodes carry: Deployments' replicas spread over the nodes, one pod per node for each DaemonSet. */
export function systemPods(nodeNames: readonly string[]): { name: string; node: string; workload: SystemWorkload }[] {
  if (nodeNames.length === 0) return [];
  return systemWorkloads.flatMap((workload) =>
    workload.replicas === "node"
      ? nodeNames.map((node) => ({ name: `${workload.name}-${node.slice(-6)}`, node, workload }))
      : Array.from({ length: workload.replicas }, (_, i) => ({ name: `${workload.name}-${i}`, node: nodeNames[i % nodeNames.length]!, workload })),
  );
}

function podObject(pod: ReturnType<typeof systemPods>[number]) {
  return {
    metadata: { name: pod.name, namespace: "kube-system", labels: { "k8s-app": pod.workload.name, [systemPodLabel]: "true" } },
    spec: {
      nodeName: pod.node,
      priorityClassName: "system-node-critical",
      containers: pod.workload.containers.map((container) => ({
        name: container.name,
        image: container.image,
        resources: { requests: { cpu: container.cpu, memory: container.memory } },
      })),
    },
  };
}

/**
 * Makes the cluster's Nodes and kube-system pods those of `now`'s day: creates what is missing (a Node's status
 * written as the kubelet would), removes nodes the day no longer has and the pods on them. Pods others created are
 * left alone.
 */
export function syncSystemObjects(
  operations: ClusterOperations,
  store: ClusterStore,
  cluster: SandboxCluster,
  arm: { nodeResourceGroup: string; subscriptionId: string },
  now = new Date(),
): void {
  const wanted = clusterNodesOn(cluster, now);
  const wantedNames = new Set(wanted.map((node) => node.name));
  for (const node of wanted) {
    if (store.get(nodes, undefined, node.name)) continue;
    const object = nodeObject(cluster, node, arm.nodeResourceGroup, arm.subscriptionId);
    const created = operations.create(nodes, undefined, { ...object, status: undefined }, { manager }).object;
    operations.update(nodes, undefined, node.name, { ...created, status: object.status }, { manager, subresource: "status" });
  }
  const podsWanted = systemPods(wanted.map((node) => node.name));
  const podNames = new Set(podsWanted.map((pod) => pod.name));
  for (const pod of store.view(pods, "kube-system")) {
    const name = pod.metadata.name ?? "";
    if (pod.metadata.labels?.[systemPodLabel] === "true" && !podNames.has(name)) operations.delete(pods, "kube-system", name);
  }
  for (const node of store.view(nodes)) {
    const name = node.metadata.name ?? "";
    if (!wantedNames.has(name)) operations.delete(nodes, undefined, name);
  }
  for (const pod of podsWanted) if (!store.get(pods, "kube-system", pod.name)) operations.create(pods, "kube-system", podObject(pod), { manager });
}
