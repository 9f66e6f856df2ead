import { describe, expect, it } from "vitest";
import { openFlow, sealFlow } from "@/lib/auth/flow-cookie";

const flow = { state: "s".repeat(32), nonce: "n".repeat(32), codeVerifier: "v".repeat(43), returnTo: "/teams" };
const secret = "a-test-secret-that-is-long-enough-to-use";

describe("sign-in flow cookie", () => {
  it("round-trips with the same secret", async () => {
    expect(await openFlow(await sealFlow(flow, secret), secret)).toEqual(flow);
  });

  it("refuses another secret, tampering and garbage", async () => {
    const sealed = await sealFlow(flow, secret);
    expect(await openFlow(sealed, `${secret}x`)).toBeNull();
    const parts = sealed.split(".");
    parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith("AA") ? "BB" : "AA"}`;
    expect(await openFlow(parts.join("."), secret)).toBeNull();
    expect(await openFlow("not-a-jwe", secret)).toBeNull();
    expect(await openFlow(undefined, secret)).toBeNull();
  });
});
