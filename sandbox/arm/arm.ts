// Azure Resource Manager stand-in: the managedClusters calls Wharf makes
// through @azure/arm-containerservice, answered in ARM's order (authenticate,
// then api-version, then subscription, resource group, resource) so each
// failure carries the code the real service sends.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Provider } from "oidc-provider";
import { clusterTokens, sandboxClusters, sandboxResourceGroup, sandboxSubscriptionId, type SandboxCluster } from "../clusters";
import { sandboxTenantId } from "../personas";
import { authenticateArmCaller } from "./authenticate";
import { clusterUserKubeconfig, managedClusterResource } from "./managed-cluster";
import { sendArmError, sendArmJson } from "./responses";
import { matchArmRoute, pathSegments, type ArmRoute } from "./routes";
import { componentResource, workspaceResource } from "./monitor-resources";
import { sandboxComponents, sandboxWorkspaces, type SandboxWorkspace } from "../workspaces";
import { registryResource } from "./registry-resource";
import { sandboxRegistries } from "../registries";

export interface ArmOptions {
  /** The sandbox's Entra stand-in; only its client-credentials tokens for the ARM scope are accepted. */
  provider: Provider;
  /** The sandbox's HTTPS origin, e.g. https://localhost:8443; kubeconfigs point there. */
  origin: string;
  /** Where clusterTokens() keeps the per-cluster bearer tokens. */
  stateDir: string;
  /** The sandbox CA, put into kubeconfigs as certificate-authority-data. */
  caPem: string;
}

export type ArmHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const apiVersionPattern = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function createArm({ provider, origin, stateDir, caPem }: ArmOptions): ArmHandler {
  // Read once: the file is created on first use and never changes while the sandbox runs.
  const tokens = clusterTokens(stateDir);
  const challenge = (description: string) =>
    `Bearer authorization_uri="${origin}/${sandboxTenantId}", error="invalid_token", error_description="${description.replaceAll('"', "'")}"`;

  return async function handleArm(req, res) {
    const caller = await authenticateArmCaller(provider, req);
    if (!caller.ok) {
      sendArmError(res, 401, caller.code, caller.message, { "www-authenticate": challenge(caller.message) });
      return;
    }

    const apiVersion = new URLSearchParams((req.url ?? "").split("?")[1] ?? "").get("api-version");
    if (!apiVersion) {
      sendArmError(res, 400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
      return;
    }
    if (!apiVersionPattern.test(apiVersion)) {
      sendArmError(
        res,
        400,
        "InvalidApiVersionParameter",
        `The api-version '${apiVersion}' is invalid. The supported versions are dates such as '2025-05-01' or '2025-05-02-preview'.`,
      );
      return;
    }

    const route = matchArmRoute(req.method ?? "GET", pathSegments(req.url ?? "/"));
    if (!route) {
      // Not an ARM error: a Wharf developer adding an ARM call must see that the sandbox lacks it, not a plausible 404.
      sendArmError(
        res,
        501,
        "SandboxNotImplemented",
        "The sandbox ARM serves only list, get and listClusterUserCredential on Microsoft.ContainerService/managedClusters and " +
          "list and get on Microsoft.OperationalInsights/workspaces, Microsoft.Insights/components and Microsoft.ContainerRegistry/registries, " +
          `not ${req.method} ${req.url}.`,
      );
      return;
    }

    if (!sameName(route.subscriptionId, sandboxSubscriptionId)) {
      sendArmError(res, 404, "SubscriptionNotFound", `The subscription '${route.subscriptionId}' could not be found.`);
      return;
    }
    if (route.resourceType !== "managedClusters") {
      serveMonitorResource(res, route, apiVersion);
      return;
    }
    if (route.kind === "listBySubscription") {
      sendArmJson(res, 200, { value: sandboxClusters.map(managedClusterResource) });
      return;
    }

    if (!sameName(route.resourceGroup, sandboxResourceGroup)) {
      sendArmError(res, 404, "ResourceGroupNotFound", `Resource group '${route.resourceGroup}' could not be found.`);
      return;
    }
    if (route.kind === "listByResourceGroup") {
      sendArmJson(res, 200, { value: sandboxClusters.map(managedClusterResource) });
      return;
    }

    const cluster: SandboxCluster | undefined = sandboxClusters.find((c) => sameName(c.name, route.name));
    if (!cluster) {
      sendArmError(
        res,
        404,
        "ResourceNotFound",
        `The Resource 'Microsoft.ContainerService/managedClusters/${route.name}' under resource group ` +
          `'${route.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
      return;
    }
    if (route.kind === "get") {
      sendArmJson(res, 200, managedClusterResource(cluster));
      return;
    }

    const token = tokens[cluster.name];
    if (!token) throw new Error(`cluster-tokens.json in ${stateDir} has no token for ${cluster.name}; delete it to regenerate`);
    const kubeconfig = clusterUserKubeconfig({ cluster, origin, caPem, token });
    sendArmJson(res, 200, { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(kubeconfig).toString("base64") }] });
  };
}

const workspaceNamed = (name: string): SandboxWorkspace => {
  const found = sandboxWorkspaces.find((w) => w.name === name);
  if (!found) throw new Error(`sandbox component writes to unknown workspace ${name}`);
  return found;
};

const resourceTypeNames = {
  workspaces: "Microsoft.OperationalInsights/workspaces",
  components: "Microsoft.Insights/components",
  registries: "Microsoft.ContainerRegistry/registries",
  managedClusters: "Microsoft.ContainerService/managedClusters",
} as const;

/** Workspaces, components and registries: list by subscription or resource group, and get; they all live in the sandbox resource group. */
function serveMonitorResource(res: Parameters<ArmHandler>[1], route: ArmRoute, apiVersion: string): void {
  const all =
    route.resourceType === "workspaces"
      ? sandboxWorkspaces.map((w) => ({ name: w.name, body: workspaceResource(w) }))
      : route.resourceType === "registries"
        ? sandboxRegistries.map((r) => ({ name: r.name, body: registryResource(r) }))
        : sandboxComponents.map((c) => ({ name: c.name, body: componentResource(c, workspaceNamed(c.workspace), apiVersion) }));
  if (route.kind === "listBySubscription") {
    sendArmJson(res, 200, { value: all.map((r) => r.body) });
    return;
  }
  if (!sameName(route.resourceGroup, sandboxResourceGroup)) {
    sendArmError(res, 404, "ResourceGroupNotFound", `Resource group '${route.resourceGroup}' could not be found.`);
    return;
  }
  if (route.kind === "listByResourceGroup") {
    sendArmJson(res, 200, { value: all.map((r) => r.body) });
    return;
  }
  const name = route.kind === "get" ? route.name : "";
  const found = all.find((r) => sameName(r.name, name));
  if (!found) {
    const type = resourceTypeNames[route.resourceType];
    sendArmError(
      res,
      404,
      "ResourceNotFound",
      `The Resource '${type}/${name}' under resource group '${route.resourceGroup}' was ` +
        "not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    );
    return;
  }
  sendArmJson(res, 200, found.body);
}
