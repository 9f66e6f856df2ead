// The API server stores quantities in resource.Quantity's canonical form, on
// every kind of write, and an apply of the same value spelt another way
// changes nothing.
import { afterEach, describe, expect, it } from "vitest";
import { kubeRequest } from "@/lib/kubernetes/request";
import { startTestApiServer, type TestApiServer } from "./test-harness";

let server: TestApiServer;
afterEach(async () => {
  await server?.close();
});

const namespace = "team-quantities";

describe("quantities as the API server stores them", () => {
  it("canonicalises requests and limits, quota and limit ranges; re-applying another spelling is no change", async () => {
    server = await startTestApiServer();
    const config = server.kubeConfig();
    await kubeRequest(config, "POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } } });
    const deployment = (cpu: string, memory: string) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            containers: [
              { name: "web", image: "contoso.azurecr.io/web:1", resources: { requests: { cpu, memory }, limits: { cpu: "1000m", memory: "0.5Gi" } } },
            ],
          },
        },
      },
    });
    const apply = async (body: unknown) =>
      (
        await kubeRequest(config, "PATCH", `/apis/apps/v1/namespaces/${namespace}/deployments/web?fieldManager=test&force=true`, {
          body,
          contentType: "application/apply-patch+yaml",
        })
      ).body as {
        metadata: { generation: number };
        spec: { template: { spec: { containers: { resources: unknown }[] } } };
      };
    const first = await apply(deployment("0.25", "1024Mi"));
    expect(first.spec.template.spec.containers[0]!.resources).toEqual({ requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "1", memory: "512Mi" } });
    const again = await apply(deployment("250m", "1Gi"));
    expect(again.metadata.generation).toBe(first.metadata.generation);

    const quota = (
      await kubeRequest(config, "POST", `/api/v1/namespaces/${namespace}/resourcequotas`, {
        body: {
          apiVersion: "v1",
          kind: "ResourceQuota",
          metadata: { name: "q" },
          spec: { hard: { "requests.cpu": "4000m", "requests.memory": "8388608Ki", pods: "50", "limits.cpu": "1.5" } },
        },
      })
    ).body as { spec: { hard: Record<string, string> } };
    expect(quota.spec.hard).toEqual({ "requests.cpu": "4", "requests.memory": "8Gi", pods: "50", "limits.cpu": "1500m" });

    const limits = (
      await kubeRequest(config, "POST", `/api/v1/namespaces/${namespace}/limitranges`, {
        body: {
          apiVersion: "v1",
          kind: "LimitRange",
          metadata: { name: "l" },
          spec: { limits: [{ type: "Container", default: { cpu: "0.5", memory: "536870912" }, defaultRequest: { cpu: "100m" } }] },
        },
      })
    ).body as { spec: { limits: Record<string, unknown>[] } };
    expect(limits.spec.limits[0]).toMatchObject({ default: { cpu: "500m", memory: "536870912" }, defaultRequest: { cpu: "100m" } });
  });
});
