// The ARM stand-in as the real sandbox server wires it: endpoints.json says
// where ARM is and which subscription to use, and the SDKs work with just that.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ClientSecretCredential } from "@azure/identity";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { readEndpoints } from "../test-support/sandbox-client";

describe("ARM through the sandbox server", () => {
  it("lists the clusters named in endpoints.json with the SDKs and nothing else configured", async () => {
    const endpoints = readEndpoints();
    const ca = readFileSync(endpoints.caFile, "utf8");
    const credential = new ClientSecretCredential(endpoints.tenantId, endpoints.clientId, endpoints.clientSecret, {
      authorityHost: `https://localhost:${endpoints.port}`,
      disableInstanceDiscovery: true,
      tlsOptions: { ca },
    });
    const subscriptionId = (endpoints.subscriptionIds as string[])[0]!;
    const client = new ContainerServiceClient(credential, subscriptionId, { endpoint: endpoints.armEndpoint as string, tlsOptions: { ca } });
    const names: string[] = [];
    for await (const cluster of client.managedClusters.list()) names.push(cluster.name!);
    expect(names.sort()).toEqual([...(endpoints.clusters as string[])].sort());
  });
});
