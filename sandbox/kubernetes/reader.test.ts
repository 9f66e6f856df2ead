// The read-only cluster user: reads work, every write gets RBAC's 403 in the API server's own words.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { clusterReaderTokens, sandboxReaderUser } from "../clusters";
import { startTestApiServer, type TestApiServer } from "./test-harness";

let server: TestApiServer;

beforeAll(async () => {
  server = await startTestApiServer();
});

afterAll(async () => {
  await server.close();
});

describe("a read-only user", () => {
  it("lists and reads, and is refused every write with a Forbidden Status that names the verb, resource and scope", async () => {
    await server
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: "team-read" } } });
    const reader = server.kubeConfig({ token: clusterReaderTokens(server.stateDir)["aks-dev-weu"] });
    const core = reader.makeApiClient(CoreV1Api);
    expect((await core.listNamespace()).items.map((n) => n.metadata?.name)).toContain("team-read");
    expect((await core.readNamespace({ name: "team-read" })).metadata?.name).toBe("team-read");

    const refused = async (call: Promise<unknown>) => {
      const error = (await call.then(
        () => undefined,
        (failure: unknown) => failure,
      )) as { code?: number; body?: string } | undefined;
      expect(error?.code).toBe(403);
      return JSON.parse(error!.body!) as { reason: string; message: string };
    };
    expect(await refused(core.createNamespace({ body: { metadata: { name: "team-nope" } } }))).toMatchObject({
      reason: "Forbidden",
      message: `namespaces is forbidden: User "${sandboxReaderUser}" cannot create resource "namespaces" in API group "" at the cluster scope`,
    });
    expect((await refused(core.deleteNamespace({ name: "team-read" }))).message).toBe(
      `namespaces "team-read" is forbidden: User "${sandboxReaderUser}" cannot delete resource "namespaces" in API group "" at the cluster scope`,
    );
    expect(
      (await refused(reader.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: "team-read", body: { metadata: { name: "x" } } as never })))
        .message,
    ).toBe(`deployments.apps is forbidden: User "${sandboxReaderUser}" cannot create resource "deployments" in API group "apps" in the namespace "team-read"`);
    // Another cluster's reader token is nobody here.
    const stranger = server.kubeConfig({ token: clusterReaderTokens(server.stateDir)["aks-prod-weu"] });
    await expect(stranger.makeApiClient(CoreV1Api).listNamespace()).rejects.toMatchObject({ code: 401 });
  });
});
