// Integration: boards, their screens' display tokens and the snapshot a
// screen reads, against the test PostgreSQL, with health rows seeded as the
// poller writes them.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { DisplayActor, UserActor } from "@/lib/auth/permissions";
import { checkDisplayToken, touchDisplay } from "@/lib/auth/display-token";
import { createBoard } from "./create-board";
import { updateBoard } from "./update-board";
import { deleteBoard } from "./delete-board";
import { listBoards } from "./list-boards";
import { getBoard } from "./get-board";
import { createDisplay } from "./create-display";
import { revokeDisplay } from "./revoke-display";
import { getBoardSnapshot } from "./get-board-snapshot";
import type { ApprovalsData, FleetHealthData, RolloutsData, ServiceHealthData } from "./board-snapshot";

const suffix = randomBytes(3).toString("hex");
const now = new Date();
let admin: UserActor;
let member: UserActor;
let outsider: UserActor;
let team: { id: string; slug: string; name: string };
let other: { id: string; slug: string; name: string };
let serviceSlug: string;

async function user(name: string, isAdmin: boolean, teams: UserActor["teams"]): Promise<UserActor> {
  const row = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name,
      email: `${name.split(" ")[0]!.toLowerCase()}-${suffix}@example.com`,
      groupIds: [],
      appRoles: isAdmin ? [getConfig().identity.adminAppRole] : [],
      lastSignInAt: now,
    },
  });
  return { kind: "user", userId: row.id, name, email: row.email, isAdmin, teams };
}

const fleet = (extra: Record<string, unknown> = {}) => ({ kind: "fleet-health", id: "fleet", x: 0, y: 0, w: 6, h: 4, ...extra });
const audit = (resourceId: string) => getPrisma().auditEvent.findMany({ where: { resourceId }, orderBy: { id: "asc" } });

beforeAll(async () => {
  const prisma = getPrisma();
  team = await prisma.team.create({ data: { slug: `bt${suffix}`, name: `Boards ${suffix}`, entraGroupIds: [] }, select: { id: true, slug: true, name: true } });
  other = await prisma.team.create({ data: { slug: `bo${suffix}`, name: `Other ${suffix}`, entraGroupIds: [] }, select: { id: true, slug: true, name: true } });
  admin = await user("Ada Admin", true, []);
  member = await user("Mia Member", false, [team]);
  outsider = await user("Otto Other", false, [other]);
  const cluster = await prisma.cluster.create({
    data: {
      armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/b-${suffix}`,
      name: `aks-b-${suffix}`,
      subscriptionId: "s",
      resourceGroup: "rg",
      location: "westeurope",
      environment: "prod",
      reachable: true,
    },
  });
  const namespace = await prisma.namespace.create({
    data: {
      clusterId: cluster.id,
      teamId: team.id,
      name: `b-${suffix}`,
      activeName: `b-${suffix}`,
      environment: "prod",
      costCenter: "CC-1",
      quota: {},
      containerDefaults: {},
      status: "ready",
      readyAt: now,
    },
  });
  serviceSlug = `orders-${suffix}`;
  const service = await prisma.service.create({
    data: {
      slug: serviceSlug,
      displayName: `Orders ${suffix}`,
      ownerTeamId: team.id,
      tier: "standard",
      lifecycle: "production",
      tags: [],
      searchText: serviceSlug,
    },
  });
  await prisma.serviceHealth.create({
    data: {
      serviceId: service.id,
      namespaceId: namespace.id,
      environment: "prod",
      state: "unhealthy",
      reasons: [{ signal: "replicas", state: "unhealthy", value: 0, threshold: 1, since: now.toISOString(), message: "0 of 2 replicas ready" }],
      stateSince: now,
      kubernetes: { observedAt: now.toISOString(), desiredReplicas: 2, readyReplicas: 0 },
      evaluatedAt: new Date(now.getTime() - 30_000),
    },
  });
  // The service tile's trend: two minutes 3 hours ago (one bucket), one an hour ago, and one past the 24 hours it shows.
  const minute = (minutesAgo: number, requests: number, failed: number, p95DurationMs: number) => ({
    serviceId: service.id,
    namespaceId: namespace.id,
    at: new Date(Math.floor(now.getTime() / 900_000) * 900_000 - minutesAgo * 60_000),
    resolution: "minute",
    state: "healthy",
    requests,
    failed,
    failureRatePct: (100 * failed) / requests,
    p95DurationMs,
  });
  await prisma.healthSample.createMany({ data: [minute(180, 60, 0, 200), minute(179, 40, 10, 900), minute(60, 50, 1, 250), minute(25 * 60, 10, 10, 5000)] });
});

describe("boards", () => {
  it("lets an admin make a board for everyone and a member one for their team, and audits both", async () => {
    const everyone = await createBoard({ actor: admin, input: { slug: `all-${suffix}`, name: "Everyone", teamId: null, tiles: [fleet()] } });
    expect(everyone).toMatchObject({ team: null, createdByName: "Ada Admin", tiles: [fleet()] });
    const ours = await createBoard({
      actor: member,
      input: { slug: `ours-${suffix}`, name: "Our room", teamId: team.id, tiles: [fleet({ team: team.slug })] },
    });
    expect(ours.team).toMatchObject({ slug: team.slug, archived: false });
    expect((await audit(ours.id)).map((event) => [event.action, event.outcome, event.actorName])).toEqual([["board.create", "success", "Mia Member"]]);

    const listed = await listBoards({ actor: member });
    expect(listed.find((board) => board.id === everyone.id)).toMatchObject({ canManage: false });
    expect(listed.find((board) => board.id === ours.id)).toMatchObject({ canManage: true, screens: 0 });
  });

  it("refuses a member a board for everyone or for another team, and audits the refusal", async () => {
    await expect(createBoard({ actor: member, input: { slug: `no-${suffix}`, name: "x", teamId: null } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createBoard({ actor: member, input: { slug: `no2-${suffix}`, name: "x", teamId: other.id } })).rejects.toMatchObject({ code: "forbidden" });
    expect(await getPrisma().board.count({ where: { slug: { in: [`no-${suffix}`, `no2-${suffix}`] } } })).toBe(0);
    expect(await getPrisma().auditEvent.count({ where: { resourceId: `no-${suffix}`, action: "board.create", outcome: "denied" } })).toBe(1);

    const ours = await createBoard({ actor: member, input: { slug: `mine-${suffix}`, name: "Mine", teamId: team.id } });
    await expect(updateBoard({ actor: outsider, slug: ours.slug, input: { name: "Theirs" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(updateBoard({ actor: member, slug: ours.slug, input: { teamId: other.id } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createDisplay({ actor: outsider, slug: ours.slug, input: { label: "x" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(deleteBoard({ actor: outsider, slug: ours.slug })).rejects.toMatchObject({ code: "forbidden" });
    expect((await audit(ours.id)).map((event) => [event.action, event.outcome])).toEqual([
      ["board.create", "success"],
      ["board.update", "denied"],
      ["display.create", "denied"],
      ["board.delete", "denied"],
    ]);
  });

  it("refuses bad input naming the field, and writes nothing", async () => {
    const cases: [Record<string, unknown>, (string | number)[]][] = [
      [{ slug: "Bad Slug", name: "x", teamId: null }, ["slug"]],
      [{ slug: "pair", name: "x", teamId: null }, ["slug"]],
      [{ slug: `t-${suffix}`, name: "", teamId: null }, ["name"]],
      [{ slug: `t-${suffix}`, name: "x", teamId: null, tiles: [fleet({ x: 10 })] }, ["tiles", 0, "w"]],
      [{ slug: `t-${suffix}`, name: "x", teamId: null, tiles: [fleet({ team: "no-such-team" })] }, ["tiles", 0, "team"]],
      [
        { slug: `t-${suffix}`, name: "x", teamId: null, tiles: [{ kind: "service-health", id: "s", x: 0, y: 0, w: 4, h: 4, service: "no-such-service" }] },
        ["tiles", 0, "service"],
      ],
    ];
    for (const [input, path] of cases)
      await expect(createBoard({ actor: admin, input }), JSON.stringify(input)).rejects.toMatchObject({ code: "invalid_input", path });
    expect(await getPrisma().board.count({ where: { slug: `t-${suffix}` } })).toBe(0);
    await createBoard({ actor: admin, input: { slug: `t-${suffix}`, name: "x", teamId: null } });
    await expect(createBoard({ actor: admin, input: { slug: `t-${suffix}`, name: "y", teamId: null } })).rejects.toMatchObject({
      code: "conflict",
      path: ["slug"],
    });
  });

  it("saves tiles and deletes a board with its screens, audited", async () => {
    const board = await createBoard({ actor: member, input: { slug: `edit-${suffix}`, name: "Edit", teamId: team.id } });
    const tiles = [fleet(), { kind: "clock", id: "clock", x: 6, y: 0, w: 3, h: 2, timeZone: "UTC" }];
    const saved = await updateBoard({ actor: member, slug: board.slug, input: { name: "Edited", tiles } });
    expect(saved).toMatchObject({ name: "Edited", tiles });
    await createDisplay({ actor: member, slug: board.slug, input: { label: "Hall" } });
    await deleteBoard({ actor: member, slug: board.slug });
    expect(await getPrisma().display.count({ where: { boardId: board.id } })).toBe(0);
    const events = await audit(board.id);
    expect(events.map((event) => event.action)).toEqual(["board.create", "board.update", "board.delete"]);
    expect(events[2]!.before).toMatchObject({ name: "Edited", screens: 1 });
  });
});

describe("display tokens", () => {
  it("are shown once, stored hashed, and say which of wrong, expired, revoked or another board", async () => {
    const board = await createBoard({ actor: member, input: { slug: `screen-${suffix}`, name: "Screens", teamId: team.id, tiles: [fleet()] } });
    const otherBoard = await createBoard({ actor: admin, input: { slug: `screen2-${suffix}`, name: "Other", teamId: null } });
    const { token, display, url } = await createDisplay({ actor: member, slug: board.slug, input: { label: "Team room", expiresInDays: 30 } });
    expect(url).toBe(`/display/${board.slug}?token=${token}`);
    const row = await getPrisma().display.findUniqueOrThrow({ where: { id: display.id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    expect(JSON.stringify((await audit(display.id)).map((event) => [event.before, event.after, event.detail]))).not.toContain(token.slice(4));

    const good = await checkDisplayToken(token, board.slug);
    expect(good).toMatchObject({ ok: true, actor: { kind: "display", boardId: board.id, displayId: display.id } });
    expect(await checkDisplayToken(undefined, board.slug)).toEqual({ ok: false, refusal: "missing" });
    expect(await checkDisplayToken(`${token.slice(0, -2)}xx`, board.slug)).toEqual({ ok: false, refusal: "unknown" });
    expect(await checkDisplayToken("nonsense", board.slug)).toEqual({ ok: false, refusal: "unknown" });
    expect(await checkDisplayToken(token, otherBoard.slug)).toMatchObject({ ok: false, refusal: "other-board" });
    expect(await checkDisplayToken(token, board.slug, new Date(now.getTime() + 31 * 86_400_000))).toMatchObject({ ok: false, refusal: "expired" });

    // Seen: written once, then not again within the minute unless the browser changed.
    if (!good.ok) throw new Error("unreachable");
    expect(await touchDisplay(good, "Chromium kiosk", now)).toBe(true);
    const seen = await checkDisplayToken(token, board.slug);
    if (!seen.ok) throw new Error("unreachable");
    expect(await touchDisplay(seen, "Chromium kiosk", new Date(now.getTime() + 10_000))).toBe(false);
    expect((await getBoard({ actor: member, slug: board.slug })).displays[0]).toMatchObject({
      label: "Team room",
      userAgent: "Chromium kiosk",
      lastSeenAt: now.toISOString(),
      state: "active",
    });
    expect((await getBoard({ actor: outsider, slug: board.slug })).displays).toEqual([]);

    await expect(revokeDisplay({ actor: outsider, slug: board.slug, displayId: display.id })).rejects.toMatchObject({ code: "forbidden" });
    const revoked = await revokeDisplay({ actor: member, slug: board.slug, displayId: display.id });
    expect(revoked).toMatchObject({ state: "revoked", revokedByName: "Mia Member" });
    await expect(revokeDisplay({ actor: member, slug: board.slug, displayId: display.id })).rejects.toMatchObject({ code: "conflict" });
    expect(await checkDisplayToken(token, board.slug)).toMatchObject({ ok: false, refusal: "revoked" });
    expect((await audit(display.id)).map((event) => [event.action, event.outcome])).toEqual([
      ["display.create", "success"],
      ["display.revoke", "success"],
    ]);
    await expect(createDisplay({ actor: member, slug: board.slug, input: { label: "x", expiresInDays: 1000 } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["expiresInDays"],
    });
  });
});

describe("a screen's snapshot", () => {
  it("reads the stored health for its own board only, with the data's time, and says which team was archived", async () => {
    const archived = await getPrisma().team.create({ data: { slug: `ba${suffix}`, name: `Archived ${suffix}`, entraGroupIds: [] } });
    const board = await createBoard({
      actor: admin,
      input: {
        slug: `snap-${suffix}`,
        name: "Snap",
        teamId: null,
        tiles: [
          fleet({ team: team.slug }),
          { kind: "service-health", id: "svc", x: 6, y: 0, w: 6, h: 4, service: serviceSlug },
          fleet({ id: "gone", y: 4, team: archived.slug }),
          { kind: "rollouts", id: "r", x: 6, y: 4, w: 6, h: 4 },
          { kind: "rollouts", id: "ours", x: 0, y: 8, w: 6, h: 4, team: team.slug },
          { kind: "approvals", id: "waiting", x: 6, y: 8, w: 6, h: 4, team: team.slug },
        ],
      },
    });
    // The team's rollouts: one by a digest picked as a tag, one by a digest alone, one by a tag alone; and two waiting for
    // approval, digests picked as tags, one checked against the registry and one taken as picked when it did not answer.
    const digest = `sha256:${"1a2b3c4d5e6f".repeat(5)}abcd`;
    const service = await getPrisma().service.findUniqueOrThrow({ where: { slug: serviceSlug } });
    const namespace = await getPrisma().namespace.findFirstOrThrow({ where: { teamId: team.id } });
    const rollout = (revision: number, status: string, imageTag: string | null, imageDigest: string | null, tagCheck: string | null = null) => ({
      serviceId: service.id,
      namespaceId: namespace.id,
      teamId: team.id,
      requestedByName: "Mia Member",
      revision,
      kind: "deploy",
      imageTag,
      imageDigest,
      tagCheck,
      image: `contoso.azurecr.io/orders:${imageTag ?? ""}${imageDigest ? `@${imageDigest}` : ""}`,
      replicas: 2,
      manifest: {},
      manifestYaml: "",
      status,
      createdAt: new Date(now.getTime() - (10 - revision) * 60_000),
      finishedAt: status === "succeeded" ? new Date(now.getTime() - (10 - revision) * 60_000) : null,
    });
    await getPrisma().deployment.createMany({
      data: [
        rollout(1, "succeeded", "1.4.1", null),
        rollout(2, "succeeded", null, digest),
        rollout(3, "progressing", "1.4.2", digest),
        rollout(4, "awaiting-approval", "1.5.0", digest, "checked"),
        rollout(5, "awaiting-approval", "1.5.1", digest, "registry-did-not-answer"),
      ],
    });
    await getPrisma().team.update({ where: { id: archived.id }, data: { archivedAt: now } });
    const { token } = await createDisplay({ actor: admin, slug: board.slug, input: { label: "Lobby" } });
    const check = await checkDisplayToken(token, board.slug);
    if (!check.ok) throw new Error(check.refusal);
    const screen: DisplayActor = check.actor;

    const snapshot = await getBoardSnapshot({ actor: screen, boardId: board.id, now, fresh: true });
    const fleetTile = snapshot.tiles.fleet as FleetHealthData;
    expect(fleetTile).toMatchObject({
      counts: { unhealthy: 1, healthy: 0 },
      total: 1,
      asOf: new Date(now.getTime() - 30_000).toISOString(),
      staleAfterSeconds: 2 * getConfig().health.pollSeconds,
    });
    expect(fleetTile.problems[0]).toMatchObject({ service: serviceSlug, state: "unhealthy", message: "0 of 2 replicas ready" });
    const environment = (snapshot.tiles.svc as ServiceHealthData).environments[0]!;
    expect(environment).toMatchObject({ environment: "prod", state: "unhealthy", readyReplicas: 0, desiredReplicas: 2 });
    // 15-minute points of the last 24 hours: the two minutes 3 hours ago are one point (10 of 100 failed, the worse p95).
    // Every point of the day is there, a point without samples empty, so a screen draws time evenly and a gap as a gap.
    expect(environment.trend).toHaveLength(96);
    expect(Date.parse(environment.trend[95]!.at)).toBe(Math.floor(now.getTime() / 900_000) * 900_000);
    const withData = environment.trend.flatMap((point, index) =>
      point.requestsPerMinute === null ? [] : [[95 - index, point.requestsPerMinute, point.failureRatePct, point.p95DurationMs]],
    );
    expect(withData).toEqual([
      [12, 50, 10, 900],
      [4, 50, 2, 250],
    ]);
    expect(snapshot.tiles.gone).toMatchObject({ error: `Team “Archived ${suffix}” was archived; edit the board to pick another team.`, total: 0 });
    expect(snapshot.tiles.r).toMatchObject({ kind: "rollouts", asOf: now.toISOString() });
    // The wall shows each version as every other view does: the tag with the short digest that pins it (lib/deployments/version-text.ts).
    const ours = snapshot.tiles.ours as RolloutsData;
    expect(ours.active.map((row) => row.version)).toEqual(["1.4.2 (sha256:1a2b3c4d5e6f)"]);
    expect(ours.recent.map((row) => row.version)).toEqual(["sha256:1a2b3c4d5e6f", "1.4.1"]);
    // The approvals tile names the version an approver decides on in the same words, and says when its tag went unchecked.
    const waiting = snapshot.tiles.waiting as ApprovalsData;
    expect(waiting.deployments.map((row) => [row.version, row.tagCheck?.state ?? null, row.tagCheck?.text ?? null])).toEqual([
      ["1.5.0 (sha256:1a2b3c4d5e6f)", "checked", "tag 1.5.0 checked against the registry: it pointed at this digest"],
      ["1.5.1 (sha256:1a2b3c4d5e6f)", "unchecked", "tag 1.5.1 not checked against the registry: it did not answer"],
    ]);

    const otherBoard = await createBoard({ actor: admin, input: { slug: `snap2-${suffix}`, name: "Snap 2", teamId: null } });
    await expect(getBoardSnapshot({ actor: screen, boardId: otherBoard.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(getBoardSnapshot({ actor: member, boardId: board.id })).rejects.toMatchObject({ code: "forbidden" });
  });
});
