import { describe, expect, it } from "vitest";
import { newNonce, nonPagePolicy, pagePolicy, securityHeaders } from "@/lib/auth/security-headers";

// The headers on real responses are asserted end to end in e2e/security.spec.ts; these are the rules that depend on the deployment.
describe("security headers", () => {
  it("send HSTS only when Wharf is served over https", () => {
    expect(securityHeaders({ policy: nonPagePolicy, https: true })["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(securityHeaders({ policy: nonPagePolicy, https: false })).not.toHaveProperty("strict-transport-security");
  });

  it("allow eval only to React's development build", () => {
    expect(pagePolicy("n")).not.toContain("unsafe-eval");
    expect(pagePolicy("n", { development: true })).toContain("'unsafe-eval'");
  });

  it("allow scripts by this response's nonce only, and framing by no one", () => {
    const nonce = newNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(nonce);
    expect(pagePolicy(nonce)).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic';`);
    expect(pagePolicy(nonce)).not.toMatch(/script-src[^;]*unsafe-inline/);
    for (const policy of [pagePolicy(nonce), nonPagePolicy]) expect(policy).toContain("frame-ancestors 'none'");
  });

  it("keep personal API answers out of every cache", () => {
    expect(securityHeaders({ policy: nonPagePolicy, https: false, noStore: true })["cache-control"]).toBe("no-store");
  });
});
