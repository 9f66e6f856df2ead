// Integration: POST /api/v1/deployments with an Idempotency-Key, through the
// real route handler, against the test PostgreSQL and the sandbox's clusters.
// A retry gets the first answer and no second deployment; another body with
// the key is a 422; concurrent requests with one key make one deployment; two
// callers' keys never meet; a key older than 24 h is forgotten.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { PipelineActor, UserActor } from "@/lib/auth/permissions";
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { stopBoss } from "@/lib/jobs/boss";
import {
  createServiceRow,
  createTeam,
  discoverSandboxClusters,
  readyNamespace,
  peopleWhoSignIn,
  smallDeploySpec,
  type TeamRef,
} from "@/lib/test-support/team-fixture";
import * as deploymentsRoute from "@/app/api/v1/deployments/route";
import { idempotencyScope, parseIdempotencyKey, requestHash } from "./idempotency-key";

const suffix = randomBytes(3).toString("hex");
const slug = `ik${suffix}`;
const teamGroup = `0c9d7e8f-1616-4c6a-9f00-${randomBytes(6).toString("hex")}`;
const system = { kind: "system" as const, name: "test" };

let team: TeamRef;
let member: UserActor;
let teammate: UserActor;
let dev: string;

const people = peopleWhoSignIn(teamGroup);
const service = (name: string) => createServiceRow(`${name}-${suffix}`, team.id, smallDeploySpec(`contoso.azurecr.io/${slug}/${name}`, { replicas: 2 }));

interface Answer {
  status: number;
  replayed: string | null;
  text: string;
  body: { id?: string; revision?: number; error?: { code: string; message: string } };
}

async function deploy(actor: UserActor, body: Record<string, unknown> | string, key?: string): Promise<Answer> {
  const response = await callRoute(deploymentsRoute.POST as RouteHandler, {
    method: "POST",
    url: "/api/v1/deployments",
    sessionToken: people.tokenOf(actor),
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: key === undefined ? {} : { "idempotency-key": key },
  });
  const text = await response.text();
  return { status: response.status, replayed: response.headers.get("idempotent-replayed"), text, body: JSON.parse(text) as Answer["body"] };
}

async function deploymentsOf(serviceSlug: string) {
  return getPrisma().deployment.findMany({ where: { service: { slug: serviceSlug } }, select: { id: true, revision: true, requestedById: true } });
}

beforeAll(async () => {
  team = await createTeam(slug, `Keys ${suffix}`, { group: teamGroup, costCenter: "CC-16" });
  member = await people.add("Mira Member", { teams: [team] });
  teammate = await people.add("Tariq Teammate", { teams: [team] });
  const admin = await people.add("Ada Admin", { isAdmin: true });
  await discoverSandboxClusters({ "aks-dev-weu": "dev" });
  const namespaceId = await readyNamespace({
    requester: member,
    approver: admin,
    teamId: team.id,
    name: `${slug}-dev`,
    cluster: "aks-dev-weu",
    justification: "Idempotency-Key tests",
  });
  dev = namespaceId;
});

afterAll(async () => {
  await stopBoss();
});

describe("the Idempotency-Key header", () => {
  it("takes a UUID, a quoted Structured Field string and a run id; refuses empty, too long and odd characters saying what to change", () => {
    const uuid = randomUUID();
    expect(parseIdempotencyKey(null)).toBeNull();
    expect(parseIdempotencyKey(uuid)).toBe(uuid);
    expect(parseIdempotencyKey(`"${uuid}"`)).toBe(uuid);
    expect(parseIdempotencyKey("gh:contoso/orders:run-4711.2")).toBe("gh:contoso/orders:run-4711.2");
    expect(() => parseIdempotencyKey("  ")).toThrow(/is empty: send a unique value/);
    expect(() => parseIdempotencyKey("k".repeat(256))).toThrow(/256 characters long: use at most 255/);
    expect(() => parseIdempotencyKey("run 42")).toThrow(/only letters, digits and - _ \. : ~ \+ \/ =/);
    expect(() => parseIdempotencyKey("clé")).toThrow(/only letters, digits/);
  });

  it("belongs to its caller: a person by user id, a pipeline by client id; no one else sends one", () => {
    const person: UserActor = { kind: "user", userId: "u-1", name: "P", email: "p@example.com", isAdmin: false, teams: [] };
    const pipeline: PipelineActor = { kind: "pipeline", pipelineIdentityId: "p-1", clientId: "c-1", name: "CI (pipeline)", isAdmin: false, teams: [] };
    expect(idempotencyScope(person)).toBe("user:u-1");
    expect(idempotencyScope(pipeline)).toBe("pipeline:c-1");
    expect(() => idempotencyScope(system)).toThrow(/Only a signed-in person or a pipeline/);
  });

  it("compares bodies as JSON: key order and whitespace do not matter, a value does", () => {
    expect(requestHash({ service: "a", tag: "1", replicas: 2 })).toBe(requestHash({ replicas: 2, tag: "1", service: "a" }));
    expect(requestHash({ service: "a", tag: "1" })).not.toBe(requestHash({ service: "a", tag: "2" }));
    expect(requestHash({ a: [1, { b: 2, c: 3 }] })).toBe(requestHash({ a: [1, { c: 3, b: 2 }] }));
    expect(requestHash({ a: [1, 2] })).not.toBe(requestHash({ a: [2, 1] }));
  });
});

describe("POST /api/v1/deployments with an Idempotency-Key", () => {
  it("the same key and body twice: one deployment, the first answer again with the same status and body", async () => {
    const api = await service("orders");
    const key = randomUUID();
    const first = await deploy(member, { service: api, namespaceId: dev, tag: "1.0.0" }, key);
    expect(first.status).toBe(201);
    expect(first.replayed).toBeNull();
    // The same JSON in another key order, and the key quoted as the IETF draft sends it.
    const retry = await deploy(member, `{ "tag": "1.0.0", "namespaceId": "${dev}", "service": "${api}" }`, `"${key}"`);
    expect(retry.status).toBe(201);
    expect(retry.replayed).toBe("true");
    expect(retry.text).toBe(first.text);
    expect(await deploymentsOf(api)).toEqual([expect.objectContaining({ id: first.body.id, revision: 1 })]);
    const audits = await getPrisma().auditEvent.count({ where: { action: "deployment.create", resourceId: first.body.id! } });
    expect(audits).toBe(1);
  });

  it("the same key with another body: 422 saying to send a new key, and nothing created", async () => {
    const api = await service("billing");
    const key = randomUUID();
    const first = await deploy(member, { service: api, namespaceId: dev, tag: "1.0.0" }, key);
    expect(first.status).toBe(201);
    const other = await deploy(member, { service: api, namespaceId: dev, tag: "1.0.1", whenBusy: "queue" }, key);
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: "unprocessable_content" });
    expect(other.body.error!.message).toMatch(/already used with another request body.*send a new key/);
    expect(await deploymentsOf(api)).toHaveLength(1);
  });

  it("without a key, a retry is a new request (here refused: a rollout is running)", async () => {
    const api = await service("ledger");
    expect((await deploy(member, { service: api, namespaceId: dev, tag: "1.0.0" })).status).toBe(201);
    expect((await deploy(member, { service: api, namespaceId: dev, tag: "1.0.0" })).status).toBe(409);
  });

  it("a bad key is a 400 that says what to change, before anything is written", async () => {
    const api = await service("search");
    const answer = await deploy(member, { service: api, namespaceId: dev, tag: "1.0.0" }, "build #42");
    expect(answer.status).toBe(400);
    expect(answer.body.error!.message).toMatch(/Idempotency-Key may hold only letters, digits/);
    expect(await deploymentsOf(api)).toHaveLength(0);
  });

  it("concurrent requests with one key: exactly one deployment, every answer the same", async () => {
    const api = await service("payments");
    const key = randomUUID();
    const body = { service: api, namespaceId: dev, tag: "2.0.0", whenBusy: "queue" };
    const answers = await Promise.all(Array.from({ length: 4 }, () => deploy(member, body, key)));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(answers.filter((answer) => answer.replayed === "true")).toHaveLength(3);
    expect(await deploymentsOf(api)).toHaveLength(1);
  });

  it("two callers with the same key are independent: each gets a deployment of their own", async () => {
    const api = await service("catalog");
    const key = "release-2026-12-06";
    const body = { service: api, namespaceId: dev, tag: "3.1.0", whenBusy: "queue" };
    const mine = await deploy(member, body, key);
    const theirs = await deploy(teammate, body, key);
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.replayed).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
    const rows = await deploymentsOf(api);
    expect(rows.map((row) => row.requestedById).sort()).toEqual([member.userId, teammate.userId].sort());
  });

  it("a refused request is not remembered: the same key deploys once the refusal's cause is gone", async () => {
    const api = await service("inventory");
    const key = randomUUID();
    const running = await deploy(member, { service: api, namespaceId: dev, tag: "1.0.0" });
    const refused = await deploy(member, { service: api, namespaceId: dev, tag: "1.1.0" }, key);
    expect(refused.status).toBe(409);
    await getPrisma().deployment.update({ where: { id: running.body.id! }, data: { status: "succeeded", finishedAt: new Date() } });
    const retried = await deploy(member, { service: api, namespaceId: dev, tag: "1.1.0" }, key);
    expect(retried.status).toBe(201);
    expect(retried.replayed).toBeNull();
    expect(retried.body.revision).toBe(2);
  });

  it("a key is kept 24 hours: an expired one is pruned and the same key deploys again", async () => {
    const api = await service("shipping");
    const key = randomUUID();
    const body = { service: api, namespaceId: dev, tag: "1.0.0", whenBusy: "queue" };
    const first = await deploy(member, body, key);
    const stored = await getPrisma().deploymentIdempotencyKey.findFirstOrThrow({ where: { key } });
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(24 * 60 * 60 * 1000);
    await getPrisma().deploymentIdempotencyKey.updateMany({ where: { key }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const later = await deploy(member, body, key);
    expect(later.status).toBe(201);
    expect(later.replayed).toBeNull();
    expect(later.body.id).not.toBe(first.body.id);
    const kept = await getPrisma().deploymentIdempotencyKey.findMany({ where: { key } });
    expect(kept.map((row) => row.deploymentId)).toEqual([later.body.id]);
    expect(await getPrisma().deploymentIdempotencyKey.count({ where: { expiresAt: { lt: new Date() } } })).toBe(0);
  });
});
