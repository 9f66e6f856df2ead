// Integration: who the Teams page lists as platform admins, against the real (embedded) PostgreSQL.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { DisplayActor, UserActor } from "@/lib/auth/permissions";
import { listPlatformAdmins } from "./list-platform-admins";

const suffix = randomUUID().slice(0, 8);
// A role and a group of this file's own, so that users other files sign in cannot be among the admins found here.
const identity = { adminAppRole: `Wharf.Admin.${suffix}`, adminGroupId: `admins-${suffix}` };
const viewer: UserActor = { kind: "user", userId: randomUUID(), name: "Vic Viewer", email: "vic@example.com", isAdmin: false, teams: [] };
const screen: DisplayActor = {
  kind: "display",
  displayId: randomUUID(),
  boardId: randomUUID(),
  playlistId: null,
  boardSlug: "ops",
  boardIds: [],
  name: "Screen (display)",
  isAdmin: false,
  teams: [],
};

async function user(name: string, { appRoles = [], groupIds = [] }: { appRoles?: string[]; groupIds?: string[] }) {
  return getPrisma().user.create({
    data: {
      entraObjectId: randomUUID(),
      tenantId: "tests",
      name: `${name} ${suffix}`,
      email: `${name.toLowerCase()}-${suffix}@example.com`,
      appRoles,
      groupIds,
      lastSignInAt: new Date("2026-12-01T09:00:00Z"),
    },
  });
}

beforeAll(async () => {
  await user("Zoe", { appRoles: [identity.adminAppRole] });
  await user("Gus", { groupIds: ["someone-else", identity.adminGroupId] });
  await user("Mia", { appRoles: ["Wharf.Reader"], groupIds: ["someone-else"] });
});

describe("listPlatformAdmins", () => {
  it("lists whoever had the admin app role or the admin group at their last sign-in, by name, to anyone signed in", async () => {
    const admins = await listPlatformAdmins({ actor: viewer, identity });
    expect(admins.map((admin) => [admin.name, admin.email, admin.lastSignInAt])).toEqual([
      [`Gus ${suffix}`, `gus-${suffix}@example.com`, "2026-12-01T09:00:00.000Z"],
      [`Zoe ${suffix}`, `zoe-${suffix}@example.com`, "2026-12-01T09:00:00.000Z"],
    ]);
  });

  it("leaves the group out when no admin group is configured", async () => {
    const admins = await listPlatformAdmins({ actor: viewer, identity: { adminAppRole: identity.adminAppRole } });
    expect(admins.map((admin) => admin.name)).toEqual([`Zoe ${suffix}`]);
  });

  it("refuses a wall screen, which reads only its board", async () => {
    await expect(listPlatformAdmins({ actor: screen, identity })).rejects.toMatchObject({ code: "forbidden" });
  });
});
