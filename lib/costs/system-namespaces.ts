// Namespaces whose requests are the platform's, not a team's: Kubernetes' own
// and those AKS and its add-ons create (Azure Policy, network policy, app
// routing, the Istio add-on, `az aks command invoke`).
export const systemNamespaceNames: readonly string[] = [
  "kube-system",
  "kube-public",
  "kube-node-lease",
  "gatekeeper-system",
  "calico-system",
  "tigera-operator",
  "app-routing-system",
  "aks-istio-system",
  "aks-istio-ingress",
  "aks-istio-egress",
  "aks-command",
];
const systemNamespaces = new Set(systemNamespaceNames);

export function isSystemNamespace(namespace: string): boolean {
  return systemNamespaces.has(namespace);
}
