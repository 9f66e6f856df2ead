// The sandbox's Log Analytics workspaces and App Insights components through
// the real management SDKs, as Wharf discovers them: the workspace id a query
// goes to, and which workspace each environment's component writes to.
import { ApplicationInsightsManagementClient } from "@azure/arm-appinsights";
import { OperationalInsightsManagementClient } from "@azure/arm-operationalinsights";
import type { RestError } from "@azure/core-rest-pipeline";
import { ClientSecretCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxResourceGroup, sandboxSubscriptionId } from "../clusters";
import { sandboxClientId } from "../identity";
import { sandboxTenantId } from "../personas";
import { sandboxWorkspaces } from "../workspaces";
import { httpsJson } from "../test-support/sandbox-client";
import { armScope } from "./authenticate";
import { startArmTestSandbox, type ArmTestSandbox } from "./test-sandbox";

let sandbox: ArmTestSandbox;
let workspaces: OperationalInsightsManagementClient;
let components: ApplicationInsightsManagementClient;
let credential: ClientSecretCredential;

beforeAll(async () => {
  sandbox = await startArmTestSandbox();
  credential = new ClientSecretCredential(sandboxTenantId, sandboxClientId, sandbox.clientSecret, {
    authorityHost: sandbox.origin,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: sandbox.caPem },
  });
  workspaces = new OperationalInsightsManagementClient(credential, sandboxSubscriptionId, { endpoint: sandbox.origin, tlsOptions: { ca: sandbox.caPem } });
  // arm-appinsights 5 would ask for a token for `${endpoint}/.default`: ARM's scope is given, as Wharf gives it.
  components = new ApplicationInsightsManagementClient(credential, sandboxSubscriptionId, {
    endpoint: sandbox.origin,
    $host: sandbox.origin,
    credentialScopes: [armScope],
    tlsOptions: { ca: sandbox.caPem },
  });
});

afterAll(async () => {
  await sandbox?.close();
});

describe("Log Analytics workspaces through @azure/arm-operationalinsights", () => {
  it("lists both workspaces by subscription and by resource group, with stable customer ids", async () => {
    const listed = [];
    for await (const workspace of workspaces.workspaces.list()) listed.push(workspace);
    expect(listed.map((w) => w.name)).toEqual(["log-wharf-nonprod", "log-wharf-prod"]);
    expect(listed[0]).toMatchObject({
      id: `/subscriptions/${sandboxSubscriptionId}/resourceGroups/${sandboxResourceGroup}/providers/Microsoft.OperationalInsights/workspaces/log-wharf-nonprod`,
      type: "Microsoft.OperationalInsights/workspaces",
      location: "westeurope",
      provisioningState: "Succeeded",
      retentionInDays: 30,
      sku: { name: "PerGB2018" },
    });
    expect(listed.map((w) => w.customerId)).toEqual(sandboxWorkspaces.map((w) => w.customerId));
    expect(listed[0]?.customerId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    const inGroup = [];
    for await (const workspace of workspaces.workspaces.listByResourceGroup(sandboxResourceGroup)) inGroup.push(workspace.name);
    expect(inGroup).toEqual(["log-wharf-nonprod", "log-wharf-prod"]);
  });

  it("gets one workspace, and answers ARM's 404 for a missing one", async () => {
    const prod = await workspaces.workspaces.get(sandboxResourceGroup, "log-wharf-prod");
    expect(prod.customerId).toBe(sandboxWorkspaces[1]?.customerId);
    await expect(workspaces.workspaces.get(sandboxResourceGroup, "log-nowhere")).rejects.toMatchObject({
      statusCode: 404,
      code: "ResourceNotFound",
    } satisfies Partial<RestError>);
  });
});

describe("App Insights components through @azure/arm-appinsights", () => {
  it("lists one workspace-based component per environment, tagged with it", async () => {
    const listed = [];
    for await (const component of components.components.list()) listed.push(component);
    expect(listed.map((c) => c.name)).toEqual(["appi-wharf-dev", "appi-wharf-test", "appi-wharf-prod"]);
    const workspaceId = (name: string) =>
      `/subscriptions/${sandboxSubscriptionId}/resourceGroups/${sandboxResourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${name}`;
    // The SDK asks with 2020-02-02: each names the workspace it writes to.
    expect(listed.map((c) => [c.tags?.["wharf.io/environment"], c.workspaceResourceId])).toEqual([
      ["dev", workspaceId("log-wharf-nonprod")],
      ["test", workspaceId("log-wharf-nonprod")],
      ["prod", workspaceId("log-wharf-prod")],
    ]);
    // Asked with an api-version older than workspace-based components, ARM leaves WorkspaceResourceId and IngestionMode out.
    const { token } = await credential.getToken(armScope);
    const wire = async (apiVersion: string) =>
      (
        (
          await httpsJson(`${sandbox.origin}/subscriptions/${sandboxSubscriptionId}/providers/Microsoft.Insights/components?api-version=${apiVersion}`, {
            ca: sandbox.caPem,
            token,
          })
        ).body as { value: { properties: { WorkspaceResourceId?: string; IngestionMode?: string } }[] }
      ).value;
    expect((await wire("2018-05-01-preview")).map((c) => c.properties.WorkspaceResourceId)).toEqual([undefined, undefined, undefined]);
    const workspaceBased = await wire("2020-02-02");
    expect(workspaceBased[0]?.properties.IngestionMode).toBe("LogAnalytics");
    const dev = listed[0]!;
    expect(dev).toMatchObject({
      id: `/subscriptions/${sandboxSubscriptionId}/resourceGroups/${sandboxResourceGroup}/providers/Microsoft.Insights/components/appi-wharf-dev`,
      kind: "web",
      applicationType: "web",
      provisioningState: "Succeeded",
    });
    expect(dev.appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(dev.connectionString).toBe(
      `InstrumentationKey=${dev.instrumentationKey};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/;ApplicationId=${dev.appId}`,
    );
  });

  it("lists by resource group and gets one component", async () => {
    const inGroup = [];
    for await (const component of components.components.listByResourceGroup(sandboxResourceGroup)) inGroup.push(component.name);
    expect(inGroup).toHaveLength(3);
    const prod = await components.components.get(sandboxResourceGroup, "appi-wharf-prod");
    expect(prod.tags).toMatchObject({ "wharf.io/environment": "prod" });
    await expect(components.components.get("rg-nowhere", "appi-wharf-prod")).rejects.toMatchObject({ statusCode: 404 });
  });
});
