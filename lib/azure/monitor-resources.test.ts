// Integration: workspaces and App Insights components discovered through ARM
// against the sandbox, with the real ARM SDKs, and a failing subscription isolated.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type WharfConfig } from "@/lib/config";
import { discoverMonitorResources } from "@/lib/azure/monitor-resources";

let config: WharfConfig;

beforeAll(() => {
  config = loadConfig({ SANDBOX_ENDPOINTS_FILE: process.env.SANDBOX_ENDPOINTS_FILE, WHARF_DATA_DIR: mkdtempSync(join(tmpdir(), "wharf-monitor-")) });
});

describe("discoverMonitorResources", () => {
  it("lists workspaces with their customer ids and workspace-based components with their workspace and environment tag", async () => {
    const { workspaces, components, failures } = await discoverMonitorResources(config);
    expect(failures).toEqual([]);
    expect(workspaces.map((workspace) => workspace.name)).toEqual(["log-wharf-nonprod", "log-wharf-prod"]);
    expect(workspaces[0]).toMatchObject({
      subscriptionId: config.azure.subscriptionIds[0],
      location: "westeurope",
      customerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(components.map((component) => [component.name, component.tags["wharf.io/environment"], component.workspaceResourceId?.split("/").at(-1)])).toEqual([
      ["appi-wharf-dev", "dev", "log-wharf-nonprod"],
      ["appi-wharf-prod", "prod", "log-wharf-prod"],
      ["appi-wharf-test", "test", "log-wharf-nonprod"],
    ]);
    expect(components[0]!.appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(components[0]!.id.toLowerCase()).toContain("/providers/microsoft.insights/components/appi-wharf-dev");
  });

  it("reports a subscription ARM refuses, for each listing, and still lists the others", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const { workspaces, components, failures } = await discoverMonitorResources({
      ...config,
      azure: { ...config.azure, subscriptionIds: [...config.azure.subscriptionIds, unknown] },
    });
    expect(workspaces).toHaveLength(2);
    expect(components).toHaveLength(3);
    expect(failures.map((failure) => [failure.subscriptionId, failure.resource])).toEqual(
      expect.arrayContaining([
        [unknown, "workspaces"],
        [unknown, "components"],
      ]),
    );
    for (const failure of failures) expect(failure.message).toContain("SubscriptionNotFound");
  });
});
