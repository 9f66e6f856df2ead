// The vendor shapes of the sandbox's monitoring resources: a
// Microsoft.OperationalInsights/workspaces resource as Log Analytics returns
// it (api-version 2025-07-01, what @azure/arm-operationalinsights 11 asks for)
// and a workspace-based Microsoft.Insights/components resource (property
// names PascalCase on the wire). As ARM answers each api-version in its own
// shape, WorkspaceResourceId and IngestionMode appear only from 2020-02-02 on
// (what @azure/arm-appinsights 5 asks for; version 4 asked 2018-05-01-preview).
// Fixed dates keep answers stable.
import { sandboxSubscriptionId } from "../clusters";
import { componentConnectionString, componentResourceId, workspaceResourceId, type SandboxComponent, type SandboxWorkspace } from "../workspaces";

const created = "2026-01-05T09:30:00.0000000Z";

export function workspaceResource(workspace: SandboxWorkspace): Record<string, unknown> {
  return {
    properties: {
      customerId: workspace.customerId,
      provisioningState: "Succeeded",
      sku: { name: "PerGB2018", lastSkuUpdate: created },
      retentionInDays: 30,
      features: { legacy: 0, searchVersion: 1, enableLogAccessUsingOnlyResourcePermissions: true },
      workspaceCapping: { dailyQuotaGb: -1, quotaNextResetTime: "2026-12-05T09:00:00Z", dataIngestionStatus: "RespectQuota" },
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
      createdDate: created,
      modifiedDate: created,
    },
    id: workspaceResourceId(workspace),
    name: workspace.name,
    type: "Microsoft.OperationalInsights/workspaces",
    location: workspace.location,
    tags: { "cost-center": "platform" },
    etag: `"${workspace.customerId.slice(0, 8)}-0000-0d00-0000-000000000000"`,
  };
}

/** The first components api-version that knows workspace-based components. */
export const workspaceBasedComponentsSince = "2020-02-02";

export function componentResource(component: SandboxComponent, workspace: SandboxWorkspace, apiVersion: string): Record<string, unknown> {
  const workspaceBased = apiVersion >= workspaceBasedComponentsSince;
  return {
    // App Insights answers with its own lowercase spelling of the type.
    id: componentResourceId(component),
    name: component.name,
    type: "microsoft.insights/components",
    location: component.location,
    tags: { "wharf.io/environment": component.environment, "cost-center": "platform" },
    kind: "web",
    etag: `"${component.appId.slice(0, 8)}-0000-0d00-0000-000000000000"`,
    properties: {
      ApplicationId: component.name,
      AppId: component.appId,
      Application_Type: "web",
      Flow_Type: "Bluefield",
      Request_Source: "rest",
      InstrumentationKey: component.instrumentationKey,
      ConnectionString: componentConnectionString(component),
      Name: component.name,
      CreationDate: created,
      // App Insights calls the subscription id TenantId.
      TenantId: sandboxSubscriptionId,
      provisioningState: "Succeeded",
      SamplingPercentage: null,
      RetentionInDays: 90,
      ...(workspaceBased ? { WorkspaceResourceId: workspaceResourceId(workspace), IngestionMode: "LogAnalytics" } : {}),
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
      Ver: "v2",
    },
  };
}
