// Integration (embedded PostgreSQL): linking a role telemetry reports to a
// catalog service from the map.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { getBoss, jobsSchema } from "@/lib/jobs/boss";
import { linkRoleName, listLinkableServices } from "@/lib/catalog/link-role-name";

const suffix = randomUUID().slice(0, 6);
const slug = (name: string) => `${name}-${suffix}`;
let member: UserActor;
let outsider: UserActor;
let admin: UserActor;

beforeAll(async () => {
  const prisma = getPrisma();
  const make = (name: string) => prisma.team.create({ data: { slug: slug(name), name, entraGroupIds: [] }, select: { id: true, slug: true, name: true } });
  const drones = await make("drones");
  const others = await make("others");
  member = { kind: "user", userId: randomUUID(), name: "Dana", email: "d@example.com", isAdmin: false, teams: [drones] };
  outsider = { kind: "user", userId: randomUUID(), name: "Olga", email: "o@example.com", isAdmin: false, teams: [others] };
  admin = { kind: "user", userId: randomUUID(), name: "Ada", email: "a@example.com", isAdmin: true, teams: [] };
  const create = (name: string, teamId: string, role: string | null, retired = false) =>
    prisma.service.create({
      data: {
        slug: slug(name),
        displayName: name,
        ownerTeamId: teamId,
        tier: "standard",
        lifecycle: "production",
        tags: [],
        searchText: name,
        appInsightsRoleName: role,
        ...(retired && { retiredAt: new Date() }),
      },
    });
  await create("workflow", drones.id, null);
  await create("scheduler", drones.id, `scheduler-${suffix}`);
  await create("package", others.id, `package-${suffix}`);
  await create("old", drones.id, null, true);
});

const roleOf = async (name: string) => (await getPrisma().service.findUniqueOrThrow({ where: { slug: slug(name) } })).appInsightsRoleName;

async function rebuildsQueuedSince(since: Date): Promise<number> {
  const rows = await getPrisma().$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM "${await jobsSchema()}".job WHERE name = 'map.rebuild' AND created_on >= $1`,
    since,
  );
  return Number(rows[0]!.n);
}

describe("linkRoleName", () => {
  it("the owning team links an unclaimed role: the service reports as it, audited, and a map rebuild is queued", async () => {
    // The queue holds one waiting rebuild at most: one an earlier test queued (no worker runs here) would take this
    // link's place, and nothing would be created since. Cleared, so the count below is this link's.
    await getBoss();
    await getPrisma().$executeRawUnsafe(`DELETE FROM "${await jobsSchema()}".job WHERE name = 'map.rebuild' AND state IN ('created', 'retry')`);
    const before = new Date(Date.now() - 1000);
    const role = `Fabrikam.Workflow "v2" | ${suffix}`;
    expect(await linkRoleName({ actor: member, slug: slug("workflow"), role: `  ${role} ` })).toEqual({
      slug: slug("workflow"),
      role,
      previousRole: null,
      linked: true,
    });
    expect(await roleOf("workflow")).toBe(role);
    const event = await getPrisma().auditEvent.findFirst({ where: { resourceId: slug("workflow"), action: "service.role.link" } });
    expect(event).toMatchObject({ outcome: "success", actorName: "Dana", before: { appInsightsRoleName: null }, after: { appInsightsRoleName: role } });
    expect(await rebuildsQueuedSince(before)).toBeGreaterThanOrEqual(1);
    // The same link again changes nothing.
    expect(await linkRoleName({ actor: member, slug: slug("workflow"), role })).toMatchObject({ linked: false });
  });

  it("a role another service claims is a conflict naming that service; nothing changes", async () => {
    await expect(linkRoleName({ actor: admin, slug: slug("scheduler"), role: `package-${suffix}`, replace: true })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining(`already belongs to service "${slug("package")}"`),
    });
    expect(await roleOf("scheduler")).toBe(`scheduler-${suffix}`);
  });

  it("a service that has a role name keeps it unless the link says replace", async () => {
    await expect(linkRoleName({ actor: member, slug: slug("scheduler"), role: `sched-new-${suffix}` })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining(`already reports as the role "scheduler-${suffix}"`),
    });
    expect(await roleOf("scheduler")).toBe(`scheduler-${suffix}`);
    expect(await linkRoleName({ actor: member, slug: slug("scheduler"), role: `sched-new-${suffix}`, replace: true })).toMatchObject({
      previousRole: `scheduler-${suffix}`,
      linked: true,
    });
    expect(await roleOf("scheduler")).toBe(`sched-new-${suffix}`);
  });

  it("another team cannot link to a service it does not own: forbidden, recorded as denied", async () => {
    await expect(linkRoleName({ actor: outsider, slug: slug("workflow"), role: `other-${suffix}`, replace: true })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await getPrisma().auditEvent.findFirst({ where: { resourceId: slug("workflow"), action: "service.role.link", outcome: "denied" } })).toMatchObject({
      actorName: "Olga",
    });
    expect(await roleOf("workflow")).not.toBe(`other-${suffix}`);
  });

  it("refuses bad input, an unknown and a retired service, saying what to change", async () => {
    await expect(linkRoleName({ actor: admin, slug: slug("workflow"), role: "   " })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("Give the role name"),
    });
    await expect(linkRoleName({ actor: admin, slug: slug("workflow"), role: "a\nb" })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("line breaks"),
    });
    await expect(linkRoleName({ actor: admin, slug: slug("workflow"), role: "x".repeat(257) })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(linkRoleName({ actor: admin, slug: `nope-${suffix}`, role: "r" })).rejects.toMatchObject({ code: "not_found" });
    await expect(linkRoleName({ actor: admin, slug: slug("old"), role: `old-${suffix}` })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("retired"),
    });
  });

  it("two links of one role to two services at once: one wins, the other is told who has it", async () => {
    const role = `raced-${suffix}`;
    const outcomes = await Promise.allSettled([
      linkRoleName({ actor: admin, slug: slug("workflow"), role, replace: true }),
      linkRoleName({ actor: admin, slug: slug("package"), role, replace: true }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.find((outcome) => outcome.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
    expect(await getPrisma().service.count({ where: { appInsightsRoleName: role } })).toBe(1);
  });

  it("lists the services a person may link to: their teams' for a member, every active one for an admin", async () => {
    const mine = (await listLinkableServices({ actor: member })).map((service) => service.slug);
    expect(mine).toEqual(expect.arrayContaining([slug("workflow"), slug("scheduler")]));
    expect(mine).not.toContain(slug("package"));
    expect(mine).not.toContain(slug("old"));
    const all = (await listLinkableServices({ actor: admin })).map((service) => service.slug);
    expect(all).toEqual(expect.arrayContaining([slug("workflow"), slug("scheduler"), slug("package")]));
  });
});
