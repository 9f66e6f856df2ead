// The sandbox's Log Analytics workspaces and workspace-based Application
// Insights components: what ARM lists and what the query API and the
// synthetic telemetry serve. Both sides read this one module (as clusters.ts
// for AKS), so a workspace id from ARM always answers queries, and a row's
// _ResourceId always names a component ARM lists.
import { createHash } from "node:crypto";
import { sandboxClusters, sandboxResourceGroup, sandboxSubscriptionId, type SandboxCluster } from "./clusters";

export type SandboxEnvironment = SandboxCluster["environment"];

export interface SandboxWorkspace {
  /** The ARM resource name. */
  name: string;
  location: string;
  /** The workspace id the query API is addressed by (`properties.customerId`), stable across restarts. */
  customerId: string;
}

export interface SandboxComponent {
  /** The ARM resource name. */
  name: string;
  location: string;
  environment: SandboxEnvironment;
  /** The workspace this component writes to (by name). */
  workspace: string;
  /** `properties.AppId`: the id the classic Application Insights API uses. */
  appId: string;
  instrumentationKey: string;
}

function digest(seed: string): string {
  return createHash("sha256").update(seed).digest("hex");
}

/** A version-4-shaped GUID derived from a seed, so ids survive restarts and data dirs. */
export function stableGuid(seed: string): string {
  const hex = digest(seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function workspace(name: string, location: string): SandboxWorkspace {
  return { name, location, customerId: stableGuid(`${sandboxSubscriptionId}/workspace/${name}`) };
}

export const sandboxWorkspaces: readonly SandboxWorkspace[] = [workspace("log-wharf-nonprod", "westeurope"), workspace("log-wharf-prod", "westeurope")];

function component(environment: SandboxEnvironment, workspaceName: string): SandboxComponent {
  const name = `appi-wharf-${environment}`;
  return {
    name,
    location: "westeurope",
    environment,
    workspace: workspaceName,
    appId: stableGuid(`${sandboxSubscriptionId}/component/${name}/app-id`),
    instrumentationKey: stableGuid(`${sandboxSubscriptionId}/component/${name}/ikey`),
  };
}

/** One component per cluster environment; dev and test share the non-production workspace. */
export const sandboxComponents: readonly SandboxComponent[] = [
  component("dev", "log-wharf-nonprod"),
  component("test", "log-wharf-nonprod"),
  component("prod", "log-wharf-prod"),
];

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** ARM's id of a workspace, as its `id` says and WorkspaceResourceId points at. */
export function workspaceResourceId(workspace: Pick<SandboxWorkspace, "name">): string {
  return `/subscriptions/${sandboxSubscriptionId}/resourceGroups/${sandboxResourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${workspace.name}`;
}

/** ARM's id of a component: what telemetry rows carry as `_ResourceId`. */
export function componentResourceId(component: Pick<SandboxComponent, "name">): string {
  return `/subscriptions/${sandboxSubscriptionId}/resourceGroups/${sandboxResourceGroup}/providers/Microsoft.Insights/components/${component.name}`;
}

/** The connection string an app in this environment would be given (ingestion is not served by the sandbox). */
export function componentConnectionString(component: SandboxComponent): string {
  return [
    `InstrumentationKey=${component.instrumentationKey}`,
    `IngestionEndpoint=https://${component.location}-5.in.applicationinsights.azure.com/`,
    `LiveEndpoint=https://${component.location}.livediagnostics.monitor.azure.com/`,
    `ApplicationId=${component.appId}`,
  ].join(";");
}

/**
 * A workspace by what the query API is given: its customer id (what the SDK
 * sends), and, as Log Analytics accepts in `workspaces`, its name or ARM id.
 */
export function findWorkspace(reference: string): SandboxWorkspace | undefined {
  const ref = reference.trim();
  return sandboxWorkspaces.find((w) => sameName(w.customerId, ref) || sameName(w.name, ref) || sameName(workspaceResourceId(w), ref.replace(/^\/*/, "/")));
}

export function componentForEnvironment(environment: SandboxEnvironment): SandboxComponent {
  const found = sandboxComponents.find((c) => c.environment === environment);
  if (!found) throw new Error(`no sandbox App Insights component for environment ${environment}`);
  return found;
}

/** The clusters whose telemetry lands in a workspace, through their environment's component. */
export function clustersOfWorkspace(workspace: Pick<SandboxWorkspace, "name">): SandboxCluster[] {
  return sandboxClusters.filter((cluster) => componentForEnvironment(cluster.environment).workspace === workspace.name);
}
