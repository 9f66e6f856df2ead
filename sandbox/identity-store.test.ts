// Tokens the sandbox issued stay valid across a restart, as a real tenant's do:
// Wharf's Azure SDK caches an ARM token for its lifetime.
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { startSandbox } from "./server";
import { createFileAdapterStore } from "./oidc-file-adapter";
import { armScope } from "./arm/authenticate";
import { sandboxResourceGroup, sandboxSubscriptionId } from "./clusters";
import { requestClientCredentialsToken } from "./test-support/pipeline-client";

describe("the sandbox identity store", () => {
  it("accepts an ARM token issued before a restart, and refuses it after --reset", async () => {
    const dataDir = resolve(".data", "test", `sandbox-store-${randomBytes(6).toString("hex")}`);
    const listWith = async (origin: string, ca: string, token: string) => {
      const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
      const client = new ContainerServiceClient(credential, sandboxSubscriptionId, { endpoint: origin, tlsOptions: { ca } });
      const names: string[] = [];
      for await (const cluster of client.managedClusters.listByResourceGroup(sandboxResourceGroup)) names.push(cluster.name ?? "");
      return names;
    };
    const first = await startSandbox({ dataDir, port: 0, browserPort: 0 });
    try {
      const ca = readFileSync(first.endpoints.caFile, "utf8");
      const origin = new URL(first.endpoints.authority).origin;
      // The token endpoint directly: this test is about the token outliving the process, not about MSAL.
      const issued = await requestClientCredentialsToken(first.endpoints, {
        clientId: first.endpoints.clientId,
        clientSecret: first.endpoints.clientSecret,
        scope: armScope,
      });
      expect(issued.status).toBe(200);
      const token = issued.body.access_token as string;
      expect(await listWith(origin, ca, token)).toContain("aks-dev-weu");
      const port = first.port;
      await first.close();

      const second = await startSandbox({ dataDir, port, browserPort: 0 });
      try {
        expect(await listWith(origin, ca, token)).toContain("aks-dev-weu");
      } finally {
        await second.close();
      }
      const reset = await startSandbox({ dataDir, port, browserPort: 0, reset: true });
      try {
        await expect(listWith(origin, readFileSync(reset.endpoints.caFile, "utf8"), token)).rejects.toMatchObject({ statusCode: 401 });
      } finally {
        await reset.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("drops expired entries and keeps what has not expired when it loads", async () => {
    const dir = resolve(".data", "test", `store-${randomBytes(6).toString("hex")}`);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir, { recursive: true });
    try {
      let now = 1_000_000;
      const store = createFileAdapterStore(dir, () => now);
      const tokens = new store.Adapter("ClientCredentials");
      await tokens.upsert("short", { clientId: "a" }, 10);
      await tokens.upsert("long", { clientId: "b", grantId: "g" }, 3600);
      store.flush();
      now += 60_000;
      const reloaded = new (createFileAdapterStore(dir, () => now).Adapter)("ClientCredentials");
      expect(await reloaded.find("short")).toBeUndefined();
      expect(await reloaded.find("long")).toEqual({ clientId: "b", grantId: "g" });
      await reloaded.revokeByGrantId("g");
      expect(await reloaded.find("long")).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
