// Integration: playlists (decision 0036) against the test PostgreSQL: who may
// make them, what input is refused and why, their screens (a token or a
// pairing code) reading each board of the rotation and nothing else, and
// what deleting a board or the playlist does to them.
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { checkDisplayToken } from "@/lib/auth/display-token";
import { createBoard } from "./create-board";
import { deleteBoard } from "./delete-board";
import { createDisplay } from "./create-display";
import { revokeDisplay } from "./revoke-display";
import { pairDisplay } from "./pair-display";
import { pairingStatus, startPairing } from "./display-pairing";
import { createPlaylist } from "./create-playlist";
import { updatePlaylist } from "./update-playlist";
import { deletePlaylist } from "./delete-playlist";
import { getPlaylist, listPlaylists } from "./list-playlists";
import { getBoardSnapshot, getDisplaySnapshot } from "./get-board-snapshot";

const suffix = randomBytes(3).toString("hex");
let admin: UserActor;
let member: UserActor;
let outsider: UserActor;
let team: { id: string; slug: string; name: string };
const boards = { a: `pa-${suffix}`, b: `pb-${suffix}`, c: `pc-${suffix}` };
const clock = (id: string) => [{ kind: "clock", id, x: 0, y: 0, w: 4, h: 2 }];
const audit = (resourceId: string) => getPrisma().auditEvent.findMany({ where: { resourceId }, orderBy: { id: "asc" } });

beforeAll(async () => {
  const prisma = getPrisma();
  team = await prisma.team.create({
    data: { slug: `pt${suffix}`, name: `Playlists ${suffix}`, entraGroupIds: [] },
    select: { id: true, slug: true, name: true },
  });
  const other = await prisma.team.create({
    data: { slug: `po${suffix}`, name: `Other ${suffix}`, entraGroupIds: [] },
    select: { id: true, slug: true, name: true },
  });
  admin = { kind: "user", userId: randomUUID(), name: "Ada Admin", email: "ada@example.com", isAdmin: true, teams: [] };
  member = { kind: "user", userId: randomUUID(), name: "Mia Member", email: "mia@example.com", isAdmin: false, teams: [team] };
  outsider = { kind: "user", userId: randomUUID(), name: "Otto Other", email: "otto@example.com", isAdmin: false, teams: [other] };
  for (const slug of Object.values(boards)) await createBoard({ actor: admin, input: { slug, name: `Board ${slug}`, teamId: null, tiles: clock("clock") } });
});

describe("playlists", () => {
  it("lets an admin make one for everyone and a member one for their team, with boards in order, audited", async () => {
    const everyone = await createPlaylist({
      actor: admin,
      input: { slug: `all-${suffix}`, name: "Lobby", teamId: null, boards: [{ board: boards.a, seconds: 30 }] },
    });
    expect(everyone).toMatchObject({ team: null, boards: [{ board: boards.a, name: `Board ${boards.a}`, seconds: 30 }], createdByName: "Ada Admin" });
    const ours = await createPlaylist({
      actor: member,
      input: {
        slug: `ours-${suffix}`,
        name: "Our room",
        teamId: team.id,
        boards: [
          { board: boards.b, seconds: 10 },
          { board: boards.a, seconds: 3600 },
          { board: boards.b, seconds: 20 },
        ],
      },
    });
    expect(ours.boards.map((entry) => [entry.board, entry.seconds])).toEqual([
      [boards.b, 10],
      [boards.a, 3600],
      [boards.b, 20],
    ]);
    expect((await audit(ours.id)).map((event) => [event.action, event.outcome, event.actorName])).toEqual([["playlist.create", "success", "Mia Member"]]);
    const listed = await listPlaylists({ actor: member });
    expect(listed.find((entry) => entry.id === everyone.id)).toMatchObject({ canManage: false, screens: 0 });
    expect(listed.find((entry) => entry.id === ours.id)).toMatchObject({ canManage: true });

    await expect(
      createPlaylist({ actor: member, input: { slug: `no-${suffix}`, name: "x", teamId: null, boards: [{ board: boards.a, seconds: 30 }] } }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(await getPrisma().auditEvent.count({ where: { resourceId: `no-${suffix}`, action: "playlist.create", outcome: "denied" } })).toBe(1);
    await expect(updatePlaylist({ actor: outsider, slug: ours.slug, input: { name: "Theirs" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createDisplay({ actor: outsider, slug: ours.slug, target: "playlist", input: { label: "x" } })).rejects.toMatchObject({ code: "forbidden" });

    const renamed = await updatePlaylist({ actor: member, slug: ours.slug, input: { name: "Team room", boards: [{ board: boards.c, seconds: 45 }] } });
    expect(renamed).toMatchObject({ name: "Team room", boards: [{ board: boards.c, seconds: 45 }] });
    const update = (await audit(ours.id)).at(-1)!;
    expect(update).toMatchObject({
      action: "playlist.update",
      before: { name: "Our room" },
      after: { name: "Team room", boards: [{ board: boards.c, seconds: 45 }] },
    });
  });

  it.each([
    [{ boards: [{ board: boards.a, seconds: 9 }] }, ["boards", 0, "seconds"], "at least 10 seconds"],
    [{ boards: [{ board: boards.a, seconds: 3601 }] }, ["boards", 0, "seconds"], "at most 3600 seconds"],
    [{ boards: [{ board: boards.a, seconds: 12.5 }] }, ["boards", 0, "seconds"], "whole number of seconds"],
    [{ boards: [] }, ["boards"], "at least one board"],
    [
      {
        boards: [
          { board: boards.a, seconds: 30 },
          { board: "no-such-board", seconds: 30 },
        ],
      },
      ["boards", 1, "board"],
      'names board "no-such-board"',
    ],
  ])("refuses %j at %j, saying what to change", async (change, path, message) => {
    const error = await createPlaylist({ actor: admin, input: { slug: `bad-${randomBytes(3).toString("hex")}`, name: "Bad", teamId: null, ...change } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "invalid_input", path, message: expect.stringContaining(message) });
  });

  it("shares the boards' addresses: a slug taken by one is refused for the other", async () => {
    await expect(
      createPlaylist({ actor: admin, input: { slug: boards.a, name: "x", teamId: null, boards: [{ board: boards.a, seconds: 30 }] } }),
    ).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining(`A board with the slug "${boards.a}"`),
    });
    await createPlaylist({ actor: admin, input: { slug: `taken-${suffix}`, name: "x", teamId: null, boards: [{ board: boards.a, seconds: 30 }] } });
    await expect(createBoard({ actor: admin, input: { slug: `taken-${suffix}`, name: "x", teamId: null } })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("A playlist with the slug"),
    });
  });
});

describe("a playlist's screen", () => {
  it("reads each board of its rotation once, in order with its seconds, and no other board", async () => {
    const playlist = await createPlaylist({
      actor: admin,
      input: {
        slug: `rot-${suffix}`,
        name: "Rotation",
        teamId: null,
        boards: [
          { board: boards.a, seconds: 15 },
          { board: boards.b, seconds: 25 },
          { board: boards.a, seconds: 10 },
        ],
      },
    });
    const { token, url } = await createDisplay({ actor: admin, slug: playlist.slug, target: "playlist", input: { label: "Lobby TV" } });
    expect(url).toBe(`/display/${playlist.slug}?token=${token}`);
    const check = await checkDisplayToken(token, playlist.slug);
    if (!check.ok) throw new Error(check.refusal);
    const [a, b, c] = await Promise.all(Object.values(boards).map((slug) => getPrisma().board.findUniqueOrThrow({ where: { slug } })));
    expect(check.actor).toMatchObject({ boardId: null, playlistId: playlist.id, boardSlug: playlist.slug, boardIds: [a!.id, b!.id] });
    expect(check.playlist).toEqual({ slug: playlist.slug, name: "Rotation" });

    const snapshot = await getDisplaySnapshot({ display: check, version: "v1" });
    expect(snapshot.rotation).toEqual([
      { boardId: a!.id, seconds: 15 },
      { boardId: b!.id, seconds: 25 },
      { boardId: a!.id, seconds: 10 },
    ]);
    expect(snapshot.boards.map((board) => board.board.slug)).toEqual([boards.a, boards.b]);
    expect(snapshot.playlist).toEqual({ slug: playlist.slug, name: "Rotation" });
    await expect(getBoardSnapshot({ actor: check.actor, boardId: c!.id })).rejects.toMatchObject({ code: "forbidden" });
    expect(await checkDisplayToken(token, boards.a)).toMatchObject({ ok: false, refusal: "other-board" });

    // A board deleted leaves the rotation; the screen's next check no longer includes it.
    await deleteBoard({ actor: admin, slug: boards.b });
    const after = await checkDisplayToken(token, playlist.slug);
    expect(after).toMatchObject({ ok: true, rotation: [{ seconds: 15 }, { seconds: 10 }], actor: { boardIds: [a!.id] } });

    const detail = await getPlaylist({ actor: admin, slug: playlist.slug });
    const screen = detail.displays[0]!;
    expect(screen).toMatchObject({ label: "Lobby TV", state: "active" });
    await expect(revokeDisplay({ actor: admin, slug: boards.a, displayId: screen.id })).rejects.toMatchObject({ code: "not_found" });
    await revokeDisplay({ actor: admin, slug: playlist.slug, displayId: screen.id, target: "playlist" });
    expect(await checkDisplayToken(token, playlist.slug)).toMatchObject({ ok: false, refusal: "revoked" });
    expect((await audit(screen.id)).map((event) => event.action)).toEqual(["display.create", "display.revoke"]);
  });

  it("is paired with a code like a board's, and ends with its playlist", async () => {
    const playlist = await createPlaylist({
      actor: member,
      input: { slug: `pair-pl-${suffix}`, name: "Paired", teamId: team.id, boards: [{ board: boards.a, seconds: 60 }] },
    });
    const { code, secret } = await startPairing({ userAgent: "TV" });
    await expect(pairDisplay({ actor: outsider, slug: playlist.slug, code, target: "playlist", input: { label: "x" } })).rejects.toMatchObject({
      code: "forbidden",
    });
    const screen = await pairDisplay({ actor: member, slug: playlist.slug, code, target: "playlist", input: { label: "Team TV" } });
    expect(await pairingStatus(secret)).toMatchObject({ state: "paired", board: playlist.slug });
    expect(await checkDisplayToken(secret, playlist.slug)).toMatchObject({ ok: true, actor: { displayId: screen.id, playlistId: playlist.id } });

    await deletePlaylist({ actor: member, slug: playlist.slug });
    expect(await checkDisplayToken(secret, playlist.slug)).toMatchObject({ ok: false, refusal: "unknown" });
    expect((await audit(playlist.id)).map((event) => [event.action, event.outcome])).toEqual([
      ["playlist.create", "success"],
      ["display.pair", "denied"],
      ["playlist.delete", "success"],
    ]);
    expect(await getPrisma().board.count({ where: { slug: boards.a } })).toBe(1);
  });
});
