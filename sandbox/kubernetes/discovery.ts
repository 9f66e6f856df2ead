// Discovery documents. client-node's KubernetesObjectApi and kubectl's REST
// mapper read these to turn a kind into a URL and to learn whether it is
// namespaced, so they list exactly what this server serves. kubectl asks for
// aggregated discovery (apidiscovery.k8s.io/v2) first and falls back to these
// legacy documents when the answer is plain application/json, as with older
// clusters.
import { hasScale } from "./scale";
import { apiVersionOf, groupVersions, resourceTypes, resourceVerbs } from "./resources";
import type { SandboxCluster } from "../clusters";

export function versionInfo(cluster: SandboxCluster): Record<string, string> {
  const [major = "1", minor = "0"] = cluster.kubernetesVersion.split(".");
  return {
    major,
    minor,
    gitVersion: `v${cluster.kubernetesVersion}`,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2025-04-22T00:00:00Z",
    goVersion: "go1.23.8",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

export function coreVersions(serverAddress: string): Record<string, unknown> {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

export function groupList(): Record<string, unknown> {
  const groups = groupVersions()
    .filter((entry) => entry.group !== "")
    .map((entry) => {
      const version = { groupVersion: `${entry.group}/${entry.version}`, version: entry.version };
      return { name: entry.group, versions: [version], preferredVersion: version };
    });
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

export function group(name: string): Record<string, unknown> | undefined {
  const entry = groupVersions().find((candidate) => candidate.group === name && name !== "");
  if (!entry) return undefined;
  const version = { groupVersion: `${entry.group}/${entry.version}`, version: entry.version };
  return { kind: "APIGroup", apiVersion: "v1", name, versions: [version], preferredVersion: version };
}

export function resourceList(groupName: string, version: string): Record<string, unknown> | undefined {
  const types = resourceTypes.filter((type) => type.group === groupName && type.version === version);
  if (types.length === 0) return undefined;
  const resources = types.flatMap((type) => {
    const main: Record<string, unknown> = {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: [...resourceVerbs],
    };
    if (type.shortNames.length > 0) main.shortNames = type.shortNames;
    if (type.categories.length > 0) main.categories = type.categories;
    const status = { name: `${type.plural}/status`, singularName: "", namespaced: type.namespaced, kind: type.kind, verbs: ["get", "patch", "update"] };
    // The scale subresource is served as autoscaling/v1 Scale, as kubectl scale's client reads from discovery.
    const scale = {
      name: `${type.plural}/scale`,
      singularName: "",
      namespaced: type.namespaced,
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
      verbs: ["get", "patch", "update"],
    };
    // pods/log answers text/plain, so it has no kind of its own in discovery (as on a real cluster: "Pod").
    const log = { name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] };
    const isPod = type.group === "" && type.plural === "pods";
    return [main, ...(type.statusSubresource ? [status] : []), ...(hasScale(type) ? [scale] : []), ...(isPod ? [log] : [])];
  });
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: apiVersionOf({ group: groupName, version }), resources };
}
