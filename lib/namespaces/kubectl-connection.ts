// How a person reaches a namespace with kubectl (issue 17 item 5): the Azure CLI's credentials for the AKS cluster,
// kubelogin for clusters with Microsoft Entra ID sign-in, and the namespace to use. The team's Entra groups are bound to
// Kubernetes' `edit` role there (render-namespace.ts), so members can run these. Pure.

export interface KubectlStep {
  /** One shell command, its words quoted where a shell would split them. */
  command: string;
  /** What it is for, or when it applies. */
  note: string;
}

export interface KubectlConnection {
  subscriptionId: string;
  resourceGroup: string;
  cluster: string;
  namespace: string;
  steps: KubectlStep[];
}

/** A word as a POSIX shell reads it: bare when it has only safe characters, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9._:/@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export function kubectlConnection(cluster: { name: string; subscriptionId: string; resourceGroup: string }, namespace: string): KubectlConnection {
  const steps: KubectlStep[] = [
    { command: "az login", note: "Sign in to Azure with your own account." },
    { command: `az account set --subscription ${shellWord(cluster.subscriptionId)}`, note: "The subscription the cluster is in." },
    {
      command: `az aks get-credentials --resource-group ${shellWord(cluster.resourceGroup)} --name ${shellWord(cluster.name)}`,
      note: "Adds the cluster to your kubeconfig (your user credentials, not the admin's).",
    },
    {
      command: "kubelogin convert-kubeconfig -l azurecli",
      note: "Only for a cluster with Microsoft Entra ID sign-in: kubectl then signs in with your Azure CLI session.",
    },
    { command: `kubectl config set-context --current --namespace ${shellWord(namespace)}`, note: "Makes this namespace kubectl's default." },
    { command: "kubectl get pods", note: "Your team may read and change what runs here (Kubernetes' edit role)." },
  ];
  return { subscriptionId: cluster.subscriptionId, resourceGroup: cluster.resourceGroup, cluster: cluster.name, namespace, steps };
}
