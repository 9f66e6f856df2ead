// Integration: Wharf's own sign-in code against the sandbox identity provider
// (real OIDC over HTTPS, real MSAL) and the real database.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type WharfConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { beginSignIn, completeSignIn, SignInError } from "@/lib/auth/sign-in";
import { findSession, sessionAuditId } from "@/lib/auth/session";
import { actorForUser } from "@/lib/auth/actor";
import { seedSandbox } from "@/prisma/seed";
import { TestBrowser } from "@/sandbox/test-support/browser";
import { sandboxPersonas, type PersonaKey } from "@/sandbox/personas";

let config: WharfConfig;

beforeAll(async () => {
  config = loadConfig({
    SANDBOX_ENDPOINTS_FILE: process.env.SANDBOX_ENDPOINTS_FILE,
    PORT: "3999",
    WHARF_DATA_DIR: mkdtempSync(join(tmpdir(), "wharf-signin-")),
  });
  await seedSandbox();
});

async function authorize(persona: PersonaKey | "cancel", returnTo = "/") {
  const { url, flowCookie } = await beginSignIn(config, returnTo);
  const browser = new TestBrowser(readFileSync(config.identity.caFile!, "utf8"));
  const picker = await browser.go(url);
  const answer = persona === "cancel" ? await browser.submit(picker, "/abort", {}) : await browser.submit(picker, "/login", { persona });
  const callback = new URL(answer.location ?? "http://invalid/");
  return { query: Object.fromEntries(callback.searchParams), flowCookie, callback };
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignInError);
  return (error as SignInError).failure;
}

describe("sign-in through the sandbox", () => {
  it("signs in a team member and creates a session that resolves to their teams", async () => {
    const { query, flowCookie } = await authorize("payments", "/teams");
    const session = await completeSignIn(config, query, flowCookie);
    expect(session.returnTo).toBe("/teams");
    const user = (await findSession(session.token, config.session))?.user;
    expect(user).toMatchObject({ name: "Priya Shah", email: "priya.shah@contoso.example", tenantId: config.identity.tenantId });
    const actor = await actorForUser(user!, config.identity);
    expect(actor.isAdmin).toBe(false);
    expect(actor.teams.map((team) => team.slug)).toEqual(["payments"]);
    // The resource is the session (a prefix of its token's hash, never the token), not the user: the actor already says who.
    const audit = await getPrisma().auditEvent.findFirst({ where: { action: "auth.sign_in", resourceId: sessionAuditId(session.token) } });
    expect(audit).toMatchObject({ outcome: "success", actorId: user!.id, resourceType: "session" });
    expect(sessionAuditId(session.token)).toMatch(/^[0-9a-f]{16}$/);
    expect(audit?.resourceId).not.toBe(user!.id);
  });

  it("sends the user home when the return address would leave Wharf (tab, newline, backslash tricks)", async () => {
    for (const returnTo of ["/\t/evil.example/phish", "/\t\\evil.example", "/\n/evil.example"]) {
      const { query, flowCookie } = await authorize("payments", returnTo);
      expect((await completeSignIn(config, query, flowCookie)).returnTo).toBe("/");
    }
  });

  it("recognises the admin by app role", async () => {
    const { query, flowCookie } = await authorize("admin");
    const session = await completeSignIn(config, query, flowCookie);
    const user = (await findSession(session.token, config.session))?.user;
    expect(user?.appRoles).toContain("Wharf.Admin");
    expect((await actorForUser(user!, config.identity)).isAdmin).toBe(true);
  });

  it("resolves the groups overage through Graph", async () => {
    const { query, flowCookie } = await authorize("overage");
    const session = await completeSignIn(config, query, flowCookie);
    const user = (await findSession(session.token, config.session))?.user;
    const overage = sandboxPersonas.find((p) => p.key === "overage")!;
    expect(user?.groupIds).toHaveLength(250);
    expect(new Set(user?.groupIds)).toEqual(new Set(overage.groups));
    expect((await actorForUser(user!, config.identity)).teams.map((team) => team.slug)).toEqual(["payments"]);
  });

  it("gives every sign-in a new session token", async () => {
    const first = await authorize("orders");
    const second = await authorize("orders");
    const a = await completeSignIn(config, first.query, first.flowCookie);
    const b = await completeSignIn(config, second.query, second.flowCookie);
    expect(a.token).not.toBe(b.token);
  });

  it("reports a cancelled sign-in as consent denied", async () => {
    const { query, flowCookie } = await authorize("cancel");
    expect(query.error).toBe("access_denied");
    expect(await failureOf(completeSignIn(config, query, flowCookie))).toBe("consent_denied");
  });

  it("refuses a wrong state, a missing flow cookie and a reused code", async () => {
    const { query, flowCookie } = await authorize("payments");
    expect(await failureOf(completeSignIn(config, { ...query, state: "forged-state-value" }, flowCookie))).toBe("state_mismatch");
    expect(await failureOf(completeSignIn(config, query, undefined))).toBe("flow_expired");
    await completeSignIn(config, query, flowCookie);
    expect(await failureOf(completeSignIn(config, query, flowCookie))).toBe("code_rejected");
  });

  it("refuses a flow cookie sealed with another secret", async () => {
    const { query, flowCookie } = await authorize("payments");
    expect(await failureOf(completeSignIn({ ...config, sessionSecret: "another-secret-another-secret-another" }, query, flowCookie))).toBe("flow_expired");
  });

  it("reports an unreachable identity provider", async () => {
    const down = { ...config, identity: { ...config.identity, authority: "https://localhost:1/tenant/v2.0", knownAuthorities: ["localhost:1"] } };
    expect(await failureOf(beginSignIn(down, "/"))).toBe("idp_unavailable");
  });
});
