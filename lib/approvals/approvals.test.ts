// Integration: the approvals inbox against the test PostgreSQL and the
// sandbox's clusters. Who sees what (requester, teammate, admin, viewer), the
// difference from what runs in production, rejecting with a reason (refused
// without one, nothing written), and the requester told either way.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import type { Change } from "@/lib/changes/publish-change";
import { requestNamespace } from "@/lib/namespaces/request-namespace";
import { suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { approveDeployment } from "@/lib/deployments/approve-deployment";
import { rejectDeployment } from "@/lib/deployments/reject-deployment";
import { cancelDeployment } from "@/lib/deployments/cancel-deployment";
import { rolloutDeployment } from "@/lib/deployments/rollout-deployment";
import { stopRolloutInformers } from "@/lib/deployments/rollout-informers";
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
import * as rejectRoute from "@/app/api/v1/deployments/[id]/reject/route";
import * as decisionRoute from "@/app/api/v1/namespace-requests/[id]/decision/route";
import * as approvalsRoute from "@/app/api/v1/approvals/route";
import { countApprovals, listApprovals } from "./list-approvals";

const suffix = randomBytes(3).toString("hex");
const slug = `ap${suffix}`;
const teamGroup = `0c9d7e8f-7777-4c6a-9f00-${randomBytes(6).toString("hex")}`;

let team: TeamRef;
let requester: UserActor;
let teammate: UserActor;
let admin: UserActor;
let viewer: UserActor;
let prod: string;
let prodCluster: string;

const people = peopleWhoSignIn(teamGroup);
const service = (name: string) =>
  createServiceRow(`${name}-${suffix}`, team.id, smallDeploySpec(`contoso.azurecr.io/${slug}/${name}`, { replicas: 2 }), { displayName: `${name} ${suffix}` });

async function call(handler: unknown, actor: UserActor, url: string, params: Record<string, string>, body?: unknown) {
  const response = await callRoute(handler as RouteHandler, {
    method: body === undefined ? "GET" : "POST",
    url,
    params,
    sessionToken: people.tokenOf(actor),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { message: string; path?: string[] } } };
}

const notificationsOf = (actor: UserActor) => getPrisma().notification.findMany({ where: { userId: actor.userId }, orderBy: { createdAt: "asc" } });
/** Who was asked to decide on `link`, and whether each has it unread still. */
const asksAbout = async (link: string, requesterId: string) =>
  (await getPrisma().notification.findMany({ where: { link, userId: { not: requesterId } } })).map((ask) => ({
    userId: ask.userId,
    unread: ask.readAt === null,
  }));

beforeAll(async () => {
  const prisma = getPrisma();
  team = await createTeam(slug, `Inbox ${suffix}`, { group: teamGroup, costCenter: "CC-17" });
  requester = await people.add("Rita Requester", { teams: [team] });
  teammate = await people.add("Theo Teammate", { teams: [team] });
  admin = await people.add("Ada Admin", { isAdmin: true });
  viewer = await people.add("Vic Viewer");
  await discoverSandboxClusters({ "aks-prod-weu": "prod" });
  const namespaceId = await readyNamespace({
    requester,
    approver: admin,
    teamId: team.id,
    name: `${slug}-prod`,
    cluster: "aks-prod-weu",
    justification: "Inbox tests",
  });
  prod = namespaceId;
  prodCluster = (await prisma.cluster.findFirstOrThrow({ where: { name: "aks-prod-weu" } })).id;
});

afterAll(async () => {
  stopRolloutInformers();
  await stopBoss();
});

describe("the approvals inbox", () => {
  it("shows a production deployment to the requester's teammates and admins, never to the requester or a viewer, with what it changes", async () => {
    const api = await service("orders");
    // Revision 1 runs in production (approved by the teammate, rolled out); revision 2 changes the image and the replicas.
    const first = await createDeployment({ actor: requester, input: { service: api, namespaceId: prod, tag: "1.0.0" } });
    await approveDeployment({ actor: teammate, deploymentId: first.id });
    await rolloutDeployment({ deploymentId: first.id });
    const second = await createDeployment({ actor: requester, input: { service: api, namespaceId: prod, tag: "1.1.0", replicas: 3 } });
    expect(second.status).toBe("awaiting-approval");
    // Everyone who may approve is told, once each; the requester is not.
    const asked = await getPrisma().notification.findMany({ where: { link: `/deployments/${second.id}` }, select: { userId: true, message: true } });
    const askedIds = asked.map((notice) => notice.userId);
    expect(askedIds).toEqual(expect.arrayContaining([teammate.userId, admin.userId]));
    expect(askedIds).not.toContain(requester.userId);
    expect(askedIds).not.toContain(viewer.userId);
    expect(new Set(askedIds).size).toBe(askedIds.length);
    expect(asked[0]!.message).toContain("asks you to approve");

    const mine = (await listApprovals({ actor: requester })).deployments.map((item) => item.deployment.id);
    expect(mine).not.toContain(second.id);
    for (const actor of [teammate, admin]) {
      const inbox = await listApprovals({ actor });
      const item = inbox.deployments.find((entry) => entry.deployment.id === second.id);
      expect(item, actor.name).toBeDefined();
      expect(item!.running).toEqual({ revision: 1, image: `contoso.azurecr.io/${slug}/orders:1.0.0` });
      expect(item!.changes).toEqual([
        { field: "image", label: "Image", now: `contoso.azurecr.io/${slug}/orders:1.0.0`, next: `contoso.azurecr.io/${slug}/orders:1.1.0` },
        { field: "replicas", label: "Replicas", now: "2", next: "3" },
      ]);
      expect(item!.diff.changed).toBe(true);
      expect(item!.diff.lines.some((line) => line.kind === "added" && line.text.includes("orders:1.1.0"))).toBe(true);
      expect(await countApprovals({ actor })).toBe(inbox.count);
    }
    const nothing = await listApprovals({ actor: viewer });
    expect(nothing).toEqual({ count: 0, deployments: [], namespaceRequests: [] });
    expect(await countApprovals({ actor: viewer })).toBe(0);

    // Through the API, as the badge and the page read it.
    const api200 = await call(approvalsRoute.GET, teammate, "/api/v1/approvals", {});
    expect(api200.status).toBe(200);
    expect((api200.body.deployments as { deployment: { id: string } }[]).map((item) => item.deployment.id)).toContain(second.id);
  }, 60_000);

  it("shows pending namespace requests to admins only, not to the admin who filed one (self-approval off)", async () => {
    const request = await requestNamespace({
      actor: requester,
      input: {
        teamId: team.id,
        clusterId: prodCluster,
        name: `${slug}-extra`,
        quota: suggestedQuota,
        containerDefaults: suggestedDefaults,
        justification: "A second namespace for the inbox",
      },
    });
    const adminInbox = await listApprovals({ actor: admin });
    expect(adminInbox.namespaceRequests.map((item) => item.request.id)).toContain(request.id);
    expect(await countApprovals({ actor: admin })).toBe(adminInbox.count);
    for (const actor of [requester, teammate, viewer]) {
      expect((await listApprovals({ actor })).namespaceRequests, actor.name).toEqual([]);
    }
    const otherAdmin = await people.add("Odo Admin", { isAdmin: true });
    const own = await requestNamespace({
      actor: { ...otherAdmin, teams: [team] },
      input: {
        teamId: team.id,
        clusterId: prodCluster,
        name: `${slug}-own`,
        quota: suggestedQuota,
        containerDefaults: suggestedDefaults,
        justification: "An admin asks for one too",
      },
    });
    const ids = (await listApprovals({ actor: otherAdmin })).namespaceRequests.map((item) => item.request.id);
    expect(ids).toContain(request.id);
    expect(ids).not.toContain(own.id);
    expect((await listApprovals({ actor: admin })).namespaceRequests.map((item) => item.request.id)).toContain(own.id);
  }, 60_000);
});

describe("rejecting with a reason", () => {
  it("refuses a missing, short or overlong reason with 400 on the field and writes nothing", async () => {
    const api = await service("refused");
    const waiting = await createDeployment({ actor: requester, input: { service: api, namespaceId: prod, tag: "2.0.0" } });
    const before = (await notificationsOf(requester)).length;
    const url = `/api/v1/deployments/${waiting.id}/reject`;
    for (const body of [{}, { reason: "" }, { reason: "  no " }, { reason: "x".repeat(501) }]) {
      const answer = await call(rejectRoute.POST, teammate, url, { id: waiting.id }, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error?.path).toEqual(["reason"]);
    }
    expect((await call(rejectRoute.POST, teammate, url, { id: waiting.id }, {})).body.error?.message).toMatch(/Say why the deployment is rejected/);
    const row = await getPrisma().deployment.findUniqueOrThrow({ where: { id: waiting.id } });
    expect(row).toMatchObject({ status: "awaiting-approval", rejectedByName: null, rejectionReason: null });
    expect(await getPrisma().auditEvent.count({ where: { action: "deployment.reject", resourceId: waiting.id } })).toBe(0);
    expect((await notificationsOf(requester)).length).toBe(before);
  });

  it("rejects once, by a teammate, never by the requester: audited, the requester told why, the inboxes told", async () => {
    const api = await service("rejected");
    const waiting = await createDeployment({ actor: requester, input: { service: api, namespaceId: prod, tag: "3.0.0" } });
    await expect(rejectDeployment({ actor: requester, deploymentId: waiting.id, input: { reason: "Changed my mind" } })).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("cancel it"),
    });
    await expect(rejectDeployment({ actor: viewer, deploymentId: waiting.id, input: { reason: "Not mine to say" } })).rejects.toMatchObject({
      code: "forbidden",
    });
    const notices: Change[] = [];
    const stop = await subscribeToChanges(["approvals:inbox"], (change) => notices.push(change));
    try {
      const answer = await call(
        rejectRoute.POST,
        teammate,
        `/api/v1/deployments/${waiting.id}/reject`,
        { id: waiting.id },
        { reason: "  Not on a Friday: ship it Monday. " },
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        status: "rejected",
        inFlight: false,
        rejection: { by: { id: teammate.userId, name: "Theo Teammate" }, reason: "Not on a Friday: ship it Monday." },
      });
      await expect.poll(() => notices.length, { timeout: 5_000 }).toBeGreaterThan(0);
    } finally {
      stop();
    }
    const told = (await notificationsOf(requester)).at(-1)!;
    expect(told).toMatchObject({ link: `/deployments/${waiting.id}`, readAt: null });
    // Decided: nobody's bell asks for it any more.
    expect(await asksAbout(`/deployments/${waiting.id}`, requester.userId)).toEqual(
      expect.arrayContaining([
        { userId: teammate.userId, unread: false },
        { userId: admin.userId, unread: false },
      ]),
    );
    expect(told.message).toBe(`Theo Teammate rejected ${api} revision 1 to ${slug}-prod: Not on a Friday: ship it Monday.`);
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { action: "deployment.reject", resourceId: waiting.id, outcome: "success" } });
    expect(audit.after).toMatchObject({ status: "rejected", reason: "Not on a Friday: ship it Monday." });
    // Exactly one decision counts.
    await expect(approveDeployment({ actor: admin, deploymentId: waiting.id })).rejects.toMatchObject({ code: "conflict" });
    await expect(rejectDeployment({ actor: admin, deploymentId: waiting.id, input: { reason: "Me too" } })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("rejected by Theo Teammate"),
    });
    expect((await listApprovals({ actor: teammate })).deployments.map((item) => item.deployment.id)).not.toContain(waiting.id);
  });

  it("approving tells the requester too, and settles the asks of everyone else who could have approved", async () => {
    const api = await service("approved");
    const waiting = await createDeployment({ actor: requester, input: { service: api, namespaceId: prod, tag: "4.0.0" } });
    const link = `/deployments/${waiting.id}`;
    expect(await asksAbout(link, requester.userId)).toEqual(
      expect.arrayContaining([
        { userId: teammate.userId, unread: true },
        { userId: admin.userId, unread: true },
      ]),
    );
    await approveDeployment({ actor: admin, deploymentId: waiting.id });
    expect((await notificationsOf(requester)).at(-1)).toMatchObject({ message: `Ada Admin approved ${api} revision 1 to ${slug}-prod.`, readAt: null });
    const asks = await asksAbout(link, requester.userId);
    expect(asks.length).toBeGreaterThanOrEqual(2);
    expect(asks.filter((ask) => ask.unread)).toEqual([]);
  });

  it("cancelling a deployment that waits for approval settles the asks too", async () => {
    const api = await service("withdrawn");
    const waiting = await createDeployment({ actor: requester, input: { service: api, namespaceId: prod, tag: "4.1.0" } });
    await cancelDeployment({ actor: requester, deploymentId: waiting.id });
    const asks = await asksAbout(`/deployments/${waiting.id}`, requester.userId);
    expect(asks.map((ask) => ask.userId)).toEqual(expect.arrayContaining([teammate.userId, admin.userId]));
    expect(asks.filter((ask) => ask.unread)).toEqual([]);
  });

  it("a namespace request: 400 on the reason field without one, then rejected with it and the requester told", async () => {
    const request = await requestNamespace({
      actor: requester,
      input: {
        teamId: team.id,
        clusterId: prodCluster,
        name: `${slug}-no`,
        quota: suggestedQuota,
        containerDefaults: suggestedDefaults,
        justification: "One to be rejected with a reason",
      },
    });
    const url = `/api/v1/namespace-requests/${request.id}/decision`;
    for (const body of [{ decision: "reject" }, { decision: "reject", reason: "no" }, { decision: "reject", reason: "y".repeat(501) }]) {
      const answer = await call(decisionRoute.POST, admin, url, { id: request.id }, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error?.path).toEqual(["reason"]);
    }
    expect(await getPrisma().namespaceRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "pending" });
    const answer = await call(decisionRoute.POST, admin, url, { id: request.id }, { decision: "reject", reason: "Use the shared prod namespace." });
    expect(answer.status).toBe(200);
    expect((await notificationsOf(requester)).at(-1)!.message).toBe(`Ada Admin rejected ${slug}-no on aks-prod-weu: Use the shared prod namespace.`);
    // The admins were asked (the filing notified them); decided, the ask is settled for each.
    const asks = await asksAbout(`/approvals#${request.id}`, requester.userId);
    expect(asks.map((ask) => ask.userId)).toContain(admin.userId);
    expect(asks.filter((ask) => ask.unread)).toEqual([]);
  });
});
