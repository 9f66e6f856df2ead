import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { aksEntraServerAppId, entraServerId, withWharfEntraToken } from "./entra-kubeconfig";
import { renewalTime } from "./clients";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "__fixtures__", name), "utf8");
const exec = fixture("aks-entra-exec.kubeconfig.yaml");
const legacy = fixture("aks-entra-legacy.kubeconfig.yaml");
const local = fixture("aks-local-account.kubeconfig.yaml");

/** A JWT-shaped token (unsigned: only its exp is read) that expires at `exp` (seconds). */
function jwt(exp: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ aud: aksEntraServerAppId, exp })}.c2lnbmF0dXJl`;
}

function fakeCredential(answer: (scope: string) => AccessToken | null | Promise<never>) {
  const scopes: string[] = [];
  const credential: TokenCredential = {
    getToken: async (scopesAsked) => {
      const scope = Array.isArray(scopesAsked) ? scopesAsked.join(" ") : scopesAsked;
      scopes.push(scope);
      return answer(scope);
    },
  };
  return { credential, scopes };
}

describe("kubeconfigs of AKS clusters with Microsoft Entra sign-in", () => {
  it("finds the AKS server application a kubelogin exec or the legacy azure auth provider asks for, and none for a local account", () => {
    expect(entraServerId(exec)).toBe(aksEntraServerAppId);
    expect(entraServerId(legacy)).toBe("0b4c9e1a-2f3d-4a5b-8c6d-7e8f9a0b1c2d");
    expect(entraServerId(local)).toBeNull();
    expect(entraServerId(exec.replace("      - --server-id\n      - 6dae42f8-4368-4678-94ff-3960e28e3630\n", ""))).toBe(aksEntraServerAppId);
    expect(entraServerId(exec.replace("command: kubelogin", "command: /usr/local/bin/kubelogin"))).toBe(aksEntraServerAppId);
    expect(entraServerId(exec.replace("command: kubelogin", "command: aws"))).toBeNull();
  });

  it("replaces kubelogin with a token for the server application from Wharf's own identity; server and CA stay as ARM gave them", async () => {
    const token = jwt(Math.floor(Date.now() / 1000) + 3600);
    const { credential, scopes } = fakeCredential(() => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }));
    const rewritten = await withWharfEntraToken(exec, credential, "aks-prod-weu");
    expect(scopes).toEqual([`${aksEntraServerAppId}/.default`]);

    const config = new KubeConfig();
    config.loadFromString(rewritten);
    expect(config.getCurrentUser()).toMatchObject({ name: "clusterUser_rg-platform-prod_aks-prod-weu", token });
    expect(config.getCurrentUser()?.exec).toBeUndefined();
    const original = new KubeConfig();
    original.loadFromString(exec);
    expect(config.getCurrentCluster()).toEqual(original.getCurrentCluster());
    // Renewed five minutes before the token expires (lib/kubernetes/clients.ts).
    const now = Date.now();
    expect(renewalTime(config, now)).toBeGreaterThan(now + 50 * 60_000);
    expect(renewalTime(config, now)).toBeLessThan(now + 56 * 60_000);
  });

  it("asks for the legacy format's own apiserver-id", async () => {
    const { credential, scopes } = fakeCredential(() => ({ token: jwt(2_000_000_000), expiresOnTimestamp: 2_000_000_000_000 }));
    const config = new KubeConfig();
    config.loadFromString(await withWharfEntraToken(legacy, credential, "aks-lab-neu"));
    expect(scopes).toEqual(["0b4c9e1a-2f3d-4a5b-8c6d-7e8f9a0b1c2d/.default"]);
    expect(config.getCurrentUser()?.authProvider).toBeUndefined();
    expect(config.getCurrentUser()?.token).toBe(jwt(2_000_000_000));
  });

  it("leaves a kubeconfig with its own credentials alone and asks Entra for nothing", async () => {
    const { credential, scopes } = fakeCredential(() => null);
    expect(await withWharfEntraToken(local, credential, "aks-dev-weu")).toBe(local);
    expect(scopes).toEqual([]);
  });

  it("says which cluster and scope when Wharf's identity gets no token", async () => {
    const refused = fakeCredential(() => Promise.reject(new Error("AADSTS700016: Application with identifier 'x' was not found in the directory")));
    await expect(withWharfEntraToken(exec, refused.credential, "aks-prod-weu")).rejects.toThrow(
      `aks-prod-weu uses Microsoft Entra sign-in, and Wharf's identity could not get a token for it (scope ${aksEntraServerAppId}/.default): AADSTS700016`,
    );
    const empty = fakeCredential(() => null);
    await expect(withWharfEntraToken(exec, empty.credential, "aks-prod-weu")).rejects.toThrow("Entra returned no token");
  });

  it("refuses a kubeconfig that is not YAML with a message saying so", async () => {
    await expect(withWharfEntraToken("users: [\n  - name: x\n", fakeCredential(() => null).credential, "aks-x")).rejects.toThrow(
      "The kubeconfig from Azure is not valid YAML",
    );
  });
});
