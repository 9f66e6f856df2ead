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
import { loadConfig } from "@/lib/config";
import { graphDirectory } from "@/lib/auth/directory";
import { sandboxGroupIds, sandboxGroups, sandboxPersonas } from "@/sandbox/personas";

const admin: UserActor = { kind: "user", userId: randomUUID(), name: "Ada Admin", email: "ada@example.com", isAdmin: true, teams: [] };
const viewer: UserActor = { kind: "user", userId: randomUUID(), name: "Vic Viewer", email: "vic@example.com", isAdmin: false, teams: [] };

const slug = () => `team-${randomUUID().slice(0, 8)}`;
// Groups that exist in the sandbox directory (so the Graph check passes) but
// that no persona is in: teams made here must not change who other tests'
// personas are (the files share one database and run in any order).
const personaGroups = new Set(sandboxPersonas.flatMap((persona) => persona.groups));
const directoryGroups = sandboxGroups.map((g) => g.id).filter((id) => !personaGroups.has(id));
let nextGroup = 0;
const group = () => directoryGroups[nextGroup++ % directoryGroups.length]!;

async function auditFor(resourceId: string) {
  return getPrisma().auditEvent.findMany({ where: { resourceId }, orderBy: { id: "asc" } });
}

describe("teams", () => {
  it("creates a team and audits it in the same transaction", async () => {
    const { team, groupsNotVerified } = await createTeam({ actor: admin, input: { slug: slug(), name: "Checkout", entraGroupIds: [group()] } });
    expect(groupsNotVerified).toBeUndefined();
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
    await expect(createTeam({ actor: admin, input: { slug: "Bad Slug", name: "x", entraGroupIds: [group()] } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["slug"],
    });
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
    const { team: created } = await createTeam({ actor: admin, input: { slug: slug(), name: "Old name", entraGroupIds: [group()] } });
    const { team: renamed } = await updateTeam({ actor: admin, slug: created.slug, input: { name: "New name" } });
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

  it("refuses a group the directory does not know, naming it, and writes nothing", async () => {
    const name = slug();
    const unknown = randomUUID();
    await expect(createTeam({ actor: admin, input: { slug: name, name: "Ghosts", entraGroupIds: [group(), unknown] } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["entraGroupIds", 1],
      message: expect.stringContaining(unknown),
    });
    expect(await getPrisma().team.count({ where: { slug: name } })).toBe(0);
  });

  it("goes ahead when the directory cannot be reached, and says so in the result and the audit log", async () => {
    const config = loadConfig({ SANDBOX_ENDPOINTS_FILE: process.env.SANDBOX_ENDPOINTS_FILE, WHARF_DATA_DIR: ".data/test" });
    const unreachable = graphDirectory({ ...config.identity, graphEndpoint: "https://localhost:1/graph" });
    const result = await createTeam({ actor: admin, input: { slug: slug(), name: "Offline", entraGroupIds: [randomUUID()] }, directory: unreachable });
    expect(result.groupsNotVerified).toMatch(/Microsoft Graph/);
    const [event] = await auditFor(result.team.id);
    expect(event?.detail).toMatch(/^Entra groups not verified/);
  });

  it("lists members from their groups at last sign-in", async () => {
    // A group no sandbox persona is in, so only the user created here is a member.
    const groupId = sandboxGroupIds.fleetOps;
    const { team } = await createTeam({ actor: admin, input: { slug: slug(), name: "Members", entraGroupIds: [groupId] } });
    await getPrisma().user.create({
      data: {
        entraObjectId: randomUUID(),
        tenantId: "t",
        name: "Mia Member",
        email: "mia@example.com",
        groupIds: [groupId],
        appRoles: [],
        lastSignInAt: new Date(),
      },
    });
    const { members } = await getTeam({ actor: viewer, slug: team.slug });
    expect(members.map((member) => member.name)).toEqual(["Mia Member"]);
  });
});
