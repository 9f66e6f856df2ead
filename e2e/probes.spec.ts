import { expect, test } from "@playwright/test";

test("liveness and readiness answer without a session", async ({ request }) => {
  const health = await request.get("/api/healthz");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });

  const ready = await request.get("/api/readyz");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready", checks: { database: { ok: true }, migrations: { ok: true } } });
});

test("the API refuses a request without a session with 401 and says what to do", async ({ request }) => {
  const response = await request.get("/api/v1/teams");
  expect(response.status()).toBe(401);
  expect((await response.json()).error).toMatchObject({ code: "unauthenticated", message: expect.stringContaining("Sign in") });
});
