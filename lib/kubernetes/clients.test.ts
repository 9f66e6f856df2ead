import { describe, expect, it } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { forgetCredentials, kubeConfigFor, renewalTime } from "@/lib/kubernetes/clients";

function kubeconfig(token: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster: { server: "https://aks.example:443" } }],
    users: [{ name: "u", user: { token } }],
    contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
    "current-context": "c",
  });
}

/** An unsigned JWT with the given expiry: enough for reading `exp`, as Wharf only reads it. */
function jwt(exp: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none" })}.${part({ exp })}.`;
}

describe("cluster credentials cache", () => {
  it("renews five minutes before a JWT expires, and after 30 minutes for an opaque token", () => {
    const now = Date.UTC(2026, 10, 26, 12);
    const expiring = new KubeConfig();
    expiring.loadFromString(kubeconfig(jwt(now / 1000 + 3600)));
    expect(renewalTime(expiring, now)).toBe(now + 55 * 60_000);
    const opaque = new KubeConfig();
    opaque.loadFromString(kubeconfig("opaque-token"));
    expect(renewalTime(opaque, now)).toBe(now + 30 * 60_000);
  });

  it("shares one fetch between callers, fetches again after renewal time or forgetCredentials, and never caches a failure", async () => {
    let fetches = 0;
    let fail = false;
    const source = {
      key: `cluster-${Math.random()}`,
      fetch: async () => {
        fetches++;
        if (fail) throw new Error("ARM said 503");
        return kubeconfig("opaque-token");
      },
    };
    const now = Date.now();
    await Promise.all([kubeConfigFor(source, now), kubeConfigFor(source, now), kubeConfigFor(source, now)]);
    expect(fetches).toBe(1);
    await kubeConfigFor(source, now + 29 * 60_000);
    expect(fetches).toBe(1);
    await kubeConfigFor(source, now + 31 * 60_000);
    expect(fetches).toBe(2);
    forgetCredentials(source.key);
    fail = true;
    await expect(kubeConfigFor(source)).rejects.toThrow("ARM said 503");
    fail = false;
    await kubeConfigFor(source);
    expect(fetches).toBe(4);
  });
});
