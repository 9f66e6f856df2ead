// Integration: the team use cases against the real (embedded) PostgreSQL.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { createTeam } from "@/lib/teams/create-team";
import { updateTeam } from "@/lib/teams/update-team";
import { archiveTeam } from "@/lib/teams/archive-team";
import { getTeam } from "@/lib/teams/get-team";
import { listTeams } from "@/lib/teams/list-teams";

const admin: UserActor = { kind: "user", userId: randomUUID(), name: "Ada Admin", email: "ada@example.com", isAdmin: true, teams: [] };
const viewer: UserActor = { kind: "user", userId: randomUUID(), name: "Vic Viewer", email: "vic@example.com", isAdmin: false, teams: [] };

const slug = () => `team-${randomUUID().slice(0, 8)}`;
const group = () => randomUUID();

async function auditFor(resourceId: string) {
  return getPrisma().auditEvent.findMany({ where: { resourceId }, orderBy: { id: "asc" } });
}

describe("teams", () => {
  it("creates a team and audits it in the same transaction", async () => {
    const team = await createTeam({ actor: admin, input: { slug: slug(), name: "Checkout", entraGroupIds: [group()] } });
    const events = await auditFor(team.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "team.create", actorName: "Ada Admin", outcome: "success", before: null });
    expect(events[0]!.after).toMatchObject({ slug: team.slug, name: "Checkout" });
  });

  it("refuses a duplicate slug with 409 and writes nothing", async () => {
    const input = { slug: slug(), name: "One", entraGroupIds: [group()] };
    await createTeam({ actor: admin, input });
    await expect(createTeam({ actor: admin, input: { ...input, name: "Two" } })).rejects.toMatchObject({ code: "conflict", path: ["slug"] });
    expect(await getPrisma().team.count({ where: { slug: input.slug } })).toBe(1);
  });

  it("refuses bad input with the field and writes nothing", async () => {
    const before = await getPrisma().team.count();
    await expect(createTeam({ actor: admin, input: { slug: "Bad Slug", name: "x", entraGroupIds: [group()] } })).rejects.toMatchObject({ code: "invalid_input", path: ["slug"] });
    expect(await getPrisma().team.count()).toBe(before);
  });

  it("refuses a viewer, and audits the refusal", async () => {
    const name = slug();
    await expect(createTeam({ actor: viewer, input: { slug: name, name: "Nope", entraGroupIds: [group()] } })).rejects.toMatchObject({ code: "forbidden" });
    expect(await getPrisma().team.count({ where: { slug: name } })).toBe(0);
    const denied = await getPrisma().auditEvent.findFirst({ where: { actorId: viewer.userId, action: "team.create" } });
    expect(denied?.outcome).toBe("denied");
  });

  it("renames with before and after, then archives", async () => {
    const created = await createTeam({ actor: admin, input: { slug: slug(), name: "Old name", entraGroupIds: [group()] } });
    const renamed = await updateTeam({ actor: admin, slug: created.slug, input: { name: "New name" } });
    expect(renamed.name).toBe("New name");
    const archived = await archiveTeam({ actor: admin, slug: created.slug });
    expect(archived.archivedAt).not.toBeNull();
    const events = await auditFor(created.id);
    expect(events.map((event) => event.action)).toEqual(["team.create", "team.update", "team.archive"]);
    expect(events[1]!.before).toMatchObject({ name: "Old name" });
    expect(events[1]!.after).toMatchObject({ name: "New name" });
    await expect(updateTeam({ actor: admin, slug: created.slug, input: { name: "Again" } })).rejects.toMatchObject({ code: "conflict" });
    await expect(archiveTeam({ actor: admin, slug: created.slug })).rejects.toMatchObject({ code: "conflict" });
    expect((await listTeams({ actor: viewer })).some((team) => team.id === created.id)).toBe(false);
    expect((await listTeams({ actor: viewer, includeArchived: true })).some((team) => team.id === created.id)).toBe(true);
  });

  it("returns 404 for an unknown team", async () => {
    await expect(updateTeam({ actor: admin, slug: "no-such-team", input: { name: "x" } })).rejects.toMatchObject({ code: "not_found" });
    await expect(getTeam({ actor: viewer, slug: "no-such-team" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("lists members from their groups at last sign-in", async () => {
    const groupId = group();
    const team = await createTeam({ actor: admin, input: { slug: slug(), name: "Members", entraGroupIds: [groupId] } });
    await getPrisma().user.create({
      data: { entraObjectId: randomUUID(), tenantId: "t", name: "Mia Member", email: "mia@example.com", groupIds: [groupId], appRoles: [], lastSignInAt: new Date() },
    });
    const { members } = await getTeam({ actor: viewer, slug: team.slug });
    expect(members.map((member) => member.name)).toEqual(["Mia Member"]);
  });
});
