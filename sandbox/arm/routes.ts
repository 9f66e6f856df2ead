// Matching ARM request paths. ARM treats the fixed segments (`resourceGroups`,
// `providers`, the namespace and type) and resource names case-insensitively,
// and clients differ in how they spell them (the SDK sends `resourceGroups`,
// ids from AKS say `resourcegroups`), so both forms must reach the same route.

/** The resource types the sandbox ARM serves, as `<namespace>/<type>` lowercased. */
export const armResourceTypes = {
  managedClusters: ["microsoft.containerservice", "managedclusters"],
  workspaces: ["microsoft.operationalinsights", "workspaces"],
  components: ["microsoft.insights", "components"],
  registries: ["microsoft.containerregistry", "registries"],
} as const;
export type ArmResourceType = keyof typeof armResourceTypes;

export type ArmRoute = { resourceType: ArmResourceType } & (
  | { kind: "listBySubscription"; subscriptionId: string }
  | { kind: "listByResourceGroup"; subscriptionId: string; resourceGroup: string }
  | { kind: "get"; subscriptionId: string; resourceGroup: string; name: string }
  | { kind: "listClusterUserCredential"; subscriptionId: string; resourceGroup: string; name: string }
);

function matches(segments: readonly string[], pattern: readonly string[]): string[] | undefined {
  if (segments.length !== pattern.length) return undefined;
  const captured: string[] = [];
  for (const [i, expected] of pattern.entries()) {
    const actual = segments[i] ?? "";
    if (expected === "*") captured.push(actual);
    else if (actual.toLowerCase() !== expected) return undefined;
  }
  return captured;
}

/** The segments of a request path, tolerating the `//subscriptions` that a leading-slash resource id yields. */
export function pathSegments(url: string): string[] {
  const path = url.split("?")[0] ?? "";
  return path
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        // A malformed escape cannot name a sandbox resource; keep it raw so the lookup answers 404.
        return segment;
      }
    });
}

export function matchArmRoute(method: string, segments: readonly string[]): ArmRoute | undefined {
  for (const resourceType of Object.keys(armResourceTypes) as ArmResourceType[]) {
    const route = matchTypeRoute(method, segments, resourceType);
    if (route) return route;
  }
  return undefined;
}

function matchTypeRoute(method: string, segments: readonly string[], resourceType: ArmResourceType): ArmRoute | undefined {
  const provider = ["providers", ...armResourceTypes[resourceType]];
  const inGroup = ["subscriptions", "*", "resourcegroups", "*", ...provider];
  if (method === "GET") {
    const bySubscription = matches(segments, ["subscriptions", "*", ...provider]);
    if (bySubscription) return { resourceType, kind: "listBySubscription", subscriptionId: bySubscription[0] ?? "" };
    const byGroup = matches(segments, inGroup);
    if (byGroup) return { resourceType, kind: "listByResourceGroup", subscriptionId: byGroup[0] ?? "", resourceGroup: byGroup[1] ?? "" };
    const one = matches(segments, [...inGroup, "*"]);
    if (one) return { resourceType, kind: "get", subscriptionId: one[0] ?? "", resourceGroup: one[1] ?? "", name: one[2] ?? "" };
  }
  if (method === "POST" && resourceType === "managedClusters") {
    const action = matches(segments, [...inGroup, "*", "listclusterusercredential"]);
    if (action)
      return { resourceType, kind: "listClusterUserCredential", subscriptionId: action[0] ?? "", resourceGroup: action[1] ?? "", name: action[2] ?? "" };
  }
  return undefined;
}
