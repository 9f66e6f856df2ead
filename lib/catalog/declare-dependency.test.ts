// Integration (embedded PostgreSQL): "add to the catalog" from the map.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { declareDependency } from "@/lib/catalog/declare-dependency";

const suffix = randomUUID().slice(0, 6);
const slug = (name: string) => `${name}-${suffix}`;
let member: UserActor;
let outsider: UserActor;

beforeAll(async () => {
  const prisma = getPrisma();
  const make = (name: string) => prisma.team.create({ data: { slug: slug(name), name, entraGroupIds: [] }, select: { id: true, slug: true, name: true } });
  const drones = await make("drones");
  const others = await make("others");
  member = { kind: "user", userId: randomUUID(), name: "Dana", email: "d@example.com", isAdmin: false, teams: [drones] };
  outsider = { kind: "user", userId: randomUUID(), name: "Olga", email: "o@example.com", isAdmin: false, teams: [others] };
  const create = (name: string, teamId: string, retired = false) =>
    prisma.service.create({
      data: {
        slug: slug(name),
        displayName: name,
        ownerTeamId: teamId,
        tier: "standard",
        lifecycle: "production",
        tags: [],
        searchText: name,
        ...(retired && { retiredAt: new Date() }),
        dependencies: { create: [{ position: 0, kind: "sql", target: "db-1" }] },
      },
    });
  await create("workflow", drones.id);
  await create("package", others.id);
  await create("old", drones.id, true);
});

const dependencies = async (name: string) =>
  await getPrisma().serviceDependency.findMany({
    where: { service: { slug: slug(name) } },
    orderBy: { position: "asc" },
    select: { position: true, kind: true, target: true },
  });

describe("declareDependency", () => {
  it("the owning team appends the dependency after the existing ones, audited; a second click changes nothing", async () => {
    expect(await declareDependency({ actor: member, slug: slug("workflow"), dependsOn: slug("package") })).toEqual({ added: true });
    expect(await dependencies("workflow")).toEqual([
      { position: 0, kind: "sql", target: "db-1" },
      { position: 1, kind: "service", target: slug("package") },
    ]);
    const event = await getPrisma().auditEvent.findFirst({ where: { resourceId: slug("workflow"), action: "service.dependency.declare" } });
    expect(event).toMatchObject({
      outcome: "success",
      actorName: "Dana",
      after: {
        dependencies: [
          { kind: "sql", target: "db-1" },
          { kind: "service", target: slug("package") },
        ],
      },
    });
    expect(await declareDependency({ actor: member, slug: slug("workflow"), dependsOn: slug("package") })).toEqual({ added: false });
    expect(await dependencies("workflow")).toHaveLength(2);
  });

  it("another team cannot: forbidden, recorded as denied, nothing changed", async () => {
    await expect(declareDependency({ actor: outsider, slug: slug("workflow"), dependsOn: slug("old") })).rejects.toMatchObject({ code: "forbidden" });
    expect(
      await getPrisma().auditEvent.findFirst({ where: { resourceId: slug("workflow"), action: "service.dependency.declare", outcome: "denied" } }),
    ).toMatchObject({ actorName: "Olga" });
    expect(await dependencies("workflow")).toHaveLength(2);
  });

  it("refuses an unknown service, an unknown or self target, and a retired service, saying what to do", async () => {
    await expect(declareDependency({ actor: member, slug: slug("nope"), dependsOn: slug("package") })).rejects.toMatchObject({ code: "not_found" });
    await expect(declareDependency({ actor: member, slug: slug("workflow"), dependsOn: slug("ghost") })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/no service .* Register it first/),
    });
    await expect(declareDependency({ actor: member, slug: slug("workflow"), dependsOn: slug("workflow") })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(declareDependency({ actor: member, slug: slug("old"), dependsOn: slug("package") })).rejects.toMatchObject({ code: "conflict" });
  });
});
