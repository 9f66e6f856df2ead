// Integration (embedded PostgreSQL): GET and PUT /api/v1/costs/allocation-rule through the real route handler, signed in
// with real sessions: a member reads the rule, only an admin changes it (403 otherwise), a value that is not a rule is a
// 400 naming the field and the allowed values, and every answer matches the schema the OpenAPI document publishes.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { createSession } from "@/lib/auth/session";
import { callRoute } from "@/lib/api/route-harness";
import { openApiDocument } from "@/lib/api/openapi";
import { openApiValidator } from "@/lib/api/openapi-validator";
import * as route from "@/app/api/v1/costs/allocation-rule/route";
import { refreshStaleCostAllocation } from "./stale-cost-allocation";

const suffix = randomBytes(3).toString("hex");
const group = `0c9d7e8f-7777-4c6a-9f00-${randomBytes(6).toString("hex")}`;
const url = "/api/v1/costs/allocation-rule";
let adminToken: string;
let memberToken: string;

type Operation = { responses: Record<string, { content?: Record<string, { schema?: object }> }> };
const operation = (method: "get" | "put") => (openApiDocument("http://localhost").paths as unknown as Record<string, Record<string, Operation>>)[url]![method]!;
const published = (method: "get" | "put", status: number) => openApiValidator(operation(method).responses[status]!.content!["application/json"]!.schema!);

async function signIn(name: string, admin: boolean): Promise<string> {
  const user = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name,
      email: `${name.toLowerCase()}-${suffix}@example.com`,
      groupIds: [group],
      appRoles: admin ? [getConfig().identity.adminAppRole] : [],
      lastSignInAt: new Date(),
    },
  });
  return (await createSession(user.id, getConfig().session)).token;
}

const put = (sessionToken: string, body: string) => callRoute(route.PUT, { method: "PUT", url, sessionToken, body });

beforeAll(async () => {
  await getPrisma().team.create({ data: { slug: `rr${suffix}`, name: `Rule route ${suffix}`, entraGroupIds: [group] } });
  await getPrisma().costAllocationSetting.deleteMany();
  adminToken = await signIn(`Admin${suffix}`, true);
  memberToken = await signIn(`Member${suffix}`, false);
});

afterAll(async () => {
  await put(adminToken, JSON.stringify({ idle: "apart", system: "apart" }));
  await refreshStaleCostAllocation();
  await getPrisma().costAllocationSetting.deleteMany();
});

describe("/api/v1/costs/allocation-rule", () => {
  it("shows a member the rule in force, apart and apart until an admin chooses", async () => {
    const response = await callRoute(route.GET, { method: "GET", url, sessionToken: memberToken });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ idle: "apart", system: "apart", isDefault: true });
    expect(published("get", 200).safeParse(body).success).toBe(true);
  });

  it("refuses a member's change with 403 and leaves the rule", async () => {
    const response = await put(memberToken, JSON.stringify({ idle: "proportional", system: "apart" }));
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toMatch(/Only a platform admin can choose/);
    expect(await getPrisma().costAllocationSetting.count()).toBe(0);
  });

  it("answers 400 naming the field and the allowed values for a rule that is not one, or a body that is not JSON", async () => {
    const response = await put(adminToken, JSON.stringify({ idle: "proportional", system: "half" }));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({ code: "invalid_input", message: "system must be one of proportional, even, apart.", path: ["system"] });
    const notJson = await put(adminToken, "idle=even");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.message).toContain('"idle" and "system"');
  });

  it("saves an admin's rule and names the months it marked for re-allocation; the same rule again changes nothing", async () => {
    const response = await put(adminToken, JSON.stringify({ idle: "proportional", system: "even" }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(published("put", 200).safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ changed: true, rule: { idle: "proportional", system: "even", isDefault: false, updatedBy: `Admin${suffix}` } });
    expect(body.rule.pendingMonths).toEqual(body.markedMonths);
    const again = await (await put(adminToken, JSON.stringify({ idle: "proportional", system: "even" }))).json();
    expect(again).toMatchObject({ changed: false, markedMonths: [] });
    const read = await (await callRoute(route.GET, { method: "GET", url, sessionToken: memberToken })).json();
    expect(read).toMatchObject({ idle: "proportional", system: "even", updatedBy: `Admin${suffix}` });
  });
});
