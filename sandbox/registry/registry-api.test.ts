// The sandbox's Azure Container Registry through the real clients, unchanged:
// @azure/container-registry (challenge, token exchange, tags paged newest
// first, manifest properties) and @azure/arm-containerregistry (the registry
// and its login server). Digests agree with what the kubelet reports.
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { ContainerRegistryClient, KnownContainerRegistryAudience } from "@azure/container-registry";
import type { RestError } from "@azure/core-rest-pipeline";
import { ClientSecretCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxSubscriptionId } from "../clusters";
import { sandboxClientId } from "../identity";
import { sandboxTenantId } from "../personas";
import { armScope } from "../arm/authenticate";
import { createArm } from "../arm/arm";
import { imageId } from "../kubernetes/controller/images";
import { startIdentityTestServer, type IdentityTestServer } from "../test-support/identity-test-server";
import { createRegistryApi, registryPathPrefix } from "./registry-api";

let server: IdentityTestServer;
let credential: ClientSecretCredential;
let endpoint: string;
const requests: string[] = [];

beforeAll(async () => {
  server = await startIdentityTestServer("wharf-registry-");
  const registry = createRegistryApi({ provider: server.identity.provider, origin: server.origin });
  const arm = createArm({ provider: server.identity.provider, origin: server.origin, stateDir: server.stateDir, caPem: server.tls.caCertPem });
  server.serve("registry", (req, res, url) => {
    if (url.startsWith(registryPathPrefix)) {
      requests.push(`${req.method} ${url}`);
      return registry(req, res);
    }
    return url.startsWith("/subscriptions/") ? arm(req, res) : false;
  });
  credential = new ClientSecretCredential(sandboxTenantId, sandboxClientId, server.clientSecret, {
    authorityHost: server.origin,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: server.tls.caCertPem },
  });
  endpoint = `${server.origin}${registryPathPrefix}contoso.azurecr.io`;
});

afterAll(async () => {
  await server?.close();
});

const acrCode = (error: unknown) => ((error as RestError).details as { errors?: { code?: string }[] } | undefined)?.errors?.[0]?.code;

const client = (options: { audience?: string } = {}) =>
  new ContainerRegistryClient(endpoint, credential, { ...options, tlsOptions: { ca: server.tls.caCertPem } });

describe("the sandbox Container Registry", () => {
  it("lists a repository's tags newest first, in pages, after ACR's challenge and token exchange", async () => {
    requests.length = 0;
    const artifact = client().getArtifact("payments/ledger", "latest");
    const pages: string[][] = [];
    for await (const page of artifact.listTagProperties({ order: "LastUpdatedOnDescending" }).byPage({ maxPageSize: 4 })) {
      pages.push(page.map((tag) => tag.name));
    }
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 3]);
    const names = pages.flat();
    expect(names.slice(0, 3)).toEqual(["latest", "2.3.0", "slow"]);
    expect(names).toEqual(expect.arrayContaining(["bad", "crash", "errors", "slow", "1.4.2"]));
    expect(names.at(-1)).toBe("1.0.0");
    // First an anonymous request and its 401, then the two exchanges, then the listing with the token.
    expect(requests.slice(0, 4).map((r) => r.split("?")[0])).toEqual([
      "GET /registries/contoso.azurecr.io/acr/v1/payments%2Fledger/_tags",
      "POST /registries/contoso.azurecr.io/oauth2/exchange",
      "POST /registries/contoso.azurecr.io/oauth2/token",
      "GET /registries/contoso.azurecr.io/acr/v1/payments%2Fledger/_tags",
    ]);
    expect(requests[0]).toContain("orderby=timedesc");
  });

  it("gives each tag the digest the kubelet reports for the same image, and its manifest properties", async () => {
    const tags = [];
    for await (const tag of client().getArtifact("payments/ledger", "crash").listTagProperties()) tags.push(tag);
    const crash = tags.find((t) => t.name === "crash")!;
    expect(`contoso.azurecr.io/payments/ledger@${crash.digest}`).toBe(imageId("contoso.azurecr.io/payments/ledger:crash"));
    expect(crash.createdOn).toBeInstanceOf(Date);

    const manifest = await client().getArtifact("payments/ledger", "crash").getManifestProperties();
    expect(manifest.digest).toBe(crash.digest);
    expect(manifest.tags).toEqual(["crash"]);
    expect(manifest.registryLoginServer).toBe("contoso.azurecr.io");
  });

  it("accepts an Entra token for ARM's audience as ACR does", async () => {
    const first = await client({ audience: KnownContainerRegistryAudience.AzureResourceManagerPublicCloud })
      .getArtifact("payments/ledger", "1.4.2")
      .getManifestProperties();
    expect(first.tags).toEqual(["1.4.2"]);
  });

  it("answers an unknown repository with ACR's NAME_UNKNOWN and an unknown tag with TAG_UNKNOWN", async () => {
    const missing = await client()
      .getArtifact("payments/missing-api", "latest")
      .getManifestProperties()
      .catch((error: RestError) => error);
    expect((missing as RestError).statusCode).toBe(404);
    // ACR's code is in the body, which the client keeps as the error's details.
    expect(acrCode(missing)).toBe("NAME_UNKNOWN");
    const tag = await client()
      .getArtifact("payments/ledger", "9.9.9")
      .getManifestProperties()
      .catch((error: RestError) => error);
    expect(acrCode(tag)).toBe("TAG_UNKNOWN");
  });

  it("refuses a caller with no Entra token: the challenge names the registry and the scope", async () => {
    const response = await fetch(`${endpoint}/acr/v1/payments%2Fledger/_tags`).catch(() => undefined);
    // Node's fetch does not trust the sandbox CA; the client's refusal path is what matters, through an anonymous client.
    expect(response).toBeUndefined();
    const anonymous = new ContainerRegistryClient(endpoint, { tlsOptions: { ca: server.tls.caCertPem } });
    const error = await (async () => {
      for await (const _ of anonymous.getArtifact("payments/ledger", "latest").listTagProperties()) void _;
    })().catch((e: RestError) => e);
    expect((error as RestError).statusCode).toBe(401);
  });

  it("is listed by ARM with its login server", async () => {
    const management = new ContainerRegistryManagementClient(credential, sandboxSubscriptionId, {
      endpoint: server.origin,
      credentials: { scopes: [armScope] },
      tlsOptions: { ca: server.tls.caCertPem },
    });
    const registries = [];
    for await (const registry of management.registries.list()) registries.push(registry);
    expect(registries.map((r) => [r.name, r.loginServer])).toEqual([["contoso", "contoso.azurecr.io"]]);
  });
});
